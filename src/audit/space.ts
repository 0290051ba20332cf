import { maxValue, type Family } from '../net/address.js';
import type { AddressSet } from '../net/address-set.js';

/**
 * Sets of packets: finite unions of boxes over (source address, destination address, protocol number, destination
 * port), kept per address family as a nested, sorted map of disjoint intervals (source → destination → protocol →
 * port). Nesting by dimension makes union, intersection and difference a merge of sorted lists, linear in the sizes
 * of the operands, so a 10,000-element address set costs one pass, not 10,000 box splits.
 *
 * ICMP (1) and ICMPv6 (58) carry their message type in the port dimension (echo request: 8, 128), so that rules on
 * ICMP types are exact; other port-less protocols use the full port range (a rule that says nothing about ports).
 */

/** The values one dimension takes, inclusive. */
export interface Interval {
  readonly lo: bigint;
  readonly hi: bigint;
}

interface Seg {
  readonly lo: bigint;
  readonly hi: bigint;
  /** The set over the remaining dimensions; null at the last (port) dimension. */
  readonly child: Node | null;
}
type Node = readonly Seg[];

/** The number of nested dimensions below the family. */
const depth = 4;
export const maxProtocol = 255;
export const maxPort = 65535;

export const protocolNumbers = { icmp: 1, tcp: 6, udp: 17, ipv6Icmp: 58 } as const;

/** One packet: the point a witness names. */
export interface Packet {
  readonly family: Family;
  readonly source: bigint;
  readonly destination: bigint;
  readonly protocol: number;
  readonly port: number;
}

/** One box of a product: every dimension absent means "any value". */
export interface BoxSpec {
  readonly family?: Family;
  readonly sources?: AddressSet | readonly Interval[];
  readonly destinations?: AddressSet | readonly Interval[];
  readonly protocols?: readonly Interval[];
  readonly ports?: readonly Interval[];
}

/** Preferences for a witness: the first non-empty intersection wins (e.g. deployment addresses, then any). */
export interface WitnessPreference {
  readonly sources?: readonly AddressSet[];
  readonly destinations?: readonly AddressSet[];
}

const anyPort: readonly Interval[] = [{ lo: 0n, hi: BigInt(maxPort) }];
const anyProtocol: readonly Interval[] = [{ lo: 0n, hi: BigInt(maxProtocol) }];

export class PacketSet {
  private constructor(
    private readonly v4: Node,
    private readonly v6: Node,
  ) {}

  static readonly empty = new PacketSet([], []);
  static readonly all = new PacketSet(fullNode(4), fullNode(6));

  /** Everything of one family. */
  static family(family: Family): PacketSet {
    return family === 4 ? new PacketSet(fullNode(4), []) : new PacketSet([], fullNode(6));
  }

  /** The product of the given dimensions (absent = any). An empty list in any dimension gives the empty set. */
  static product(spec: BoxSpec): PacketSet {
    const make = (family: Family): Node => {
      if (spec.family !== undefined && spec.family !== family) return [];
      const ports = spec.ports ? normalizeIntervals(spec.ports, BigInt(maxPort)) : anyPort;
      const portNode: Node = ports.map((iv) => ({ lo: iv.lo, hi: iv.hi, child: null }));
      const protocolNode = layer(spec.protocols ? normalizeIntervals(spec.protocols, BigInt(maxProtocol)) : anyProtocol, portNode);
      const max = maxValue(family);
      const dst = layer(addressIntervals(spec.destinations, family, max), protocolNode);
      return layer(addressIntervals(spec.sources, family, max), dst);
    };
    return new PacketSet(make(4), make(6));
  }

  /** A single packet as a set. */
  static point(p: Packet): PacketSet {
    const one = (v: bigint | number): Interval[] => [{ lo: BigInt(v), hi: BigInt(v) }];
    return PacketSet.product({ family: p.family, sources: one(p.source), destinations: one(p.destination), protocols: one(p.protocol), ports: one(p.port) });
  }

  union(other: PacketSet): PacketSet {
    if (other.isEmpty) return this;
    if (this.isEmpty) return other;
    return new PacketSet(combine(this.v4, other.v4, 'union', 0), combine(this.v6, other.v6, 'union', 0));
  }

  intersect(other: PacketSet): PacketSet {
    if (this.isEmpty || other.isEmpty) return PacketSet.empty;
    return new PacketSet(combine(this.v4, other.v4, 'intersect', 0), combine(this.v6, other.v6, 'intersect', 0));
  }

  subtract(other: PacketSet): PacketSet {
    if (this.isEmpty || other.isEmpty) return this;
    return new PacketSet(combine(this.v4, other.v4, 'subtract', 0), combine(this.v6, other.v6, 'subtract', 0));
  }

  /** The union of many sets, merged pairwise (n log n rather than n² for many small sets). */
  static unionAll(sets: Iterable<PacketSet>): PacketSet {
    let level = [...sets].filter((s) => !s.isEmpty);
    if (level.length === 0) return PacketSet.empty;
    while (level.length > 1) {
      const next: PacketSet[] = [];
      for (let k = 0; k < level.length; k += 2) next.push(k + 1 < level.length ? level[k]!.union(level[k + 1]!) : level[k]!);
      level = next;
    }
    return level[0]!;
  }

  get isEmpty(): boolean {
    return this.v4.length === 0 && this.v6.length === 0;
  }

  equals(other: PacketSet): boolean {
    return nodeEquals(this.v4, other.v4, 0) && nodeEquals(this.v6, other.v6, 0);
  }

  /** True when `other` is wholly inside this set. */
  covers(other: PacketSet): boolean {
    return other.subtract(this).isEmpty;
  }

  overlaps(other: PacketSet): boolean {
    return !this.intersect(other).isEmpty;
  }

  contains(p: Packet): boolean {
    const s = findSeg(p.family === 4 ? this.v4 : this.v6, p.source);
    const d = s && findSeg(s.child!, p.destination);
    const pr = d && findSeg(d.child!, BigInt(p.protocol));
    return pr !== undefined && findSeg(pr.child!, BigInt(p.port)) !== undefined;
  }

  /** The families that have packets in this set. */
  get families(): Family[] {
    const out: Family[] = [];
    if (this.v4.length > 0) out.push(4);
    if (this.v6.length > 0) out.push(6);
    return out;
  }

  /** The source addresses of packets in this set, as intervals of one family. */
  sourceIntervals(family: Family): Interval[] {
    return (family === 4 ? this.v4 : this.v6).map((s) => ({ lo: s.lo, hi: s.hi }));
  }

  /**
   * One packet of this set, or undefined when empty. Tries each preferred source set (then any source), and within
   * that each preferred destination set (then any), so a witness names a deployment address when one is possible.
   */
  sample(prefer: WitnessPreference = {}): Packet | undefined {
    if (this.isEmpty) return undefined;
    const sources = [...(prefer.sources ?? []), undefined];
    const destinations = [...(prefer.destinations ?? []), undefined];
    for (const s of sources) {
      const bySource = s ? this.intersect(PacketSet.product({ sources: s })) : this;
      if (bySource.isEmpty) continue;
      for (const d of destinations) {
        const both = d ? bySource.intersect(PacketSet.product({ destinations: d })) : bySource;
        if (!both.isEmpty) return both.firstPacket();
      }
    }
    return this.firstPacket();
  }

  /** The boxes of this set (disjoint), for display and brute-force tests. */
  boxes(): { family: Family; source: Interval; destination: Interval; protocol: Interval; port: Interval }[] {
    const out: { family: Family; source: Interval; destination: Interval; protocol: Interval; port: Interval }[] = [];
    for (const family of [4, 6] as const) {
      for (const s of family === 4 ? this.v4 : this.v6)
        for (const d of s.child!)
          for (const pr of d.child!)
            for (const po of pr.child!)
              out.push({ family, source: iv(s), destination: iv(d), protocol: iv(pr), port: iv(po) });
    }
    return out;
  }

  private firstPacket(): Packet {
    const family: Family = this.v4.length > 0 ? 4 : 6;
    const s = (family === 4 ? this.v4 : this.v6)[0]!;
    const d = s.child![0]!;
    const pr = d.child![0]!;
    const po = pr.child![0]!;
    return { family, source: niceAddress(s), destination: niceAddress(d), protocol: Number(pr.lo), port: nicePort(po) };
  }
}

export function protocolName(n: number): string {
  switch (n) {
    case 1:
      return 'icmp';
    case 6:
      return 'tcp';
    case 17:
      return 'udp';
    case 58:
      return 'ipv6-icmp';
    default:
      return String(n);
  }
}

function iv(s: Seg): Interval {
  return { lo: s.lo, hi: s.hi };
}

/** Avoids the network address (x.x.x.0) and 0.0.0.0 as witnesses where the interval allows. */
function niceAddress(s: Seg): bigint {
  return s.lo === s.hi || (s.lo & 0xffn) !== 0n ? s.lo : s.lo + 1n;
}

function nicePort(s: Seg): number {
  return Number(s.lo === 0n && s.hi > 0n ? 1n : s.lo);
}

function fullNode(family: Family): Node {
  const port: Node = [{ lo: 0n, hi: BigInt(maxPort), child: null }];
  const protocol: Node = [{ lo: 0n, hi: BigInt(maxProtocol), child: port }];
  const dst: Node = [{ lo: 0n, hi: maxValue(family), child: protocol }];
  return [{ lo: 0n, hi: maxValue(family), child: dst }];
}

function layer(intervals: readonly Interval[], child: Node): Node {
  if (child.length === 0) return [];
  return intervals.map((v) => ({ lo: v.lo, hi: v.hi, child }));
}

function addressIntervals(spec: AddressSet | readonly Interval[] | undefined, family: Family, max: bigint): Interval[] {
  if (spec === undefined) return [{ lo: 0n, hi: max }];
  if (Array.isArray(spec)) return normalizeIntervals(spec as readonly Interval[], max);
  return (spec as AddressSet)
    .only(family)
    .ranges()
    .map((r) => ({ lo: r.first, hi: r.last }));
}

/** Sorted, disjoint, non-adjacent, clipped to 0..max. */
export function normalizeIntervals(list: readonly Interval[], max: bigint): Interval[] {
  const clipped = list
    .map((v) => ({ lo: v.lo < 0n ? 0n : v.lo, hi: v.hi > max ? max : v.hi }))
    .filter((v) => v.lo <= v.hi)
    .sort((a, b) => (a.lo < b.lo ? -1 : a.lo > b.lo ? 1 : 0));
  const out: Interval[] = [];
  for (const v of clipped) {
    const last = out[out.length - 1];
    if (last && v.lo <= last.hi + 1n) {
      if (v.hi > last.hi) out[out.length - 1] = { lo: last.lo, hi: v.hi };
    } else out.push(v);
  }
  return out;
}

function findSeg(node: Node, v: bigint): Seg | undefined {
  let lo = 0;
  let hi = node.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = node[mid]!;
    if (v < s.lo) hi = mid - 1;
    else if (v > s.hi) lo = mid + 1;
    else return s;
  }
  return undefined;
}

type Op = 'union' | 'intersect' | 'subtract';

/** The first index whose segment ends at or after `v` (binary search), so intersections skip what cannot overlap. */
function firstEndingAtOrAfter(node: Node, from: number, v: bigint): number {
  let lo = from;
  let hi = node.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (node[mid]!.hi < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Merges two sorted segment lists piece by piece, applying `op` to the children where both are present. */
/** The output of one merge: segments appended in order, adjacent equal ones joined. A class, not closures, so that each merge allocates nothing but its output. */
class Merge {
  readonly out: Seg[] = [];
  readonly leaf: boolean;

  constructor(
    readonly op: Op,
    readonly level: number,
  ) {
    this.leaf = level === depth - 1;
  }

  /** A piece lo..hi present in a (ca), in b (cb) or both; what the operation keeps of it. */
  emit(lo: bigint, hi: bigint, ca: Node | null | undefined, cb: Node | null | undefined): void {
    const { op, leaf, out } = this;
    let child: Node | null;
    if (ca !== undefined && cb !== undefined) {
      if (leaf) {
        if (op === 'subtract') return;
        child = null;
      } else {
        child = combine(ca!, cb!, op, this.level + 1);
        if (child.length === 0) return;
      }
    } else if (ca !== undefined) {
      if (op === 'intersect') return;
      child = ca;
    } else {
      if (op !== 'union') return;
      child = cb!;
    }
    const prev = out[out.length - 1];
    if (prev && prev.hi + 1n === lo && (leaf || nodeEquals(prev.child!, child!, this.level + 1))) {
      out[out.length - 1] = { lo: prev.lo, hi, child: prev.child };
    } else out.push({ lo, hi, child });
  }

  /** Appends untouched segments from..to-1 of one side; only the first can touch what is already out. */
  copyRun(side: Node, fromA: boolean, from: number, to: number): void {
    if (from >= to) return;
    const first = side[from]!;
    this.emit(first.lo, first.hi, fromA ? first.child : undefined, fromA ? undefined : first.child);
    for (let k = from + 1; k < to; k++) this.out.push(side[k]!);
  }
}

function combine(a: Node, b: Node, op: Op, level: number): Node {
  if (op === 'intersect' && (a.length === 0 || b.length === 0)) return [];
  if (op === 'subtract' && (a.length === 0 || b.length === 0)) return a;
  if (op === 'union' && a.length === 0) return b;
  if (op === 'union' && b.length === 0) return a;
  const m = new Merge(op, level);
  let i = 0;
  let j = 0;
  let aLo = a[0]!.lo;
  let bLo = b[0]!.lo;
  while (i < a.length && j < b.length) {
    const A = a[i]!;
    const B = b[j]!;
    // Whole runs of one side that end before the other side's next segment are taken (or dropped) in one step,
    // found by binary search: a small set against a large one costs a search and a copy, not a merge of both.
    if (A.hi < bLo) {
      const k = firstEndingAtOrAfter(a, i + 1, bLo);
      if (op !== 'intersect') {
        m.emit(aLo, A.hi, A.child, undefined);
        m.copyRun(a, true, i + 1, k);
      }
      i = k;
      if (i < a.length) aLo = a[i]!.lo;
      continue;
    }
    if (B.hi < aLo) {
      const k = firstEndingAtOrAfter(b, j + 1, aLo);
      if (op === 'union') {
        m.emit(bLo, B.hi, undefined, B.child);
        m.copyRun(b, false, j + 1, k);
      }
      j = k;
      if (j < b.length) bLo = b[j]!.lo;
      continue;
    }
    if (aLo < bLo) {
      const end = A.hi < bLo - 1n ? A.hi : bLo - 1n;
      m.emit(aLo, end, A.child, undefined);
      if (end === A.hi) {
        i++;
        if (i < a.length) aLo = a[i]!.lo;
      } else aLo = end + 1n;
    } else if (bLo < aLo) {
      const end = B.hi < aLo - 1n ? B.hi : aLo - 1n;
      m.emit(bLo, end, undefined, B.child);
      if (end === B.hi) {
        j++;
        if (j < b.length) bLo = b[j]!.lo;
      } else bLo = end + 1n;
    } else {
      const end = A.hi < B.hi ? A.hi : B.hi;
      m.emit(aLo, end, A.child, B.child);
      if (end === A.hi) {
        i++;
        if (i < a.length) aLo = a[i]!.lo;
      } else aLo = end + 1n;
      if (end === B.hi) {
        j++;
        if (j < b.length) bLo = b[j]!.lo;
      } else bLo = end + 1n;
    }
  }
  if (op !== 'intersect') {
    if (i < a.length) {
      m.emit(aLo, a[i]!.hi, a[i]!.child, undefined);
      m.copyRun(a, true, i + 1, a.length);
    }
  }
  if (op === 'union' && j < b.length) {
    m.emit(bLo, b[j]!.hi, undefined, b[j]!.child);
    m.copyRun(b, false, j + 1, b.length);
  }
  return m.out;
}

function nodeEquals(a: Node, b: Node, level: number): boolean {
  if (a === b) return true;
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) {
    const x = a[k]!;
    const y = b[k]!;
    if (x.lo !== y.lo || x.hi !== y.hi) return false;
    if (level < depth - 1 && !nodeEquals(x.child!, y.child!, level + 1)) return false;
  }
  return true;
}
