import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogRevision } from '../../src/catalog/index.js';
import { revisions } from '../../src/catalog/types.js';
import { derivePlan } from '../../src/plan/derive.js';
import { planChunks, planFormats, shortenedNotice } from '../../src/plan/format.js';
import type { Plan } from '../../src/plan/types.js';
import type { Deployment } from '../../src/topology/types.js';
import { arbDeployment } from '../support/alike-deployments.js';
import { referencePlanText } from '../support/plan-reference.js';

/*
 * `scomfw plan` writes every format from the plan's classes (a class's rows rendered once, each member's name,
 * addresses and ids stamped in) and in chunks. Whatever the deployment, the chunks joined must be, byte for byte,
 * what the straightforward formatter (test/support/plan-reference.ts) writes flow by flow from the plan planned
 * host by host; and a plan planned host by host (or read from a file) must print as before too.
 */

const byClass = (d: Deployment): Plan => derivePlan(d, catalogRevision(d.catalog));
const byHost = (d: Deployment): Plan => derivePlan(d, catalogRevision(d.catalog), { classes: false });
const joined = (chunks: Iterable<string>): string => [...chunks].join('');

describe.each(revisions)('the plan formats written from classes, catalog %s', (revision) => {
  it('equal the per-flow formatter on the plan planned host by host, in every format, without building per-host flows', () => {
    let shortened = 0;
    let classed = 0;
    fc.assert(
      fc.property(arbDeployment(revision, { oddNames: true }), fc.integer({ min: 1, max: 3000 }), (d, chunkSize) => {
        const expected = byHost(d);
        const plan = byClass(d);
        for (const format of planFormats) {
          // Small chunks too, so that rows meet chunk ends (the CLI's are 64 Ki).
          expect(joined(planChunks(plan, format, { chunkSize }))).toBe(referencePlanText(expected, format));
          expect(joined(planChunks(plan, format))).toBe(referencePlanText(expected, format));
          expect(joined(planChunks(expected, format, { chunkSize }))).toBe(referencePlanText(expected, format));
        }
        // Written from the classes: the plan's flows and hosts are still unbuilt (their getters).
        expect(typeof Object.getOwnPropertyDescriptor(plan, 'flows')?.get).toBe('function');
        expect(typeof Object.getOwnPropertyDescriptor(plan, 'hosts')?.get).toBe('function');
        // Every derived plan's first note (the catalog's title) is cut, so its table always ends with the notice;
        // a plan read from a file may have short notes, where only a cut name calls for it.
        const quiet: Plan = { ...expected, notes: [] };
        expect(joined(planChunks(quiet, 'table', { chunkSize }))).toBe(referencePlanText(quiet, 'table'));
        if (referencePlanText(quiet, 'table').includes(shortenedNotice)) shortened++;
        if (expected.hosts.length > new Set(expected.hosts.map((h) => JSON.stringify({ ...h, name: '', addresses: [] }))).size) classed++;
      }),
      { numRuns: 250 },
    );
    // The generator must reach cut names and alike hosts, or the stamping of either would go untested.
    expect(shortened).toBeGreaterThan(50);
    expect(classed).toBeGreaterThan(100);
  });
});
