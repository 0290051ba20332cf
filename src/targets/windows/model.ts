import type { Family } from '../../net/address.js';
import type { AddressSet } from '../../net/address-set.js';
import type { Flow, Plan } from '../../plan/types.js';
import { summarizeNames } from '../../text/names.js';
import { UserError } from '../../topology/errors.js';
import { UnsafeValueError } from '../escape.js';
import { managementGroupName } from '../group-tag.js';
import { describeGroup, flowKindsOfGroup, hostsToWrite, inboundGroups, type RuleGroup } from '../rules.js';
import { selectSubjects } from '../select.js';
import type { RenderOptions } from '../types.js';

/*
 * The Windows Firewall rule model, shared by the windows-powershell and netsh targets: the same rule names, display
 * names, descriptions and address entries, whichever tool writes them.
 */

/**
 * Address entries one Windows Firewall rule can hold. Microsoft documents no limit; the community reports rules
 * failing above about 1,000 entries, so larger source sets are split into several rules.
 */
export const maxEntriesPerRule = 1000;

export type WindowsProtocol = 'TCP' | 'UDP' | 'ICMPv4' | 'ICMPv6';

/**
 * `scomfw:<management group>` holds every rule; install-only rules go to `scomfw:<management group>:install` so they
 * can be closed as one. The management group in the name lets several groups share a host.
 */
export type WindowsGroup = string;

/** The two rule groups of this plan's management group: every rule, and the install-only ones. */
export function windowsGroups(plan: Plan): { always: WindowsGroup; install: WindowsGroup } {
  const mg = managementGroupName(plan);
  // A colon cannot occur in a management group name, so no two groups' names can meet.
  return { always: `scomfw:${mg}`, install: `scomfw:${mg}:install` };
}

/** The groups rules had before they carried the management group; the rerun removes this group's rules from them. */
export const legacyWindowsGroups: readonly string[] = ['scomfw', 'scomfw-install'];

/** How a rule's description starts, naming its management group: how legacy rules of this group are told apart. */
export function descriptionStart(plan: Plan): string {
  return `scomfw, management group ${managementGroupName(plan)}.`;
}

/** One plan rule group as Windows Firewall needs it: one protocol (ICMP: one family), all its source entries. */
export interface WindowsRuleSet {
  /** Stable and unique on the host, so reruns update rules instead of adding copies: `scomfw:CONTOSO:tcp-5723-always`. */
  readonly name: string;
  /** `SCOM - agent to management server (TCP 5723)`. */
  readonly title: string;
  /** Shown after the title in brackets: `install only`, `IPv4`. */
  readonly qualifiers: readonly string[];
  readonly group: WindowsGroup;
  readonly installOnly: boolean;
  readonly description: string;
  readonly protocol: WindowsProtocol;
  /** `5723` or `49152-65535`; absent for ICMP. */
  readonly localPort?: string;
  /** ICMP echo request: 8 for ICMPv4, 128 for ICMPv6. */
  readonly icmpType?: number;
  /** The sources as merged entries (single address, CIDR or `a-b`), never empty. */
  readonly remoteAddresses: readonly string[];
}

/** One rule as written: a rule set, or one part of a rule set split over the entry limit. */
export interface WindowsRule {
  readonly set: WindowsRuleSet;
  /** The set's name for part 1, then `-2`, `-3`, … */
  readonly name: string;
  readonly displayName: string;
  readonly part: number;
  readonly parts: number;
  readonly remoteAddresses: readonly string[];
}

/** A host the Windows targets write for: its name is all their scripts need of it. */
export interface WindowsHost {
  readonly name: string;
}

/** The Windows hosts to write for: every one that accepts a flow, or the one options.host names. */
export function windowsHosts(plan: Plan, options: RenderOptions): WindowsHost[] {
  return selectSubjects(plan, options.host, {
    all: hostsToWrite(plan).filter((h) => h.os === 'windows'),
    nameOf: (h) => h.name,
    noun: 'Windows hosts that accept flows',
    whyNot: (h) => (h.os === 'windows' ? 'accepts no flow in this plan' : `is not a Windows host (os ${h.os})`),
  });
}

/** The rule sets a host needs, in plan order; throws on anything that would widen a rule or break a script. */
export function windowsRuleSets(plan: Plan, host: WindowsHost): WindowsRuleSet[] {
  const sets = inboundGroups(plan, host.name).flatMap((g) => ruleSetsOf(plan, g));
  const names = new Set<string>();
  for (const s of sets) {
    // inboundGroups gives a host one group per (protocol, ports, phase), which the name spells out; a clash
    // would mean two rules overwriting each other on every run, so it stops the render instead.
    if (names.has(s.name)) throw new Error(`two rule groups on ${host.name} would share the rule name ${s.name}`);
    names.add(s.name);
  }
  return sets;
}

/*
 * The plan was checked against its schema by the registry (every endpoint has addresses, ports are PortRanges,
 * protocol and phase are known words), so nothing here re-checks it. Windows Firewall reads an empty remote
 * address list as "any address": the schema's non-empty addresses are what keep one from being written.
 */
function ruleSetsOf(plan: Plan, g: RuleGroup): WindowsRuleSet[] {
  const phase = g.phase;
  const installOnly = phase === 'install' ? ['install only'] : [];
  if (g.protocol !== 'icmp' && g.ports) {
    const port = g.ports.toString();
    const name = `scomfw:${managementGroupName(plan)}:${g.protocol}-${port}-${phase}`;
    return [ruleSet(plan, g, name, portProtocols[g.protocol], g.sourceAddresses, installOnly, { localPort: port })];
  }
  return ([4, 6] as const)
    .filter((family) => g.sourceAddresses.has(family))
    .map((family) => {
      const protocol = icmpProtocols[family];
      const name = `scomfw:${managementGroupName(plan)}:${protocol.toLowerCase()}-echo-${phase}`;
      return ruleSet(plan, g, name, protocol, g.sourceAddresses.only(family), [`IPv${family}`, ...installOnly], { icmpType: icmpEchoTypes[family] });
    });
}

const icmpProtocols: Record<Family, WindowsProtocol> = { 4: 'ICMPv4', 6: 'ICMPv6' };
const portProtocols: Record<'tcp' | 'udp', WindowsProtocol> = { tcp: 'TCP', udp: 'UDP' };
const icmpEchoTypes: Record<Family, number> = { 4: 8, 6: 128 };

function ruleSet(
  plan: Plan,
  g: RuleGroup,
  name: string,
  protocol: WindowsProtocol,
  sources: AddressSet,
  qualifiers: string[],
  match: { localPort: string } | { icmpType: number },
): WindowsRuleSet {
  return {
    name,
    title: `SCOM - ${describeGroup(g)}`,
    qualifiers,
    group: g.phase === 'install' ? windowsGroups(plan).install : windowsGroups(plan).always,
    installOnly: g.phase === 'install',
    description: descriptionOf(plan, g),
    protocol,
    ...match,
    remoteAddresses: sources.toRangeEntries(),
  };
}

/** Catalog rows, sources and flow notes: what an auditor reading the rule in wf.msc needs to trace it back. */
function descriptionOf(plan: Plan, g: RuleGroup): string {
  const notes = [...distinctNotes(flowKindsOfGroup(g))].sort();
  return [
    descriptionStart(plan),
    `Catalog rows: ${g.rows.join(', ')}.`,
    `Sources: ${summarizeNames(g.sourceNames, 10)}.`,
    ...(notes.length ? [`Notes: ${summarizeNames(notes, 10, '; ')}.`] : []),
  ].join(' ');
}

/**
 * Every note of the flows, each once. The flows of one class of alike hosts share their notes list: a management
 * server's 150,000 inbound flows hold a few lists, each read once, instead of being flattened into one array.
 */
function distinctNotes(flows: readonly Flow[]): Set<string> {
  const notes = new Set<string>();
  const read = new Set<readonly string[]>();
  for (const f of flows) {
    if (read.has(f.notes)) continue;
    read.add(f.notes);
    for (const n of f.notes) notes.add(n);
  }
  return notes;
}

/**
 * The rules a set is written as: one, or several when its entries pass `maxEntries` (or, for netsh, the room left
 * on a cmd.exe line: `maxChars` of comma-joined entries). Together the parts hold exactly the set's entries.
 */
export function splitRuleSet(set: WindowsRuleSet, limits: { maxEntries: number; maxChars?: number }): WindowsRule[] {
  const maxChars = limits.maxChars ?? Infinity;
  const chunks: string[][] = [];
  let chunk: string[] = [];
  let chars = 0;
  for (const entry of set.remoteAddresses) {
    if (entry.length > maxChars) throw new Error(`no room for the address entry ${entry} in rule ${set.name}`);
    if (chunk.length >= limits.maxEntries || (chunk.length > 0 && chars + 1 + entry.length > maxChars)) {
      chunks.push(chunk);
      chunk = [];
      chars = 0;
    }
    chars += (chunk.length > 0 ? 1 : 0) + entry.length;
    chunk.push(entry);
  }
  chunks.push(chunk);
  return chunks.map((remoteAddresses, i) => {
    const qualifiers = chunks.length > 1 ? [...set.qualifiers, `part ${i + 1} of ${chunks.length}`] : set.qualifiers;
    return {
      set,
      name: i === 0 ? set.name : `${set.name}-${i + 1}`,
      displayName: qualifiers.length ? `${set.title} [${qualifiers.join(', ')}]` : set.title,
      part: i + 1,
      parts: chunks.length,
      remoteAddresses,
    };
  });
}

const profileNames = ['Any', 'Domain', 'Private', 'Public'] as const;

/** The firewall profiles from `--profile` (`Domain,Private`), in canonical spelling; default Any. */
export function windowsProfiles(option: string | undefined): string[] {
  if (option === undefined) return ['Any'];
  const hint = 'write Any, or one or more of Domain, Private, Public separated by commas';
  const picked = option.split(',').map((p) => {
    const name = profileNames.find((n) => n.toLowerCase() === p.trim().toLowerCase());
    if (!name) throw new UserError(`unknown Windows Firewall profile ${JSON.stringify(p.trim())}`, undefined, hint);
    return name;
  });
  const unique = [...new Set(picked)].sort((a, b) => profileNames.indexOf(a) - profileNames.indexOf(b));
  if (unique.includes('Any') && unique.length > 1) throw new UserError('the profile Any cannot be combined with others', undefined, hint);
  return unique;
}

/** A host (or group) name as a file name: DNS-like characters only, never a path or a Windows device name. */
export function hostFileStem(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/.test(name)) throw new UnsafeValueError(name, 'a file name (the host name)', 'names must be DNS-like');
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(name)) throw new UnsafeValueError(name, 'a file name (the host name)', 'it is a reserved device name on Windows');
  return name;
}

