/**
 * Issue 8 item 4: rendering is linear in the plan. Measured as work, not time (no timed tests): how many times each
 * target reads an element of `plan.flows`. Filtering every flow once per host (the cause of 124–286 s at 20,000
 * push-installed agents) reads hosts × flows elements, so doubling the agents quadruples the reads; an index read
 * once keeps the reads in step with the plan.
 */
import { describe, expect, it } from 'vitest';
import { generateDeployment, toJson } from '../../bench/generate.js';
import { catalogRevision } from '../../src/catalog/index.js';
import { derivePlan } from '../../src/plan/derive.js';
import type { Plan } from '../../src/plan/types.js';
import { targets } from '../../src/targets/registry.js';
import { loadDeployment } from '../../src/topology/index.js';

/**
 * A plan of `agents` one-host agents, each a destination with flows of its own: Windows agents push-installed, and
 * one in ten a UNIX/Linux agent (so that firewalld, which writes only for Linux hosts, has hosts to write for).
 */
function pushPlan(agents: number): Plan {
  const generated = generateDeployment({ agents, push: true }) as { hosts: Record<string, unknown>[] };
  generated.hosts
    .filter((h) => (h.roles as string[]).includes('agent'))
    .forEach((h, i) => {
      if (i % 10 !== 0) return;
      h.roles = ['unix-agent'];
      delete h.install;
    });
  const deployment = loadDeployment(toJson(generated), 'push.json');
  return derivePlan(deployment, catalogRevision(deployment.catalog));
}

/** The plan with its flows behind a proxy that counts every element read, and the counter. */
function counted(plan: Plan): { plan: Plan; reads: () => number } {
  let reads = 0;
  const flows = new Proxy(plan.flows as Plan['flows'][number][], {
    get(target, key, receiver) {
      if (typeof key === 'string' && /^\d+$/.test(key)) reads++;
      return Reflect.get(target, key, receiver) as unknown;
    },
  });
  return { plan: { ...plan, flows }, reads: () => reads };
}

function flowReads(targetName: string, plan: Plan): number {
  const target = targets.get(targetName)!;
  const c = counted(plan);
  // Rendered whole: a target that refused or failed part-way would read less and pass for linear.
  expect(target.render(c.plan, {}).length, `${targetName} wrote no file`).toBeGreaterThan(0);
  return c.reads();
}

describe('render reads the plan in linear time (issue 8 item 4)', () => {
  const small = pushPlan(150);
  const large = pushPlan(600);

  const flowRatio = large.flows.length / small.flows.length;

  it("the larger plan has several times the flows (the servers' own flows are the same in both)", () => {
    expect(flowRatio).toBeGreaterThan(2.5);
  });

  it.each([...targets.keys()])('%s reads each flow a bounded number of times, however many hosts', (name) => {
    const smallReads = flowReads(name, small);
    const largeReads = flowReads(name, large);
    expect(smallReads, 'the target reads the flows at all').toBeGreaterThan(0);
    // Linear: reads grow with the flows. Quadratic (hosts × flows) would grow with their square.
    expect(largeReads / Math.max(1, smallReads), `${smallReads} reads at ${small.flows.length} flows, ${largeReads} at ${large.flows.length}`).toBeLessThan(1.5 * flowRatio);
    expect(largeReads, `${largeReads} reads of ${large.flows.length} flows`).toBeLessThanOrEqual(20 * large.flows.length);
  });
});
