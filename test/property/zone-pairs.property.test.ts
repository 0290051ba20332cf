import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogRevision } from '../../src/catalog/index.js';
import { revisions } from '../../src/catalog/types.js';
import { derivePlan } from '../../src/plan/derive.js';
import type { Flow, Plan } from '../../src/plan/types.js';
import { openingsFrom } from '../../src/plan/openings.js';
import { exactRuleGroups, zonePairs, type RuleGroup, type ZonePair } from '../../src/targets/rules.js';
import { arbDeployment } from '../support/alike-deployments.js';

/*
 * zonePairs takes each pair's openings from the plan's openings (split by zone where an opening's sources are in
 * several). Whatever the deployment, it must give what grouping each pair's own flows does: the reference below is
 * the way zone pairs were computed before, flow by flow.
 */

function referencePairs(plan: Plan, includeSameZone: boolean): ZonePair[] {
  const byPair = new Map<string, Map<string, Flow[]>>();
  for (const f of plan.flows) {
    if (!includeSameZone && f.source.zone === f.destination.zone) continue;
    let byDestination = byPair.get(f.source.zone);
    if (!byDestination) byPair.set(f.source.zone, (byDestination = new Map<string, Flow[]>()));
    byDestination.set(f.destination.zone, [...(byDestination.get(f.destination.zone) ?? []), f]);
  }
  const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  return [...byPair.entries()]
    .sort(([a], [b]) => byText(a, b))
    .flatMap(([sourceZone, byDestination]) =>
      [...byDestination.entries()].sort(([a], [b]) => byText(a, b)).map(([destinationZone, flows]) => ({ sourceZone, destinationZone, groups: exactRuleGroups(flows) })),
    );
}

const groupShown = (g: RuleGroup) => ({
  protocol: g.protocol,
  ports: g.ports && [g.ports.from, g.ports.to],
  phase: g.phase,
  sources: g.sources.map((e) => e.name),
  destinations: g.destinations.map((e) => e.name),
  sourceAddresses: g.sourceAddresses.toCidrs(),
  destinationAddresses: g.destinationAddresses.toCidrs(),
  rows: g.rows,
  sourceRoles: g.sourceRoles,
  destinationRoles: g.destinationRoles,
  flows: g.flows.map((f) => f.id),
});
const pairsShown = (pairs: readonly ZonePair[]) => pairs.map((p) => ({ from: p.sourceZone, to: p.destinationZone, groups: p.groups.map(groupShown) }));

describe.each(revisions)('zonePairs, catalog %s', (revision) => {
  it("equal each pair's flows grouped afresh, with and without same-zone pairs, by class or host by host", () => {
    let pairs = 0;
    let crossing = 0;
    fc.assert(
      fc.property(arbDeployment(revision, { oddNames: true }), fc.boolean(), fc.boolean(), (d, classes, includeSameZone) => {
        const plan = derivePlan(d, catalogRevision(d.catalog), { classes });
        const expected = pairsShown(referencePairs(plan, includeSameZone));
        expect(pairsShown(zonePairs(plan, { includeSameZone }))).toEqual(expected);
        pairs += expected.length;
        crossing += expected.filter((p) => p.from !== p.to).length;
      }),
      { numRuns: 150 },
    );
    expect(crossing, 'the generator makes flows that cross zones').toBeGreaterThan(100);
    expect(pairs).toBeGreaterThan(crossing);
  });
});

/** Rule groups as a partition of openings: those with the same ports, phase and list of source names together. */
function referenceGroupKeys(flows: readonly Flow[]): string[] {
  const byKey = new Map<string, { head: object; destinations: Set<string> }>();
  for (const o of openingsFrom(flows)) {
    const sources = o.sourceEndpoints.map((e) => e.name);
    const key = JSON.stringify([o.protocol, o.ports && [o.ports.from, o.ports.to], o.installOnly, sources]);
    const entry = byKey.get(key) ?? { head: { protocol: o.protocol, ports: o.ports && [o.ports.from, o.ports.to], phase: o.installOnly ? 'install' : 'always', sources }, destinations: new Set<string>() };
    entry.destinations.add(o.destination.name);
    byKey.set(key, entry);
  }
  return [...byKey.values()].map((e) => JSON.stringify({ ...e.head, destinations: [...e.destinations].sort() })).sort();
}

describe.each(revisions)('exactRuleGroups, catalog %s', (revision) => {
  it('merge exactly the openings with the same ports, phase and source names', () => {
    let merged = 0;
    fc.assert(
      fc.property(arbDeployment(revision, { oddNames: true }), fc.boolean(), (d, classes) => {
        const plan = derivePlan(d, catalogRevision(d.catalog), { classes });
        const groups = exactRuleGroups(plan.flows);
        const shown = groups.map((g) => JSON.stringify({ protocol: g.protocol, ports: g.ports && [g.ports.from, g.ports.to], phase: g.phase, sources: g.sources.map((e) => e.name), destinations: g.destinations.map((e) => e.name) })).sort();
        expect(shown).toEqual(referenceGroupKeys(plan.flows));
        merged += groups.filter((g) => g.destinations.length > 1).length;
      }),
      { numRuns: 150 },
    );
    expect(merged, 'groups that merge several destinations').toBeGreaterThan(50);
  });
});
