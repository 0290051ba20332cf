import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Family } from '../../src/net/address.js';
import { AddressSet } from '../../src/net/address-set.js';
import { AddressRange } from '../../src/net/range.js';

/*
 * Sets of many single addresses are merged as numbers (normalizeSingles in src/net/address-set.ts), others by the
 * general sort. Whatever the list (duplicates, neighbours, the ends of the space, a range or an IPv6 address among
 * them, short and long), the set must be exactly the reference merge: the addresses sorted, then runs of
 * consecutive ones joined.
 */

const max4 = (1n << 32n) - 1n;

/** Addresses clustered so that duplicates and neighbours are common, near 0 and near the top of IPv4. */
const single = fc.oneof(
  fc.bigInt({ min: 0n, max: 40n }),
  fc.bigInt({ min: max4 - 40n, max: max4 }),
  fc.bigInt({ min: 0n, max: max4 }),
).map((v) => AddressRange.of(4, v, v));
const range = fc.tuple(fc.bigInt({ min: 0n, max: 60n }), fc.bigInt({ min: 0n, max: 5n })).map(([a, n]) => AddressRange.of(4, a, a + n));
const v6 = fc.bigInt({ min: 0n, max: 40n }).map((v) => AddressRange.of(6, v, v));

/** The reference: each family's ranges sorted by start, overlapping or adjacent ones joined. */
function referenceRanges(ranges: readonly AddressRange[]): string[] {
  const out: string[] = [];
  for (const family of [4, 6] as const satisfies readonly Family[]) {
    const sorted = ranges.filter((r) => r.family === family).sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
    let cur: { first: bigint; last: bigint } | undefined;
    for (const r of sorted) {
      if (cur && r.first <= cur.last + 1n) cur.last = r.last > cur.last ? r.last : cur.last;
      else {
        if (cur) out.push(`${family}:${cur.first}-${cur.last}`);
        cur = { first: r.first, last: r.last };
      }
    }
    if (cur) out.push(`${family}:${cur.first}-${cur.last}`);
  }
  return out;
}

const shown = (s: AddressSet) => s.ranges().map((r) => `${r.family}:${r.first}-${r.last}`);

describe('sets of many single addresses', () => {
  it('are the reference merge, by of and by unionAll, singles alone or mixed with ranges and IPv6', () => {
    let long = 0;
    fc.assert(
      fc.property(fc.array(single, { maxLength: 120, size: 'max' }), fc.array(fc.oneof(range, v6), { maxLength: 3 }), fc.boolean(), (singles, others, mix) => {
        const ranges = mix ? [...singles, ...others] : singles;
        if (singles.length >= 16) long++;
        const expected = referenceRanges(ranges);
        expect(shown(AddressSet.of(ranges))).toEqual(expected);
        expect(shown(AddressSet.unionAll(ranges.map((r) => AddressSet.of([r]))))).toEqual(expected);
      }),
      { numRuns: 600 },
    );
    expect(long, 'lists long enough for the numeric merge').toBeGreaterThan(200);
  });
});

/*
 * A set whose IPv4 part is one address keeps it as a number (AddressSet's one4). That form must be the same value
 * however the set is made (deep equality sees the fields, so they must match too), and answer every question as
 * the interval list it stands for.
 */
describe('sets of one IPv4 address', () => {
  const value = fc.oneof(fc.bigInt({ min: 0n, max: 3n }), fc.bigInt({ min: max4 - 3n, max: max4 }), fc.bigInt({ min: 0n, max: max4 }));
  it('are one value however made, and answer as their interval list', () => {
    fc.assert(
      fc.property(value, fc.option(v6, { nil: undefined }), fc.bigInt({ min: 0n, max: max4 }), (v, six, probe) => {
        const extra = six ? [six] : [];
        const made = [
          six ? AddressSet.single(4, v).union(AddressSet.of([six])) : AddressSet.single(4, v),
          six ? AddressSet.singleV4(Number(v)).union(AddressSet.of(extra)) : AddressSet.singleV4(Number(v)),
          AddressSet.of([AddressRange.of(4, v, v), ...extra]),
          AddressSet.of([AddressRange.of(4, v, v + (v < max4 ? 1n : 0n)), ...extra]).intersection(AddressSet.of([AddressRange.of(4, v, v), ...extra])),
          AddressSet.parse([AddressRange.of(4, v, v).toString(), ...extra.map((r) => r.toString())]),
        ];
        const [first] = made;
        for (const s of made) {
          expect(s).toStrictEqual(first);
          expect(s.equals(first!) && first!.equals(s)).toBe(true);
          expect(s.isEmpty).toBe(false);
          expect(s.has(4)).toBe(true);
          expect(s.has(6)).toBe(six !== undefined);
          expect(s.contains(4, v)).toBe(true);
          expect(s.contains(4, probe)).toBe(probe === v);
          expect(s.count(4)).toBe(1n);
          expect(shown(s)).toEqual(referenceRanges([AddressRange.of(4, v, v), ...extra]));
          expect(s.only(4).toCidrs()).toEqual([`${AddressRange.of(4, v, v).toString()}/32`]);
          expect(s.difference(AddressSet.singleV4(Number(v))).has(4)).toBe(false);
        }
        // Two different single addresses are never equal, in either form.
        const other = v === 0n ? 1n : v - 1n;
        expect(AddressSet.singleV4(Number(other)).equals(first!.only(4))).toBe(false);
        expect(AddressSet.singleV4(Number(other))).not.toStrictEqual(first!.only(4));
      }),
      { numRuns: 400 },
    );
  });

  it('refuse a value outside IPv4', () => {
    expect(() => AddressSet.singleV4(-1)).toThrow(RangeError);
    expect(() => AddressSet.singleV4(2 ** 32)).toThrow(RangeError);
    expect(() => AddressSet.singleV4(1.5)).toThrow(RangeError);
    expect(() => AddressSet.single(4, 1n << 32n)).toThrow(RangeError);
  });
});
