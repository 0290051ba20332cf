import { closeInstallReminder } from '../../plan/maintenance.js';
import type { Family } from '../../net/address.js';
import type { AddressSet } from '../../net/address-set.js';
import type { Plan } from '../../plan/types.js';
import { managementGroupTag } from '../group-tag.js';
import { aboutLines, fileText, hashComments } from './header.js';
import { familiesOf, finishedFiles, installRules, selectRulesets, alwaysRules, type AccessRule, type Ruleset } from './rulesets.js';
import { hashCommentLines, ruleCommentLimit, safeText } from './text.js';
import type { RenderedFile, Target } from '../types.js';

/**
 * nftables: `<host>.nft`, a standalone `table inet scomfw_<management group>` with an input chain, for every host that accepts flows;
 * `<zoneA>--<zoneB>.nft` (and `all-zones.nft`), a `table inet scomfw_fw_<management group>` forward chain for a firewall between zones;
 * `<name>.close-install.nft` where install-only rules exist. See docs/targets/nftables.md.
 */
export const nftables: Target = {
  name: 'nftables',
  summary: 'nftables rulesets (nft -f): an input table per host that accepts flows, a forward table per zone pair',
  options: ['host', 'keep'],
  render(plan, options) {
    const rulesets = selectRulesets(plan, options, { byDefault: () => true, forward: true, closed: true });
    return finishedFiles(rulesets.flatMap((r) => nftFiles(plan, r)));
  },
};

interface Shape {
  readonly table: string;
  readonly chain: string;
  /** Accepted before any planned flow: replies, loopback, neighbour discovery; invalid packets dropped. */
  readonly baseline: readonly string[];
}

const conntrack = ['ct state established,related accept', 'ct state invalid drop'];

/** nft identifiers take letters, digits and `_`; the tag keeps names short enough to read in `nft list tables`. */
const tableTag = (plan: Plan) => managementGroupTag(plan, 40);

/** The table names carry the management group, so several groups' tables can sit side by side on one host. */
function shapeOf(plan: Plan, kind: Ruleset['kind']): Shape {
  const base = baseShapes[kind];
  return { ...base, table: `${base.table}_${tableTag(plan)}` };
}

const baseShapes: Readonly<Record<Ruleset['kind'], Shape>> = {
  host: {
    table: 'scomfw',
    chain: 'input',
    baseline: [
      ...conntrack,
      'iif "lo" accept',
      // Without neighbour discovery IPv6 stops working; hop limit 255 proves the packet came from the link.
      'icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert } ip6 hoplimit 255 accept',
    ],
  },
  forward: { table: 'scomfw_fw', chain: 'forward', baseline: conntrack },
};

function nftFiles(plan: Plan, ruleset: Ruleset): RenderedFile[] {
  if (ruleset.closed) return [{ path: `${ruleset.stem}.nft`, content: closedText(plan, ruleset) }];
  const files = [{ path: `${ruleset.stem}.nft`, content: rulesetText(plan, ruleset) }];
  if (installRules(ruleset).length > 0) files.push({ path: `${ruleset.stem}.close-install.nft`, content: closeInstallText(plan, ruleset) });
  return files;
}

/** The whole table: an empty declaration and a delete first, so that loading again replaces it in one transaction. */
function rulesetText(plan: Plan, ruleset: Ruleset): string {
  const { table, chain, baseline } = shapeOf(plan, ruleset.kind);
  const install = installRules(ruleset);
  const jump = install.length > 0 ? ['\t\tjump install comment "install-only openings, closed by the close-install file"'] : [];
  const installChain = install.length > 0 ? ['', '\tchain install {', ...install.flatMap(ruleLines), '\t}'] : [];
  return fileText([
    '#!/usr/sbin/nft -f',
    ...hashComments([...aboutLines(plan, ruleset, 'nftables'), '', ...applyLines(plan, ruleset)]),
    '',
    `table inet ${table} {}`,
    `delete table inet ${table}`,
    '',
    `table inet ${table} {`,
    ...ruleset.rules.flatMap(setBlocks),
    `\tchain ${chain} {`,
    `\t\ttype filter hook ${chain} priority filter; policy drop;`,
    ...baseline.map((l) => `\t\t${l}`),
    ...alwaysRules(ruleset).flatMap(ruleLines),
    ...jump,
    '\t}',
    ...installChain,
    '}',
  ]);
}

function applyLines(plan: Plan, ruleset: Ruleset): string[] {
  const { table } = shapeOf(plan, ruleset.kind);
  const file = `${ruleset.stem}.nft`;
  return [
    `Check:      nft -c -f ${file}`,
    `Apply:      nft -f ${file}   (one atomic transaction; replaces table inet ${table} and touches no other table; safe to rerun)`,
    `Roll back:  nft delete table inet ${table}`,
    ...(installRules(ruleset).length > 0 ? [`After installation: nft -f ${ruleset.stem}.close-install.nft   (empties chain install and its sets)`] : []),
    'Keep across reboots: include this file from /etc/nftables.conf and enable nftables.service.',
  ];
}

/** Phase operate on a host that only had install-only flows: deletes the table the install ruleset made. */
function closedText(plan: Plan, ruleset: Ruleset): string {
  const { table } = shapeOf(plan, ruleset.kind);
  const file = `${ruleset.stem}.nft`;
  return fileText([
    '#!/usr/sbin/nft -f',
    ...hashComments([
      ...aboutLines(plan, ruleset, 'nftables'),
      '',
      `Check:      nft -c -f ${file}`,
      `Apply:      nft -f ${file}   (deletes table inet ${table} if it is there; touches no other table; safe to rerun)`,
    ]),
    '',
    `table inet ${table} {}`,
    `delete table inet ${table}`,
  ]);
}

/** Empties the install chain and its sets in one transaction; the rest of the table stays as it is. */
function closeInstallText(plan: Plan, ruleset: Ruleset): string {
  const { table } = shapeOf(plan, ruleset.kind);
  const install = installRules(ruleset);
  return fileText([
    '#!/usr/sbin/nft -f',
    ...hashComments([
      ...aboutLines(plan, ruleset, 'nftables close-install'),
      '',
      `Closes the install-only openings of ${ruleset.stem}.nft: empties chain install and the sets only it uses.`,
      `Apply:      nft -f ${ruleset.stem}.close-install.nft   (${ruleset.stem}.nft must be loaded; safe to rerun)`,
      `Reopen:     nft -f ${ruleset.stem}.nft`,
      ...closeInstallReminder,
    ]),
    '',
    `flush chain inet ${table} install`,
    ...install.flatMap((rule) => setsOf(rule).map((s) => `flush set inet ${table} ${s.name}`)),
  ]);
}

interface NamedSet {
  readonly name: string;
  readonly family: Family;
  readonly addresses: AddressSet;
  readonly side: 'from' | 'to';
  readonly members: readonly string[];
}

/** One set per family and side of a rule: `tcp_5723_v4` on a host, `tcp_5723_src_v4`/`_dst_v4` on a firewall. */
function setsOf(rule: AccessRule): NamedSet[] {
  return familiesOf(rule).flatMap((family) => {
    const from: NamedSet = { name: setName(rule, 'src', family), family, addresses: rule.sources.only(family), side: 'from', members: rule.sourceNames };
    if (!rule.destinations) return [from];
    return [from, { name: setName(rule, 'dst', family), family, addresses: rule.destinations.only(family), side: 'to', members: rule.destinationNames }];
  });
}

function setName(rule: AccessRule, side: 'src' | 'dst', family: Family): string {
  return rule.destinations ? `${rule.name}_${side}_v${family}` : `${rule.name}_v${family}`;
}

function setBlocks(rule: AccessRule): string[] {
  return setsOf(rule).flatMap((s) => [
    ...hashCommentLines(`${s.side}:`, s.members).map((l) => `\t${l}`),
    `\tset ${s.name} {`,
    `\t\ttype ${s.family === 4 ? 'ipv4_addr' : 'ipv6_addr'}`,
    '\t\tflags interval',
    '\t\tauto-merge',
    '\t\telements = {',
    ...s.addresses.toRangeEntries().map((e, i, all) => `\t\t\t${e}${i < all.length - 1 ? ',' : ''}`),
    '\t\t}',
    '\t}',
    '',
  ]);
}

/** One line per family: `ip saddr @set [ip daddr @set] tcp dport 5723 accept comment "…"`. */
function ruleLines(rule: AccessRule): string[] {
  const comment = safeText(rule.comment, ruleCommentLimit);
  return familiesOf(rule).map((family) => {
    const ip = family === 4 ? 'ip' : 'ip6';
    const daddr = rule.destinations ? ` ${ip} daddr @${setName(rule, 'dst', family)}` : '';
    return `\t\t${ip} saddr @${setName(rule, 'src', family)}${daddr} ${serviceMatch(rule, family)} accept comment "${comment}"`;
  });
}

function serviceMatch(rule: AccessRule, family: Family): string {
  if (!rule.ports) return family === 4 ? 'icmp type echo-request' : 'icmpv6 type echo-request';
  return `${rule.protocol} dport ${rule.ports.toString()}`;
}
