import { formatAddress, formatIPv4, type Family } from './address.js';
import { AddressRange, cidrsOf, prefixLengthOf } from './range.js';

interface Interval {
  readonly first: bigint;
  readonly last: bigint;
}

/**
 * IPv4 intervals as numbers, two per interval (first, last): sorted, disjoint, non-adjacent. Never written to once
 * made, so sets share them. An IPv4 address fits a number exactly, so the IPv4 part needs neither a bigint nor an
 * object per interval: the sources of one management server's openings at 150,000 agents are 9,000 intervals,
 * which as objects of two bigints were 8 MB to allocate, promote and sweep, and were merged and cut as bigints.
 */
type Pairs = Uint32Array;

/**
 * An immutable set of addresses, kept per family as sorted, disjoint, non-adjacent intervals.
 * Every target aggregates through this one type, so "never wider than the input" is proved once.
 */
export class AddressSet {
  /**
   * A set whose IPv4 part is one address (what almost every host has) keeps that address here, as a number, and
   * makes its list only when an operation needs it: 150,000 agents' sets then cost one object each instead of
   * four (measured: the sets were a sixth of loading 150,000 agents). -1 for any other IPv4 part. The form is
   * canonical (the constructor chooses it for every such list), so equal sets have equal fields.
   */
  private readonly one4: number;
  /** The IPv4 intervals, or undefined where `one4` holds the only one. */
  private readonly pairs4: Pairs | undefined;
  private readonly v6: readonly Interval[];

  private constructor(pairs4: Pairs, v6: readonly Interval[], one4 = -1) {
    if (one4 >= 0) {
      this.one4 = one4;
      this.pairs4 = undefined;
    } else if (pairs4.length === 2 && pairs4[0] === pairs4[1]) {
      this.one4 = pairs4[0]!;
      this.pairs4 = undefined;
    } else {
      this.one4 = -1;
      this.pairs4 = pairs4;
    }
    this.v6 = v6;
  }

  /** The IPv4 intervals, a one-address set's made for the operation that asks. */
  private get four(): Pairs {
    return this.pairs4 ?? Uint32Array.of(this.one4, this.one4);
  }

  static readonly empty = new AddressSet(noPairs(), []);

  /** One address: what most hosts have, made without the general path's lists of ranges. */
  static single(family: Family, value: bigint): AddressSet {
    if (family === 4) {
      if (value < 0n || value > max32) throw new RangeError('invalid address range');
      return new AddressSet(none4, noIntervals, Number(value));
    }
    return new AddressSet(none4, [{ first: value, last: value }]);
  }

  /** One IPv4 address given as its 32-bit value, without a bigint: what the loader reads for most hosts. */
  static singleV4(value: number): AddressSet {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) throw new RangeError('invalid address range');
    return new AddressSet(none4, noIntervals, value);
  }

  static of(ranges: Iterable<AddressRange>): AddressSet {
    const v4: number[] = [];
    const v6: Interval[] = [];
    for (const r of ranges) {
      if (r.family === 4) v4.push(Number(r.first), Number(r.last));
      else v6.push({ first: r.first, last: r.last });
    }
    return new AddressSet(normalizePairs(v4), normalize(v6));
  }

  /** Parses address texts (single, CIDR, `a-b`); throws AddressSyntaxError on the first bad one. */
  static parse(texts: Iterable<string>): AddressSet {
    return AddressSet.of([...texts].map((t) => AddressRange.parse(t)));
  }

  union(other: AddressSet): AddressSet {
    return new AddressSet(mergedPairs(this.four, other.four), normalize([...this.v6, ...other.v6]));
  }

  static unionAll(sets: Iterable<AddressSet>): AddressSet {
    const v6: Interval[] = [];
    // Single IPv4 addresses (30,000 agents' sets in one opening) are merged as numbers, sorted in a typed array.
    const singles: number[] = [];
    const lists: Pairs[] = [];
    // Element by element: a spread call per set cost more than the merge when 30,000 sets of one address are united.
    for (const s of sets) {
      const pairs = s.pairs4;
      if (pairs === undefined) singles.push(s.one4);
      else if (pairs.length > 0) lists.push(pairs);
      for (const iv of s.v6) v6.push(iv);
    }
    if (singles.length > 0) lists.push(mergedValues(Uint32Array.from(singles)));
    // A few lists, each sorted already (the sets of a few classes of agents, thousands of intervals each, and the
    // single addresses as one more): merged pass by pass, without a sort. Many are sorted together.
    if (lists.length <= fewLists) return new AddressSet(lists.reduce(mergedPairs, none4), normalize(v6));
    const flat: number[] = [];
    for (const pairs of lists) for (let k = 0; k < pairs.length; k++) flat.push(pairs[k]!);
    return new AddressSet(normalizePairs(flat), normalize(v6));
  }

  /** The addresses in both sets. */
  intersection(other: AddressSet): AddressSet {
    if (this.isEmpty || other.isEmpty) return AddressSet.empty;
    return new AddressSet(intersect4(this.four, other.four), intersect(this.v6, other.v6));
  }

  /** The addresses of this set that are not in `other`. */
  difference(other: AddressSet): AddressSet {
    if (this.isEmpty || other.isEmpty) return this;
    return new AddressSet(subtract4(this.four, other.four), subtract(this.v6, other.v6));
  }

  /** Whether every address of `other` is in this set. */
  covers(other: AddressSet): boolean {
    return other.difference(this).isEmpty;
  }

  get isEmpty(): boolean {
    return this.pairs4 !== undefined && this.pairs4.length === 0 && this.v6.length === 0;
  }

  has(family: Family): boolean {
    return family === 4 ? this.pairs4 === undefined || this.pairs4.length > 0 : this.v6.length > 0;
  }

  /** The part of this set in one family. */
  only(family: Family): AddressSet {
    return family === 4 ? new AddressSet(this.pairs4 ?? none4, noIntervals, this.one4) : new AddressSet(none4, this.v6);
  }

  contains(family: Family, value: bigint): boolean {
    if (family === 4) {
      if (value < 0n || value > max32) return false;
      return containsPair(this.four, Number(value));
    }
    const list = this.v6;
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
    if (family === 6) return this.v6.reduce((n, iv) => n + iv.last - iv.first + 1n, 0n);
    const pairs = this.four;
    // At most 2^32: exact as a number.
    let n = 0;
    for (let k = 0; k < pairs.length; k += 2) n += pairs[k + 1]! - pairs[k]! + 1;
    return BigInt(n);
  }

  /** The merged intervals as ranges, IPv4 first. */
  ranges(): AddressRange[] {
    const out: AddressRange[] = [];
    const pairs = this.four;
    for (let k = 0; k < pairs.length; k += 2) out.push(AddressRange.of(4, BigInt(pairs[k]!), BigInt(pairs[k + 1]!)));
    for (const iv of this.v6) out.push(AddressRange.of(6, iv.first, iv.last));
    return out;
  }

  /** The fewest CIDR prefixes that cover exactly this set (never wider), IPv4 first. */
  toCidrs(): string[] {
    const out: string[] = [];
    if (this.pairs4 === undefined) out.push(`${formatIPv4(this.one4)}/32`);
    else for (let k = 0; k < this.pairs4.length; k += 2) cidrs4(this.pairs4[k]!, this.pairs4[k + 1]!, out);
    for (const iv of this.v6) for (const c of cidrsOf(6, iv.first, iv.last)) out.push(c);
    return out;
  }

  /**
   * Entries for targets that accept ranges: one entry per interval, written as a single address, a CIDR
   * when the interval is exactly one, else `a-b`. Never more entries than toCidrs().
   */
  toRangeEntries(): string[] {
    const out: string[] = [];
    if (this.pairs4 === undefined) out.push(formatIPv4(this.one4));
    else for (let k = 0; k < this.pairs4.length; k += 2) out.push(rangeEntry4(this.pairs4[k]!, this.pairs4[k + 1]!));
    for (const iv of this.v6) {
      if (iv.first === iv.last) out.push(formatAddress(6, iv.first));
      else {
        const len = prefixLengthOf(6, iv.first, iv.last);
        out.push(len !== undefined ? `${formatAddress(6, iv.first)}/${len}` : `${formatAddress(6, iv.first)}-${formatAddress(6, iv.last)}`);
      }
    }
    return out;
  }

  /** True when the set holds exactly one address. */
  isOneAddress(): boolean {
    // A list of IPv4 intervals is never one address: the constructor keeps that as `one4`.
    if (this.pairs4 === undefined) return this.v6.length === 0;
    return this.pairs4.length === 0 && this.v6.length === 1 && this.v6[0]!.first === this.v6[0]!.last;
  }

  /** The set's one address as toRangeEntries writes it, when it holds exactly one address; undefined otherwise. */
  soleAddress(): string | undefined {
    // One IPv4 address (150,000 agents' entries in the alike verify scripts): its text, without a list around it.
    if (this.pairs4 === undefined && this.v6.length === 0) return formatIPv4(this.one4);
    return this.isOneAddress() ? this.toRangeEntries()[0] : undefined;
  }

  equals(other: AddressSet): boolean {
    if (this.one4 !== other.one4) return false;
    const same = (a: readonly Interval[], b: readonly Interval[]) =>
      a.length === b.length && a.every((iv, i) => iv.first === b[i]!.first && iv.last === b[i]!.last);
    return (this.one4 >= 0 || samePairs(this.pairs4!, other.pairs4!)) && same(this.v6, other.v6);
  }
}

/** A fresh empty list (the class's static fields are made before the module's constants below). */
function noPairs(): Pairs {
  return new Uint32Array(0);
}

const none4: Pairs = noPairs();

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

/** intersect, for IPv4 lists. */
function intersect4(a: Pairs, b: Pairs): Pairs {
  const out: number[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const first = Math.max(a[i]!, b[j]!);
    const last = Math.min(a[i + 1]!, b[j + 1]!);
    if (first <= last) out.push(first, last);
    if (a[i + 1]! < b[j + 1]!) i += 2;
    else j += 2;
  }
  return Uint32Array.from(out);
}

/** subtract, for IPv4 lists. */
function subtract4(a: Pairs, b: Pairs): Pairs {
  if (b.length === 0) return a;
  const out: number[] = [];
  let j = 0;
  for (let i = 0; i < a.length; i += 2) {
    let first = a[i]!;
    const last = a[i + 1]!;
    while (j < b.length && b[j + 1]! < first) j += 2;
    for (let k = j; k < b.length && b[k]! <= last; k += 2) {
      if (b[k]! > first) out.push(first, b[k]! - 1);
      first = b[k + 1]! + 1;
    }
    if (first <= last) out.push(first, last);
  }
  return Uint32Array.from(out);
}

function containsPair(pairs: Pairs, value: number): boolean {
  let lo = 0;
  let hi = (pairs.length >> 1) - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (value < pairs[2 * mid]!) hi = mid - 1;
    else if (value > pairs[2 * mid + 1]!) lo = mid + 1;
    else return true;
  }
  return false;
}

function samePairs(a: Pairs, b: Pairs): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}

/**
 * Shared by every set without IPv6 addresses: 150,000 hosts with one IPv4 address each would otherwise keep
 * 150,000 empty lists. Never written to (every list here is read-only once made).
 */
const noIntervals: readonly Interval[] = [];

/** Sorted, merged intervals; `list` is the caller's fresh list, taken over rather than copied. */
function normalize(list: Interval[]): readonly Interval[] {
  if (list.length === 0) return noIntervals;
  if (list.length === 1) return list;
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

/**
 * IPv4 intervals given as pairs of numbers in any order, overlapping or not: sorted and merged. A list that is
 * already sorted and apart (one set's own list) is kept as it is; one of single addresses is sorted as numbers.
 */
function normalizePairs(flat: readonly number[]): Pairs {
  const n = flat.length >> 1;
  if (n === 0) return none4;
  let apart = true;
  let singles = true;
  for (let i = 0; i < n; i++) {
    if (flat[2 * i] !== flat[2 * i + 1]) singles = false;
    if (i > 0 && flat[2 * i]! <= flat[2 * i - 1]! + 1) apart = false;
  }
  if (apart) return Uint32Array.from(flat);
  if (singles) return mergedValues(Uint32Array.from({ length: n }, (_, i) => flat[2 * i]!));
  const order = Array.from({ length: n }, (_, i) => i).sort((x, y) => flat[2 * x]! - flat[2 * y]!);
  const out: number[] = [];
  let first = flat[2 * order[0]!]!;
  let last = flat[2 * order[0]! + 1]!;
  for (let k = 1; k < n; k++) {
    const f = flat[2 * order[k]!]!;
    const l = flat[2 * order[k]! + 1]!;
    if (f <= last + 1) {
      if (l > last) last = l;
    } else {
      out.push(first, last);
      first = f;
      last = l;
    }
  }
  out.push(first, last);
  return Uint32Array.from(out);
}

/** Up to this many sorted lists are merged one into the next; more are sorted together. */
const fewLists = 8;

/** Two sorted lists of IPv4 intervals as one: sorted, overlapping and adjacent intervals joined. */
function mergedPairs(a: Pairs, b: Pairs): Pairs {
  if (a.length === 0) return b;
  if (b.length === 0) return a;
  const out = new Uint32Array(a.length + b.length);
  let at = -2;
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    let f: number;
    let l: number;
    if (j >= b.length || (i < a.length && a[i]! <= b[j]!)) {
      f = a[i]!;
      l = a[i + 1]!;
      i += 2;
    } else {
      f = b[j]!;
      l = b[j + 1]!;
      j += 2;
    }
    if (at >= 0 && f <= out[at + 1]! + 1) {
      if (l > out[at + 1]!) out[at + 1] = l;
    } else {
      at += 2;
      out[at] = f;
      out[at + 1] = l;
    }
  }
  return at + 2 === out.length ? out : out.slice(0, at + 2);
}

const max32 = 0xffffffffn;

/** Sorted, merged intervals of 32-bit values (sorted here, in place). */
function mergedValues(values: Uint32Array): Pairs {
  if (values.length === 0) return none4;
  values.sort();
  let runs = 1;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[i - 1]! + 1) runs++;
  const out = new Uint32Array(2 * runs);
  let at = 0;
  out[0] = values[0]!;
  for (let i = 1; i < values.length; i++) {
    if (values[i]! > values[i - 1]! + 1) {
      out[at + 1] = values[i - 1]!;
      at += 2;
      out[at] = values[i]!;
    }
  }
  out[at + 1] = values[values.length - 1]!;
  return out;
}

/** cidrsOf for IPv4, in numbers: the largest aligned block that fits, again and again. */
function cidrs4(first: number, last: number, out: string[]): void {
  let a = first;
  while (a <= last) {
    let size = 1;
    let k = 0;
    while (k < 32 && a % (size * 2) === 0 && a + size * 2 - 1 <= last) {
      size *= 2;
      k++;
    }
    out.push(`${formatIPv4(a)}/${32 - k}`);
    a += size;
  }
}

/** An IPv4 interval as toRangeEntries writes it: an address, a CIDR when it is exactly one, else `a-b`. */
function rangeEntry4(first: number, last: number): string {
  if (first === last) return formatIPv4(first);
  const size = last - first + 1;
  let k = 0;
  while (2 ** k < size) k++;
  if (2 ** k === size && first % size === 0) return `${formatIPv4(first)}/${32 - k}`;
  return `${formatIPv4(first)}-${formatIPv4(last)}`;
}
