export type Protocol = 'tcp' | 'udp' | 'icmp';

/** The one protocol order of every output: TCP, then UDP, then ICMP. */
export const protocols: readonly Protocol[] = ['tcp', 'udp', 'icmp'];

const protocolRank: Readonly<Record<Protocol, number>> = { tcp: 0, udp: 1, icmp: 2 };

/** Sorts protocols in the one order (`protocols`). */
export function compareProtocols(a: Protocol, b: Protocol): number {
  return protocolRank[a] - protocolRank[b];
}

/**
 * An inclusive range of TCP or UDP ports, 1..65535, validated when made. Instances are interned: one object per
 * range, so flows that share a port share the object (300,000 flows allocate none), and `===` is equality.
 */
export class PortRange {
  private static readonly interned = new Map<number, PortRange>();

  private constructor(
    readonly from: number,
    readonly to: number,
  ) {
    Object.freeze(this);
  }

  /** The range from..to (one port when `to` is left out); throws a RangeError for anything but 1 ≤ from ≤ to ≤ 65535. */
  static of(from: number, to: number = from): PortRange {
    const key = from * 65536 + to;
    const known = PortRange.interned.get(key);
    if (known) return known;
    if (!isPort(from) || !isPort(to) || from > to) throw new RangeError(`invalid port range ${from}-${to}`);
    const range = new PortRange(from, to);
    PortRange.interned.set(key, range);
    return range;
  }

  get isSingle(): boolean {
    return this.from === this.to;
  }

  contains(port: number): boolean {
    return port >= this.from && port <= this.to;
  }

  /** Whether the two ranges share a port. */
  meets(other: PortRange): boolean {
    return this.from <= other.to && other.from <= this.to;
  }

  /** `5723` or `49152-65535`; `separator` for the platforms that write ranges otherwise (iptables `:`, names `_`). */
  toString(separator = '-'): string {
    return this.isSingle ? String(this.from) : `${this.from}${separator}${this.to}`;
  }

  /** The plan JSON's `{ "from": …, "to": … }`. */
  toJSON(): { from: number; to: number } {
    return { from: this.from, to: this.to };
  }
}

/** By first port, then last. */
export function comparePortRanges(a: PortRange, b: PortRange): number {
  return a.from - b.from || a.to - b.to;
}

export function isPort(n: number): boolean {
  return Number.isInteger(n) && n >= 1 && n <= 65535;
}

/** Merges overlapping and adjacent ranges into the fewest ranges that cover exactly the same ports, sorted. */
export function mergePortRanges(ranges: Iterable<PortRange>): PortRange[] {
  const sorted = [...ranges].sort(comparePortRanges);
  const out: PortRange[] = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last && r.from <= last.to + 1) {
      if (r.to > last.to) out[out.length - 1] = PortRange.of(last.from, r.to);
    } else out.push(r);
  }
  return out;
}

/*
 * The formatters: every text a port (or the lack of one, for ICMP echo) is written as comes from here.
 */

/** `5723`, `49152-65535`, or `echo` for ICMP. */
export function portsText(ports: PortRange | null, separator = '-'): string {
  return ports ? ports.toString(separator) : 'echo';
}

/** `tcp/5723`, `tcp/49152-65535`, `icmp/echo`: a flow's protocol and ports, as flow ids and the plan table write them. */
export function protocolPorts(protocol: Protocol, ports: PortRange | null): string {
  return `${protocol}/${portsText(ports)}`;
}

/** `TCP 5723`, `TCP 49152-65535`, `ICMP echo`: for people. */
export function describePorts(protocol: Protocol, ports: PortRange | null): string {
  return ports ? `${protocol.toUpperCase()} ${ports.toString()}` : 'ICMP echo';
}

/** `TCP 5723, 5724, 49152-65535` or `ICMP echo`: several ranges of one protocol. */
export function describePortList(protocol: Protocol, ranges: readonly PortRange[]): string {
  const [first, ...rest] = ranges;
  if (protocol === 'icmp' || !first) return describePorts(protocol, null);
  return [describePorts(protocol, first), ...rest.map((r) => r.toString())].join(', ');
}

/** `TCP 5723`, `ICMP echo request`, `ICMP type 3`: one packet's service, as audit witnesses name it (any protocol, any ICMP type). */
export function describeService(protocol: string, port: number | null): string {
  if (protocol === 'icmp' || protocol === 'ipv6-icmp') return port === 8 || port === 128 ? 'ICMP echo request' : `ICMP type ${port ?? 'any'}`;
  return port === null ? protocol.toUpperCase() : `${protocol.toUpperCase()} ${port}`;
}

/** A key for maps: the same for equal (protocol, ports), different otherwise. */
export function portKey(protocol: Protocol, ports: PortRange | null): string {
  return protocolPorts(protocol, ports);
}

/** Port ranges in order, ICMP's none first (a protocol has either ports or none, so this only orders like with like). */
export function compareOptionalPorts(a: PortRange | null, b: PortRange | null): number {
  return (a?.from ?? 0) - (b?.from ?? 0) || (a?.to ?? 0) - (b?.to ?? 0);
}

/** The port of a single-port range; null for a range of several ports or for ICMP (what one probe can target). */
export function singlePort(ports: PortRange | null): number | null {
  return ports?.isSingle ? ports.from : null;
}
