import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Family } from '../../src/net/address.js';
import { AddressSet } from '../../src/net/address-set.js';
import { AddressRange } from '../../src/net/range.js';

/*
 * Intersection and difference against a brute-force model: on a small address space (64 addresses at the bottom
 * and 64 at the top of each family, so the ends of the space are exercised too) a set is just the list of its
 * members, and set algebra is array filtering.
 */

const maxOf = (f: Family) => (f === 4 ? (1n << 32n) - 1n : (1n << 128n) - 1n);
const span = 64n;

/** The small universe: [0, 64) and [max-63, max] in both families. */
const universe: readonly { family: Family; value: bigint }[] = ([4, 6] as const).flatMap((family) => [
  ...Array.from({ length: Number(span) }, (_, i) => ({ family, value: BigInt(i) })),
  ...Array.from({ length: Number(span) }, (_, i) => ({ family, value: maxOf(family) - span + 1n + BigInt(i) })),
]);

const rangeArb = fc
  .tuple(fc.constantFrom<Family>(4, 6), fc.boolean(), fc.bigInt({ min: 0n, max: span - 1n }), fc.bigInt({ min: 0n, max: 20n }))
  .map(([family, high, start, length]) => {
    const base = high ? maxOf(family) - span + 1n : 0n;
    const first = base + start;
    const last = first + length > base + span - 1n ? base + span - 1n : first + length;
    return AddressRange.of(family, first, last);
  });

const setArb = fc.array(rangeArb, { maxLength: 8 }).map((ranges) => AddressSet.of(ranges));

/** The model: the members of a set in the universe. */
const members = (s: AddressSet) => universe.filter((a) => s.contains(a.family, a.value));

/** The set of exactly these members, built one address at a time (a canonical form to compare with). */
const fromMembers = (list: readonly { family: Family; value: bigint }[]) => AddressSet.of(list.map((a) => AddressRange.of(a.family, a.value, a.value)));

const key = (a: { family: Family; value: bigint }) => `${a.family}:${a.value}`;

describe('address set intersection and difference (brute-force model)', () => {
  it('intersection holds exactly the members of both, in canonical form', () => {
    fc.assert(
      fc.property(setArb, setArb, (a, b) => {
        const inB = new Set(members(b).map(key));
        const expected = members(a).filter((m) => inB.has(key(m)));
        const got = a.intersection(b);
        expect(members(got).map(key)).toEqual(expected.map(key));
        expect(got.equals(fromMembers(expected))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('difference holds exactly the members of the first not in the second, in canonical form', () => {
    fc.assert(
      fc.property(setArb, setArb, (a, b) => {
        const inB = new Set(members(b).map(key));
        const expected = members(a).filter((m) => !inB.has(key(m)));
        const got = a.difference(b);
        expect(members(got).map(key)).toEqual(expected.map(key));
        expect(got.equals(fromMembers(expected))).toBe(true);
      }),
      { numRuns: 500 },
    );
  });

  it('the laws: a = (a ∩ b) ∪ (a − b), the two parts disjoint; covers is difference-empty', () => {
    fc.assert(
      fc.property(setArb, setArb, (a, b) => {
        const both = a.intersection(b);
        const only = a.difference(b);
        expect(both.union(only).equals(a)).toBe(true);
        expect(both.intersection(only).isEmpty).toBe(true);
        expect(a.intersection(b).equals(b.intersection(a))).toBe(true);
        expect(a.covers(both)).toBe(true);
        expect(a.union(b).covers(b)).toBe(true);
        expect(a.covers(b)).toBe(b.difference(a).isEmpty && members(b).every((m) => a.contains(m.family, m.value)));
      }),
      { numRuns: 300 },
    );
  });

  it('count and ranges say the members, and sets of the same members are deeply equal however made', () => {
    fc.assert(
      fc.property(setArb, setArb, (a, b) => {
        const union = a.union(b);
        const list = members(union);
        for (const family of [4, 6] as const) expect(union.count(family)).toBe(BigInt(list.filter((m) => m.family === family).length));
        const fromRanges = union.ranges().flatMap((r) => universe.filter((m) => m.family === r.family && m.value >= r.first && m.value <= r.last));
        expect(fromRanges.map(key)).toEqual(list.map(key));
        // Every field, not only equals(): a cache or a second form of one value would show here.
        expect(union).toEqual(fromMembers(list));
        expect(AddressSet.unionAll([b, a])).toEqual(union);
      }),
      { numRuns: 300 },
    );
  });
});
