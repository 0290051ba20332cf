import { roleLabels } from '../../catalog/roles.js';
import type { FlowPhase } from '../../catalog/types.js';
import type { Family } from '../../net/address.js';
import { comparePortRanges, compareProtocols, type PortRange, type Protocol } from '../../net/port.js';
import { AddressRange } from '../../net/range.js';
import type { Flow, Plan } from '../../plan/types.js';
import { aggregate, flowsMeeting, flowsOfBlock, spanOf, unaggregatedRuleCount, type Block, type Cost } from './aggregate.js';
import { ruleDescription } from './describe.js';
import { destinationSets, type DestinationSet } from './destinations.js';
import { attribute, block, hclFile, Reference, type Block as HclBlock } from './hcl.js';
import { awsTagValue, awsText, fitted, labelled, terraformLabel } from './names.js';
import { attachNote, cloudHeader, familyNote, type CloudRuleCounts } from './terraform.js';
import type { RenderedFile, Target } from '../types.js';
import { UserError } from '../../topology/errors.js';

/** AWS: inbound rules per security group, counted separately for IPv4 and IPv6 (adjustable quota). */
export const rulesPerGroupAndFamily = 60;
/** Security groups one network interface may wear by default (16 on request). */
const groupsPerInterface = 5;
/** The most security groups AWS lets one network interface wear, whatever the quota. */
export const maxGroupsPerInterface = 16;

/** One ingress rule: one source CIDR and one port range, as AWS counts rules. */
interface AwsRule {
  readonly family: Family;
  readonly protocol: Protocol;
  readonly phase: FlowPhase;
  readonly cidr: string;
  readonly first: bigint;
  readonly span: PortRange;
  /** The flows the rule serves, for its description. */
  readonly flows: readonly Flow[];
}

/** One security group: a destination set, or one part of it when its rules exceed the quota. */
interface SecurityGroup {
  readonly set: DestinationSet;
  readonly part: number;
  readonly parts: number;
  readonly rules: readonly AwsRule[];
}

export const aws: Target = {
  name: 'aws',
  summary: 'Terraform for AWS: a security group per set of hosts that accept the same flows (aws.tf)',
  options: ['host'],
  render(plan, options): RenderedFile[] {
    const groups = labelled(securityGroups(plan, options.host), (g) => terraformLabel(groupName(g)));
    const resources = groups.flatMap(({ item, label }) => groupBlocks(plan, item, label));
    return [{ path: 'aws.tf', content: hclFile(header(plan), [providerBlock, vpcVariable, ...resources]) }];
  },
};

/** Security groups and rules the plan needs, and what one rule per flow and source CIDR would need. */
export function ruleCounts(plan: Plan): CloudRuleCounts {
  let groups = 0;
  let rules = 0;
  let unaggregatedRules = 0;
  for (const set of destinationSets(plan)) {
    const blocks = aggregate(set.openings, set.families, ruleCount);
    const perFamily = set.families.map((family) => ruleCount(blocks.filter((b) => b.family === family)));
    groups += partsFor(perFamily);
    rules += perFamily.reduce((a, b) => a + b, 0);
    unaggregatedRules += unaggregatedRuleCount(set.flows, set.families);
  }
  return { groups, rules, unaggregatedRules };
}

/** AWS counts one rule per CIDR and port range. */
const ruleCount: Cost = (blocks) => blocks.reduce((n, b) => n + b.sources.toCidrs().length * b.ports.length, 0);

const partsFor = (rulesPerFamily: readonly number[]): number => Math.max(1, ...rulesPerFamily.map((n) => Math.ceil(n / rulesPerGroupAndFamily)));

function securityGroups(plan: Plan, only?: string): SecurityGroup[] {
  return destinationSets(plan, only).flatMap((set) => {
    const blocks = aggregate(set.openings, set.families, ruleCount);
    // Refused on the count of rules alone, before each rule is found the flows it serves (which a refused set at
    // 150,000 agents would build 300,000 of for nothing).
    const parts = partsFor(set.families.map((family) => ruleCount(blocks.filter((b) => b.family === family))));
    if (parts > maxGroupsPerInterface) throw tooManyGroups(set, parts);
    return splitByQuota(set, rulesOf(set, blocks));
  });
}

function rulesOf(set: DestinationSet, blocks: readonly Block[]): AwsRule[] {
  return blocks.flatMap((b) => rulesOfBlock(b, set.flows)).sort(compareRules);
}

function rulesOfBlock(b: Block, flows: readonly Flow[]): AwsRule[] {
  const ranges = b.sources.toCidrs().map((cidr) => ({ cidr, range: AddressRange.parse(cidr) }));
  const meeting = flowsMeeting(
    ranges.map((r) => r.range),
    flowsOfBlock(b, flows),
    b.family,
  );
  return ranges.flatMap(({ cidr, range }, i) =>
    b.ports.map((span) => ({
      family: b.family,
      protocol: b.protocol,
      phase: b.phase,
      cidr,
      first: range.first,
      span,
      flows: (meeting[i] ?? []).filter((f) => span.meets(spanOf(f))),
    })),
  );
}


function compareRules(a: AwsRule, b: AwsRule): number {
  return (
    compareProtocols(a.protocol, b.protocol) ||
    comparePortRanges(a.span, b.span) ||
    a.family - b.family ||
    (a.first < b.first ? -1 : a.first > b.first ? 1 : 0)
  );
}

/**
 * Parts of at most 60 rules per family. Every part goes on the same instances, and security groups add up
 * (a packet is allowed when any group allows it), so the parts together allow exactly what one group would.
 */
function splitByQuota(set: DestinationSet, rules: readonly AwsRule[]): SecurityGroup[] {
  const byFamily = set.families.map((family) => rules.filter((r) => r.family === family));
  const parts = partsFor(byFamily.map((list) => list.length));
  if (parts > maxGroupsPerInterface) throw tooManyGroups(set, parts);
  return Array.from({ length: parts }, (_, i) => ({
    set,
    part: i + 1,
    parts,
    rules: byFamily.flatMap((list) => list.slice(i * rulesPerGroupAndFamily, (i + 1) * rulesPerGroupAndFamily)).sort(compareRules),
  }));
}

/** A host would wear more security groups than any AWS network interface may: refused, as Azure refuses its limits. */
function tooManyGroups(set: DestinationSet, parts: number): UserError {
  const host = set.hosts[0]?.name ?? set.name;
  return new UserError(
    `the flows into ${host} need ${parts} security groups of ${rulesPerGroupAndFamily} rules on one network interface; AWS allows ${groupsPerInterface} by default and ${maxGroupsPerInterface} at most`,
    undefined,
    `give the sources of ${host} as prefixes or ranges (addresses: [10.0.0.0/24]) so their rules aggregate, or spread its roles over more instances; raising the rules-per-group quota is not modelled (scomfw assumes ${rulesPerGroupAndFamily})`,
  );
}

const groupName = (g: SecurityGroup): string => (g.part === 1 ? g.set.name : `${g.set.name}-${g.part}`);

function header(plan: Plan): string[] {
  return [
    ...cloudHeader(plan, 'aws.tf'),
    'One security group per set of hosts that play the same roles and accept the same flows: attach it to',
    "those hosts' instances (the tag scomfw:attach-to names them). Each rule is one source CIDR and one port",
    'range, as AWS counts rules; sources are merged into the fewest exact CIDRs and ports into ranges only',
    'where that opens nothing extra.',
    `AWS allows ${rulesPerGroupAndFamily} inbound rules per group, counted separately for IPv4 and IPv6. A set that needs`,
    'more is split into parts (-2, -3, ...); put every part on the same instances, together they allow exactly',
    'the planned flows.',
    'The groups hold no egress rules (Terraform removes the default allow-all egress of groups it creates):',
    "the hosts' outbound traffic is left to their other security groups.",
  ];
}

const providerBlock = block('terraform', [], [
  block('required_providers', [], [attribute('aws', { source: 'hashicorp/aws', version: '>= 5.0' })]),
]);

const vpcVariable = block('variable', ['vpc_id'], [
  attribute('type', Reference.to('string')),
  attribute('description', 'The VPC the security groups are created in.'),
]);

function groupBlocks(plan: Plan, g: SecurityGroup, label: string): HclBlock[] {
  const name = fitted(`scom-${plan.managementGroup}-${groupName(g)}`, awsText);
  const group = block(
    'resource',
    ['aws_security_group', label],
    [
      attribute('name', name),
      attribute('description', fitted(`SCOM ${plan.managementGroup} inbound: ${g.set.roles.map((r) => roleLabels[r] ?? r).join(', ') || 'host'}`, awsText)),
      attribute('vpc_id', Reference.to('var', 'vpc_id')),
      attribute('tags', { Name: fitted(name, awsTagValue), 'scomfw:attach-to': fitted(g.set.hosts.map((h) => h.name).join(' '), awsTagValue) }),
    ],
    groupComments(g),
  );
  const rules = labelled(g.rules, (r) => terraformLabel(`${label}__${r.protocol}_${portLabel(r)}__${r.cidr}`));
  return [group, ...rules.map((r) => ruleBlock(r.item, label, r.label))];
}

function groupComments(g: SecurityGroup): string[] {
  const comments = [attachNote(g.set), ...familyNote(g.set)];
  if (g.parts > 1) {
    comments.push(`Part ${g.part} of ${g.parts}: the set needs more than ${rulesPerGroupAndFamily} rules in one family.`);
    if (g.parts > groupsPerInterface) {
      comments.push(`An instance wears at most ${groupsPerInterface} security groups by default: raise that quota (up to 16) first.`);
    }
  }
  return comments;
}

const portLabel = (r: AwsRule): string => (r.protocol === 'icmp' ? 'echo' : r.span.toString('_'));

/** ICMP echo request: type 8 (IPv4) or 128 (IPv6), code 0; AWS takes the type in from_port, the code in to_port. */
function protocolAttributes(r: AwsRule) {
  if (r.protocol !== 'icmp') return [attribute('ip_protocol', r.protocol), attribute('from_port', r.span.from), attribute('to_port', r.span.to)];
  return [attribute('ip_protocol', r.family === 4 ? 'icmp' : 'icmpv6'), attribute('from_port', r.family === 4 ? 8 : 128), attribute('to_port', 0)];
}

function ruleBlock(r: AwsRule, groupLabel: string, label: string): HclBlock {
  return block('resource', ['aws_vpc_security_group_ingress_rule', label], [
    attribute('security_group_id', Reference.to('aws_security_group', groupLabel, 'id')),
    attribute('description', ruleDescription(r.flows, r.protocol, [r.span], r.phase, awsText)),
    ...protocolAttributes(r),
    attribute(r.family === 4 ? 'cidr_ipv4' : 'cidr_ipv6', r.cidr),
  ]);
}
