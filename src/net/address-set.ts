import { formatAddress, type Family } from './address.js';
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
  private constructor(
    private readonly v4: readonly Interval[],
    private readonly v6: readonly Interval[],
  ) {}

  static readonly empty = new AddressSet([], []);

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
    for (const s of sets) {
      v4.push(...s.v4);
      v6.push(...s.v6);
    }
    return new AddressSet(normalize(v4), normalize(v6));
  }

  get isEmpty(): boolean {
    return this.v4.length === 0 && this.v6.length === 0;
  }

  has(family: Family): boolean {
    return (family === 4 ? this.v4 : this.v6).length > 0;
  }

  /** The part of this set in one family. */
  only(family: Family): AddressSet {
    return family === 4 ? new AddressSet(this.v4, []) : new AddressSet([], this.v6);
  }

  contains(family: Family, value: bigint): boolean {
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
    const text = (family: Family) => (iv: Interval) => {
      if (iv.first === iv.last) return formatAddress(family, iv.first);
      const len = prefixLengthOf(family, iv.first, iv.last);
      return len !== undefined ? `${formatAddress(family, iv.first)}/${len}` : `${formatAddress(family, iv.first)}-${formatAddress(family, iv.last)}`;
    };
    return [...this.v4.map(text(4)), ...this.v6.map(text(6))];
  }

  equals(other: AddressSet): boolean {
    const same = (a: readonly Interval[], b: readonly Interval[]) =>
      a.length === b.length && a.every((iv, i) => iv.first === b[i]!.first && iv.last === b[i]!.last);
    return same(this.v4, other.v4) && same(this.v6, other.v6);
  }
}

function normalize(list: Interval[]): Interval[] {
  if (list.length < 2) return list.slice();
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
