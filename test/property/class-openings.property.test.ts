import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogRevision } from '../../src/catalog/index.js';
import { revisions } from '../../src/catalog/types.js';
import { derivePlan } from '../../src/plan/derive.js';
import { classOpeningFrom, flowCountOf, flowKindsOf, openingOfFlows, openingsFrom, openingsOf, sourceNamesOf, sourceZonesOf, type Opening } from '../../src/plan/openings.js';
import type { Flow } from '../../src/plan/types.js';
import { exactRuleGroups, flowKindsOfGroup, ruleGroupsOf } from '../../src/targets/rules.js';
import { arbDeployment } from '../support/alike-deployments.js';

/*
 * A plan of classes opens from its classes (src/plan/openings.ts classOpenings), without its flows. Whatever the
 * deployment, each opening must be, field by field and object by object, what opening the plan's own flows gives
 * (openingsFrom(plan.flows), the way every plan was opened before), and the class-level answers (flow counts, kinds
 * of flow, source zones, parts by zone) must be what the flows say. The flows are read only after the openings are
 * made, so the test also sees that making them does not need the flows.
 */

/** An opening as its fields are: endpoints and flows by identity, address sets by value. */
function shown(o: Opening) {
  return {
    destination: o.destination,
    protocol: o.protocol,
    ports: o.ports,
    installOnly: o.installOnly,
    sources: o.sources.toRangeEntries(),
    destinations: o.destinations.toRangeEntries(),
    sourceEndpoints: o.sourceEndpoints,
    flows: o.flows,
    flowIds: o.flowIds,
  };
}

const kindsShown = (flows: readonly Flow[]) => ({
  rows: [...new Set(flows.flatMap((f) => f.rows))].sort(),
  notes: [...new Set(flows.flatMap((f) => f.notes))].sort(),
  sourceRoles: [...new Set(flows.flatMap((f) => f.sourceRoles))].sort(),
  destinationRoles: [...new Set(flows.flatMap((f) => f.destinationRoles))].sort(),
});

function zoneCounts(flows: readonly Flow[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const f of flows) counts.set(f.source.zone, (counts.get(f.source.zone) ?? 0) + 1);
  return counts;
}

describe.each(revisions)('openings of a plan of classes, catalog %s', (revision) => {
  it('are the openings of its flows, and answer for their flows without building them', () => {
    let classOpenings = 0;
    let multiZone = 0;
    fc.assert(
      fc.property(arbDeployment(revision, { oddNames: true }), (d) => {
        const plan = derivePlan(d, catalogRevision(d.catalog));
        const all = openingsOf(plan).all;
        // Read before the flows are: what the targets ask of an opening made from classes.
        const counts = all.map(flowCountOf);
        const kinds = all.map(flowKindsOf);
        const zones = all.map(sourceZonesOf);
        const groups = ruleGroupsOf(all).map(flowKindsOfGroup);
        const names = all.map(sourceNamesOf);
        const ruleGroups = ruleGroupsOf(all);
        const groupNames = ruleGroups.map((g) => g.sourceNames);
        expect('get' in (Object.getOwnPropertyDescriptor(plan, 'flows') ?? {}), 'the plan was not expanded to open it').toBe(true);
        // Nor were the sources' endpoints made: the names and the groups come from the classes.
        all.forEach((o, i) => {
          if (zones[i]) expect('get' in (Object.getOwnPropertyDescriptor(o, 'sourceEndpoints') ?? {}), 'sourceEndpoints made').toBe(true);
        });
        for (const g of ruleGroups) expect('get' in (Object.getOwnPropertyDescriptor(g, 'sources') ?? {}), 'a group made its sources').toBe(true);
        const reference = openingsFrom(plan.flows);
        expect(all.map(shown)).toEqual(reference.map(shown));
        expect(names).toEqual(reference.map((o) => o.sourceEndpoints.map((e) => e.name)));
        expect(groupNames).toEqual(exactRuleGroups(plan.flows).map((g) => g.sources.map((e) => e.name)));
        expect(ruleGroups.map((g) => g.sources.map((e) => e.name))).toEqual(groupNames);
        all.forEach((o, i) => {
          const c = zones[i];
          if (c) classOpenings++;
          expect(counts[i]).toBe(o.flows.length);
          expect(kindsShown(kinds[i]!)).toEqual(kindsShown(o.flows));
          if (!c) return;
          const fromFlows = zoneCounts(o.flows);
          // Each zone once, and exactly the zones the flows come from.
          expect([...c].sort()).toEqual([...fromFlows.keys()].sort());
          if (c.length > 1) multiZone++;
          for (const zone of c) {
            const part = classOpeningFrom(o, (z) => z === zone)!;
            expect(shown(part)).toEqual(shown(c.length === 1 ? o : openingOfFlows(o.flows.filter((f) => f.source.zone === zone))));
            expect(flowCountOf(part)).toBe(fromFlows.get(zone));
          }
          expect(classOpeningFrom(o, () => false)).toBeUndefined();
        });
        expect(groups.map(kindsShown)).toEqual(exactRuleGroups(plan.flows).map((g) => kindsShown(g.flows)));
      }),
      { numRuns: 120 },
    );
    expect(classOpenings, 'openings made from classes').toBeGreaterThan(400);
    expect(multiZone, 'openings with sources in several zones').toBeGreaterThan(20);
  });

  it('are opened from the flows for a plan planned host by host', () => {
    fc.assert(
      fc.property(arbDeployment(revision), (d) => {
        const plan = derivePlan(d, catalogRevision(d.catalog), { classes: false });
        const { all } = openingsOf(plan);
        expect(all.every((o) => sourceZonesOf(o) === undefined)).toBe(true);
        expect(all.map(shown)).toEqual(openingsFrom(plan.flows).map(shown));
        expect(all.map(sourceNamesOf)).toEqual(all.map((o) => o.sourceEndpoints.map((e) => e.name)));
        expect(ruleGroupsOf(all).map((g) => g.sourceNames)).toEqual(exactRuleGroups(plan.flows).map((g) => g.sources.map((e) => e.name)));
      }),
      { numRuns: 30 },
    );
  });
});

describe('an opening made from classes, frozen by its caller', () => {
  it('still gives its flows', () => {
    fc.assert(
      fc.property(arbDeployment('2024-11'), (d) => {
        const plan = derivePlan(d, catalogRevision(d.catalog));
        const frozen = openingsOf(plan).all.map((o) => Object.freeze(o));
        expect(frozen.map((o) => o.flowIds)).toEqual(openingsFrom(plan.flows).map((o) => o.flowIds));
      }),
      { numRuns: 20 },
    );
  });
});
