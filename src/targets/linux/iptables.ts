import { closeInstallReminder } from '../../plan/maintenance.js';
import type { Family } from '../../net/address.js';
import type { Plan } from '../../plan/types.js';
import { managementGroupTag } from '../group-tag.js';
import { aboutLines, fileText, hashComments } from './header.js';
import { finishedFiles, installRules, selectRulesets, alwaysRules, type AccessRule, type Ruleset } from './rulesets.js';
import { hashCommentLines, ruleCommentLimit, safeText } from './text.js';
import type { RenderedFile, Target } from '../types.js';

/**
 * iptables: the nftables shapes in `iptables-restore` format, one file per family (`.rules`, `.rules6`), always
 * both, so that a family the plan does not use is closed rather than left open. No ipset: one rule per source
 * (and destination) CIDR. See docs/targets/iptables.md.
 */
export const iptables: Target = {
  name: 'iptables',
  summary: 'iptables-restore files (.rules, .rules6): own chains per host that accepts flows and per zone pair',
  options: ['host', 'keep'],
  render(plan, options) {
    const rulesets = selectRulesets(plan, options, { byDefault: () => true, forward: true, closed: true });
    const kinds = new Set(rulesets.map((r) => r.kind));
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
  if (ruleset.closed) return families.map((family) => ({ path: `${ruleset.stem}.${suffix(family)}`, content: closedText(plan, ruleset, family) }));
  const hasInstall = installRules(ruleset).length > 0;
  return families.flatMap((family) => [
    { path: `${ruleset.stem}.${suffix(family)}`, content: restoreText(plan, ruleset, family, 'full') },
    ...(hasInstall ? [{ path: `${ruleset.stem}.close-install.${suffix(family)}`, content: restoreText(plan, ruleset, family, 'closed') }] : []),
  ]);
}

/**
 * The filter table layout, idempotent with or without --noflush: declaring our chains empties them, `-F` empties
 * the built-in chain, so loading twice gives the same rules. The close-install file is the same layout with the
 * install chain left empty, so that it is safe whether or not --noflush is given.
 */
function restoreText(plan: Plan, ruleset: Ruleset, family: Family, install: 'full' | 'closed'): string {
  const chains = chainsOf(plan, ruleset.kind);
  const openInstall = install === 'full' ? installRules(ruleset) : [];
  return fileText([
    ...hashComments([...aboutLines(plan, ruleset, `${command(family)} (IPv${family})`), '', ...applyLines(plan, ruleset, family, install)]),
    '*filter',
    `:${chains.main} - [0:0]`,
    `:${chains.install} - [0:0]`,
    `-F ${chains.builtin}`,
    `-A ${chains.builtin} -j ${chains.main}`,
    ...baseline(ruleset.kind, family).map((m) => `-A ${chains.main} ${m}`),
    ...alwaysRules(ruleset).flatMap((r) => ruleLines(r, chains.main, family)),
    `-A ${chains.main} -m comment --comment "install-only openings" -j ${chains.install}`,
    `-A ${chains.main} -m comment --comment "scomfw: drop everything not planned" -j DROP`,
    ...openInstall.flatMap((r) => ruleLines(r, chains.install, family)),
    'COMMIT',
  ]);
}

/** Phase operate on a host that only had install-only flows: the removal layout, under the host's file name. */
function closedText(plan: Plan, ruleset: Ruleset, family: Family): string {
  const { builtin, main, install } = chainsOf(plan, ruleset.kind);
  const file = `${ruleset.stem}.${suffix(family)}`;
  return fileText([
    ...hashComments([
      ...aboutLines(plan, ruleset, `${command(family)} (IPv${family})`),
      '',
      `Check:      ${command(family)}-restore --test --noflush < ${file}`,
      `Apply:      ${command(family)}-restore --noflush < ${file}   (empties ${builtin}, deletes ${main} and ${install}; safe to rerun)`,
    ]),
    '*filter',
    `:${main} - [0:0]`,
    `:${install} - [0:0]`,
    `-F ${builtin}`,
    `-X ${main}`,
    `-X ${install}`,
    'COMMIT',
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
    `Check:      ${restore} --test --noflush < ${file}`,
    `Apply:      ${restore} --noflush < ${file}   (atomic, safe to rerun: empties ${builtin} and the ${main} chains, leaves other chains alone)`,
    `            Without --noflush the whole filter table is replaced and every other filter rule is gone.`,
    `Roll back:  ${restore} --noflush < scomfw-remove-${ruleset.kind}.${suffix(family)}   (or restore what ${command(family)}-save wrote before)`,
    ...(install === 'full' && installRules(ruleset).length > 0 ? [`After installation: ${restore} --noflush < ${ruleset.stem}.close-install.${suffix(family)}`] : []),
    `Keep across reboots: ${command(family)}-save > /etc/iptables/rules.v${family} (iptables-persistent) after applying.`,
  ];
}

/** One line per source CIDR (times destination CIDR on a firewall): without ipset, iptables matches one prefix per rule. */
function ruleLines(rule: AccessRule, chain: string, family: Family): string[] {
  const sources = rule.sources.only(family).toCidrs();
  const destinations = rule.destinations ? rule.destinations.only(family).toCidrs() : [undefined];
  if (sources.length === 0 || destinations.length === 0) return [];
  const tail = `${serviceMatch(rule, family)} -m comment --comment "${safeText(rule.comment, ruleCommentLimit)}" -j ACCEPT`;
  return [
    ...hashCommentLines('from:', rule.sourceNames),
    ...(rule.destinations ? hashCommentLines('to:', rule.destinationNames) : []),
    ...sources.flatMap((s) => destinations.map((d) => `-A ${chain} -s ${s}${d ? ` -d ${d}` : ''} ${tail}`)),
  ];
}

function serviceMatch(rule: AccessRule, family: Family): string {
  if (!rule.ports) return family === 4 ? '-p icmp -m icmp --icmp-type echo-request' : '-p ipv6-icmp -m icmp6 --icmpv6-type echo-request';
  return `-p ${rule.protocol} -m ${rule.protocol} --dport ${rule.ports.toString(':')}`;
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
      '*filter',
      `:${main} - [0:0]`,
      `:${install} - [0:0]`,
      `-F ${builtin}`,
      `-X ${main}`,
      `-X ${install}`,
      'COMMIT',
    ]),
  }));
}
