import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importScom } from '../../src/import/index.js';
import { AddressSet } from '../../src/net/address-set.js';
import { loadDeployment, UserError } from '../../src/topology/index.js';

/**
 * Grouping is an algebra over agents: every agent lands in exactly one entry, with its own servers, and the entries'
 * addresses are exactly the agents' addresses (never wider). A second import of the same export over the file it
 * wrote changes nothing.
 */

const servers = ['ms01.lab.example', 'ms02.lab.example', 'ms03.lab.example', 'gw01.lab.example'];

const agentArb = fc.record({
  // A small address space, so that neighbours, duplicates of blocks and gaps all happen.
  v4: fc.integer({ min: 0, max: 300 }),
  v6: fc.option(fc.integer({ min: 0, max: 40 }), { nil: undefined }),
  primary: fc.integer({ min: 0, max: 3 }),
  failover: fc.subarray([0, 1, 2]),
});

function exportOf(agents: readonly { v4: number; v6: number | undefined; primary: number; failover: number[] }[]): string {
  const unique = new Map<number, (typeof agents)[number]>();
  for (const a of agents) unique.set(a.v4, a);
  const list = [...unique.values()].map((a, i) => ({
    name: `agent${i}.lab.example`,
    addresses: [`10.9.${a.v4 >> 8}.${a.v4 & 255}`, ...(a.v6 === undefined ? [] : [`fd00:9::${(a.v6 + i * 64).toString(16)}`])],
    primary: servers[a.primary]!,
    failover: a.failover.map((f) => servers[f]!).filter((f) => f !== servers[a.primary]),
  }));
  return JSON.stringify({
    format: 'scomfw-scom-export', version: 1, exportedAt: '2026-11-30T09:15:00Z', exportedFrom: servers[0], exporter: 'property', managementGroup: 'LAB',
    managementServers: servers.slice(0, 3).map((name, i) => ({ name, addresses: [`10.0.0.${i + 1}`] })),
    gateways: [{ name: servers[3], addresses: ['10.0.0.9'], primary: servers[0], failover: [] }],
    agents: list, unixAgents: [], resourcePools: [], networkDevices: [], databases: [], reportingServers: [], webConsoleServers: [], acsCollectors: [], notes: [],
  });
}

describe('import grouping (property)', () => {
  it('each agent is in exactly one entry with its servers; entries cover exactly the agents; a re-import is a fixpoint', () => {
    fc.assert(
      fc.property(fc.array(agentArb, { minLength: 1, maxLength: 60 }), (agents) => {
        const text = exportOf(agents);
        const exported = JSON.parse(text) as { agents: { name: string; addresses: string[]; primary: string; failover: string[] }[] };
        const result = importScom(text, 'e.json');
        const d = loadDeployment(result.yaml, 'out.yaml');
        const groups = d.hosts.filter((h) => h.roles.includes('agent'));
        for (const a of exported.agents) {
          const own = AddressSet.parse(a.addresses);
          const holders = groups.filter((g) => g.addresses.union(own).equals(g.addresses));
          expect(holders).toHaveLength(1);
          expect(holders[0]!.reportsTo).toEqual([a.primary, ...a.failover]);
        }
        const all = AddressSet.unionAll(exported.agents.map((a) => AddressSet.parse(a.addresses)));
        expect(AddressSet.unionAll(groups.map((g) => g.addresses)).equals(all)).toBe(true);
        const total = groups.reduce((n, g) => n + g.addresses.count(4) + g.addresses.count(6), 0n);
        expect(total).toBe(all.count(4) + all.count(6));
        const again = importScom(text, 'e.json', { text: result.yaml, file: 'out.yaml' });
        expect(again.yaml).toBe(result.yaml);
        expect(again.changes).toEqual({ added: [], removed: [], moved: [], differs: [] });
      }),
      { numRuns: 60 },
    );
  });
});

describe('import of damaged exports (property)', () => {
  const base = JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'import', 'contoso-export.json'), 'utf8')) as Record<string, unknown>;

  /** Every path into the export: keys of objects and indexes of lists. */
  function paths(value: unknown, prefix: (string | number)[] = []): (string | number)[][] {
    if (Array.isArray(value)) return [prefix, ...value.flatMap((v, i) => paths(v, [...prefix, i]))];
    if (value !== null && typeof value === 'object') return [prefix, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
    return [prefix];
  }
  const all = paths(base).filter((p) => p.length > 0);

  function damaged(path: (string | number)[], replacement: unknown, remove: boolean): unknown {
    const copy = structuredClone(base) as Record<string | number, unknown>;
    let node = copy;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
    const last = path[path.length - 1]!;
    if (remove) {
      if (Array.isArray(node)) node.splice(Number(last), 1);
      else Reflect.deleteProperty(node, last);
    } else node[last] = replacement;
    return copy;
  }

  it('a changed or removed value gives a user error with its JSON path, or a file that validates; never anything else', () => {
    fc.assert(
      fc.property(fc.constantFrom(...all), fc.jsonValue({ maxDepth: 2 }), fc.boolean(), (path, replacement, remove) => {
        const text = JSON.stringify(damaged(path, replacement, remove));
        try {
          const out = importScom(text, 'e.json');
          expect(() => loadDeployment(out.yaml, 'out.yaml')).not.toThrow();
        } catch (e) {
          expect(e).toBeInstanceOf(UserError);
          expect((e as UserError).format()).toMatch(/^e\.json: /);
        }
      }),
      { numRuns: 400 },
    );
  });
});
