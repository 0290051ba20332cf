export type Protocol = 'tcp' | 'udp' | 'icmp';
export const protocols: readonly Protocol[] = ['tcp', 'udp', 'icmp'];

/** An inclusive range of TCP or UDP ports, 1..65535, validated when made. */
export class PortRange {
  private constructor(
    readonly from: number,
    readonly to: number,
  ) {}

  static of(from: number, to: number = from): PortRange {
    if (!isPort(from) || !isPort(to) || from > to) throw new RangeError(`invalid port range ${from}-${to}`);
    return new PortRange(from, to);
  }

  static single(port: number): PortRange {
    return PortRange.of(port, port);
  }

  get isSingle(): boolean {
    return this.from === this.to;
  }

  contains(port: number): boolean {
    return port >= this.from && port <= this.to;
  }

  /** `5723` or `49152-65535`. */
  toString(): string {
    return this.isSingle ? String(this.from) : `${this.from}-${this.to}`;
  }

  toJSON(): { from: number; to: number } {
    return { from: this.from, to: this.to };
  }
}

export function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** Merges overlapping and adjacent ranges into the fewest ranges that cover exactly the same ports. */
export function mergePortRanges(ranges: Iterable<PortRange>): PortRange[] {
  const sorted = [...ranges].sort((a, b) => a.from - b.from || a.to - b.to);
  const out: PortRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.from <= last.to + 1) {
      if (r.to > last.to) out[out.length - 1] = PortRange.of(last.from, r.to);
    } else out.push(r);
  }
  return out;
}
