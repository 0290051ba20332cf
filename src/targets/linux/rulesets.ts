import type { FlowPhase } from '../../catalog/types.js';
import type { Family } from '../../net/address.js';
import { AddressSet } from '../../net/address-set.js';
import { accessEntryHint, AccessEntryError, parseAccessEntry, type AccessEntry } from '../../net/access-entry.js';
import { comparePortRanges, PortRange, portsText, protocolPorts, type Protocol } from '../../net/port.js';
import { compareText } from '../../plan/order.js';
import type { Endpoint, Flow, Plan } from '../../plan/types.js';
import { UserError } from '../../topology/errors.js';
import { addressSetOf, classOpeningFrom, openingOfFlows, openingsOf, sourceZonesOf, type Opening } from '../../plan/openings.js';
import { planRows, type RowFlow } from '../../plan/expand.js';
import { describeGroup, hostsToWrite, inboundGroups, listeningHosts, ruleGroupsOf, type RuleGroup } from '../rules.js';
import { selectSubjects } from '../select.js';
import { linuxPolicies, type LinuxPolicy, type RenderedFile, type RenderOptions } from '../types.js';
import { fileStem, safeText } from './text.js';

/**
 * The model the three Linux targets (nftables, iptables, firewalld) share: which rulesets to write, and the
 * accept rules in each. The targets only turn this into their syntax, so they agree on every decision.
 */

/** One accept rule: these sources may open connections to this port. */
export interface AccessRule {
  /** Unique in its ruleset, `[a-z0-9_]`: names the nft sets and tells the reader what the rule opens. */
  readonly name: string;
  readonly protocol: Protocol;
  /** Destination ports; null for ICMP echo request. */
  readonly ports: PortRange | null;
  readonly phase: FlowPhase;
  /** Sources, only in the families the rule is written for (never empty). */
  readonly sources: AddressSet;
  /** Destinations, for forward rulesets; a host ruleset accepts on any address of the host. */
  readonly destinations?: AddressSet;
  /** Catalog rows and what the rule is for; raw text, each target makes it safe for its syntax. */
  readonly comment: string;
  readonly sourceNames: readonly string[];
  readonly destinationNames: readonly string[];
}

export interface Ruleset {
  /** `host`: what one host (or each machine of a group) accepts; `forward`: what a firewall between zones passes. */
  readonly kind: 'host' | 'forward';
  /**
   * `open-only`: accept the planned flows and leave every other packet to the host's own rules; `drop-unplanned`:
   * drop every new connection not planned. Forward rulesets are always drop-unplanned (a zone firewall's job).
   */
  readonly policy: LinuxPolicy;
  /** The file name without extension: the host name, `zoneA--zoneB` or `all-zones`. */
  readonly stem: string;
  /** "host linux01 (10.0.0.5)", "firewall between zones corp and dmz". */
  readonly title: string;
  /** The management access entries (managementAccess, --keep) first, then the planned flows in plan order. */
  readonly rules: readonly AccessRule[];
  /** Statements the reader of the file must see: stand-in use, missing management access, rules not written. */
  readonly notes: readonly string[];
  /**
   * Phase operate, and every flow into the host was install-only: nothing is left to accept, so the file removes
   * what the install ruleset loaded instead of writing an empty one that would drop everything.
   */
  readonly closed?: true;
}

/** Which rulesets a target can write: hosts picked by default, and whether zone-pair forward rulesets exist. */
export interface RulesetChoice {
  readonly byDefault: (host: Endpoint) => boolean;
  readonly forward: boolean;
  /** Whether the target writes a removal for the plan's closedHosts (phase operate, only install-only flows). */
  readonly closed?: boolean;
}

/** The rulesets to write for this plan and these options; `options.host` picks one host or zone pair by name. */
export function selectRulesets(plan: Plan, options: RenderOptions, choice: RulesetChoice): Ruleset[] {
  // Management access: the deployment file's managementAccess, then --keep.
  const keep = mergedKeepEntries([...parsedKeepEntries(plan.managementAccess ?? [], 'managementAccess'), ...parsedKeepEntries(options.keep ?? [], '--keep')]);
  const closed = new Set(choice.closed ? (plan.closedHosts ?? []) : []);
  const listening = choice.closed ? hostsToWrite(plan) : listeningHosts(plan);
  const forward = choice.forward ? forwardSubjectsOnce(plan) : [];
  type Subject = { readonly host: Endpoint } | { readonly pair: ForwardSubject };
  const subjects: Subject[] = [...listening.map((host) => ({ host })), ...forward.map((pair) => ({ pair }))];
  const chosen = selectSubjects(plan, options.host, {
    all: subjects,
    nameOf: (s) => ('host' in s ? s.host.name : s.pair.stem),
    byDefault: (s) => !('host' in s) || choice.byDefault(s.host),
    noun: choice.forward ? 'hosts that accept flows and zone pairs' : 'hosts that accept flows',
    whyNot: () => 'accepts no flow in this plan, so there is no inbound ruleset to write for it',
    ...(choice.forward ? { alsoNamed: 'zone pair' } : {}),
  });
  const asked = checkedPolicy(options.linuxPolicy);
  const made = rulesetsMade(plan);
  const keepKey = JSON.stringify(options.keep ?? []);
  return chosen.map((s) => {
    if (!('host' in s)) return remembered(made, `forward\u0000${s.pair.stem}`, () => forwardRuleset(s.pair));
    const host = s.host;
    const policy = linuxPolicyOf(host, asked);
    if (closed.has(host.name)) return remembered(made, `closed\u0000${policy}\u0000${host.name}`, () => closedRuleset(host, policy));
    return remembered(made, `host\u0000${policy}\u0000${keepKey}\u0000${host.name}`, () => hostRuleset(plan, host, keep, policy));
  });
}

/**
 * The rulesets made for a plan, by subject, policy and --keep: nftables, iptables and firewalld render the same
 * model, so at 150,000 agents the second and third target of one render reuse the first's rulesets (each one costs
 * the grouping of thousands of sources) instead of making them again. A plan is immutable and so are rulesets.
 */
const rulesetsByPlan = new WeakMap<Plan, Map<string, Ruleset>>();

function rulesetsMade(plan: Plan): Map<string, Ruleset> {
  let made = rulesetsByPlan.get(plan);
  if (!made) rulesetsByPlan.set(plan, (made = new Map<string, Ruleset>()));
  return made;
}

function remembered(made: Map<string, Ruleset>, key: string, make: () => Ruleset): Ruleset {
  let ruleset = made.get(key);
  if (!ruleset) made.set(key, (ruleset = make()));
  return ruleset;
}

/** A host whose install-only openings phase operate closes: its file takes scomfw's rules away. */
function closedRuleset(host: Endpoint, policy: LinuxPolicy): Ruleset {
  return {
    kind: 'host',
    policy,
    stem: fileStem(host.name, 'host'),
    title: `host ${host.name} (${host.addresses.join(', ')})`,
    rules: [],
    notes: [`Phase operate: every flow into ${host.name} was install-only, so this file removes the scomfw rules that the install ruleset loaded and opens nothing.`],
    closed: true,
  };
}

/** The rules that install phase only needs; a target puts them where they can be dropped after installation. */
export function installRules(ruleset: Ruleset): AccessRule[] {
  return ruleset.rules.filter((r) => r.phase === 'install');
}

/** The rules of phase always: those that stay after installation. */
export function alwaysRules(ruleset: Ruleset): AccessRule[] {
  return ruleset.rules.filter((r) => r.phase === 'always');
}

/** The families a rule is written in: those with sources (and, for forward rules, destinations too). */
export function familiesOf(rule: AccessRule): Family[] {
  return ([4, 6] as const).filter((f) => rule.sources.has(f) && (rule.destinations?.has(f) ?? true));
}

/** The files sorted by path; two files wanting one path (a host named like a zone pair) is refused. */
export function finishedFiles(files: readonly RenderedFile[]): RenderedFile[] {
  const sorted = [...files].sort((a, b) => compareText(a.path, b.path));
  const clash = sorted.find((f, i) => i > 0 && sorted[i - 1]?.path === f.path);
  if (clash) {
    throw new UserError(`two rulesets would both be written to ${clash.path}`, undefined, 'rename the host or zone so that no host is called like a zone pair (zoneA--zoneB) or a scomfw file');
  }
  return sorted;
}

// ---- host rulesets ----

function hostRuleset(plan: Plan, host: Endpoint, keep: readonly KeepEntry[], policy: LinuxPolicy): Ruleset {
  const own = addressSetOf(host);
  const names = new RuleNames();
  const planned = inboundGroups(plan, host.name).map((g) => groupRule(g, names, (s) => onlyFamiliesOf(s, own)));
  const rules = [...keep.map((k) => keepRule(k, names)), ...planned];
  return {
    kind: 'host',
    policy,
    stem: fileStem(host.name, 'host'),
    title: `host ${host.name} (${host.addresses.join(', ')})`,
    rules: rules.filter((r) => !r.sources.isEmpty),
    notes: [...hostNotes(host, policy, keep.length === 0), ...rules.filter((r) => r.sources.isEmpty).map(unwrittenNote)],
  };
}

function hostNotes(host: Endpoint, policy: LinuxPolicy, noKeep: boolean): string[] {
  return [
    ...(host.os === 'linux'
      ? []
      : [`The plan says ${host.name} runs ${host.os}: use this file on a Linux stand-in for it (scomfw listen) in a lab, and the Windows or network targets for the real host.`]),
    ...(policy === 'drop-unplanned' && noKeep
      ? ['No management access is kept: no managementAccess or --keep entry was given, so new connections to every port the plan does not open (SSH from admin workstations included) are dropped, while the connection that loads the file survives. Add entries for them.']
      : []),
  ];
}

/**
 * The policy of a host ruleset: the one asked for on the command line, else the host's own (deployment file), else
 * open-only for a real Linux host (it has services of its own that the plan does not know) and drop-unplanned for
 * a stand-in of a Windows or other host, which exists only to show that the plan's openings are all a host needs.
 */
export function linuxPolicyOf(host: Endpoint, asked: LinuxPolicy | undefined): LinuxPolicy {
  return asked ?? host.linuxPolicy ?? (host.os === 'linux' ? 'open-only' : 'drop-unplanned');
}

function checkedPolicy(asked: string | undefined): LinuxPolicy | undefined {
  if (asked === undefined || (linuxPolicies as readonly string[]).includes(asked)) return asked as LinuxPolicy | undefined;
  throw new UserError(`unknown --linux-policy ${JSON.stringify(safeText(asked, 40))}`, undefined, `choose ${linuxPolicies.join(' or ')}`);
}

function keepRule(entry: KeepEntry, names: RuleNames): AccessRule {
  return {
    name: names.take(`keep_${portName(entry.protocol, entry.ports)}`),
    protocol: entry.protocol,
    ports: entry.ports,
    phase: 'always',
    sources: entry.sources,
    comment: `management access kept (managementAccess, --keep): ${protocolPorts(entry.protocol, entry.ports)}`,
    sourceNames: entry.texts,
    destinationNames: [],
  };
}

function unwrittenNote(rule: AccessRule): string {
  return `Not written, its sources share no address family with this host: ${rule.comment} (from ${rule.sourceNames.join(', ')}).`;
}

// ---- forward rulesets ----

interface ForwardSubject {
  readonly stem: string;
  readonly title: string;
  /** The openings of the flows that cross between the zones (either way), in canonical order. */
  readonly openings: readonly Opening[];
}

const forwardSubjectsByPlan = new WeakMap<Plan, ForwardSubject[]>();

/** The zone-pair subjects of a plan, made once: iptables and nftables both write every pair. */
function forwardSubjectsOnce(plan: Plan): ForwardSubject[] {
  let subjects = forwardSubjectsByPlan.get(plan);
  if (!subjects) forwardSubjectsByPlan.set(plan, (subjects = forwardSubjects(plan)));
  return subjects;
}

/**
 * One subject per unordered zone pair, holding both directions (a firewall between two zones sees both), and
 * `all-zones` with every cross-zone flow when there is more than one pair (one firewall joining all zones).
 */
export function forwardSubjects(plan: Plan): ForwardSubject[] {
  // Zone names become file names; checking them before zonePairs also keeps a NUL (its key separator) out of it.
  // Each zone once: 150,000 agents have a handful of zones between them.
  // Read from the plan's rows in flow order, each list of alike hosts' flows once (its hosts share their zone).
  const checked = new Set<string>();
  const read = new Set<readonly RowFlow[]>();
  for (const [source, out] of planRows(plan).runs()) {
    if (read.has(out)) continue;
    read.add(out);
    for (const o of out) {
      for (const zone of [source.of.representative.zone, o.destination.of.representative.zone]) {
        if (checked.has(zone)) continue;
        fileStem(zone, 'zone');
        checked.add(zone);
      }
    }
  }
  const crossing = crossingOpenings(plan);
  const byPair = new Map<string, { zones: [string, string]; openings: Opening[] }>();
  for (const { sourceZone, destinationZone } of crossing.pairs) {
    const zones = [sourceZone, destinationZone].sort(compareText) as [string, string];
    const stem = `${zones[0]}--${zones[1]}`;
    if (!byPair.has(stem)) byPair.set(stem, { zones, openings: [] });
  }
  for (const { stem, opening } of crossing.byPair) byPair.get(stem)!.openings.push(opening);
  const subjects = [...byPair.entries()].map(([stem, { zones, openings }]) => ({ stem, title: `firewall between zones ${zones[0]} and ${zones[1]}`, openings }));
  if (subjects.length < 2) return subjects;
  return [...subjects, { stem: 'all-zones', title: 'firewall joining every zone', openings: crossing.all }];
}

/**
 * The openings of the flows that cross zones, read from the plan's openings (in their canonical order) rather than
 * made again from every flow: what exactRuleGroups would open from a zone pair's flows is the plan's opening of
 * the same destination, protocol, ports and phase cut down to the flows from the other zone, and is that very
 * opening when every one of its flows comes from there (150,000 agents into a management server in another zone).
 * `pairs` are the directed zone pairs in zonePairs' order (source zone, then destination zone); `byPair` the
 * openings of each unordered pair (stem), `all` those of every crossing flow.
 */
function crossingOpenings(plan: Plan): {
  pairs: { sourceZone: string; destinationZone: string }[];
  byPair: { stem: string; opening: Opening }[];
  all: Opening[];
} {
  const directed = new Map<string, Set<string>>();
  const byPair: { stem: string; opening: Opening }[] = [];
  const all: Opening[] = [];
  for (const o of openingsOf(plan).all) {
    if (sourceZonesOf(o)) {
      crossingClassOpening(o, directed, byPair, all);
      continue;
    }
    // Keyed by the pair itself, not a joined string, as zonePairs keys them.
    const bySource = new Map<string, Map<string, Flow[]>>();
    let crossingFlows = 0;
    for (const f of o.flows) {
      if (f.source.zone === f.destination.zone) continue;
      crossingFlows++;
      let byDestination = bySource.get(f.source.zone);
      if (!byDestination) bySource.set(f.source.zone, (byDestination = new Map<string, Flow[]>()));
      const list = byDestination.get(f.destination.zone);
      if (list) list.push(f);
      else byDestination.set(f.destination.zone, [f]);
    }
    if (crossingFlows === 0) continue;
    const whole = crossingFlows === o.flows.length;
    for (const [sourceZone, byDestination] of bySource) {
      let destinations = directed.get(sourceZone);
      if (!destinations) directed.set(sourceZone, (destinations = new Set<string>()));
      for (const [destinationZone, flows] of byDestination) {
        destinations.add(destinationZone);
        const stem = [sourceZone, destinationZone].sort(compareText).join('--');
        byPair.push({ stem, opening: whole && flows.length === o.flows.length ? o : openingOfFlows(flows) });
      }
    }
    all.push(whole ? o : openingOfFlows(o.flows.filter((f) => f.source.zone !== f.destination.zone)));
  }
  const pairs = [...directed.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .flatMap(([sourceZone, destinations]) => [...destinations].sort(compareText).map((destinationZone) => ({ sourceZone, destinationZone })));
  return { pairs, byPair, all };
}

/**
 * crossingOpenings for an opening made from classes: its parts by source zone (every flow's destination is the
 * opening's own), each part the opening itself when all of its flows cross from that one zone.
 */
function crossingClassOpening(
  o: Opening,
  directed: Map<string, Set<string>>,
  byPair: { stem: string; opening: Opening }[],
  all: Opening[],
): void {
  const destinationZone = o.destination.zone;
  const zones = sourceZonesOf(o)!.filter((zone) => zone !== destinationZone);
  if (zones.length === 0) return;
  for (const sourceZone of zones) {
    let destinations = directed.get(sourceZone);
    if (!destinations) directed.set(sourceZone, (destinations = new Set<string>()));
    destinations.add(destinationZone);
    const stem = [sourceZone, destinationZone].sort(compareText).join('--');
    byPair.push({ stem, opening: classOpeningFrom(o, (z) => z === sourceZone)! });
  }
  all.push(classOpeningFrom(o, (z) => z !== destinationZone)!);
}


function forwardRuleset(subject: ForwardSubject): Ruleset {
  const names = new RuleNames();
  const rules = ruleGroupsOf(subject.openings).map((g) => forwardRule(g, names));
  return {
    kind: 'forward',
    policy: 'drop-unplanned',
    stem: subject.stem,
    title: subject.title,
    rules: rules.filter((r) => !r.sources.isEmpty),
    notes: rules.filter((r) => r.sources.isEmpty).map((r) => `Not written, sources and destinations share no address family: ${r.comment}.`),
  };
}

/** A forward rule keeps a family only where both sides have addresses in it. */
function forwardRule(g: RuleGroup, names: RuleNames): AccessRule {
  const shared = ([4, 6] as const).filter((f) => g.sourceAddresses.has(f) && g.destinationAddresses.has(f));
  const pick = (s: AddressSet) => inFamilies(s, shared);
  return { ...groupRule(g, names, pick), destinations: pick(g.destinationAddresses) };
}

// ---- shared pieces ----

function groupRule(g: RuleGroup, names: RuleNames, restrict: (s: AddressSet) => AddressSet): AccessRule {
  return {
    name: names.take(`${g.phase === 'install' ? 'install_' : ''}${portName(g.protocol, g.ports)}`),
    protocol: g.protocol,
    ports: g.ports,
    phase: g.phase,
    sources: restrict(g.sourceAddresses),
    comment: `${g.rows.join(' ')}: ${describeGroup(g)}`,
    sourceNames: g.sourceNames,
    destinationNames: g.destinations.map((e) => e.name),
  };
}

function onlyFamiliesOf(set: AddressSet, own: AddressSet): AddressSet {
  return inFamilies(set, ([4, 6] as const).filter((f) => own.has(f)));
}

/**
 * The part of the set in these families. Mostly that is the whole set (IPv4 agents into an IPv4 server): then the
 * set itself, not a copy of its 150,000 intervals sorted and merged again, which every ruleset kept would hold.
 */
function inFamilies(set: AddressSet, families: readonly Family[]): AddressSet {
  if (([4, 6] as const).every((f) => !set.has(f) || families.includes(f))) return set;
  return AddressSet.unionAll(families.map((f) => set.only(f)));
}

/** `tcp_5723`, `tcp_49152_65535`, `icmp_echo`. */
function portName(protocol: Protocol, ports: AccessRule['ports']): string {
  return `${protocol}_${portsText(ports, '_')}`;
}

/** Hands out rule names, numbering repeats (`tcp_5723`, `tcp_5723_2`) so every name is unique in a ruleset. */
class RuleNames {
  private readonly used = new Set<string>();

  take(base: string): string {
    let name = base;
    for (let n = 2; this.used.has(name); n++) name = `${base}_${n}`;
    this.used.add(name);
    return name;
  }
}

// ---- management access: managementAccess and --keep entries ----

/** Access entries merged per protocol and port: the address texts of every entry merged in, for the comments. */
interface KeepEntry extends Omit<AccessEntry, 'addressText'> {
  readonly texts: readonly string[];
}

/** Entries (`tcp/22@10.0.0.0/24`) read; a bad entry is a UserError naming where it came from, never skipped. */
function parsedKeepEntries(entries: readonly string[], from: 'managementAccess' | '--keep'): KeepEntry[] {
  return entries.map((text) => parseKeepEntry(text, from));
}

/** One entry per protocol and port, the sources of entries with the same port merged. */
function mergedKeepEntries(entries: readonly KeepEntry[]): KeepEntry[] {
  const byPort = new Map<string, KeepEntry>();
  for (const entry of entries) {
    const key = protocolPorts(entry.protocol, entry.ports);
    const seen = byPort.get(key);
    byPort.set(key, seen ? { ...seen, sources: seen.sources.union(entry.sources), texts: [...seen.texts, ...entry.texts] } : entry);
  }
  return [...byPort.values()].sort((a, b) => compareText(a.protocol, b.protocol) || comparePortRanges(a.ports, b.ports));
}

function parseKeepEntry(text: string, from: 'managementAccess' | '--keep'): KeepEntry {
  try {
    const { addressText, ...entry } = parseAccessEntry(text);
    return { ...entry, texts: [addressText] };
  } catch (e) {
    if (!(e instanceof AccessEntryError)) throw e;
    throw new UserError(`bad ${from} entry ${JSON.stringify(text)}: ${e.message}`, undefined, accessEntryHint);
  }
}
