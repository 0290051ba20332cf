/**
 * JSON text with holes: a value written once by JSON.stringify with marker strings where its varying parts go,
 * then stamped with each part's JSON text. A class of alike hosts writes its endpoint or flow once and every
 * member fills in its name, addresses and id, byte for byte what JSON.stringify writes of the member's own value.
 */
export class Stencil {
  private constructor(
    /** The text between the holes: one more than there are holes. */
    readonly parts: readonly string[],
    /** For each gap between parts, the index of the hole (in the order given to `of`) that fills it. */
    readonly order: readonly number[],
  ) {}

  /**
   * The stencil of `value` written at `depth` (see jsonAt), where `holes` are marker strings standing as values in
   * it; undefined when a marker is not found exactly once (a value that happens to contain one: write it whole).
   */
  static of(value: unknown, depth: number, indented: boolean, holes: readonly string[]): Stencil | undefined {
    const text = jsonAt(value, depth, indented);
    const found: { at: number; end: number; hole: number }[] = [];
    for (let hole = 0; hole < holes.length; hole++) {
      const quoted = JSON.stringify(holes[hole]);
      const at = text.indexOf(quoted);
      if (at < 0 || text.indexOf(quoted, at + 1) >= 0) return undefined;
      found.push({ at, end: at + quoted.length, hole });
    }
    found.sort((a, b) => a.at - b.at);
    const parts: string[] = [];
    let from = 0;
    for (const f of found) {
      parts.push(text.slice(from, f.at));
      from = f.end;
    }
    parts.push(text.slice(from));
    return new Stencil(parts, found.map((f) => f.hole));
  }

  /** The text with each hole filled by the JSON text given for it (in the order of `of`'s holes). */
  stamp(values: readonly string[]): string {
    let text = this.parts[0]!;
    for (let i = 0; i < this.order.length; i++) text += values[this.order[i]!]! + this.parts[i + 1]!;
    return text;
  }
}

/** A marker no value of a plan holds (a NUL is escaped in JSON, so the marker is checked to appear only once). */
export function hole(name: string): string {
  return `\u0000scomfw:${name}\u0000`;
}

/**
 * JSON.stringify(value, null, 2) as it reads `depth` levels deep in a larger value written the same way (every
 * line after the first indented by two spaces per level: JSON strings hold no raw line break), or compact.
 */
export function jsonAt(value: unknown, depth: number, indented: boolean): string {
  if (!indented) return JSON.stringify(value);
  const text = JSON.stringify(value, null, 2);
  return depth === 0 ? text : text.replaceAll('\n', `\n${'  '.repeat(depth)}`);
}
