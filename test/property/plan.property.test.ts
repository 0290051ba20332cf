import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogRevision } from '../../src/catalog/index.js';
import type { Role } from '../../src/catalog/roles.js';
import { features, revisions, type Revision } from '../../src/catalog/types.js';
import { derivePlan } from '../../src/plan/derive.js';
import { planJson } from '../../src/plan/format.js';
import { addressSetOf, openingsOf, uniqueByName } from '../../src/plan/openings.js';
import { planSchema } from '../../src/plan/schema.js';
import { exactRuleGroups, type RuleGroup } from '../../src/targets/rules.js';
import { AddressSet } from '../../src/net/address-set.js';
import type { Deployment, Host } from '../../src/topology/types.js';
import type { Endpoint } from '../../src/plan/types.js';
import { deployment, host } from '../support/build.js';

/** Relationship targets must name hosts of the right role, as the loader enforces. */
function arbDeployment(revision: Revision): fc.Arbitrary<Deployment> {
  const roles = catalogRevision(revision).roles;
  const hostSpec = fc.record({
    roles: fc.uniqueArray(fc.constantFrom(...roles), { minLength: 1, maxLength: 3 }),
    sqlBrowser: fc.boolean(),
    push: fc.boolean(),
    tls: fc.boolean(),
    port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
    relations: fc.array(fc.nat(), { maxLength: 3 }),
  });
  return fc
    .record({
      specs: fc.array(hostSpec, { minLength: 1, maxLength: 14 }),
      connected: fc.nat({ max: 2 }),
      phase: fc.constantFrom('install' as const, 'operate' as const),
      on: fc.subarray([...features]),
    })
    .map(({ specs, connected, phase, on }) => {
      const names = specs.map((_, i) => `h${i}`);
      const rolesOf = (i: number) => specs[i]!.roles as readonly Role[];
      const pick = (nums: number[], want: readonly Role[]) => {
        const picked = [...new Set(nums.map((n) => n % names.length))].filter((i) => rolesOf(i).some((r) => want.includes(r)));
        return picked.length ? picked.map((i) => names[i]!) : undefined;
      };
      const hosts: Host[] = specs.map((s, i) => {
        const r = s.roles;
        const sql = r.some((x) => x === 'operational-database' || x === 'data-warehouse' || x === 'acs-database');
        const reportsTo = r.some((x) => x === 'agent' || x === 'unix-agent') ? pick(s.relations, ['management-server', 'gateway']) : r.includes('gateway') || r.includes('network-device') ? pick(s.relations, ['management-server']) : undefined;
        return host(names[i]!, r, {
          sqlBrowser: revision === '2024-11' && sql && s.sqlBrowser,
          webConsoleTls: r.includes('web-console-server') && s.tls,
          ...(r.includes('agent') && s.push && revision === '2024-11' ? { install: 'push' as const } : {}),
          ...(sql && s.port ? { ports: { sqlPort: s.port } } : {}),
          ...(reportsTo ? { reportsTo: reportsTo.filter((n) => n !== names[i]) } : {}),
        });
      });
      const cms = Array.from({ length: connected }, (_, i) => host(`c${i}`, ['management-server']));
      return deployment(hosts, { catalog: revision, phase, features: revision === '2024-11' ? on : [], connected: cms });
    });
}

const planOf = (d: Deployment) => derivePlan(d, catalogRevision(d.catalog));

describe.each(revisions)('planner properties, catalog %s', (revision) => {
  it('openings partition the flows: each flow in exactly one, each opening exactly the union of its flows', () => {
    fc.assert(
      fc.property(arbDeployment(revision), (d) => {
        const plan = planOf(d);
        // derivePlan's output is trusted by the registry (checkPlan skips it): it must satisfy the plan schema.
        expect(planSchema.safeParse(plan).success).toBe(true);
        const { all, into } = openingsOf(plan);
        const seen = new Map<string, number>();
        for (const o of all) {
          expect(o.flowIds).toEqual(o.flows.map((f) => f.id));
          for (const f of o.flows) {
            seen.set(f.id, (seen.get(f.id) ?? 0) + 1);
            expect(f.destination).toBe(o.destination);
            expect([f.protocol, f.ports, f.phase === 'install']).toEqual([o.protocol, o.ports, o.installOnly]);
          }
          const names = o.flows.map((f) => f.source.name);
          expect(o.sourceEndpoints.map((e) => e.name)).toEqual([...new Set(names)].sort());
          expect(names.length).toBe(new Set(names).size);
          expect(o.sources.equals(AddressSet.unionAll(o.flows.map((f) => addressSetOf(f.source))))).toBe(true);
          expect(o.destinations.equals(addressSetOf(o.destination))).toBe(true);
        }
        expect([...seen.keys()].sort()).toEqual(plan.flows.map((f) => f.id).sort());
        expect([...seen.values()].every((n) => n === 1)).toBe(true);
        for (const h of plan.hosts) expect(into(h.name)).toEqual(all.filter((o) => o.destination.name === h.name));
        const keys = all.map((o) => `${o.destination.name}|${o.protocol}|${o.ports?.from}-${o.ports?.to}|${o.installOnly}`);
        expect(new Set(keys).size).toBe(keys.length);
      }),
      { numRuns: 150 },
    );
  });


  it('no flow names a host that is not in the deployment', () => {
    fc.assert(
      fc.property(arbDeployment(revision), (d) => {
        const names = new Set([...d.hosts, ...d.connectedGroups.flatMap((g) => g.managementServers)].map((h) => h.name));
        for (const f of planOf(d).flows) {
          expect(names.has(f.source.name)).toBe(true);
          expect(names.has(f.destination.name)).toBe(true);
          expect(f.source.name).not.toBe(f.destination.name);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('adding a host never removes another host\'s flow', () => {
    fc.assert(
      fc.property(arbDeployment(revision), fc.uniqueArray(fc.constantFrom(...catalogRevision(revision).roles), { minLength: 1, maxLength: 3 }), (d, roles) => {
        const before = new Set(planOf(d).flows.map((f) => f.id));
        const after = new Set(planOf({ ...d, hosts: [...d.hosts, host('zz-new', roles)] }).flows.map((f) => f.id));
        for (const id of before) expect(after.has(id), id).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('every operate flow is in install, with the same rows', () => {
    fc.assert(
      fc.property(arbDeployment(revision), (d) => {
        const install = new Map(planOf({ ...d, phase: 'install' }).flows.map((f) => [f.id, f]));
        const operate = planOf({ ...d, phase: 'operate' }).flows;
        for (const f of operate) {
          expect(f.phase).toBe('always');
          expect(install.get(f.id)?.rows).toEqual(f.rows);
        }
        expect(operate.length).toBe([...install.values()].filter((f) => f.phase === 'always').length);
      }),
      { numRuns: 200 },
    );
  });

  it('rule groups are exact (sources x destinations = the flows grouped) and do not depend on shared endpoint objects', () => {
    const view = (groups: readonly RuleGroup[]) =>
      groups.map((g) => ({ ...g, sources: g.sources.map((e) => e.name), destinations: g.destinations.map((e) => e.name), sourceAddresses: g.sourceAddresses.toCidrs(), destinationAddresses: g.destinationAddresses.toCidrs(), flows: g.flows.map((f) => f.id) }));
    fc.assert(
      fc.property(arbDeployment(revision), (d) => {
        const plan = planOf(d);
        const groups = exactRuleGroups(plan.flows);
        for (const g of groups) {
          const pairs = new Set(g.flows.map((f) => `${f.source.name}>${f.destination.name}`));
          expect(pairs.size).toBe(g.flows.length);
          expect(g.sources.length * g.destinations.length).toBe(g.flows.length);
        }
        // Every flow with endpoint objects of its own (a hand-built plan): the merge takes the general path.
        const copied = plan.flows.map((f) => ({ ...f, source: { ...f.source }, destination: { ...f.destination } }));
        expect(view(exactRuleGroups(copied))).toEqual(view(groups));
      }),
      { numRuns: 150 },
    );
  });

  it('is deterministic: the same input gives the same bytes, host order does not change flows, ids are unique', () => {
    fc.assert(
      fc.property(arbDeployment(revision), (d) => {
        const a = planOf(d);
        expect(new Set(a.flows.map((f) => f.id)).size).toBe(a.flows.length);
        expect(planJson(planOf(d))).toBe(planJson(a));
        const reversed = planOf({ ...d, hosts: [...d.hosts].reverse() });
        expect(JSON.stringify(reversed.flows)).toBe(JSON.stringify(a.flows));
        expect(JSON.stringify(reversed.hosts)).toBe(JSON.stringify(a.hosts));
      }),
      { numRuns: 100 },
    );
  });
});

describe('uniqueByName', () => {
  // The model: a map keeps the last endpoint of each name; the result is sorted by code point.
  const model = (list: readonly Endpoint[]): Endpoint[] => [...new Map(list.map((e) => [e.name, e])).values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const endpoint: fc.Arbitrary<Endpoint> = fc
    .string({ unit: fc.constantFrom('a', 'b', 'B', 'é', '1', '.', '\u{1F600}'), maxLength: 4 })
    .map((name) => ({ name, roles: [], addresses: [], zone: 'z', os: 'windows' }));

  it('keeps the last endpoint of each name, sorted, for any list (the already-sorted fast path included)', () => {
    fc.assert(
      fc.property(fc.array(endpoint, { maxLength: 30 }), fc.boolean(), (list, presort) => {
        const input = presort ? model(list) : list;
        const got = uniqueByName(input);
        const want = model(input);
        expect(got.map((e) => e.name)).toEqual(want.map((e) => e.name));
        got.forEach((e, i) => { expect(e).toBe(want[i]); });
        expect(got).not.toBe(input);
      }),
      { numRuns: 500 },
    );
  });
});
