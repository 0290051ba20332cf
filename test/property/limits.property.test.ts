import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/catalog/roles.js';
import type { Family } from '../../src/net/address.js';
import { AddressSet } from '../../src/net/address-set.js';
import type { Endpoint, Flow, Plan } from '../../src/plan/types.js';
import { aws } from '../../src/targets/cloud/aws.js';
import { azure } from '../../src/targets/cloud/azure.js';
import { destinationSets, type DestinationSet } from '../../src/targets/cloud/destinations.js';
import { azureResourceName } from '../../src/targets/cloud/names.js';
import { UserError } from '../../src/topology/errors.js';
import { endpoint, flow, handPlan, hclResources, type HclResource } from '../unit/targets-cloud-fixtures.js';

// Random plans with 1 to 3,000 source addresses of both families and ports that touch, overlap and nest.
// For AWS and Azure: the platform limits are never exceeded, and for every destination host, protocol and port
// the sources the rules open are exactly the sources the plan gives that host (in the families it has).

const services: readonly Pick<Flow, 'protocol' | 'ports'>[] = [
  { protocol: 'tcp', ports: { from: 135, to: 135 } },
  { protocol: 'tcp', ports: { from: 445, to: 445 } },
  { protocol: 'tcp', ports: { from: 5723, to: 5723 } },
  { protocol: 'tcp', ports: { from: 5724, to: 5724 } },
  { protocol: 'tcp', ports: { from: 5725, to: 5725 } },
  { protocol: 'tcp', ports: { from: 49152, to: 65535 } },
  { protocol: 'tcp', ports: { from: 50000, to: 50000 } },
  { protocol: 'udp', ports: { from: 161, to: 161 } },
  { protocol: 'udp', ports: { from: 1434, to: 1434 } },
  { protocol: 'icmp', ports: null },
];

const v4 = fc.integer({ min: 0, max: 0xffffff }).map((n) => `10.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`);
const v4Prefix = fc.integer({ min: 0, max: 0xffff }).map((n) => `10.${(n >> 8) & 255}.${n & 255}.0/24`);
const v6 = fc.integer({ min: 0, max: 0xffffff }).map((n) => `fd00::${(n >> 16).toString(16)}:${(n & 0xffff).toString(16)}`);
const v6Prefix = fc.integer({ min: 0, max: 0xffff }).map((n) => `fd00:${n.toString(16)}::/64`);
const address = fc.oneof({ weight: 6, arbitrary: v4 }, { weight: 1, arbitrary: v4Prefix }, { weight: 3, arbitrary: v6 }, { weight: 1, arbitrary: v6Prefix });

const destinationAddresses = fc.constantFrom(['10.200.0.1'], ['10.200.0.2', 'fd00:200::2'], ['fd00:200::3'], ['10.201.0.0/28']);
const destinationRoles = fc.constantFrom<Role[]>(['management-server'], ['gateway'], ['agent'], ['management-server', 'acs-collector']);

const plans: fc.Arbitrary<Plan> = fc
  .record({
    sources: fc.array(fc.array(address, { minLength: 1, maxLength: 600 }), { minLength: 1, maxLength: 5 }),
    destinations: fc.array(fc.record({ addresses: destinationAddresses, roles: destinationRoles }), { minLength: 1, maxLength: 4 }),
    picks: fc.array(fc.tuple(fc.subarray([...services.keys()], { minLength: 1 }), fc.boolean()), { minLength: 20, maxLength: 20 }),
  })
  .map(({ sources, destinations, picks }) => {
    const src = sources.map((a, i) => endpoint(`src${i}`, [...new Set(a)]));
    const dst = destinations.map((d, i) => endpoint(`dst${i}`, d.addresses, { roles: d.roles }));
    const flows = dst.flatMap((d, j) =>
      src.flatMap((s, i) => {
        const [chosen = [], install = false] = picks[(i * 5 + j) % picks.length] ?? [];
        return chosen.map((k) => flow(s, d, { ...services[k], phase: install && k % 2 === 0 ? 'install' : 'always' }));
      }),
    );
    return handPlan(flows, 'P');
  });

/** One opening as a rule writes it: a family, protocol, port range (null for ICMP) and source prefixes. */
interface Opening {
  readonly family: Family;
  readonly protocol: string;
  readonly from: number;
  readonly to: number;
  readonly sources: readonly string[];
}

const familyOf = (prefix: string): Family => (prefix.includes(':') ? 6 : 4);

/** The ports to probe: every range end and its neighbours, where what a rule set opens can change. */
function probePorts(flows: readonly Flow[], openings: readonly Opening[]): number[] {
  const ends = [...flows.flatMap((f) => (f.ports ? [f.ports.from, f.ports.to] : [])), ...openings.flatMap((o) => [o.from, o.to])];
  return [...new Set(ends.flatMap((p) => [p - 1, p, p + 1]))].filter((p) => p >= 1 && p <= 65535);
}

/** Every source address the plan lets reach a host's `protocol`/`port` in one family. */
function planned(flows: readonly Flow[], family: Family, protocol: string, port: number): AddressSet {
  const own = flows.filter((f) => f.protocol === protocol && (!f.ports || (f.ports.from <= port && port <= f.ports.to)));
  return AddressSet.unionAll(own.map((f) => AddressSet.parse(f.source.addresses).only(family)));
}

function opened(openings: readonly Opening[], family: Family, protocol: string, port: number): AddressSet {
  const own = openings.filter((o) => o.family === family && o.protocol === protocol && (protocol === 'icmp' || (o.from <= port && port <= o.to)));
  return AddressSet.parse(own.flatMap((o) => o.sources));
}

/** The host gets exactly its planned sources on every protocol and port, and nothing in a family it lacks. */
function expectExact(set: DestinationSet, host: Endpoint, openings: readonly Opening[]): void {
  const flows = set.flows.filter((f) => f.destination.name === host.name);
  for (const family of [4, 6] as const) {
    for (const protocol of ['tcp', 'udp', 'icmp']) {
      for (const port of protocol === 'icmp' ? [0] : probePorts(flows, openings)) {
        const want = set.families.includes(family) ? planned(flows, family, protocol, port) : AddressSet.empty;
        const got = opened(openings, family, protocol, port);
        expect(got.equals(want), `${host.name} IPv${family} ${protocol}/${port}: opened ${got.toCidrs().join(' ')}, planned ${want.toCidrs().join(' ')}`).toBe(true);
      }
    }
  }
}

const ref = (r: HclResource, key: string): string => (r.attributes[key] as { expression: string }).expression;
const text = (r: HclResource, key: string): string => r.attributes[key] as string;

/** The security groups of aws.tf by name, with the openings of their rules. */
function awsGroups(tf: string): Map<string, Opening[]> {
  const resources = hclResources(tf);
  const names = new Map(resources.filter((r) => r.type === 'aws_security_group').map((r) => [`aws_security_group.${r.label}.id`, text(r, 'name')]));
  const groups = new Map([...names.values()].map((n) => [n, [] as Opening[]]));
  for (const r of resources.filter((x) => x.type === 'aws_vpc_security_group_ingress_rule')) {
    const cidr = (r.attributes.cidr_ipv4 ?? r.attributes.cidr_ipv6) as string;
    const protocol = text(r, 'ip_protocol').replace('icmpv6', 'icmp');
    groups.get(names.get(ref(r, 'security_group_id')) ?? '')?.push({ family: familyOf(cidr), protocol, from: r.attributes.from_port as number, to: r.attributes.to_port as number, sources: [cidr] });
  }
  return groups;
}

interface Nsg {
  readonly rules: number;
  readonly destinations: readonly string[];
  readonly destinationCount: number;
  readonly openings: readonly Opening[];
}

/** The network security groups of azure.tf by name, with their rules as openings (one per port range). */
function azureGroups(tf: string): Map<string, Nsg> {
  const resources = hclResources(tf);
  const names = new Map(resources.filter((r) => r.type === 'azurerm_network_security_group').map((r) => [`azurerm_network_security_group.${r.label}.name`, text(r, 'name')]));
  const rules = resources.filter((r) => r.type === 'azurerm_network_security_rule' && !('count' in r.attributes));
  return new Map(
    [...names.entries()].map(([reference, name]) => {
      const own = rules.filter((r) => ref(r, 'network_security_group_name') === reference);
      const openings = own.flatMap((r) => {
        const sources = r.attributes.source_address_prefixes as string[];
        const protocol = text(r, 'protocol').toLowerCase();
        const ranges = protocol === 'icmp' ? ['0'] : (r.attributes.destination_port_ranges as string[]);
        return ranges.map((p) => {
          const [from = 0, to = from] = p.split('-').map(Number);
          return { family: familyOf(sources[0] ?? ''), protocol, from, to, sources };
        });
      });
      const destinations = own.flatMap((r) => r.attributes.destination_address_prefixes as string[]);
      const nsg = { rules: own.length, destinations, destinationCount: destinations.length, openings };
      return [name, nsg] as const;
    }),
  );
}

const meets = (a: AddressSet, b: AddressSet): boolean => !a.intersection(b).isEmpty;

/** The groups written for a set: its name, or its name with a part number, as the cloud's name rules write it. */
function partsOf<T>(groups: ReadonlyMap<string, T>, set: DestinationSet, named: (text: string) => string = (t) => t): T[] {
  return [...groups.entries()].filter(([name]) => Array.from({ length: groups.size }, (_, i) => named(`scom-P-${set.name}${i ? `-${i + 1}` : ''}`)).includes(name)).map(([, g]) => g);
}

describe('cloud limits and exactness on random plans', () => {
  it('random plans reach the quotas: some need several AWS groups for one set', () => {
    const split = fc.sample(plans, { numRuns: 30, seed: 7 }).filter((p) => /-2"/.test(aws.render(p, {})[0]?.content ?? ''));
    expect(split.length).toBeGreaterThan(0);
  });

  it('aws: at most 60 rules per group and family, and every host opens exactly its planned sources', () => {
    fc.assert(
      fc.property(plans, (plan) => {
        const groups = awsGroups(aws.render(plan, {})[0]?.content ?? '');
        for (const openings of groups.values()) {
          for (const family of [4, 6] as const) expect(openings.filter((o) => o.family === family).length).toBeLessThanOrEqual(60);
        }
        for (const set of destinationSets(plan)) {
          const openings = partsOf(groups, set).flat();
          for (const host of set.hosts) expectExact(set, host, openings);
        }
      }),
      { numRuns: 30 },
    );
  });

  it('azure: within 999 rules and 4,000 source and destination addresses per group, exact per host, or a clear refusal', () => {
    fc.assert(
      fc.property(plans, (plan) => {
        let tf: string;
        try {
          tf = azure.render(plan, {})[0]?.content ?? '';
        } catch (e) {
          expect(e).toBeInstanceOf(UserError);
          expect((e as Error).message).toMatch(/in one Azure network security group/);
          return;
        }
        const groups = azureGroups(tf);
        for (const g of groups.values()) {
          expect(g.rules).toBeLessThanOrEqual(999);
          expect(g.openings.reduce((n, o, i, all) => (i > 0 && all[i - 1]?.sources === o.sources ? n : n + o.sources.length), 0)).toBeLessThanOrEqual(4000);
          expect(g.destinationCount).toBeLessThanOrEqual(4000);
        }
        for (const set of destinationSets(plan)) {
          const parts = partsOf(groups, set, azureResourceName);
          const hostsAddresses = AddressSet.unionAll(set.hosts.map((h) => AddressSet.parse(h.addresses)));
          for (const part of parts) expect(AddressSet.parse(part.destinations).difference(hostsAddresses).isEmpty).toBe(true);
          for (const host of set.hosts) {
            // The one part whose rules name this host; a set whose sources can't reach it (other family) has no rule.
            const holding = parts.filter((p) => meets(AddressSet.parse(host.addresses), AddressSet.parse(p.destinations)));
            if (parts.every((p) => p.rules === 0)) expect(holding).toHaveLength(0);
            else expect(holding.length, host.name).toBe(1);
            expectExact(set, host, holding[0]?.openings ?? []);
          }
        }
      }),
      { numRuns: 30 },
    );
  });
});
