import { formatAddress, formatIPv4, type Family } from './address.js';
import { AddressRange, cidrsOf, prefixLengthOf } from './range.js';

interface Interval {
  readonly first: bigint;
  readonly last: bigint;
}

/**
 * An immutable set of addresses, kept per family as sorted, disjoint, non-adjacent intervals.
 * Every target aggregates through this one type, so "never wider than the input" is proved once.
 */
export class AddressSet {
  /**
   * A set whose IPv4 part is one address (what almost every host has) keeps that address here, as a number, and
   * makes its interval list only when an operation needs it: 150,000 agents' sets then cost one object each
   * instead of four (measured: the sets were a sixth of loading 150,000 agents). -1 for any other IPv4 part. The
   * form is canonical (the constructor chooses it for every such list), so equal sets have equal fields.
   */
  private readonly one4: number;
  /** The IPv4 intervals, or undefined where `one4` holds the only one. */
  private readonly list4: readonly Interval[] | undefined;
  /** The list of a `one4` set, once made: a cache, not part of the value (deep equality does not see it). */
  #made4: readonly Interval[] | undefined;
  private readonly v6: readonly Interval[];

  private constructor(v4: readonly Interval[], v6: readonly Interval[], one4 = -1) {
    const only = v4.length === 1 ? v4[0]! : undefined;
    if (one4 >= 0) {
      this.one4 = one4;
      this.list4 = undefined;
      this.#made4 = undefined;
    } else if (only !== undefined && only.first === only.last) {
      this.one4 = Number(only.first);
      this.list4 = undefined;
      this.#made4 = v4;
    } else {
      this.one4 = -1;
      this.list4 = v4;
      this.#made4 = undefined;
    }
    this.v6 = v6;
  }

  private get v4(): readonly Interval[] {
    return this.list4 ?? (this.#made4 ??= [singleInterval(this.one4)]);
  }

  static readonly empty = new AddressSet([], []);

  /** One address: what most hosts have, made without the general path's lists of ranges. */
  static single(family: Family, value: bigint): AddressSet {
    if (family === 4) {
      if (value < 0n || value > max32) throw new RangeError('invalid address range');
      return new AddressSet(noIntervals, noIntervals, Number(value));
    }
    return new AddressSet(noIntervals, [{ first: value, last: value }]);
  }

  /** One IPv4 address given as its 32-bit value, without a bigint: what the loader reads for most hosts. */
  static singleV4(value: number): AddressSet {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError('invalid address range');
    return new AddressSet(noIntervals, noIntervals, value);
  }

  static of(ranges: Iterable<AddressRange>): AddressSet {
    const v4: Interval[] = [];
    const v6: Interval[] = [];
    for (const r of ranges) (r.family === 4 ? v4 : v6).push({ first: r.first, last: r.last });
    return new AddressSet(normalize(v4), normalize(v6));
  }

  /** Parses address texts (single, CIDR, `a-b`); throws AddressSyntaxError on the first bad one. */
  static parse(texts: Iterable<string>): AddressSet {
    return AddressSet.of([...texts].map((t) => AddressRange.parse(t)));
  }

  union(other: AddressSet): AddressSet {
    return new AddressSet(normalize([...this.v4, ...other.v4]), normalize([...this.v6, ...other.v6]));
  }

  static unionAll(sets: Iterable<AddressSet>): AddressSet {
    const v4: Interval[] = [];
    const v6: Interval[] = [];
    // Single IPv4 addresses (30,000 agents' sets in one opening) are merged as numbers, without an interval each.
    let singles: number[] | undefined;
    // Element by element: a spread call per set cost more than the merge when 30,000 sets of one address are united.
    for (const s of sets) {
      if (s.list4 === undefined) (singles ??= []).push(s.one4);
      else for (const iv of s.list4) v4.push(iv);
      for (const iv of s.v6) v6.push(iv);
    }
    return new AddressSet(singles ? withSingles(v4, singles) : normalize(v4), normalize(v6));
  }

  /** The addresses in both sets. */
  intersection(other: AddressSet): AddressSet {
    if (this.isEmpty || other.isEmpty) return AddressSet.empty;
    return new AddressSet(intersect(this.v4, other.v4), intersect(this.v6, other.v6));
  }

  /** The addresses of this set that are not in `other`. */
  difference(other: AddressSet): AddressSet {
    if (this.isEmpty || other.isEmpty) return this;
    return new AddressSet(subtract(this.v4, other.v4), subtract(this.v6, other.v6));
  }

  /** Whether every address of `other` is in this set. */
  covers(other: AddressSet): boolean {
    return other.difference(this).isEmpty;
  }

  get isEmpty(): boolean {
    return this.list4 !== undefined && this.list4.length === 0 && this.v6.length === 0;
  }

  has(family: Family): boolean {
    return family === 4 ? this.list4 === undefined || this.list4.length > 0 : this.v6.length > 0;
  }

  /** The part of this set in one family. */
  only(family: Family): AddressSet {
    return family === 4 ? new AddressSet(this.v4, []) : new AddressSet([], this.v6);
  }

  contains(family: Family, value: bigint): boolean {
    if (family === 4 && this.list4 === undefined) return value === BigInt(this.one4);
    const list = family === 4 ? this.v4 : this.v6;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const iv = list[mid]!;
      if (value < iv.first) hi = mid - 1;
      else if (value > iv.last) lo = mid + 1;
      else return true;
    }
    return false;
  }

  /** Number of addresses in one family. */
  count(family: Family): bigint {
    return (family === 4 ? this.v4 : this.v6).reduce((n, iv) => n + iv.last - iv.first + 1n, 0n);
  }

  /** The merged intervals as ranges, IPv4 first. */
  ranges(): AddressRange[] {
    return [
      ...this.v4.map((iv) => AddressRange.of(4, iv.first, iv.last)),
      ...this.v6.map((iv) => AddressRange.of(6, iv.first, iv.last)),
    ];
  }

  /** The fewest CIDR prefixes that cover exactly this set (never wider), IPv4 first. */
  toCidrs(): string[] {
    return [...this.v4.flatMap((iv) => cidrsOf(4, iv.first, iv.last)), ...this.v6.flatMap((iv) => cidrsOf(6, iv.first, iv.last))];
  }

  /**
   * Entries for targets that accept ranges: one entry per interval, written as a single address, a CIDR
   * when the interval is exactly one, else `a-b`. Never more entries than toCidrs().
   */
  toRangeEntries(): string[] {
    // One IPv4 address (most hosts): no interval list made and cached for it.
    if (this.list4 === undefined && this.v6.length === 0) return [formatIPv4(this.one4)];
    const text = (family: Family) => (iv: Interval) => {
      if (iv.first === iv.last) return formatAddress(family, iv.first);
      const len = prefixLengthOf(family, iv.first, iv.last);
      return len !== undefined ? `${formatAddress(family, iv.first)}/${len}` : `${formatAddress(family, iv.first)}-${formatAddress(family, iv.last)}`;
    };
    return [...this.v4.map(text(4)), ...this.v6.map(text(6))];
  }

  /** True when the set holds exactly one address. */
  isOneAddress(): boolean {
    // One IPv4 address (most hosts): known without making its interval list.
    if (this.list4 === undefined) return this.v6.length === 0;
    return this.count(4) + this.count(6) === 1n;
  }

  /** The set's one address as toRangeEntries writes it, when it holds exactly one address; undefined otherwise. */
  soleAddress(): string | undefined {
    return this.isOneAddress() ? this.toRangeEntries()[0] : undefined;
  }

  equals(other: AddressSet): boolean {
    if (this.one4 !== other.one4) return false;
    const same = (a: readonly Interval[], b: readonly Interval[]) =>
      a.length === b.length && a.every((iv, i) => iv.first === b[i]!.first && iv.last === b[i]!.last);
    return (this.one4 >= 0 || same(this.v4, other.v4)) && same(this.v6, other.v6);
  }
}

/*
 * Both lists are sorted, disjoint and non-adjacent, and so are the results: pieces cut from one interval are parted
 * by a gap of the other list, pieces of two intervals by the gap between them. One pass over both, no sort.
 */

function intersect(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const first = x.first > y.first ? x.first : y.first;
    const last = x.last < y.last ? x.last : y.last;
    if (first <= last) out.push(first === x.first && last === x.last ? x : { first, last });
    if (x.last < y.last) i++;
    else j++;
  }
  return out;
}

function subtract(a: readonly Interval[], b: readonly Interval[]): Interval[] {
  if (b.length === 0) return a.slice();
  const out: Interval[] = [];
  let j = 0;
  for (const x of a) {
    let first = x.first;
    // Cuts that end before x are spent; a cut that reaches past x may cut the next interval too, so j stays on it.
    while (j < b.length && b[j]!.last < first) j++;
    for (let k = j; k < b.length && b[k]!.first <= x.last; k++) {
      const cut = b[k]!;
      if (cut.first > first) out.push({ first, last: cut.first - 1n });
      first = cut.last + 1n;
    }
    if (first <= x.last) out.push(first === x.first ? x : { first, last: x.last });
  }
  return out;
}

/**
 * Shared by every set without addresses of a family: 150,000 hosts with one IPv4 address each would otherwise keep
 * 150,000 empty lists. Never written to (every list here is read-only once made).
 */
const noIntervals: readonly Interval[] = [];

/** Sorted, merged intervals; `list` is the caller's fresh list, taken over rather than copied. */
function normalize(list: Interval[]): readonly Interval[] {
  if (list.length === 0) return noIntervals;
  if (list.length === 1) return list;
  if (list.length >= singlesFrom) {
    const merged = normalizeSingles(list);
    if (merged) return merged;
  }
  const sorted = list.slice().sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  const out: Interval[] = [];
  let cur = sorted[0]!;
  for (let i = 1; i < sorted.length; i++) {
    const iv = sorted[i]!;
    if (iv.first <= cur.last + 1n) {
      if (iv.last > cur.last) cur = { first: cur.first, last: iv.last };
    } else {
      out.push(cur);
      cur = iv;
    }
  }
  out.push(cur);
  return out;
}

/** A list of single 32-bit addresses given as numbers, merged into `list` (the caller's, taken over). */
function withSingles(list: Interval[], singles: readonly number[]): readonly Interval[] {
  if (list.length > 0 || singles.length < singlesFrom) {
    for (const v of singles) list.push(singleInterval(v));
    return normalize(list);
  }
  return mergedValues(Uint32Array.from(singles));
}

function singleInterval(value: number): Interval {
  const v = BigInt(value);
  return { first: v, last: v };
}

/** From this many intervals on, a list of single addresses is sorted as numbers (below, the general sort is as quick). */
const singlesFrom = 16;
const max32 = 0xffffffffn;

/**
 * The general normalize for a list of single addresses that all fit in 32 bits (every IPv4 address): sorted as
 * numbers in a typed array, without a comparator over bigints. The union of an opening's 30,000 agents, made for
 * each management server's port, was most of the openings' time at 150,000 agents. Undefined for any other list.
 */
function normalizeSingles(list: readonly Interval[]): Interval[] | undefined {
  const values = new Uint32Array(list.length);
  for (let i = 0; i < list.length; i++) {
    const iv = list[i]!;
    if (iv.first !== iv.last || iv.first > max32) return undefined;
    values[i] = Number(iv.first);
  }
  return mergedValues(values);
}

/** Sorted, merged intervals of 32-bit values (sorted here, in place). */
function mergedValues(values: Uint32Array): Interval[] {
  values.sort();
  const out: Interval[] = [];
  let start = values[0]!;
  let end = start;
  for (let i = 1; i < values.length; i++) {
    const v = values[i]!;
    if (v <= end + 1) end = v;
    else {
      out.push(intervalOf(start, end));
      start = end = v;
    }
  }
  out.push(intervalOf(start, end));
  return out;
}

function intervalOf(first: number, last: number): Interval {
  const f = BigInt(first);
  return { first: f, last: first === last ? f : BigInt(last) };
}
