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
