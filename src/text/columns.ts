/**
 * Fixed-width text: the cells of the plain-text tables (plan, probe check and report) and the wrapping of prose
 * in them and in generated files' comments.
 */

/** Pads or shortens to exactly n characters; a shortened cell ends with an ellipsis, never wraps. */
export function fit(text: string, n: number): string {
  return text.length <= n ? text.padEnd(n) : `${text.slice(0, n - 1)}…`;
}

/** Right-aligned to n characters (numbers in a column). */
export function fitRight(text: string, n: number): string {
  return text.length <= n ? text.padStart(n) : `${text.slice(0, n - 1)}…`;
}

/** A row of cells fitted to their column widths, one space apart, without trailing spaces. */
export function fittedRow(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((c, i) => fit(c, widths[i] ?? c.length)).join(' ').trimEnd();
}

export interface WrapOptions {
  /** Put before every continuation line (counted in the width). */
  readonly indent?: string;
  /** Cut a word longer than the width into pieces, so no line is ever longer; otherwise it stands alone, whole. */
  readonly cutLongWords?: boolean;
}

/** Lines of at most `width` characters, broken at spaces; an empty text is one empty line. */
export function wrap(text: string, width: number, { indent = '', cutLongWords = false }: WrapOptions = {}): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    const candidate = line ? `${line} ${word}` : word;
    if (candidate.length <= width || !line) line = candidate;
    else {
      lines.push(line);
      line = `${indent}${word}`;
    }
  }
  if (line || lines.length === 0) lines.push(line);
  return cutLongWords ? lines.flatMap((l) => (l.length <= width ? [l] : chunks(l, width))) : lines;
}

function chunks(text: string, width: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += width) out.push(text.slice(i, i + width));
  return out;
}
