import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit, type Placed } from '../../src/audit/engine.js';
import { awsImporter } from '../../src/audit/importers/aws.js';
import { azureImporter } from '../../src/audit/importers/azure.js';
import { importerFor } from '../../src/audit/importers/registry.js';
import { PacketSet } from '../../src/audit/space.js';
import { formatAddress } from '../../src/net/address.js';
import { AddressSet } from '../../src/net/address-set.js';
import type { Endpoint, Plan } from '../../src/plan/types.js';
import { targets } from '../../src/targets/registry.js';
import { runCli } from '../support/cli.js';
import { expectGolden } from '../support/golden.js';
import { scenarioNames, scenarioPlan } from '../support/scenarios.js';
import { hclResources, type HclResource, type HclTestValue } from './targets-cloud-fixtures.js';

const repo = new URL('../..', import.meta.url).pathname;
const fixture = (p: string) => readFileSync(join(repo, 'test/fixtures/audit', p), 'utf8');

describe('AWS and Azure fixtures in the CLIs\' output shapes, audited', () => {
  const cases: [string, string[]][] = [
    ['aws', ['aws/sg.json', 'aws/eni.json']],
    ['azure', ['azure/nsg.json', 'azure/nic.json', 'azure/vnet.json']],
    ['azure-without-vnet', ['azure/nsg.json', 'azure/nic.json']],
  ];
  for (const [name, files] of cases) {
    it(`${name}: the golden findings`, async () => {
      const r = await runCli(['audit', 'test/fixtures/audit/lab.yaml', ...files.map((f) => `test/fixtures/audit/${f}`), '--format', 'json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
      expectGolden('audit-platforms', name, [{ path: 'findings.json', content: r.stdout }]);
    });
  }

  it('each file is recognised from its content', () => {
    for (const f of ['aws/sg.json', 'aws/eni.json']) expect(importerFor(fixture(f), f).name).toBe('aws');
    for (const f of ['azure/nsg.json', 'azure/nic.json', 'azure/vnet.json']) expect(importerFor(fixture(f), f).name).toBe('azure');
  });

  it('AWS: one file merged with `jq -s add` reads like the two', () => {
    const merged = JSON.stringify({ ...JSON.parse(fixture('aws/sg.json')), ...JSON.parse(fixture('aws/eni.json')) }, null, 2);
    const one = awsImporter.parse(merged, 'aws.json', {});
    const two = awsImporter.parseAll([{ text: fixture('aws/sg.json'), fileName: 'sg.json' }, { text: fixture('aws/eni.json'), fileName: 'eni.json' }], {});
    const q = PacketSet.product({ sources: AddressSet.parse(['10.1.1.0/24', '10.1.0.10']), protocols: [{ lo: 6n, hi: 6n }] });
    expect(one.map((m) => m.decide(q).map((d) => d.verdict))).toEqual(two.map((m) => m.decide(q).map((d) => d.verdict)));
  });

  it('AWS: a group reference allows the private addresses of the interfaces that wear the group; -1 allows every protocol', () => {
    const [ms, sql] = awsImporter.parseAll([{ text: fixture('aws/sg.json'), fileName: 'sg.json' }, { text: fixture('aws/eni.json'), fileName: 'eni.json' }], {});
    const sql1433 = (src: string) => sql!.decide(PacketSet.product({ sources: AddressSet.parse([src]), destinations: AddressSet.parse(['10.1.0.20']), protocols: [{ lo: 6n, hi: 6n }], ports: [{ lo: 1433n, hi: 1433n }] }));
    expect(sql1433('10.1.0.10')[0]!.verdict).toBe('allow');
    expect(sql1433('10.1.0.11')[0]!.verdict).toBe('deny');
    const self = ms!.decide(PacketSet.product({ sources: AddressSet.parse(['10.1.0.10']), destinations: AddressSet.parse(['10.1.0.10']), protocols: [{ lo: 50n, hi: 50n }] }));
    expect(self.map((d) => d.verdict)).toEqual(['allow']);
    const agent = ms!.decide(PacketSet.product({ sources: AddressSet.parse(['10.1.1.200']), destinations: AddressSet.parse(['10.1.0.10']), protocols: [{ lo: 6n, hi: 6n }], ports: [{ lo: 5723n, hi: 5723n }] }));
    expect(agent.map((d) => d.verdict)).toEqual(['allow']);
  });

  it('Azure: the subnet NSG and the NIC NSG both apply; the default rules are read from the export', () => {
    const models = azureImporter.parseAll(['azure/nsg.json', 'azure/nic.json', 'azure/vnet.json'].map((f) => ({ text: fixture(f), fileName: f })), {});
    const sql = models.find((m) => m.host === 'nic-sql01')!;
    // 10.2.0.5 is in the peered network (VirtualNetwork): the subnet NSG allows it, the NIC NSG's deny-rest denies it.
    const fromPeer = sql.decide(PacketSet.product({ sources: AddressSet.parse(['10.2.0.5']), destinations: AddressSet.parse(['10.1.0.20']), protocols: [{ lo: 6n, hi: 6n }], ports: [{ lo: 1433n, hi: 1433n }] }));
    expect(fromPeer.map((d) => [d.verdict, d.rule?.text.split(' ')[0]])).toEqual([['deny', 'nsg-sql/deny-rest']]);
    // From outside the virtual network the subnet NSG denies first.
    const fromOutside = sql.decide(PacketSet.product({ sources: AddressSet.parse(['192.0.2.1']), destinations: AddressSet.parse(['10.1.0.20']), protocols: [{ lo: 6n, hi: 6n }], ports: [{ lo: 1433n, hi: 1433n }] }));
    expect(fromOutside.map((d) => [d.verdict, d.rule?.text.split(' ')[0]])).toEqual([['deny', 'nsg-data/deny-other']]);
    const ms = models.find((m) => m.host === 'nic-scom01')!;
    const vnetOther = ms.decide(PacketSet.product({ sources: AddressSet.parse(['10.1.200.1']), destinations: AddressSet.parse(['10.1.0.10']), protocols: [{ lo: 6n, hi: 6n }], ports: [{ lo: 3389n, hi: 3389n }] }));
    expect(vnetOther.map((d) => [d.verdict, d.rule?.text.split(' ')[0]])).toEqual([['allow', 'nsg-ms/AllowVnetInBound']]);
  });

  it('Azure: --vnet resolves VirtualNetwork like the vnet export does', () => {
    const files = ['azure/nsg.json', 'azure/nic.json'].map((f) => ({ text: fixture(f), fileName: f }));
    const withOption = azureImporter.parseAll(files, { vnet: AddressSet.parse(['10.1.0.0/16', 'fd00:1::/64', '10.2.0.0/16']) });
    const withExport = azureImporter.parseAll([...files, { text: fixture('azure/vnet.json'), fileName: 'vnet.json' }], {});
    const q = PacketSet.product({ sources: AddressSet.parse(['10.0.0.0/8']), protocols: [{ lo: 6n, hi: 6n }, { lo: 17n, hi: 17n }] });
    expect(withOption.map((m) => m.decide(q).map((d) => [d.verdict, d.rule?.line]))).toEqual(withExport.map((m) => m.decide(q).map((d) => [d.verdict, d.rule?.line])));
  });
});

// ---------------------------------------------------------------------------------------------------------------
// What `render --target aws|azure` writes, turned into the CLIs' output shapes, audits clean.

const text = (v: HclTestValue | undefined): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : '');
const list = (v: HclTestValue | undefined): string[] => (Array.isArray(v) ? v : typeof v === 'string' ? [v] : []);
const expression = (v: HclTestValue | undefined): string => (typeof v === 'object' && v !== null && 'expression' in v ? v.expression : '');
const attachedTo = (r: HclResource): string[] => {
  const tags = r.attributes.tags as Record<string, string> | undefined;
  const value = tags?.['scomfw:attach-to'] ?? tags?.['"scomfw:attach-to"'] ?? tags?.['scomfw-attach-to'] ?? '';
  return value.split(/\s+/).filter(Boolean);
};

/** A host's addresses as an interface wears them: single addresses, and CIDR blocks as delegated prefixes. */
function interfaceAddresses(host: Endpoint): { singles: string[]; prefixes: string[] } {
  const cidrs = AddressSet.parse(host.addresses).toCidrs();
  return { singles: cidrs.filter((c) => /\/(32|128)$/.test(c)).map((c) => c.split('/')[0]!), prefixes: cidrs.filter((c) => !/\/(32|128)$/.test(c)) };
}

function awsShapes(tf: string, plan: Plan): { sg: string; eni: string } {
  const resources = hclResources(tf);
  const groups = resources.filter((r) => r.type === 'aws_security_group');
  const rules = resources.filter((r) => r.type === 'aws_vpc_security_group_ingress_rule');
  const SecurityGroups = groups.map((g) => ({
    Description: text(g.attributes.description),
    GroupName: text(g.attributes.name),
    IpPermissions: rules
      .filter((r) => expression(r.attributes.security_group_id) === `aws_security_group.${g.label}.id`)
      .map((r) => ({
        FromPort: r.attributes.from_port as number,
        IpProtocol: text(r.attributes.ip_protocol),
        IpRanges: r.attributes.cidr_ipv4 !== undefined ? [{ CidrIp: text(r.attributes.cidr_ipv4), Description: text(r.attributes.description) }] : [],
        Ipv6Ranges: r.attributes.cidr_ipv6 !== undefined ? [{ CidrIpv6: text(r.attributes.cidr_ipv6), Description: text(r.attributes.description) }] : [],
        PrefixListIds: [],
        ToPort: r.attributes.to_port as number,
        UserIdGroupPairs: [],
      })),
    OwnerId: '123456789012',
    GroupId: `sg-${g.label}`,
    IpPermissionsEgress: [],
    VpcId: 'vpc-0lab',
  }));
  const NetworkInterfaces = plan.hosts.map((h, i) => {
    const { singles, prefixes } = interfaceAddresses(h);
    const v4 = singles.filter((a) => !a.includes(':'));
    return {
      Description: h.name,
      Groups: groups.filter((g) => attachedTo(g).includes(h.name)).map((g) => ({ GroupName: text(g.attributes.name), GroupId: `sg-${g.label}` })),
      InterfaceType: 'interface',
      Ipv4Prefixes: prefixes.filter((p) => !p.includes(':')).map((p) => ({ Ipv4Prefix: p })),
      Ipv6Addresses: singles.filter((a) => a.includes(':')).map((a) => ({ Ipv6Address: a })),
      Ipv6Prefixes: prefixes.filter((p) => p.includes(':')).map((p) => ({ Ipv6Prefix: p })),
      NetworkInterfaceId: `eni-${i}`,
      ...(v4[0] ? { PrivateIpAddress: v4[0] } : {}),
      PrivateIpAddresses: v4.map((a, k) => ({ Primary: k === 0, PrivateIpAddress: a })),
      Status: 'in-use',
      TagSet: [{ Key: 'Name', Value: h.name }],
      VpcId: 'vpc-0lab',
    };
  });
  return { sg: JSON.stringify({ SecurityGroups }, null, 4), eni: JSON.stringify({ NetworkInterfaces }, null, 4) };
}

const net = '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.Network';

function azureShapes(tf: string, plan: Plan): { nsg: string; nic: string } {
  const resources = hclResources(tf);
  const groups = resources.filter((r) => r.type === 'azurerm_network_security_group');
  const rules = resources.filter((r) => r.type === 'azurerm_network_security_rule');
  const rule = (r: HclResource) => ({
    access: text(r.attributes.access),
    destinationAddressPrefix: r.attributes.destination_address_prefix !== undefined ? text(r.attributes.destination_address_prefix) : null,
    destinationAddressPrefixes: list(r.attributes.destination_address_prefixes),
    destinationPortRange: r.attributes.destination_port_range !== undefined ? text(r.attributes.destination_port_range) : null,
    destinationPortRanges: list(r.attributes.destination_port_ranges),
    direction: text(r.attributes.direction),
    name: text(r.attributes.name),
    priority: r.attributes.priority as number,
    protocol: text(r.attributes.protocol),
    provisioningState: 'Succeeded',
    sourceAddressPrefix: r.attributes.source_address_prefix !== undefined ? text(r.attributes.source_address_prefix) : null,
    sourceAddressPrefixes: list(r.attributes.source_address_prefixes),
    sourcePortRange: text(r.attributes.source_port_range) || '*',
    sourcePortRanges: [],
  });
  const defaults = [
    { name: 'AllowVnetInBound', priority: 65000, access: 'Allow', sourceAddressPrefix: 'VirtualNetwork', destinationAddressPrefix: 'VirtualNetwork' },
    { name: 'AllowAzureLoadBalancerInBound', priority: 65001, access: 'Allow', sourceAddressPrefix: 'AzureLoadBalancer', destinationAddressPrefix: '*' },
    { name: 'DenyAllInBound', priority: 65500, access: 'Deny', sourceAddressPrefix: '*', destinationAddressPrefix: '*' },
  ].map((d) => ({ ...d, direction: 'Inbound', protocol: '*', sourcePortRange: '*', destinationPortRange: '*', sourceAddressPrefixes: [], destinationAddressPrefixes: [], destinationPortRanges: [], sourcePortRanges: [] }));
  const nsgs = groups.map((g) => ({
    defaultSecurityRules: defaults,
    id: `${net}/networkSecurityGroups/${text(g.attributes.name)}`,
    location: 'westeurope',
    name: text(g.attributes.name),
    // deny_other_vnet_inbound = true: the rules with `count` are created too.
    securityRules: rules.filter((r) => expression(r.attributes.network_security_group_name) === `azurerm_network_security_group.${g.label}.name`).map(rule),
  }));
  const nics = plan.hosts.map((h, i) => {
    const { singles, prefixes } = interfaceAddresses(h);
    // A NIC holds single addresses: a block of addresses is represented by its first and last address.
    const sample = [...singles, ...prefixes.flatMap((p) => AddressSet.parse([p]).ranges().flatMap((r) => [formatAddress(r.family, r.first), formatAddress(r.family, r.last)]))];
    const group = groups.find((g) => attachedTo(g).includes(h.name));
    return {
      id: `${net}/networkInterfaces/nic-${i}`,
      ipConfigurations: sample.map((a, k) => ({ name: `ipconfig${k + 1}`, privateIPAddress: a, privateIPAddressVersion: a.includes(':') ? 'IPv6' : 'IPv4', subnet: { id: `${net}/virtualNetworks/vnet/subnets/default` } })),
      name: h.name,
      ...(group ? { networkSecurityGroup: { id: `${net}/networkSecurityGroups/${text(group.attributes.name)}` } } : {}),
    };
  });
  return { nsg: JSON.stringify(nsgs, null, 2), nic: JSON.stringify(nics, null, 2) };
}

function placedOf(models: ReturnType<typeof awsImporter.parseAll>): Placed[] {
  return models.map((model) => ({ model, scope: { kind: 'cloud' } }));
}

describe('what render --target aws|azure writes, in the CLIs\' output shapes, audits clean', () => {
  for (const name of scenarioNames) {
    const plan = scenarioPlan(name);
    it(`aws: ${name}`, () => {
      const tf = targets.get('aws')!.render(plan, {})[0]!.content;
      const { sg, eni } = awsShapes(tf, plan);
      const models = awsImporter.parseAll([{ text: sg, fileName: 'sg.json' }, { text: eni, fileName: 'eni.json' }], {});
      const result = audit(plan, placedOf(models), { phase: plan.phase });
      expect(result.findings.filter((f) => f.severity === 'error').map((f) => f.message)).toEqual([]);
      expect(result.summary.flowsChecked).toBeGreaterThan(0);
      expect(result.summary.flowsChecked).toBe(plan.flows.length);
    });
    it(`azure: ${name}`, () => {
      const tf = targets.get('azure')!.render(plan, {})[0]!.content;
      const { nsg, nic } = azureShapes(tf, plan);
      const vnet = AddressSet.parse(['10.0.0.0/8', '172.16.0.0/12', '192.168.0.0/16', 'fc00::/7']);
      const models = azureImporter.parseAll([{ text: nsg, fileName: 'nsg.json' }, { text: nic, fileName: 'nic.json' }], { vnet });
      const result = audit(plan, placedOf(models), { phase: plan.phase });
      expect(result.findings.filter((f) => f.severity === 'error').map((f) => f.message)).toEqual([]);
      expect(result.summary.flowsChecked).toBe(plan.flows.length);
    });
  }

  it('and a planted defect is found: a deleted AWS rule is missing, an extra Azure allow is over-permissive', () => {
    const plan = scenarioPlan('minimal');
    const { sg, eni } = awsShapes(targets.get('aws')!.render(plan, {})[0]!.content, plan);
    const groups = JSON.parse(sg) as { SecurityGroups: { IpPermissions: { FromPort: number }[] }[] };
    for (const g of groups.SecurityGroups) g.IpPermissions = g.IpPermissions.filter((p) => p.FromPort !== 1433);
    const aws = audit(plan, placedOf(awsImporter.parseAll([{ text: JSON.stringify(groups), fileName: 'sg.json' }, { text: eni, fileName: 'eni.json' }], {})), { phase: plan.phase });
    expect(aws.findings.map((f) => [f.kind, f.witness?.port])).toEqual([['missing', 1433]]);

    const { nsg, nic } = azureShapes(targets.get('azure')!.render(plan, {})[0]!.content, plan);
    const nsgs = JSON.parse(nsg) as { securityRules: Record<string, unknown>[] }[];
    nsgs[0]!.securityRules.unshift({ name: 'wide', priority: 99 + 1, direction: 'Inbound', access: 'Allow', protocol: 'Tcp', sourceAddressPrefix: '*', destinationAddressPrefix: '*', sourcePortRange: '*', destinationPortRange: '5723' });
    for (const r of nsgs[0]!.securityRules.slice(1)) r.priority = (r.priority as number) + 1;
    const azure = audit(plan, placedOf(azureImporter.parseAll([{ text: JSON.stringify(nsgs, null, 2), fileName: 'nsg.json' }, { text: nic, fileName: 'nic.json' }], { vnet: AddressSet.parse(['10.0.0.0/8']) })), { phase: plan.phase });
    const nsgText = JSON.stringify(nsgs, null, 2);
    const wideLine = nsgText.split('\n').findIndex((l) => l.includes('"name": "wide"')); // the rule object opens on the line before
    expect(azure.findings.map((f) => [f.kind, f.witness?.port, f.rule?.line, f.rule?.text.split(' ')[0]])).toEqual([['over-permissive', 5723, wideLine, `${(nsgs[0] as unknown as { name: string }).name}/wide`]]);
  });
});
