import { closeInstallReminder } from '../../plan/maintenance.js';
import type { Family } from '../../net/address.js';
import type { AddressSet } from '../../net/address-set.js';
import type { Plan } from '../../plan/types.js';
import { managementGroupTag } from '../group-tag.js';
import { aboutLines, fileText, hashComments } from './header.js';
import { familiesOf, finishedFiles, installRules, selectRulesets, alwaysRules, type AccessRule, type Ruleset } from './rulesets.js';
import { hashCommentLines, ruleCommentLimit, safeText, shellWord } from './text.js';
import { linesFile, type Lines } from '../lines-file.js';
import type { RenderedFile, Target } from '../types.js';

/**
 * nftables: `<host>.nft`, a standalone `table inet scomfw_<management group>` with an input chain, for every host that accepts flows;
 * `<zoneA>--<zoneB>.nft` (and `all-zones.nft`), a `table inet scomfw_fw_<management group>` forward chain for a firewall between zones;
 * `<name>.close-install.nft` where install-only rules exist. Host rulesets of policy open-only are instead two
 * chains `scomfw_<management group>` in the host's own `table inet filter`, and `<host>.sh` that hooks them into
 * its input chain. See docs/targets/nftables.md.
 */
export const nftables: Target = {
  name: 'nftables',
  summary: 'nftables rulesets (nft -f): an input table per host that accepts flows, a forward table per zone pair',
  options: ['host', 'keep', 'linuxPolicy'],
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
  if (ruleset.kind === 'host' && ruleset.policy === 'open-only') return openOnlyFiles(plan, ruleset);
  if (ruleset.closed) return [{ path: `${ruleset.stem}.nft`, content: closedText(plan, ruleset) }];
  const files = [linesFile(`${ruleset.stem}.nft`, () => rulesetLines(plan, ruleset))];
  if (installRules(ruleset).length > 0) files.push({ path: `${ruleset.stem}.close-install.nft`, content: closeInstallText(plan, ruleset) });
  return files;
}

/** The whole table's lines: an empty declaration and a delete first, so that loading again replaces it in one transaction. */
function rulesetLines(plan: Plan, ruleset: Ruleset): Lines {
  const { table, chain, baseline } = shapeOf(plan, ruleset.kind);
  const install = installRules(ruleset);
  const jump = install.length > 0 ? ['\t\tjump install comment "install-only openings, closed by the close-install file"'] : [];
  const installChain = install.length > 0 ? ['', '\tchain install {', ...install.flatMap(ruleLines), '\t}'] : [];
  return [
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
  ];
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

/** A set's declaration; its names and its elements are runs of lines (the sources of 30,000 agents), not copied again. */
function setBlocks(rule: AccessRule): Lines {
  return setsOf(rule).flatMap((s) => [
    hashCommentLines(`${s.side}:`, s.members).map((l) => `\t${l}`),
    `\tset ${s.name} {`,
    `\t\ttype ${s.family === 4 ? 'ipv4_addr' : 'ipv6_addr'}`,
    '\t\tflags interval',
    '\t\tauto-merge',
    '\t\telements = {',
    s.addresses.toRangeEntries().map((e, i, all) => `\t\t\t${e}${i < all.length - 1 ? ',' : ''}`),
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

// ---- open-only host rulesets ----

/**
 * Where open-only rulesets go: the host's own input chain. nftables judges a packet by every base chain on the hook
 * and an accept ends only its own chain, so an accept in a table of ours would not get past the host's drop; only a
 * rule inside the host's chain can open a port. `table inet filter`, chain `input` is the layout Debian's
 * /etc/nftables.conf and the nftables wiki use.
 */
const hostTable = 'inet filter';
const hostInput = 'input';

function openChains(plan: Plan): { readonly main: string; readonly install: string } {
  const tag = tableTag(plan);
  return { main: `scomfw_${tag}`, install: `scomfw_${tag}_install` };
}

function openOnlyFiles(plan: Plan, ruleset: Ruleset): RenderedFile[] {
  const hasInstall = !ruleset.closed && installRules(ruleset).length > 0;
  return [
    linesFile(`${ruleset.stem}.nft`, () => openRulesetLines(plan, ruleset)),
    ...(hasInstall ? [{ path: `${ruleset.stem}.close-install.nft`, content: openCloseInstallText(plan, ruleset) }] : []),
    { path: `${ruleset.stem}.sh`, content: openScript(plan, ruleset, hasInstall) },
  ];
}

/**
 * Two regular chains in the host's table, declared and emptied first so that loading again replaces their rules
 * in one transaction; nothing else of the table changes. The jump from the host's input chain is the script's.
 */
function openRulesetLines(plan: Plan, ruleset: Ruleset): string[] {
  const { main, install } = openChains(plan);
  const installs = installRules(ruleset);
  const chains = ruleset.closed
    ? []
    : [
        '',
        `table ${hostTable} {`,
        `	chain ${main} {`,
        '		ct state invalid return',
        ...alwaysRules(ruleset).flatMap(inlineRuleLines),
        ...(installs.length > 0 ? [`		jump ${install} comment "install-only openings, closed by the close-install file"`] : []),
        '	}',
        '',
        `	chain ${install} {`,
        ...installs.flatMap(inlineRuleLines),
        '	}',
        '}',
      ];
  return [
    '#!/usr/sbin/nft -f',
    ...hashComments([...aboutLines(plan, ruleset, 'nftables'), '', ...openApplyLines(plan, ruleset)]),
    '',
    `table ${hostTable} {`,
    `	chain ${main} {`,
    '	}',
    `	chain ${install} {`,
    '	}',
    '}',
    `flush chain ${hostTable} ${main}`,
    `flush chain ${hostTable} ${install}`,
    ...chains,
  ];
}

function openApplyLines(plan: Plan, ruleset: Ruleset): string[] {
  const { main, install } = openChains(plan);
  const file = `${ruleset.stem}.nft`;
  if (ruleset.closed) {
    return [
      `Apply:      sh ${ruleset.stem}.sh apply   (takes the jump to ${main} out of chain ${hostInput} and deletes ${main} and ${install})`,
      `Or:         nft -f ${file}   (empties ${main} and ${install}, which opens nothing; the jump to the empty chain stays)`,
    ];
  }
  return [
    `Adds chains ${main} and ${install} to table ${hostTable}, which the host has already, and changes nothing else.`,
    `Check:      nft -c -f ${file}`,
    `Apply:      sh ${ruleset.stem}.sh apply   (checks that table ${hostTable} has chain ${hostInput}, loads this`,
    `            file, puts one "jump ${main}" at the top of chain ${hostInput}; safe to rerun)`,
    `Roll back:  sh ${ruleset.stem}.sh remove   (takes the jump and both chains out; nothing else was changed)`,
    ...(installRules(ruleset).length > 0 ? [`After installation: sh ${ruleset.stem}.sh close-install   (empties chain ${install})`] : []),
    `Keep across reboots: reloading /etc/nftables.conf (flush ruleset) removes the chains. Include this file after`,
    `the table in /etc/nftables.conf and write "jump ${main}" as the first rule of its chain ${hostInput}.`,
  ];
}

/** Empties the install chain; the main chain and the host's rules stay as they are. */
function openCloseInstallText(plan: Plan, ruleset: Ruleset): string {
  const { install } = openChains(plan);
  return fileText([
    '#!/usr/sbin/nft -f',
    ...hashComments([
      ...aboutLines(plan, ruleset, 'nftables close-install'),
      '',
      `Closes the install-only openings of ${ruleset.stem}.nft: empties chain ${install} of table ${hostTable}.`,
      `Apply:      sh ${ruleset.stem}.sh close-install, or nft -f ${ruleset.stem}.close-install.nft   (${ruleset.stem}.nft must be loaded; safe to rerun)`,
      `Reopen:     sh ${ruleset.stem}.sh apply`,
      ...closeInstallReminder,
    ]),
    '',
    `flush chain ${hostTable} ${install}`,
  ]);
}

/** One line per family, with the sources written in place: sets of ours cannot live in the host's table safely. */
function inlineRuleLines(rule: AccessRule): string[] {
  const comment = safeText(rule.comment, ruleCommentLimit);
  return [
    ...hashCommentLines('from:', rule.sourceNames).map((l) => `\t\t${l}`),
    ...familiesOf(rule).map((family) => {
      const ip = family === 4 ? 'ip' : 'ip6';
      const sources = rule.sources.only(family).toRangeEntries().join(', ');
      return `\t\t${ip} saddr { ${sources} } ${serviceMatch(rule, family)} accept comment "${comment}"`;
    }),
  ];
}

/** `sh <host>.sh [apply|close-install|remove]`: loads the chains and hooks them into the host's input chain once. */
function openScript(plan: Plan, ruleset: Ruleset, hasInstall: boolean): string {
  const { main, install } = openChains(plan);
  const file = (suffix: string) => shellWord(`./${ruleset.stem}${suffix}.nft`);
  const apply = ruleset.closed ? 'unhook' : `need_input; nft -f ${file('')}; [ -n "$(jumps)" ] || nft insert rule ${hostTable} ${hostInput} jump ${main}`;
  return fileText([
    '#!/bin/sh',
    ...hashComments([
      ...aboutLines(plan, ruleset, 'nftables'),
      '',
      `Usage: sh ${ruleset.stem}.sh [apply|close-install|remove], as root, next to ${ruleset.stem}.nft.`,
      ruleset.closed
        ? `  apply          take scomfw's chains ${main} and ${install} and the jump to them out (phase operate)`
        : `  apply          load ${ruleset.stem}.nft, put one "jump ${main}" at the top of ${hostTable} ${hostInput}`,
      `  close-install  empty chain ${install} (the install-only openings)`,
      `  remove         take the jump and both chains out again (the roll back); nothing else was changed`,
    ]),
    'set -eu',
    'cd "$(dirname "$0")"',
    '',
    'has_chain() {',
    `  nft list chain ${hostTable} "$1" >/dev/null 2>&1`,
    '}',
    '',
    '# The handles of the rules of the host\'s input chain that jump to our chain.',
    'jumps() {',
    `  nft -a list chain ${hostTable} ${hostInput} | sed -n 's/^[[:space:]]*jump ${main} # handle \\([0-9][0-9]*\\)$/\\1/p'`,
    '}',
    '',
    'need_input() {',
    `  if ! has_chain ${hostInput}; then`,
    `    echo "scomfw: table ${hostTable} has no chain ${hostInput}: open-only needs the host's own input chain to hook into. If firewalld or iptables (ufw) guards this host, use scomfw's firewalld or iptables files instead; if nothing does, nothing needs opening." >&2`,
    '    exit 1',
    '  fi',
    '}',
    '',
    'unhook() {',
    `  if has_chain ${hostInput}; then`,
    `    for handle in $(jumps); do nft delete rule ${hostTable} ${hostInput} handle "$handle"; done`,
    '  fi',
    `  if has_chain ${main}; then nft flush chain ${hostTable} ${main}; fi`,
    `  if has_chain ${install}; then nft delete chain ${hostTable} ${install}; fi`,
    `  if has_chain ${main}; then nft delete chain ${hostTable} ${main}; fi`,
    '}',
    '',
    'case "${1:-apply}" in',
    `  apply) ${apply} ;;`,
    hasInstall ? `  close-install) nft -f ${file('.close-install')} ;;` : '  close-install) echo "no install-only rules to close" ;;',
    '  remove) unhook ;;',
    '  *) echo "usage: $0 [apply|close-install|remove]" >&2; exit 2 ;;',
    'esac',
  ]);
}
