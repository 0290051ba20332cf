import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogRevision } from '../../src/catalog/index.js';
import { revisions } from '../../src/catalog/types.js';
import { derivePlan } from '../../src/plan/derive.js';
import { compareText } from '../../src/plan/order.js';
import type { Flow, Plan } from '../../src/plan/types.js';
import { forwardSubjects } from '../../src/targets/linux/rulesets.js';
import { exactRuleGroups, ruleGroupsOf, zonePairs, type RuleGroup } from '../../src/targets/rules.js';
import { arbDeployment } from '../support/alike-deployments.js';

/*
 * The Linux zone-pair rulesets (nftables, iptables) take their openings from the plan's openings, cut down to the
 * flows that cross between the pair's zones, instead of opening the pair's flows again (src/targets/linux/rulesets.ts,
 * crossingOpenings). Their rule groups must be those that grouping the pair's flows gives, as it did before: the
 * same pairs in the same order, the same groups with the same sources, destinations, addresses, rows and roles.
 * The deployments have hosts in zones core, branch and elsewhere, so that there are several pairs and all-zones, and
 * destinations that accept flows from their own zone and from others.
 */

/** The zone-pair subjects as they were made from the flows: zonePairs, both directions merged, then all-zones. */
function subjectsFromFlows(plan: Plan): { stem: string; title: string; groups: RuleGroup[] }[] {
  const byPair = new Map<string, { zones: [string, string]; flows: Flow[] }>();
  for (const pair of zonePairs(plan)) {
    const zones = [pair.sourceZone, pair.destinationZone].sort(compareText) as [string, string];
    const stem = `${zones[0]}--${zones[1]}`;
    const entry = byPair.get(stem) ?? { zones, flows: [] };
    for (const g of pair.groups) entry.flows.push(...g.flows);
    byPair.set(stem, entry);
  }
  const subjects = [...byPair.entries()].map(([stem, { zones, flows }]) => ({ stem, title: `firewall between zones ${zones[0]} and ${zones[1]}`, flows }));
  const all = subjects.length < 2 ? subjects : [...subjects, { stem: 'all-zones', title: 'firewall joining every zone', flows: subjects.flatMap((s) => s.flows) }];
  return all.map(({ stem, title, flows }) => ({ stem, title, groups: exactRuleGroups(flows) }));
}

/** A group as the rulesets read it: the flows as a set (their order inside a group is not read by any target). */
function comparable(g: RuleGroup) {
  return {
    protocol: g.protocol,
    ports: g.ports?.toString() ?? null,
    phase: g.phase,
    sources: g.sources.map((e) => e.name),
    destinations: g.destinations.map((e) => e.name),
    sourceAddresses: g.sourceAddresses.ranges().map(String),
    destinationAddresses: g.destinationAddresses.ranges().map(String),
    rows: g.rows,
    sourceRoles: g.sourceRoles,
    destinationRoles: g.destinationRoles,
    flows: g.flows.map((f) => f.id).sort(),
  };
}

describe.each(revisions)('Linux zone-pair rule groups from the plan openings, catalog %s', (revision) => {
  it('are the groups of the pair flows: same pairs in order, same groups', () => {
    let pairsSeen = 0;
    let allZonesSeen = 0;
    fc.assert(
      fc.property(arbDeployment(revision), (d) => {
        const plan = derivePlan(d, catalogRevision(d.catalog));
        const expected = subjectsFromFlows(plan);
        const actual = forwardSubjects(plan).map(({ stem, title, openings }) => ({ stem, title, groups: ruleGroupsOf(openings) }));
        expect(actual.map((s) => [s.stem, s.title])).toEqual(expected.map((s) => [s.stem, s.title]));
        actual.forEach((s, i) => {
          expect(s.groups.map(comparable)).toEqual(expected[i]!.groups.map(comparable));
        });
        pairsSeen += actual.length;
        if (actual.some((s) => s.stem === 'all-zones')) allZonesSeen++;
      }),
      { numRuns: 300 },
    );
    // The generator must make zone pairs, and more than one pair (all-zones) in some runs.
    expect(pairsSeen).toBeGreaterThan(100);
    expect(allZonesSeen).toBeGreaterThan(20);
  });
});
