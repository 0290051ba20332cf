import { closeInstallReminder } from '../../plan/maintenance.js';
import type { Family } from '../../net/address.js';
import type { Plan } from '../../plan/types.js';
import { managementGroupTag } from '../group-tag.js';
import { aboutLines, fileText, hashComments } from './header.js';
import { finishedFiles, installRules, selectRulesets, alwaysRules, type AccessRule, type Ruleset } from './rulesets.js';
import { hashCommentLines, ruleCommentLimit, safeText, shellWord } from './text.js';
import { linesFile, type LineWriter, type Lines } from '../lines-file.js';
import type { RenderedFile, Target } from '../types.js';

/**
 * iptables: the nftables shapes in `iptables-restore` format, one file per family (`.rules`, `.rules6`), always
 * both, so that a family the plan does not use is closed rather than left open. No ipset: a line per list of
 * source (and destination) CIDRs, which iptables-restore makes one rule per CIDR. See docs/targets/iptables.md.
 */
export const iptables: Target = {
  name: 'iptables',
  summary: 'iptables-restore files (.rules, .rules6): own chains per host that accepts flows and per zone pair',
  options: ['host', 'keep', 'linuxPolicy'],
  render(plan, options) {
    const rulesets = selectRulesets(plan, options, { byDefault: () => true, forward: true, closed: true });
    // The removal files empty INPUT/FORWARD: only for rulesets that own it. Open-only hosts are removed by their script.
    const kinds = new Set(rulesets.filter((r) => r.policy === 'drop-unplanned').map((r) => r.kind));
    return finishedFiles([...rulesets.flatMap((r) => restoreFiles(plan, r)), ...[...kinds].flatMap((k) => removalFiles(plan, k))]);
  },
};

interface Chains {
  /** The built-in chain that jumps to ours; scomfw owns it (the files flush it). */
  readonly builtin: 'INPUT' | 'FORWARD';
  readonly main: string;
  readonly install: string;
}

/**
 * The chain names carry the management group (iptables allows 28 characters: the longest prefix is 12, so the tag
 * gets 16), so that several groups' chains can sit side by side on one host.
 */
function chainsOf(plan: Plan, kind: Ruleset['kind']): Chains {
  const tag = managementGroupTag(plan, 16);
  return kind === 'host'
    ? { builtin: 'INPUT', main: `SCOMFW-IN-${tag}`, install: `SCOMFW-INST-${tag}` }
    : { builtin: 'FORWARD', main: `SCOMFW-FWD-${tag}`, install: `SCOMFW-FWDI-${tag}` };
}

const families: readonly Family[] = [4, 6];
const suffix = (family: Family) => (family === 4 ? 'rules' : 'rules6');
const command = (family: Family) => (family === 4 ? 'iptables' : 'ip6tables');

function restoreFiles(plan: Plan, ruleset: Ruleset): RenderedFile[] {
  const script = ruleset.kind === 'host' ? [{ path: `${ruleset.stem}.sh`, content: hostScript(plan, ruleset) }] : [];
  if (ruleset.closed) return [...families.map((family) => ({ path: `${ruleset.stem}.${suffix(family)}`, content: closedText(plan, ruleset, family) })), ...script];
  const hasInstall = installRules(ruleset).length > 0;
  const lines = ruleset.policy === 'open-only' ? openLines : restoreLines;
  const chains = chainsOf(plan, ruleset.kind);
  return [
    ...families.flatMap((family) => {
      // Written, not held: each file that has them (the full and the close-install file) makes them again.
      const rules: RuleLines = {
        always: (line) => {
          ruleLines(alwaysRules(ruleset), chains.main, family, line);
        },
        install: (line) => {
          ruleLines(installRules(ruleset), chains.install, family, line);
        },
      };
      return [
        linesFile(`${ruleset.stem}.${suffix(family)}`, () => lines(plan, ruleset, family, 'full', rules)),
        ...(hasInstall ? [linesFile(`${ruleset.stem}.close-install.${suffix(family)}`, () => lines(plan, ruleset, family, 'closed', rules))] : []),
      ];
    }),
    ...script,
  ];
}

/** The lines of a ruleset's rules in one family: those of phase always (main chain), those of phase install. */
interface RuleLines {
  readonly always: LineWriter;
  readonly install: LineWriter;
}

/**
 * Open-only: scomfw's chains only, ending in RETURN, so that whatever the planned rules do not accept goes back to
 * INPUT and the host's own rules and policy. INPUT is not in the file: `<host>.sh apply` puts the jump at its top
 * once (iptables-restore has no "add unless there"). Loaded with --noflush the file changes nothing else.
 */
function openLines(plan: Plan, ruleset: Ruleset, family: Family, install: 'full' | 'closed', rules: RuleLines): Lines {
  return filterLines(plan, ruleset, family, openApplyLines(plan, ruleset, family, install), (chains) => [
    `-A ${chains.main} -m conntrack --ctstate INVALID -j RETURN`,
    rules.always,
    `-A ${chains.main} -m comment --comment "install-only openings" -j ${chains.install}`,
    `-A ${chains.main} -m comment --comment "scomfw: not planned, back to INPUT and the host rules" -j RETURN`,
    install === 'full' ? rules.install : noLines,
  ]);
}

/** A filter-table file's lines: the header, scomfw's two chains declared (which empties them), the body, COMMIT. */
function filterLines(plan: Plan, ruleset: Ruleset, family: Family, apply: readonly string[], body: (chains: Chains) => Lines): Lines {
  const chains = chainsOf(plan, ruleset.kind);
  return [
    ...hashComments([...aboutLines(plan, ruleset, `${command(family)} (IPv${family})`), '', ...apply]),
    '*filter',
    `:${chains.main} - [0:0]`,
    `:${chains.install} - [0:0]`,
    ...body(chains),
    'COMMIT',
  ];
}

function openApplyLines(plan: Plan, ruleset: Ruleset, family: Family, install: 'full' | 'closed'): string[] {
  const file = `${ruleset.stem}${install === 'closed' ? '.close-install' : ''}.${suffix(family)}`;
  const { main } = chainsOf(plan, ruleset.kind);
  return [
    ...(install === 'closed' ? [`The ruleset of ${ruleset.stem}.${suffix(family)} without its install-only openings (chain left empty).`, ...closeInstallReminder] : []),
    `This file holds only scomfw's chains: it does not touch INPUT, its rules or its policy.`,
    `Apply:      sh ${ruleset.stem}.sh ${install === 'closed' ? 'close-install' : 'apply'}   (saves ${command(family)}-save first, loads the IPv4 and IPv6 files with --noflush,`,
    `            puts one "-j ${main}" at the top of INPUT; safe to rerun)`,
    `Check:      ${command(family)}-restore --test --noflush < ${file}`,
    `            Always --noflush: without it the whole filter table is replaced and every other filter rule is gone.`,
    `Roll back:  sh ${ruleset.stem}.sh rollback   (restores what ${command(family)}-save wrote before the first apply)`,
    `            or sh ${ruleset.stem}.sh remove   (takes only the jump and scomfw's chains out)`,
    `Keep across reboots: ${command(family)}-save > /etc/iptables/rules.v${family} (iptables-persistent) after applying.`,
  ];
}

/**
 * The filter table layout, idempotent with or without --noflush: declaring our chains empties them, `-F` empties
 * the built-in chain, so loading twice gives the same rules. The close-install file is the same layout with the
 * install chain left empty, so that it is safe whether or not --noflush is given.
 */
function restoreLines(plan: Plan, ruleset: Ruleset, family: Family, install: 'full' | 'closed', rules: RuleLines): Lines {
  return filterLines(plan, ruleset, family, applyLines(plan, ruleset, family, install), (chains) => [
    `-F ${chains.builtin}`,
    `-A ${chains.builtin} -j ${chains.main}`,
    ...baseline(ruleset.kind, family).map((m) => `-A ${chains.main} ${m}`),
    rules.always,
    `-A ${chains.main} -m comment --comment "install-only openings" -j ${chains.install}`,
    `-A ${chains.main} -m comment --comment "scomfw: drop everything not planned" -j DROP`,
    install === 'full' ? rules.install : noLines,
  ]);
}

/**
 * Phase operate on a host that only had install-only flows: the removal layout, under the host's file name. An
 * open-only host keeps INPUT as it is: its chains are emptied (opening nothing) and the script takes them out.
 */
function closedText(plan: Plan, ruleset: Ruleset, family: Family): string {
  const { builtin, main, install } = chainsOf(plan, ruleset.kind);
  const file = `${ruleset.stem}.${suffix(family)}`;
  if (ruleset.policy === 'open-only') {
    return fileText([
      ...hashComments([
        ...aboutLines(plan, ruleset, `${command(family)} (IPv${family})`),
        '',
        `Apply:      sh ${ruleset.stem}.sh apply   (takes the jump from INPUT and the chains ${main} and ${install} out)`,
        `Or:         ${command(family)}-restore --noflush < ${file}   (empties ${main} and ${install}, which opens nothing; INPUT untouched)`,
      ]),
      '*filter',
      `:${main} - [0:0]`,
      `:${install} - [0:0]`,
      `-A ${main} -j RETURN`,
      'COMMIT',
    ]);
  }
  return fileText([
    ...hashComments([
      ...aboutLines(plan, ruleset, `${command(family)} (IPv${family})`),
      '',
      `Check:      ${command(family)}-restore --test --noflush < ${file}`,
      `This file empties ${builtin} (-F ${builtin}): every rule already in ${builtin} is removed.`,
      `Apply:      ${command(family)}-restore --noflush < ${file}   (empties ${builtin}, deletes ${main} and ${install}; safe to rerun)`,
      `Or:         sh ${ruleset.stem}.sh apply   (takes only the jump and scomfw's chains out)`,
    ]),
    ...removalLines(chainsOf(plan, ruleset.kind)),
  ]);
}

/** Accepted before any planned flow: replies, loopback and neighbour discovery; invalid packets dropped. */
function baseline(kind: Ruleset['kind'], family: Family): string[] {
  const conntrack = ['-m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT', '-m conntrack --ctstate INVALID -j DROP'];
  if (kind === 'forward') return conntrack;
  // Without neighbour discovery IPv6 stops working; hop limit 255 proves the packet came from the link.
  const nd = ['neighbour-solicitation', 'neighbour-advertisement', 'router-advertisement'].map(
    (type) => `-p ipv6-icmp -m icmp6 --icmpv6-type ${type} -m hl --hl-eq 255 -j ACCEPT`,
  );
  return [...conntrack, '-i lo -j ACCEPT', ...(family === 6 ? nd : [])];
}

function applyLines(plan: Plan, ruleset: Ruleset, family: Family, install: 'full' | 'closed'): string[] {
  const restore = `${command(family)}-restore`;
  const file = `${ruleset.stem}${install === 'closed' ? '.close-install' : ''}.${suffix(family)}`;
  const { builtin, main } = chainsOf(plan, ruleset.kind);
  return [
    ...(install === 'closed' ? [`The ruleset of ${ruleset.stem}.${suffix(family)} without its install-only openings (chain left empty).`, ...closeInstallReminder] : []),
    `This file empties ${builtin} (-F ${builtin}): every rule already in ${builtin} is removed, and scomfw owns it from then on.`,
    ...(ruleset.kind === 'host'
      ? [`Apply:      sh ${ruleset.stem}.sh ${install === 'closed' ? 'close-install' : 'apply'}   (saves ${command(family)}-save first, then loads the IPv4 and IPv6 files as below)`]
      : []),
    `Check:      ${restore} --test --noflush < ${file}`,
    `${ruleset.kind === 'host' ? 'Load:  ' : 'Apply: '}     ${restore} --noflush < ${file}   (atomic, safe to rerun: empties ${builtin} and the ${main} chains, leaves other chains alone)`,
    `            Without --noflush the whole filter table is replaced and every other filter rule is gone.`,
    ...(ruleset.kind === 'host'
      ? [`Roll back:  sh ${ruleset.stem}.sh rollback   (restores what ${command(family)}-save wrote before the first apply, ${builtin} rules included)`]
      : [`Roll back:  ${restore} --noflush < scomfw-remove-${ruleset.kind}.${suffix(family)}   (or restore what ${command(family)}-save wrote before)`]),
    ...(install === 'full' && installRules(ruleset).length > 0 ? [`After installation: ${restore} --noflush < ${ruleset.stem}.close-install.${suffix(family)}`] : []),
    `Keep across reboots: ${command(family)}-save > /etc/iptables/rules.v${family} (iptables-persistent) after applying.`,
  ];
}

const noLines: readonly string[] = [];

function ruleLines(rules: readonly AccessRule[], chain: string, family: Family, line: (text: string) => void): void {
  for (const rule of rules) addRuleLines(rule, chain, family, line);
}

/**
 * A line per list of source CIDRs (times list of destination CIDRs on a firewall), each given to `line`: without
 * ipset, iptables matches one prefix per rule, and iptables-restore makes one rule per CIDR of `-s a,b,c` (and per
 * pair of `-s` and `-d` CIDRs), in their order. A line per CIDR wrote each rule's comment once per CIDR: 4.9 of
 * the 6.6 MB that 15,000 agents gave, for the same rules in the kernel. A line is its rule's head, the lists and
 * its rule's end (400,000 CIDRs at 150,000 agents).
 */
function addRuleLines(rule: AccessRule, chain: string, family: Family, line: (text: string) => void): void {
  const sources = addressLists(rule.sources.only(family).toCidrs());
  const destinations = rule.destinations ? addressLists(rule.destinations.only(family).toCidrs()) : undefined;
  if (sources.length === 0 || destinations?.length === 0) return;
  const head = `-A ${chain} -s `;
  const end = ` ${serviceMatch(rule, family)} -m comment --comment "${safeText(rule.comment, ruleCommentLimit)}" -j ACCEPT`;
  for (const text of hashCommentLines('from:', rule.sourceNames)) line(text);
  if (rule.destinations) for (const text of hashCommentLines('to:', rule.destinationNames)) line(text);
  for (const s of sources) {
    if (destinations === undefined) line(head + s + end);
    else for (const d of destinations) line(`${head}${s} -d ${d}${end}`);
  }
}

/**
 * The longest list of CIDRs a line gives to `-s` or `-d`: iptables-restore refuses a parameter of 1,024 characters
 * or more ("Parameter too long!", iptables 1.8's add_param_to_argv).
 */
export const addressListLimit = 1000;

/** The CIDRs joined with commas, in their order, into as few lists of at most addressListLimit characters as fit. */
export function addressLists(cidrs: readonly string[]): string[] {
  const lists: string[] = [];
  let list = '';
  for (const cidr of cidrs) {
    if (list === '') list = cidr;
    else if (list.length + 1 + cidr.length <= addressListLimit) list += ',' + cidr;
    else {
      lists.push(list);
      list = cidr;
    }
  }
  if (list !== '') lists.push(list);
  return lists;
}

function serviceMatch(rule: AccessRule, family: Family): string {
  if (!rule.ports) return family === 4 ? '-p icmp -m icmp --icmp-type echo-request' : '-p ipv6-icmp -m icmp6 --icmpv6-type echo-request';
  return `-p ${rule.protocol} -m ${rule.protocol} --dport ${rule.ports.toString(':')}`;
}

/** Empties the built-in chain scomfw owns and deletes scomfw's chains (declared first, so that -X finds them). */
function removalLines({ builtin, main, install }: Chains): string[] {
  return ['*filter', `:${main} - [0:0]`, `:${install} - [0:0]`, `-F ${builtin}`, `-X ${main}`, `-X ${install}`, 'COMMIT'];
}

/** `scomfw-remove-host.rules(6)`: takes scomfw's chains and its jump out again, idempotently. */
function removalFiles(plan: Plan, kind: Ruleset['kind']): RenderedFile[] {
  const { builtin, main, install } = chainsOf(plan, kind);
  return families.map((family) => ({
    path: `scomfw-remove-${kind}.${suffix(family)}`,
    content: fileText([
      ...hashComments([
        `scomfw: removes the ${kind === 'host' ? 'host' : 'zone-pair firewall'} rules that the scomfw ${suffix(family)} files added (IPv${family}).`,
        `It empties ${builtin} (those files own it) and deletes ${main} and ${install}. Safe to rerun.`,
        `Apply: ${command(family)}-restore --noflush < scomfw-remove-${kind}.${suffix(family)}`,
      ]),
      ...removalLines(chainsOf(plan, kind)),
    ]),
  }));
}

/**
 * `sh <host>.sh [apply|close-install|remove|rollback]`: saves iptables-save and ip6tables-save before the first
 * apply, loads both families, and (open-only) hooks scomfw's chain into INPUT once; rollback restores the saved
 * state exactly, remove takes only scomfw's jump and chains out. Both families together, so they never disagree.
 */
function hostScript(plan: Plan, ruleset: Ruleset): string {
  const { main, install } = chainsOf(plan, ruleset.kind);
  const stem = ruleset.stem;
  const word = (suffix: string) => shellWord(`./${stem}${suffix}`);
  const open = ruleset.policy === 'open-only';
  const hasInstall = !ruleset.closed && installRules(ruleset).length > 0;
  return fileText([
    '#!/bin/sh',
    ...hashComments([
      ...aboutLines(plan, ruleset, 'iptables'),
      '',
      `Usage: sh ${stem}.sh [apply|close-install|remove|rollback], as root, next to ${stem}.rules and ${stem}.rules6.`,
      ruleset.closed
        ? `  apply          take the jump from INPUT and the chains ${main} and ${install} out (phase operate)`
        : `  apply          save the running rules (first apply only), load ${stem}.rules and ${stem}.rules6 with --noflush${open ? ',' : ''}`,
      ...(ruleset.closed ? [] : [open ? `                 and put one "-j ${main}" at the top of INPUT (its rules and policy stay)` : `                 (they empty INPUT: scomfw owns it)`]),
      `  close-install  ${hasInstall ? `the same with ${stem}.close-install.rules(6): the install-only openings closed` : 'nothing: this host has no install-only openings'}`,
      `  remove         take the jump from INPUT and scomfw's chains out, leave everything else as it is now`,
      `  rollback       restore exactly what iptables-save and ip6tables-save held before the first apply`,
      `                 (${stem}.before.rules and .rules6, kept beside this script; every table in them is replaced)`,
    ]),
    'set -eu',
    'cd "$(dirname "$0")"',
    `main=${main}`,
    `install=${install}`,
    `before=${word('.before')}`,
    '',
    '# The state before scomfw, saved once: a rerun must not overwrite it with scomfw\'s own rules.',
    'save_before() {',
    '  if [ ! -e "$before.rules" ]; then',
    '    iptables-save > "$before.tmp4"',
    '    ip6tables-save > "$before.tmp6"',
    '    mv "$before.tmp6" "$before.rules6"',
    '    mv "$before.tmp4" "$before.rules"',
    '  fi',
    '}',
    '',
    '# Loads both families, checked first so that a file the kernel refuses changes nothing.',
    'load() {',
    '  iptables-restore --test --noflush < "$1.rules"',
    '  ip6tables-restore --test --noflush < "$1.rules6"',
    '  iptables-restore --noflush < "$1.rules"',
    '  ip6tables-restore --noflush < "$1.rules6"',
    ...(open ? ['  for tool in iptables ip6tables; do', '    "$tool" -C INPUT -j "$main" 2>/dev/null || "$tool" -I INPUT 1 -j "$main"', '  done'] : []),
    '}',
    '',
    'unhook() {',
    '  for tool in iptables ip6tables; do',
    '    while "$tool" -C INPUT -j "$main" 2>/dev/null; do "$tool" -D INPUT -j "$main"; done',
    '    if "$tool" -n -L "$main" >/dev/null 2>&1; then "$tool" -F "$main"; fi',
    '    if "$tool" -n -L "$install" >/dev/null 2>&1; then "$tool" -F "$install"; "$tool" -X "$install"; fi',
    '    if "$tool" -n -L "$main" >/dev/null 2>&1; then "$tool" -X "$main"; fi',
    '  done',
    '}',
    '',
    'rollback() {',
    '  if [ ! -e "$before.rules" ]; then',
    `    echo "scomfw: no ${stem}.before.rules here, so there is nothing to roll back to (was apply run from this directory?); sh $0 remove takes scomfw out" >&2`,
    '    exit 1',
    '  fi',
    '  unhook',
    '  iptables-restore < "$before.rules"',
    '  ip6tables-restore < "$before.rules6"',
    '  rm -f "$before.rules" "$before.rules6"',
    '}',
    '',
    'case "${1:-apply}" in',
    ruleset.closed ? '  apply) unhook ;;' : `  apply) save_before; load ${word('')} ;;`,
    hasInstall ? `  close-install) save_before; load ${word('.close-install')} ;;` : '  close-install) echo "no install-only rules to close" ;;',
    '  remove) unhook ;;',
    '  rollback) rollback ;;',
    '  *) echo "usage: $0 [apply|close-install|remove|rollback]" >&2; exit 2 ;;',
    'esac',
  ]);
}
