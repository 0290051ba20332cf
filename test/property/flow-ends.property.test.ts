import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogRevision } from '../../src/catalog/index.js';
import { revisions } from '../../src/catalog/types.js';
import { derivePlan } from '../../src/plan/derive.js';
import { flowEnds } from '../../src/plan/expand.js';
import type { Plan } from '../../src/plan/types.js';
import { arbDeployment } from '../support/alike-deployments.js';

/*
 * flowEnds reads each class's outgoing list once instead of every flow. Whatever the deployment, its sets must be
 * exactly the names of the plan's flows' sources and destinations, for a plan of classes (read before its flows
 * are built) and for one planned host by host.
 */

const namesOf = (plan: Plan, end: 'source' | 'destination'): string[] => [...new Set(plan.flows.map((f) => f[end].name))].sort();
const sorted = (set: ReadonlySet<string>): string[] => [...set].sort();

describe.each(revisions)('flowEnds, catalog %s', (revision) => {
  it('names exactly the hosts that start and that accept a flow', () => {
    let nonEmpty = 0;
    fc.assert(
      fc.property(arbDeployment(revision, { oddNames: true }), fc.constantFrom('install', 'operate'), (d, phase) => {
        for (const classes of [true, false]) {
          const plan = derivePlan({ ...d, phase }, catalogRevision(d.catalog), { classes });
          const ends = flowEnds(plan);
          if (classes) expect(typeof Object.getOwnPropertyDescriptor(plan, 'flows')?.get, 'read from the classes, not the flows').toBe('function');
          expect(sorted(ends.sources)).toEqual(namesOf(plan, 'source'));
          expect(sorted(ends.destinations)).toEqual(namesOf(plan, 'destination'));
          if (ends.destinations.size > 0) nonEmpty++;
        }
      }),
      { numRuns: 150 },
    );
    expect(nonEmpty, 'the generator makes plans with flows').toBeGreaterThan(100);
  });
});
