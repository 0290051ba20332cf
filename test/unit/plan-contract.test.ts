import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPlan, InvalidPlanError, parsePlan, planJson, planJsonNormalized } from '../../src/plan/contract.js';
import { normalizedPlanJsonSchema, planJsonSchema, planSchema } from '../../src/plan/schema.js';
import type { Plan } from '../../src/plan/types.js';
import { UserError } from '../../src/topology/errors.js';
import { scenarioNames, scenarioPlan } from '../support/scenarios.js';

const repo = join(import.meta.dirname, '..', '..');

describe('the plan contract (format scomfw-plan, version 1)', () => {
  it.each([
    ['plan.schema.json', planJsonSchema],
    ['plan-normalized.schema.json', normalizedPlanJsonSchema],
  ] as const)('schema/%s is generated from the zod schema (UPDATE_SCHEMA=1 rewrites it)', (file, make) => {
    const path = join(repo, 'schema', file);
    const generated = `${JSON.stringify(make(), null, 2)}\n`;
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(path, generated);
    expect(readFileSync(path, 'utf8')).toBe(generated);
  });

  it.each(scenarioNames)('%s: derivePlan satisfies the schema, and both JSON forms read back to the same plan', (name) => {
    const plan = scenarioPlan(name);
    expect(planSchema.safeParse(plan).success).toBe(true);
    const full = planJson(plan);
    const normalized = planJsonNormalized(plan);
    expect(JSON.parse(full)).toMatchObject({ format: 'scomfw-plan', version: 1 });
    expect(JSON.parse(normalized)).toMatchObject({ format: 'scomfw-plan-normalized', version: 1 });
    for (const text of [full, normalized]) {
      const back = parsePlan(text, name);
      expect(back).toEqual(plan);
      expect(planJson(back)).toBe(full);
      // Flows share the endpoint objects of hosts, as derivePlan's do (the openings' caches rely on identity).
      const hosts = new Map(back.hosts.map((h) => [h.name, h]));
      for (const f of back.flows) expect(hosts.get(f.source.name)).toBe(f.source);
    }
    expect(normalized.length).toBeLessThan(full.length);
  });

  const minimal = () => JSON.parse(planJson(scenarioPlan('minimal'))) as { version: number; flows: { ports: unknown; source: { zone: string } }[] };

  it.each([
    ['not JSON', () => '{', /not JSON/],
    ['another version', () => ({ ...minimal(), version: 2 }), /version/],
    ['port 0', () => { const p = minimal(); p.flows[0]!.ports = { from: 0, to: 0 }; return p; }, /flows\[0\]\.ports\.from/],
    ['reversed range', () => { const p = minimal(); p.flows[0]!.ports = { from: 9, to: 8 }; return p; }, /flows\[0\]\.ports/],
    ['a flow that redefines its host', () => { const p = minimal(); p.flows[0]!.source.zone = 'elsewhere'; return p; }, /flows\[0\]\.source: differs from the host of that name/],
  ])('refuses %s with a UserError that points into the JSON', (_what, input, message) => {
    const run = () => parsePlan(input(), 'plan.json');
    expect(run).toThrow(UserError);
    expect(run).toThrow(message);
  });

  it('a normalised flow naming no host is refused', () => {
    const p = JSON.parse(planJsonNormalized(scenarioPlan('minimal'))) as { flows: { destination: string }[] };
    p.flows[0]!.destination = 'nosuch';
    expect(() => parsePlan(p, 'n.json')).toThrow(/flows\[0\]\.destination: no host named "nosuch"/);
  });

  it('checkPlan passes trusted plans untouched and refuses a hand-built plan that breaks the schema as a bug', () => {
    const plan = scenarioPlan('minimal');
    expect(checkPlan(plan)).toBe(plan);
    const broken: Plan = { ...plan, flows: plan.flows.map((f, i) => (i === 0 ? { ...f, protocol: 'sctp' as 'tcp' } : f)) };
    expect(() => checkPlan(broken)).toThrow(InvalidPlanError);
    expect(() => checkPlan(broken)).not.toThrow(UserError);
  });
});

describe('address sets handed from the loader to the targets', () => {
  it.each(scenarioNames)('in %s, every endpoint\'s set is the set its address texts parse to', async (name) => {
    const { addressSetOf } = await import('../../src/plan/openings.js');
    const { AddressSet } = await import('../../src/net/address-set.js');
    const plan = scenarioPlan(name);
    for (const e of plan.hosts) expect(addressSetOf(e).equals(AddressSet.parse(e.addresses)), e.name).toBe(true);
  });
});
