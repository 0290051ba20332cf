import type { Family } from '../../net/address.js';
import { AddressSet } from '../../net/address-set.js';
import type { Protocol } from '../../net/port.js';
import { compareText } from '../../plan/order.js';
import type { Endpoint, Flow, Plan } from '../../plan/types.js';
import { UserError } from '../../topology/errors.js';
import { aggregate, flowsMeeting, flowsOfBlock, unaggregatedRuleCount, type Block, type Cost } from './aggregate.js';
import { ruleDescription } from './describe.js';
import { destinationSets, type DestinationSet } from './destinations.js';
import { attribute, block, hclFile, Reference, type Block as HclBlock, type BodyItem } from './hcl.js';
import { azureDescription, azureResourceName, azureTagValue, fitted, labelled, terraformLabel } from './names.js';
import { attachNote, cloudHeader, familyNote, type CloudRuleCounts } from './terraform.js';
import { addressSetOf } from '../../plan/openings.js';
import type { RenderedFile, Target } from '../types.js';

/** Azure limits per network security group. One rule is kept free for the optional deny rule below. */
export const azureLimits = { rules: 1000 - 1, sourceAddresses: 4000, destinationAddresses: 4000 } as const;
const firstPriority = 100;
const denyPriority = 4096;

/** One NSG rule: an aggregated block, written for the destination hosts of its NSG. */
interface AzureRule {
  readonly block: Block;
  readonly sources: readonly string[];
}

/** One network security group: a destination set, or the part of its hosts that fits Azure's limits. */
interface SecurityGroup {
  readonly set: DestinationSet;
  readonly hosts: readonly Endpoint[];
  readonly part: number;
  readonly parts: number;
  /** Rules of the families these hosts have, in priority order. */
  readonly rules: readonly AzureRule[];
  readonly destinations: ReadonlyMap<Family, readonly string[]>;
}

export const azure: Target = {
  name: 'azure',
  summary: 'Terraform for Azure: a network security group per set of hosts that accept the same flows (azure.tf)',
  options: ['host'],
  render(plan, options): RenderedFile[] {
    const groups = labelled(securityGroups(plan, options.host), (g) => terraformLabel(groupName(g)));
    const resources = groups.flatMap(({ item, label }) => groupBlocks(plan, item, label));
    return [{ path: 'azure.tf', content: hclFile(header(plan), [...preamble, ...resources]) }];
  },
};

/**
 * Network security groups and rules the plan needs, and what one rule per flow and source CIDR would need. Where
 * render would refuse (a host needs more than one NSG holds), `refused` says why and that set counts as one group.
 */
export function ruleCounts(plan: Plan): CloudRuleCounts {
  let groups = 0;
  let rules = 0;
  let unaggregatedRules = 0;
  let refused: string | undefined;
  for (const set of destinationSets(plan)) {
    const own = rulesOf(set);
    const refusal = refusalFor(set, own);
    const parts = refusal ? [] : groupsOf(set, own);
    refused ??= refusal?.message;
    groups += refusal ? 1 : parts.length;
    rules += refusal ? own.length : parts.reduce((n, g) => n + g.rules.length, 0);
    unaggregatedRules += unaggregatedRuleCount(set.flows, set.families);
  }
  return { groups, rules, unaggregatedRules, ...(refused ? { refused } : {}) };
}

/** Azure's limit that binds first is 4,000 addresses per NSG, so the cheaper shape is the one with fewer prefixes. */
const prefixCount: Cost = (blocks) => blocks.reduce((n, b) => n + b.sources.toCidrs().length, 0);

function securityGroups(plan: Plan, only?: string): SecurityGroup[] {
  return destinationSets(plan, only).flatMap((set) => {
    const rules = rulesOf(set);
    const refusal = refusalFor(set, rules);
    if (refusal) throw refusal;
    return groupsOf(set, rules);
  });
}

function rulesOf(set: DestinationSet): AzureRule[] {
  return aggregate(set.openings, set.families, prefixCount)
    .map((b) => ({ block: b, sources: b.sources.toCidrs() }))
    .sort(compareRules);
}

function groupsOf(set: DestinationSet, rules: readonly AzureRule[]): SecurityGroup[] {
  const chunks = hostChunks(set, rules);
  return chunks.map((hosts, i) => groupOf(set, hosts, rules, i + 1, chunks.length));
}

/** Why no NSG can hold the flows into one of the set's hosts (no split by hosts helps then), or undefined. */
function refusalFor(set: DestinationSet, rules: readonly AzureRule[]): UserError | undefined {
  const weight = usageOf(rules);
  for (const host of set.hosts) {
    const over = exceeded(weight(prefixesOf(host)));
    if (over) return new UserError(`the flows into ${host.name} need ${over} in one Azure network security group`, undefined, overHint);
  }
  return undefined;
}

const protocolOrder: Record<Protocol, number> = { tcp: 0, udp: 1, icmp: 2 };

function compareRules(a: AzureRule, b: AzureRule): number {
  const x = a.block;
  const y = b.block;
  return (
    protocolOrder[x.protocol] - protocolOrder[y.protocol] ||
    (x.ports[0]?.from ?? 0) - (y.ports[0]?.from ?? 0) ||
    x.family - y.family ||
    compareText(x.phase, y.phase) ||
    compareText(ruleName(x), ruleName(y))
  );
}

function groupOf(set: DestinationSet, hosts: readonly Endpoint[], rules: readonly AzureRule[], part: number, parts: number): SecurityGroup {
  const addresses = AddressSet.unionAll(hosts.map(addressSetOf));
  const families = ([4, 6] as const).filter((f) => addresses.has(f));
  return {
    set,
    hosts,
    part,
    parts,
    rules: rules.filter((r) => families.includes(r.block.family)),
    destinations: new Map(families.map((f) => [f, addresses.only(f).toCidrs()])),
  };
}

/**
 * The hosts of a set cut into NSGs that keep Azure's limits. A network interface or subnet takes one NSG,
 * so a set can only be split by its hosts, never by its rules: every part holds all the rules, written for
 * its own hosts. The addresses per NSG count every prefix of every rule, so destinations weigh once per rule;
 * they are counted per host, an upper bound of the merged prefixes the part will list. Each host alone fits
 * (refusalFor has checked).
 */
function hostChunks(set: DestinationSet, rules: readonly AzureRule[]): Endpoint[][] {
  const weight = usageOf(rules);
  const chunks: Endpoint[][] = [];
  let chunk: Endpoint[] = [];
  let prefixes: Prefixes = { 4: 0, 6: 0 };
  for (const host of set.hosts) {
    const own = prefixesOf(host);
    const joined = { 4: prefixes[4] + own[4], 6: prefixes[6] + own[6] };
    if (chunk.length > 0 && exceeded(weight(joined))) {
      chunks.push(chunk);
      chunk = [];
      prefixes = own;
    } else prefixes = joined;
    chunk.push(host);
  }
  chunks.push(chunk);
  return chunks;
}

const overHint = 'write the sources as fewer, larger address ranges in the deployment file, or split the destination group';

/** Destination prefixes per family. */
type Prefixes = Readonly<Record<Family, number>>;

const prefixesOf = (host: Endpoint): Prefixes => ({ 4: addressSetOf(host).only(4).toCidrs().length, 6: addressSetOf(host).only(6).toCidrs().length });

interface Usage {
  readonly rules: number;
  readonly sourceAddresses: number;
  readonly destinationAddresses: number;
}

/** What an NSG holds for hosts with these destination prefixes: only the rules of the families they have. */
function usageOf(rules: readonly AzureRule[]): (destinations: Prefixes) => Usage {
  const perFamily = ([4, 6] as const).map((family) => {
    const own = rules.filter((r) => r.block.family === family);
    return { family, rules: own.length, sources: own.reduce((n, r) => n + r.sources.length, 0) };
  });
  return (destinations) => {
    const present = perFamily.filter((f) => destinations[f.family] > 0);
    return {
      rules: present.reduce((n, f) => n + f.rules, 0),
      sourceAddresses: present.reduce((n, f) => n + f.sources, 0),
      destinationAddresses: present.reduce((n, f) => n + f.rules * destinations[f.family], 0),
    };
  };
}

/** Which limit `u` exceeds, as words, or undefined. */
function exceeded(u: Usage): string | undefined {
  if (u.rules > azureLimits.rules) return `${u.rules} rules (at most ${azureLimits.rules})`;
  if (u.sourceAddresses > azureLimits.sourceAddresses) return `${u.sourceAddresses} source addresses (at most ${azureLimits.sourceAddresses})`;
  if (u.destinationAddresses > azureLimits.destinationAddresses) {
    return `${u.destinationAddresses} destination addresses (at most ${azureLimits.destinationAddresses})`;
  }
  return undefined;
}

const groupName = (g: SecurityGroup): string => (g.part === 1 ? g.set.name : `${g.set.name}-${g.part}`);

function header(plan: Plan): string[] {
  return [
    ...cloudHeader(plan, 'azure.tf'),
    'One network security group per set of hosts that play the same roles and accept the same flows: associate',
    "it with those hosts' network interfaces (the tag scomfw-attach-to names them). Every rule names its",
    'destination addresses too, so no other host gains a flow even where the group sits on a subnet.',
    'Sources are merged into the fewest exact prefixes, one rule per set of sources that share their ports.',
    `Azure allows 1,000 rules and 4,000 source and 4,000 destination addresses per group (counted over all its`,
    'rules). A set that needs more is split by its hosts into parts (-2, -3, ...), each with all the rules.',
    'Priorities run from 100 upward in the order below; all rules allow, so their order changes nothing.',
    'No final deny rule is written: Azure ends every group with DenyAllInBound (65500). Its AllowVnetInBound',
    '(65000) rule, though, lets every source inside the virtual network in: set deny_other_vnet_inbound to',
    'add a deny at priority 4096, after allowing your own management access (RDP, SSH, backup, monitoring).',
    "Azure cannot narrow ICMP to echo requests: the Icmp rules allow every ICMP type from their sources.",
  ];
}

const preamble: HclBlock[] = [
  block('terraform', [], [block('required_providers', [], [attribute('azurerm', { source: 'hashicorp/azurerm', version: '>= 3.0' })])]),
  block('provider', ['azurerm'], [block('features', [], [])]),
  block('variable', ['resource_group_name'], [
    attribute('type', Reference.to('string')),
    attribute('description', 'The resource group the network security groups are created in.'),
  ]),
  block('variable', ['location'], [attribute('type', Reference.to('string')), attribute('description', 'The Azure region of the network security groups.')]),
  block('variable', ['deny_other_vnet_inbound'], [
    attribute('type', Reference.to('bool')),
    attribute('default', false),
    attribute('description', 'Add a deny rule at priority 4096 so sources inside the virtual network get only the planned flows.'),
  ]),
];

function groupBlocks(plan: Plan, g: SecurityGroup, label: string): HclBlock[] {
  const nsg = block(
    'resource',
    ['azurerm_network_security_group', label],
    [
      attribute('name', azureResourceName(`scom-${plan.managementGroup}-${groupName(g)}`)),
      attribute('location', Reference.to('var', 'location')),
      attribute('resource_group_name', Reference.to('var', 'resource_group_name')),
      attribute('tags', { 'scomfw-attach-to': fitted(g.hosts.map((h) => h.name).join(' '), azureTagValue) }),
    ],
    groupComments(g),
  );
  const named = labelled(g.rules, (r) => azureResourceName(ruleName(r.block)));
  const rules = named.map((r, i) => ruleBlock(g, r.item, r.label, firstPriority + i, label));
  return [nsg, ...rules, denyBlock(label)];
}

function groupComments(g: SecurityGroup): string[] {
  const comments = [attachNote({ ...g.set, hosts: g.hosts }), ...familyNote(g.set)];
  if (g.parts > 1) comments.push(`Part ${g.part} of ${g.parts}: the hosts of this set are split so each group keeps Azure's limits.`);
  return comments;
}

/** `tcp-5723-5724-v4`, `udp-161-v6-install`: unique in its group, and unchanged when only the sources change. */
function ruleName(b: Block): string {
  const ports = b.protocol === 'icmp' ? 'echo' : b.ports.map((s) => (s.from === s.to ? `${s.from}` : `${s.from}-${s.to}`)).join('_');
  return `${b.protocol}-${ports}-v${b.family}${b.phase === 'install' ? '-install' : ''}`;
}

const azureProtocol: Record<Protocol, string> = { tcp: 'Tcp', udp: 'Udp', icmp: 'Icmp' };

function ruleBlock(g: SecurityGroup, r: AzureRule, name: string, priority: number, groupLabel: string): HclBlock {
  const b = r.block;
  const ports: BodyItem =
    b.protocol === 'icmp'
      ? attribute('destination_port_range', '*')
      : attribute('destination_port_ranges', b.ports.map((s) => (s.from === s.to ? `${s.from}` : `${s.from}-${s.to}`)));
  return block('resource', ['azurerm_network_security_rule', terraformLabel(`${groupLabel}__${name}`)], [
    attribute('name', name),
    attribute('description', ruleDescription(servedFlows(b, g.set.flows), b.protocol, b.ports, b.phase, azureDescription)),
    attribute('priority', priority),
    attribute('direction', 'Inbound'),
    attribute('access', 'Allow'),
    attribute('protocol', azureProtocol[b.protocol]),
    attribute('source_port_range', '*'),
    ports,
    attribute('source_address_prefixes', r.sources),
    attribute('destination_address_prefixes', g.destinations.get(b.family) ?? []),
    attribute('resource_group_name', Reference.to('var', 'resource_group_name')),
    attribute('network_security_group_name', Reference.to('azurerm_network_security_group', groupLabel, 'name')),
  ]);
}

/** The flows whose sources a block holds: those whose addresses meet the block's. */
function servedFlows(b: Block, flows: readonly Flow[]): Flow[] {
  return [...new Set(flowsMeeting(b.sources.ranges(), flowsOfBlock(b, flows), b.family).flat())];
}

/** The optional deny for everything else from inside the virtual network (see the header). */
function denyBlock(groupLabel: string): HclBlock {
  return block('resource', ['azurerm_network_security_rule', terraformLabel(`${groupLabel}__deny-other-vnet-inbound`)], [
    attribute('count', Reference.oneIf('var', 'deny_other_vnet_inbound')),
    attribute('name', 'deny-other-vnet-inbound'),
    attribute('description', 'Sources inside the virtual network reach these hosts only through the rules above.'),
    attribute('priority', denyPriority),
    attribute('direction', 'Inbound'),
    attribute('access', 'Deny'),
    attribute('protocol', '*'),
    attribute('source_port_range', '*'),
    attribute('destination_port_range', '*'),
    attribute('source_address_prefix', 'VirtualNetwork'),
    attribute('destination_address_prefix', '*'),
    attribute('resource_group_name', Reference.to('var', 'resource_group_name')),
    attribute('network_security_group_name', Reference.to('azurerm_network_security_group', groupLabel, 'name')),
  ]);
}
