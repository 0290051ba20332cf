import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { AddressSet } from '../../src/net/address-set.js';
import type { Plan } from '../../src/plan/types.js';
import { aws, ruleCounts as awsRuleCounts } from '../../src/targets/cloud/aws.js';
import { azure, ruleCounts as azureRuleCounts } from '../../src/targets/cloud/azure.js';
import { quoted } from '../../src/targets/cloud/hcl.js';
import { UserError } from '../../src/topology/errors.js';
import { scenarioNames, scenarioPlan } from '../support/scenarios.js';
import { endpoint, flow, handPlan, hclResources, hclSkeleton, hclUnquote, roles, type HclResource } from './targets-cloud-fixtures.js';
import { PortRange } from '../../src/net/port.js';

const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;
/** The HCL parser the tests use when it is installed (it is not in package.json yet; see docs/targets/aws.md). */
const hclParserPackage = '@cdktf/hcl2json';
const hcl2json = await import(hclParserPackage).then(
  (m: { parse?: (file: string, text: string) => Promise<unknown> }) => m.parse,
  () => undefined,
);

const render = (target: typeof aws, plan: Plan, host?: string): string => target.render(plan, host ? { host } : {})[0]?.content ?? '';
const ofType = (text: string, type: string): HclResource[] => hclResources(text).filter((r) => r.type === type);
const str = (r: HclResource, key: string): string => {
  const value = r.attributes[key];
  if (value === undefined || typeof value !== 'object') return String(value);
  return 'expression' in value ? value.expression : JSON.stringify(value);
};
const list = (r: HclResource, key: string): string[] => r.attributes[key] as string[];

describe.each([aws, azure])('$name target', (target) => {
  it.each(scenarioNames)('writes %s without template sequences outside escapes', (name) => {
    expect(() => hclSkeleton(render(target, scenarioPlan(name)))).not.toThrow();
  });

  it.skipIf(!terraform).each(scenarioNames)('writes %s as terraform fmt would (terraform fmt -check parses it)', (name) => {
    const run = spawnSync('terraform', ['fmt', '-check', '-no-color', '-'], { input: render(target, scenarioPlan(name)), encoding: 'utf8' });
    expect(run.status, run.stdout + run.stderr).toBe(0);
  });

  it.skipIf(!hcl2json).each(scenarioNames)(`parses %s with ${hclParserPackage}`, async (name) => {
    const parsed = (await hcl2json?.(`${target.name}.tf`, render(target, scenarioPlan(name)))) as { resource: Record<string, Record<string, unknown[]>> };
    const count = Object.values(parsed.resource).reduce((n, byLabel) => n + Object.keys(byLabel).length, 0);
    expect(count).toBe(hclResources(render(target, scenarioPlan(name))).length);
  });

  it('refuses --host for a host that accepts no flow', () => {
    expect(() => target.render(scenarioPlan('contoso'), { host: 'nobody.contoso.com' })).toThrow(UserError);
  });
});

if (!terraform) console.warn('terraform is not installed: the terraform fmt -check tests are skipped');
if (!hcl2json) console.warn(`${hclParserPackage} is not installed: the HCL parser tests are skipped (npm install --no-save ${hclParserPackage}@0.21.0)`);

describe('HCL strings', () => {
  it('escape template sequences, quotes, backslashes and control characters', () => {
    expect(quoted('${var.x} %{ if }')).toBe('"$${var.x} %%{ if }"');
    expect(quoted('$${x}')).toBe('"$$${x}"');
    expect(quoted('a"b\\c\nd\u2028')).toBe('"a\\"b\\\\c\\nd\\u2028"');
    for (const text of ['${a}', '$${a}', '%%{', 'x\ty', '"\\"']) expect(hclUnquote(quoted(text).slice(1, -1))).toBe(text);
  });
});

describe('aws: one security group per set of hosts with identical inbound flows', () => {
  const contoso = render(aws, scenarioPlan('contoso'));
  const groups = ofType(contoso, 'aws_security_group');
  const rules = ofType(contoso, 'aws_vpc_security_group_ingress_rule');

  it('keeps management servers with different flows in different groups', () => {
    const attach = groups.map((g) => (g.attributes.tags as Record<string, string>)['scomfw:attach-to']);
    expect(attach).toContain('ms01.contoso.com');
    expect(attach).toContain('ms02.contoso.com');
    expect(attach).toContain('ms03.contoso.com');
    expect(attach).toContain('dc01.contoso.com dc02.contoso.com');
  });

  it('writes one CIDR per rule, with a description AWS accepts', () => {
    for (const r of rules) {
      expect(Number('cidr_ipv4' in r.attributes) + Number('cidr_ipv6' in r.attributes)).toBe(1);
      expect(str(r, 'description')).toMatch(/^[a-zA-Z0-9. _\-:/()#,@[\]+=&;{}!$*]{1,255}$/);
    }
  });

  it('never writes the same rule twice in a group', () => {
    const keys = rules.map((r) => [str(r, 'security_group_id'), str(r, 'ip_protocol'), str(r, 'from_port'), str(r, 'to_port'), str(r, 'cidr_ipv4'), str(r, 'cidr_ipv6')].join('|'));
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('splits a group past 60 rules in one family into parts on the same hosts', () => {
    const sources = Array.from({ length: 150 }, (_, i) => endpoint(`src${i}`, [`10.${i}.0.1`, ...(i < 70 ? [`fd00:${i}::1`] : [])]));
    const ms = endpoint('ms', ['10.255.0.1', 'fd00:ffff::1'], { roles: roles('management-server') });
    const text = render(aws, handPlan(sources.map((s) => flow(s, ms))));
    const sg = ofType(text, 'aws_security_group');
    expect(sg.map((g) => str(g, 'name'))).toEqual(['scom-HAND-management-server', 'scom-HAND-management-server-2', 'scom-HAND-management-server-3']);
    for (const g of sg) {
      const own = ofType(text, 'aws_vpc_security_group_ingress_rule').filter((r) => str(r, 'security_group_id') === `aws_security_group.${g.label}.id`);
      expect(own.filter((r) => 'cidr_ipv4' in r.attributes).length).toBeLessThanOrEqual(60);
      expect(own.filter((r) => 'cidr_ipv6' in r.attributes).length).toBeLessThanOrEqual(60);
    }
    expect(text).toContain('# Part 2 of 3: the set needs more than 60 rules in one family.');
  });

  it('merges ports into a range only where the same sources reach both', () => {
    const agents = endpoint('agents', ['10.1.0.0/24']);
    const consoles = endpoint('consoles', ['10.2.0.0/24']);
    const ms = endpoint('ms', ['10.0.0.1'], { roles: roles('management-server') });
    const plan = handPlan([flow(agents, ms), flow(agents, ms, { ports: PortRange.of(5724) }), flow(consoles, ms, { ports: PortRange.of(5726) })]);
    const got = ofType(render(aws, plan), 'aws_vpc_security_group_ingress_rule').map((r) => `${str(r, 'cidr_ipv4')} ${str(r, 'from_port')}-${str(r, 'to_port')}`);
    expect(got).toEqual(['10.1.0.0/24 5723-5724', '10.2.0.0/24 5726-5726']);
  });

  it('keeps install-only openings in their own rules, never duplicating an always rule', () => {
    const agents = endpoint('agents', ['10.1.0.0/24']);
    const subset = endpoint('pilot', ['10.1.0.0/25']);
    const ms = endpoint('ms', ['10.0.0.1'], { roles: roles('management-server') });
    const plan = handPlan([flow(agents, ms, { phase: 'install' }), flow(subset, ms)]);
    const got = ofType(render(aws, plan), 'aws_vpc_security_group_ingress_rule').map((r) => `${str(r, 'cidr_ipv4')} ${/install only/.test(str(r, 'description')) ? 'install' : 'always'}`);
    expect(got).toEqual(['10.1.0.0/25 always', '10.1.0.128/25 install']);
  });

  it('writes ICMP echo as type 8 (IPv4) and 128 (IPv6), code 0', () => {
    const text = render(aws, scenarioPlan('ipv6'));
    const icmp = ofType(text, 'aws_vpc_security_group_ingress_rule').filter((r) => str(r, 'ip_protocol').startsWith('icmp'));
    for (const r of icmp) {
      expect([str(r, 'ip_protocol'), r.attributes.from_port, r.attributes.to_port]).toEqual('cidr_ipv4' in r.attributes ? ['icmp', 8, 0] : ['icmpv6', 128, 0]);
    }
  });

  it('leaves out sources of a family the hosts lack, and says so', () => {
    const agents = endpoint('agents', ['10.1.0.0/24', 'fd00:1::/64']);
    const gw = endpoint('gw', ['fd00::5'], { roles: roles('gateway') });
    const text = render(aws, handPlan([flow(agents, gw)]));
    expect(ofType(text, 'aws_vpc_security_group_ingress_rule').map((r) => r.attributes.cidr_ipv6)).toEqual(['fd00:1::/64']);
    expect(text).toContain('# IPv4 sources are left out: no host of this set has an IPv4 address.');
  });
});

describe('azure: network security groups', () => {
  const contoso = render(azure, scenarioPlan('contoso'));
  const rules = ofType(contoso, 'azurerm_network_security_rule').filter((r) => !('count' in r.attributes));

  it('numbers priorities from 100 upward, unique within each group', () => {
    const byGroup = new Map<string, number[]>();
    for (const r of rules) byGroup.set(str(r, 'network_security_group_name'), [...(byGroup.get(str(r, 'network_security_group_name')) ?? []), Number(r.attributes.priority)]);
    for (const priorities of byGroup.values()) expect(priorities).toEqual(priorities.map((_, i) => 100 + i));
  });

  it('keeps names and descriptions within what Azure accepts', () => {
    for (const r of [...rules, ...ofType(contoso, 'azurerm_network_security_group')]) {
      expect(str(r, 'name')).toMatch(/^[a-zA-Z0-9]([a-zA-Z0-9_.-]{0,78}[a-zA-Z0-9_])?$/);
    }
    for (const r of rules) expect(str(r, 'description').length).toBeLessThanOrEqual(140);
  });

  it('never mixes address families in one rule', () => {
    for (const r of ofType(render(azure, scenarioPlan('ipv6')), 'azurerm_network_security_rule').filter((x) => !('count' in x.attributes))) {
      const families = new Set([...list(r, 'source_address_prefixes'), ...list(r, 'destination_address_prefixes')].map((p) => (p.includes(':') ? 6 : 4)));
      expect(families.size).toBe(1);
    }
  });

  it('offers the deny for other virtual-network sources, off by default', () => {
    expect(contoso).toContain('count                       = var.deny_other_vnet_inbound ? 1 : 0');
    expect(contoso).toMatch(/variable "deny_other_vnet_inbound" \{\n {2}type {8}= bool\n {2}default {5}= false/);
  });

  it('splits a set by hosts when destination addresses pass 4,000, each part with all the rules', () => {
    const ports = Array.from({ length: 20 }, (_, i) => PortRange.of(1000 + 2 * i));
    const sources = Array.from({ length: 20 }, (_, i) => endpoint(`src${i}`, [`10.1.${i}.1`]));
    const agents = Array.from({ length: 300 }, (_, i) => endpoint(`agent${String(i).padStart(3, '0')}`, [`10.${2 + (i >> 8)}.${i & 255}.1`]));
    const plan = handPlan(agents.flatMap((a) => ports.map((p, i) => flow(sources[i] ?? a, a, { ports: p }))));
    const text = render(azure, plan);
    const groups = ofType(text, 'azurerm_network_security_group');
    expect(groups.length).toBeGreaterThan(1);
    const all = ofType(text, 'azurerm_network_security_rule').filter((r) => !('count' in r.attributes));
    const destinations = AddressSet.parse(all.flatMap((r) => list(r, 'destination_address_prefixes')));
    expect(destinations.equals(AddressSet.parse(agents.flatMap((a) => a.addresses)))).toBe(true);
    for (const g of groups) {
      const own = all.filter((r) => str(r, 'network_security_group_name') === `azurerm_network_security_group.${g.label}.name`);
      expect(own.length).toBe(ports.length);
      expect(own.reduce((n, r) => n + list(r, 'destination_address_prefixes').length, 0)).toBeLessThanOrEqual(4000);
    }
  });

  it('refuses, naming the limit, when one host alone needs more than 4,000 source addresses', () => {
    const sources = Array.from({ length: 4001 }, (_, i) => endpoint(`src${i}`, [`10.${i >> 8}.${i & 255}.1`]));
    const ms = endpoint('ms', ['10.255.0.1'], { roles: roles('management-server') });
    const plan = handPlan(sources.map((s) => flow(s, ms)));
    expect(() => render(azure, plan)).toThrow(/4001 source addresses \(at most 4000\)/);
    expect(azureRuleCounts(plan)).toMatchObject({ groups: 1, rules: 1, refused: expect.stringMatching(/^the flows into ms need 4001 source addresses/) as unknown });
  });
});

describe('rule counts', () => {
  it('reports aggregated rules beside one rule per flow and source CIDR', () => {
    for (const name of scenarioNames) {
      for (const counts of [awsRuleCounts(scenarioPlan(name)), azureRuleCounts(scenarioPlan(name))]) {
        expect(counts.rules).toBeGreaterThan(0);
        expect(counts.rules).toBeLessThanOrEqual(counts.unaggregatedRules);
        expect(counts.groups).toBeGreaterThan(0);
      }
    }
  });

  it('counts what aws.tf writes', () => {
    const text = render(aws, scenarioPlan('contoso'));
    expect(awsRuleCounts(scenarioPlan('contoso'))).toMatchObject({
      groups: ofType(text, 'aws_security_group').length,
      rules: ofType(text, 'aws_vpc_security_group_ingress_rule').length,
    });
  });
});
