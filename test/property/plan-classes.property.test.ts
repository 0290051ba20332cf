import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogRevision } from '../../src/catalog/index.js';
import { revisions } from '../../src/catalog/types.js';
import { hostClasses } from '../../src/plan/classes.js';
import { flowCounts } from '../../src/plan/counts.js';
import { derivePlan } from '../../src/plan/derive.js';
import { formatPlan, planJson } from '../../src/plan/format.js';
import type { Plan } from '../../src/plan/types.js';
import type { Deployment } from '../../src/topology/types.js';
import { arbDeployment } from '../support/alike-deployments.js';

/*
 * Planning alike hosts once per class (src/plan/classes.ts, src/plan/expand.ts) must give the very plan that
 * pairing host by host gives: the same flows in the same order, the same notes, hosts and closedHosts, the same
 * bytes of JSON, and the same counts for `validate`. The deployments (test/support/alike-deployments.ts) are built
 * to have many alike hosts (copies of a few host shapes) beside hosts that differ in one field, hosts that others
 * name, pools and connected groups.
 */

const byClass = (d: Deployment): Plan => derivePlan(d, catalogRevision(d.catalog));
const byHost = (d: Deployment): Plan => derivePlan(d, catalogRevision(d.catalog), { classes: false });

describe.each(revisions)('planning alike hosts once per class, catalog %s', (revision) => {
  it('gives the plan that pairing host by host gives: flows in order, notes, hosts, closedHosts, counts, bytes', () => {
    let classedRuns = 0;
    let named = 0;
    fc.assert(
      fc.property(arbDeployment(revision), (d) => {
        const classes = hostClasses(d, catalogRevision(d.catalog).rows);
        if (classes.classed > 0) classedRuns++;
        const expected = byHost(d);
        // Counts first: they must come from the classes, before the flows are built.
        const counts = flowCounts(byClass(d));
        expect(counts).toEqual({ flows: expected.flows.length, installOnly: expected.flows.filter((f) => f.phase === 'install').length });
        // The table of a plan nothing has read yet: its sources named by position, without their objects
        // (namedRuns), where the deployment has no connected group, else from the plan's members; with the hosts as
        // generated (put in name order there) and listed in name order (taken as they come).
        expect(formatPlan(byClass(d), 'table')).toBe(formatPlan(expected, 'table'));
        const listed = { ...d, hosts: [...d.hosts].sort((a, b) => (a.name < b.name ? -1 : 1)) };
        if (listed.connectedGroups.length === 0) named++;
        expect(formatPlan(byClass(listed), 'table')).toBe(formatPlan(byHost(listed), 'table'));
        const plan = byClass(d);
        expect(plan).toEqual(expected);
        expect(Object.keys(plan)).toEqual(Object.keys(expected));
        expect(planJson(plan)).toBe(planJson(expected));
        // The table fits the end of each row once per kind of flow (TailCells): the same text as row by row.
        expect(formatPlan(plan, 'table')).toBe(formatPlan(expected, 'table'));
        expect(structuredClone(byClass(d))).toEqual(structuredClone(expected));
        // Flows share the endpoint objects of hosts, as a plan planned host by host does.
        const hosts = new Map(plan.hosts.map((h) => [h.name, h]));
        for (const f of plan.flows) {
          expect(hosts.get(f.source.name)).toBe(f.source);
          expect(hosts.get(f.destination.name)).toBe(f.destination);
        }
      }),
      { numRuns: 500 },
    );
    // The generator must exercise classes, not only hosts of their own, and tables named by position.
    expect(classedRuns).toBeGreaterThan(150);
    expect(named).toBeGreaterThan(100);
  });
});
