import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Family } from '../../src/net/address.js';
import { AddressSet } from '../../src/net/address-set.js';
import { AddressRange } from '../../src/net/range.js';
import { allMustAllow, firstMatch, type Decider, type PolicyRule } from '../../src/audit/model.js';
import { PacketSet, type Interval, type Packet } from '../../src/audit/space.js';

/**
 * The packet-set algebra checked against a brute-force evaluator: every box is drawn inside a small grid (addresses,
 * protocols and ports 0..5), a set is a plain list of boxes, and membership of each of the grid's 2 × 6^4 points is
 * computed directly. Points just outside the grid (6) are checked too, so nothing leaks beyond the boxes.
 */
const N = 6;
const ivArb = fc.tuple(fc.integer({ min: 0, max: N - 1 }), fc.integer({ min: 0, max: N - 1 })).map(([a, b]) => ({ lo: BigInt(Math.min(a, b)), hi: BigInt(Math.max(a, b)) }));
interface Box {
  family: Family;
  s: Interval;
  d: Interval;
  pr: Interval;
  po: Interval;
}
const boxArb: fc.Arbitrary<Box> = fc.record({ family: fc.constantFrom<Family>(4, 6), s: ivArb, d: ivArb, pr: ivArb, po: ivArb });
const boxesArb = fc.array(boxArb, { maxLength: 6 });

const toSet = (boxes: readonly Box[]) =>
  PacketSet.unionAll(boxes.map((b) => PacketSet.product({ family: b.family, sources: [b.s], destinations: [b.d], protocols: [b.pr], ports: [b.po] })));
const inIv = (iv: Interval, v: number) => BigInt(v) >= iv.lo && BigInt(v) <= iv.hi;
const inBoxes = (boxes: readonly Box[], p: Packet) =>
  boxes.some((b) => b.family === p.family && inIv(b.s, Number(p.source)) && inIv(b.d, Number(p.destination)) && inIv(b.pr, p.protocol) && inIv(b.po, p.port));

function* grid(): Generator<Packet> {
  for (const family of [4, 6] as const)
    for (let s = 0; s <= N; s++)
      for (let d = 0; d <= N; d++)
        for (let pr = 0; pr <= N; pr++) for (let po = 0; po <= N; po++) yield { family, source: BigInt(s), destination: BigInt(d), protocol: pr, port: po };
}

function agrees(set: PacketSet, member: (p: Packet) => boolean): boolean {
  for (const p of grid()) if (set.contains(p) !== member(p)) return false;
  return true;
}

describe('packet-set algebra against brute force', () => {
  it('union holds exactly the points of either', () => {
    fc.assert(fc.property(boxesArb, boxesArb, (a, b) => agrees(toSet(a).union(toSet(b)), (p) => inBoxes(a, p) || inBoxes(b, p))), { numRuns: 150 });
  });

  it('intersection holds exactly the points of both', () => {
    fc.assert(fc.property(boxesArb, boxesArb, (a, b) => agrees(toSet(a).intersect(toSet(b)), (p) => inBoxes(a, p) && inBoxes(b, p))), { numRuns: 150 });
  });

  it('difference holds exactly the points of the first not in the second', () => {
    fc.assert(fc.property(boxesArb, boxesArb, (a, b) => agrees(toSet(a).subtract(toSet(b)), (p) => inBoxes(a, p) && !inBoxes(b, p))), { numRuns: 150 });
  });

  it('emptiness is exact, and a sampled witness is a member', () => {
    fc.assert(
      fc.property(boxesArb, boxesArb, (a, b) => {
        const set = toSet(a).subtract(toSet(b));
        const bruteEmpty = ![...grid()].some((p) => inBoxes(a, p) && !inBoxes(b, p));
        expect(set.isEmpty).toBe(bruteEmpty);
        const w = set.sample();
        if (bruteEmpty) expect(w).toBeUndefined();
        else expect(inBoxes(a, w!) && !inBoxes(b, w!)).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('the form is canonical: equal sets built differently compare equal', () => {
    fc.assert(
      fc.property(boxesArb, boxesArb, (a, b) => {
        const x = toSet(a);
        const y = toSet(b);
        expect(x.union(y).equals(y.union(x))).toBe(true);
        expect(x.subtract(y).union(x.intersect(y)).equals(x)).toBe(true);
        expect(x.union(y).subtract(y).equals(x.subtract(y))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });

  it('a witness comes from a preferred source set when the set has one there', () => {
    fc.assert(
      fc.property(boxesArb, ivArb, (a, pref) => {
        const set = toSet(a);
        const preferred = AddressSet.of([AddressRange.of(4, pref.lo, pref.hi), AddressRange.of(6, pref.lo, pref.hi)]);
        const w = set.sample({ sources: [preferred] });
        const possible = [...grid()].some((p) => inBoxes(a, p) && inIv(pref, Number(p.source)));
        if (possible) expect(inIv(pref, Number(w!.source))).toBe(true);
      }),
      { numRuns: 150 },
    );
  });
});

describe('evaluators against brute force', () => {
  const verdictArb = fc.constantFrom<'allow' | 'deny' | 'undecidable'>('allow', 'deny', 'undecidable');
  const rulesArb = fc.array(fc.record({ boxes: fc.array(boxArb, { minLength: 1, maxLength: 2 }), verdict: verdictArb }), { maxLength: 5 });
  const toRules = (rs: { boxes: Box[]; verdict: 'allow' | 'deny' | 'undecidable' }[]): PolicyRule[] =>
    rs.map((r, k) => ({ space: toSet(r.boxes), verdict: r.verdict, rule: { export: 'x', line: k + 1, text: `r${k}` }, reason: `rule ${k}` }));
  const firstVerdict = (rs: { boxes: Box[]; verdict: string }[], fallback: string, p: Packet) => rs.find((r) => inBoxes(r.boxes, p))?.verdict ?? fallback;
  const verdictAt = (decider: Decider, p: Packet) => {
    const ds = decider(PacketSet.point(p));
    expect(ds.length).toBe(1);
    return ds[0]!.verdict;
  };

  it('firstMatch decides each packet by the first rule holding it, and its decisions partition the query', () => {
    fc.assert(
      fc.property(rulesArb, verdictArb, boxesArb, (rs, fb, q) => {
        const decider = firstMatch(toRules(rs), { verdict: fb, rule: null, reason: 'default' });
        const query = toSet(q);
        const ds = decider(query);
        expect(PacketSet.unionAll(ds.map((d) => d.space)).equals(query)).toBe(true);
        for (const p of grid()) {
          const holding = ds.filter((d) => d.space.contains(p));
          expect(holding.length).toBe(inBoxes(q, p) ? 1 : 0);
          if (holding.length === 1) expect(holding[0]!.verdict).toBe(firstVerdict(rs, fb, p));
        }
      }),
      { numRuns: 60 },
    );
  });

  it('allMustAllow: a deny anywhere is final, else undecidable anywhere stays, else allow', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(rulesArb, verdictArb), { minLength: 1, maxLength: 3 }), (chains) => {
        const deciders = chains.map(([rs, fb]) => firstMatch(toRules(rs), { verdict: fb, rule: null, reason: 'policy' }));
        const all = allMustAllow(deciders);
        let checked = 0;
        for (const p of grid()) {
          if (checked++ % 7 !== 0) continue;
          const each = chains.map(([rs, fb]) => firstVerdict(rs, fb, p));
          const expected = each.includes('deny') ? 'deny' : each.includes('undecidable') ? 'undecidable' : 'allow';
          expect(verdictAt(all, p)).toBe(expected);
        }
      }),
      { numRuns: 40 },
    );
  });
});
