import { AddressSyntaxError, IpAddress, bitsOf, maxValue, type Family } from '../../net/address.js';
import { AddressSet } from '../../net/address-set.js';
import { AddressRange } from '../../net/range.js';
import { firstMatch, type FirewallModel, type PolicyRule, type RuleRef } from '../model.js';
import { PacketSet, protocolNumbers, type Interval } from '../space.js';

/**
 * Windows Firewall as the audit sees it, whichever export it came from (the scomfw PowerShell exporter's JSON or the
 * text of `netsh advfirewall`). Both importers parse into a WindowsPolicy; this module turns it into one model.
 *
 * Evaluation (Microsoft, "Windows Firewall rules", learn.microsoft.com/windows/security/operating-system-security/
 * network-security/windows-firewall/rules): a block rule wins over every allow rule, except an allow rule that
 * overrides block rules (authenticated bypass, which needs IPsec); a packet no rule matches gets the default
 * inbound action of the profile; only enabled rules of the active profile(s) apply; a profile whose firewall is
 * off allows everything.
 */

export type WindowsProfile = 'domain' | 'private' | 'public';
export const windowsProfiles: readonly WindowsProfile[] = ['domain', 'private', 'public'];

/** Addresses of one side of a rule: known ranges, or any, plus keywords whose addresses the export does not say. */
export interface WindowsAddresses {
  readonly any: boolean;
  readonly set: AddressSet;
  readonly unresolved: readonly string[];
}

export interface WindowsRule {
  readonly ref: RuleRef;
  readonly name: string;
  readonly enabled: boolean;
  readonly inbound: boolean;
  readonly action: 'allow' | 'block' | 'bypass';
  readonly profiles: readonly WindowsProfile[];
  /** IP protocol numbers; undefined for any. */
  readonly protocols?: readonly number[];
  /** A protocol text the importer could not read. */
  readonly unknownProtocol?: string;
  /** Local (destination) port ranges; undefined for any. */
  readonly localPorts?: readonly Interval[];
  /** Port keywords (RPC, RPC-EPMap, IPHTTPS, Teredo, ...) whose ports the export does not say. */
  readonly portKeywords: readonly string[];
  readonly remotePortsAny: boolean;
  /** ICMP types the rule names; undefined for any. */
  readonly icmpTypes?: readonly string[];
  readonly local: WindowsAddresses;
  readonly remote: WindowsAddresses;
  readonly program?: string;
  readonly service?: string;
  /** Interface aliases or types the rule is limited to (the packet's interface is not known). */
  readonly interfaces?: string;
  /** IPsec authentication or encryption the rule requires. */
  readonly security?: string;
  /** A rule Windows reports as not in force (PrimaryStatus other than OK). */
  readonly status?: string;
  /** Properties the importer read but did not understand. */
  readonly notUnderstood: readonly string[];
}

export interface WindowsProfileState {
  readonly profile: WindowsProfile;
  /** Whether the firewall is on in this profile. */
  readonly enabled: boolean;
  /** Windows' "BlockInboundAlways" (netsh) / shields up: every inbound packet blocked, allow rules ignored. */
  readonly blockAll: boolean;
  readonly defaultInbound: 'allow' | 'block';
  /** Where the export says so; null when assumed (Windows' own default). */
  readonly ref: RuleRef | null;
}

export interface WindowsPolicy {
  readonly export: string;
  readonly host?: string;
  readonly rules: readonly WindowsRule[];
  readonly profiles: ReadonlyMap<WindowsProfile, WindowsProfileState>;
  /** The profiles a packet may meet: the active ones when the export says, else all three. */
  readonly candidates: readonly WindowsProfile[];
  /** Why the candidates are what they are, for the reasons of uncertain decisions. */
  readonly candidatesWhy: string;
}

/** Windows' own defaults, for profiles an export does not describe: firewall on, inbound blocked. */
export function assumedProfile(profile: WindowsProfile): WindowsProfileState {
  return { profile, enabled: true, blockAll: false, defaultInbound: 'block', ref: null };
}

const keywordNames = new Map<string, string>(
  [
    'LocalSubnet',
    'LocalSubnet4',
    'LocalSubnet6',
    'DNS',
    'DNS4',
    'DNS6',
    'DHCP',
    'DHCP4',
    'DHCP6',
    'WINS',
    'WINS4',
    'WINS6',
    'DefaultGateway',
    'DefaultGateway4',
    'DefaultGateway6',
    'Internet',
    'Internet4',
    'Internet6',
    'Intranet',
    'Intranet4',
    'Intranet6',
    'IntranetRemoteAccess',
    'IntranetRemoteAccess4',
    'IntranetRemoteAccess6',
    'PlayToDevice',
    'PlayToDevice4',
    'PlayToDevice6',
    'CaptivePortal',
    'Captive Portal Addresses',
  ].map((k) => [k.toLowerCase().replace(/\s+/g, ''), k]),
);

/**
 * Windows address notation: `Any` (or `*`), a keyword (LocalSubnet, DNS, ...), an address, `a/len`, `a/mask`
 * (`10.0.0.0/255.255.255.0`) or `a-b`. Windows stores a prefix by its network, so host bits are masked off.
 * Throws AddressSyntaxError for a text that is none of these.
 */
export function windowsAddresses(values: readonly string[]): WindowsAddresses {
  const ranges: AddressRange[] = [];
  const unresolved: string[] = [];
  let any = false;
  for (const raw of values.flatMap((v) => v.split(','))) {
    const text = raw.trim();
    if (text === '') continue;
    const lower = text.toLowerCase().replace(/\s+/g, '');
    if (lower === 'any' || lower === '*') any = true;
    else if (keywordNames.has(lower)) unresolved.push(keywordNames.get(lower)!);
    else ranges.push(windowsRange(text));
  }
  if (!any && ranges.length === 0 && unresolved.length === 0) any = true;
  return { any, set: any ? AddressSet.empty : AddressSet.of(ranges), unresolved: any ? [] : unresolved };
}

function windowsRange(text: string): AddressRange {
  const slash = text.indexOf('/');
  if (slash < 0) return AddressRange.parse(text);
  const base = IpAddress.parse(text.slice(0, slash).trim());
  const suffix = text.slice(slash + 1).trim();
  const bits = bitsOf(base.family);
  let len: number;
  if (/^\d{1,3}$/.test(suffix)) len = Number(suffix);
  else len = maskLength(suffix, base.family, text);
  if (len > bits) throw new AddressSyntaxError(text, `a prefix length from 0 to ${bits}`);
  const size = 1n << BigInt(bits - len);
  const first = base.value - (base.value % size);
  return AddressRange.of(base.family, first, first + size - 1n);
}

function maskLength(mask: string, family: Family, text: string): number {
  let value: bigint;
  try {
    const m = IpAddress.parse(mask);
    if (m.family !== family) throw new Error('family');
    value = m.value;
  } catch {
    throw new AddressSyntaxError(text, 'an address with a prefix length or a subnet mask (10.0.0.0/24, 10.0.0.0/255.255.255.0)');
  }
  const bits = bitsOf(family);
  const ones = value.toString(2).replace(/^0+/, '');
  const len = value === 0n ? 0 : ones.length === bits && /^1*0*$/.test(ones) ? ones.indexOf('0') === -1 ? bits : ones.indexOf('0') : -1;
  if (len < 0 || (value !== 0n && value > maxValue(family))) {
    throw new AddressSyntaxError(text, 'a contiguous subnet mask', 'a mask is ones then zeros, such as 255.255.255.0');
  }
  return len;
}

const portKeywords = new Set(['rpc', 'rpc-epmap', 'rpcepmap', 'iphttps', 'iphttpsin', 'iphttpsout', 'teredo', 'playtodiscovery', 'mdns', 'dhcp', 'ply2disc']);

/** `Any`, ports and ranges separated by commas, or Windows' port keywords. Throws RangeError for a bad number. */
export function windowsPorts(values: readonly string[]): { any: boolean; ranges: Interval[]; keywords: string[] } {
  const ranges: Interval[] = [];
  const keywords: string[] = [];
  let any = false;
  for (const raw of values.flatMap((v) => v.split(','))) {
    const text = raw.trim();
    if (text === '') continue;
    if (/^any$/i.test(text) || text === '*') any = true;
    else if (portKeywords.has(text.toLowerCase())) keywords.push(text);
    else {
      const m = /^(\d{1,5})(?:\s*-\s*(\d{1,5}))?$/.exec(text);
      const from = m ? Number(m[1]) : NaN;
      const to = m ? Number(m[2] ?? m[1]) : NaN;
      if (!m || from > 65535 || to > 65535 || from > to) throw new RangeError(`"${text}" is not a port, a port range (1000-2000), Any or a Windows port keyword`);
      ranges.push({ lo: BigInt(from), hi: BigInt(to) });
    }
  }
  if (!any && ranges.length === 0 && keywords.length === 0) any = true;
  return { any, ranges: any ? [] : ranges, keywords: any ? [] : keywords };
}

/** `TCP`, `UDP`, `ICMPv4`, `ICMPv6`, `Any` or a protocol number; undefined result = any; null = not understood. */
export function windowsProtocol(text: string): readonly number[] | undefined | null {
  const t = text.trim().toLowerCase();
  if (t === '' || t === 'any' || t === '*') return undefined;
  if (t === 'tcp') return [protocolNumbers.tcp];
  if (t === 'udp') return [protocolNumbers.udp];
  if (t === 'icmpv4' || t === 'icmp') return [protocolNumbers.icmp];
  if (t === 'icmpv6') return [protocolNumbers.ipv6Icmp];
  if (/^\d{1,3}$/.test(t) && Number(t) <= 255) return [Number(t)];
  return null;
}

/** `Domain,Private` (netsh), `Domain, Private` (PowerShell), `Any`/`All`. Null when a name is not a profile. */
export function windowsProfileList(text: string): WindowsProfile[] | null {
  const out = new Set<WindowsProfile>();
  for (const part of text.split(',').map((p) => p.trim().toLowerCase())) {
    if (part === '') continue;
    if (part === 'any' || part === 'all') windowsProfiles.forEach((p) => out.add(p));
    else if ((windowsProfiles as readonly string[]).includes(part)) out.add(part as WindowsProfile);
    else return null;
  }
  return out.size === 0 ? [...windowsProfiles] : [...out];
}

/** ICMP types as port intervals (the packet space carries the type there); undefined = any; null = not understood. */
function icmpTypeIntervals(types: readonly string[] | undefined): Interval[] | undefined | null {
  if (types === undefined || types.some((t) => /^(any|\*)$/i.test(t.trim()))) return undefined;
  const out: Interval[] = [];
  for (const t of types) {
    const m = /^(\d{1,3})(?::.*)?$/.exec(t.trim());
    if (!m || Number(m[1]) > 255) return null;
    out.push({ lo: BigInt(m[1]!), hi: BigInt(m[1]!) });
  }
  return out.length > 0 ? out : undefined;
}

// ---------------------------------------------------------------------------------------------------------------

/** One model per export: the firewall of the host the export came from. */
export function windowsModel(policy: WindowsPolicy): FirewallModel {
  const { rules, fallback } = orderedRules(policy);
  const decide = firstMatch(rules, fallback);
  return {
    platform: 'windows',
    export: policy.export,
    ...(policy.host !== undefined ? { host: policy.host } : {}),
    families: [4, 6],
    hooks: ['input'],
    decide: (query) => decide(query),
    warnings: [],
  };
}

interface Entry {
  readonly rule: PolicyRule;
  readonly order: number;
}

/**
 * The rules as one first-match list. Order: bypass rules (undecidable: they need IPsec), block rules that surely
 * apply, block rules that may apply (undecidable), allow rules that surely apply, allow rules that may apply
 * (undecidable), then the profile default. An allow that surely applies therefore hides a doubtful allow (the
 * packet is allowed either way), while a doubtful block spoils a sure allow (it may or may not be blocked).
 */
export function orderedRules(policy: WindowsPolicy): { rules: PolicyRule[]; fallback: { verdict: 'allow' | 'deny' | 'undecidable'; rule: RuleRef | null; reason: string } } {
  const entries: Entry[] = [];
  const candidateStates = policy.candidates.map((p) => policy.profiles.get(p) ?? assumedProfile(p));
  const blockAll = candidateStates.filter((s) => s.enabled && s.blockAll);
  const off = candidateStates.every((s) => !s.enabled);
  for (const rule of policy.rules) {
    if (off || !rule.inbound || !rule.enabled) continue;
    entries.push(...ruleEntries(rule, policy, candidateStates));
  }
  entries.sort((a, b) => a.order - b.order);
  const fallback = defaultOf(candidateStates, policy);
  if (blockAll.length === candidateStates.length && blockAll.length > 0) {
    const s = blockAll[0]!;
    return { rules: [], fallback: { verdict: 'deny', rule: s.ref, reason: `the ${s.profile} profile blocks all inbound connections (BlockInboundAlways), allow rules are ignored` } };
  }
  return { rules: entries.map((e) => e.rule), fallback };
}

function ruleEntries(rule: WindowsRule, policy: WindowsPolicy, states: readonly WindowsProfileState[]): Entry[] {
  // A profile whose firewall is off allows everything, so for an allow rule it counts as agreeing.
  const applying = states.filter((s) => (s.enabled && !s.blockAll && rule.profiles.includes(s.profile)) || (!s.enabled && rule.action === 'allow'));
  if (!applying.some((s) => s.enabled)) return [];
  const doubts: string[] = [];
  if (applying.length < states.length) {
    doubts.push(`the rule applies only in the ${applying.map((s) => s.profile).join(', ')} profile, and ${policy.candidatesWhy}`);
  }
  if (rule.unknownProtocol !== undefined) doubts.push(`protocol "${rule.unknownProtocol}" not understood`);
  if (rule.portKeywords.length > 0) doubts.push(`local port ${rule.portKeywords.join(', ')} is a keyword whose ports the export does not say`);
  if (!rule.remotePortsAny) doubts.push('the rule is limited to some remote (source) ports');
  if (rule.interfaces !== undefined) doubts.push(`the rule is limited to interfaces ${rule.interfaces}`);
  if (rule.status !== undefined) doubts.push(`Windows reports the rule's status as ${rule.status}`);
  if (rule.notUnderstood.length > 0) doubts.push(`${rule.notUnderstood.join(', ')} not understood`);
  const icmpTypes = icmpTypeIntervals(rule.icmpTypes);
  if (icmpTypes === null) doubts.push(`ICMP type ${rule.icmpTypes!.join(', ')} not understood`);
  const flags: string[] = [];
  if (rule.program !== undefined) flags.push('program-scoped');
  if (rule.service !== undefined) flags.push('service-scoped');
  const scope = [rule.program !== undefined ? `program ${rule.program}` : '', rule.service !== undefined ? `service ${rule.service}` : ''].filter(Boolean).join(', ');
  if (rule.action === 'block' && scope) doubts.push(`the block rule is limited to ${scope}`);
  if (rule.action === 'allow' && rule.security !== undefined) doubts.push(`the rule allows only connections secured by IPsec (${rule.security})`);

  const sure = spaceOf(rule, false);
  const unsure = rule.local.unresolved.length + rule.remote.unresolved.length > 0 ? spaceOf(rule, true).subtract(sure) : PacketSet.empty;
  const out: Entry[] = [];
  const keywordWhy = `address keyword ${[...rule.local.unresolved, ...rule.remote.unresolved].join(', ')} whose addresses the export does not say`;
  if (rule.action === 'bypass') {
    out.push(entry(0, sure.union(unsure), 'undecidable', rule, 'an allow rule that overrides block rules applies only to connections IPsec authenticates', flags));
    return out;
  }
  const blocking = rule.action === 'block';
  const base = blocking ? 1 : 3;
  if (doubts.length > 0) {
    out.push(entry(base + 1, sure.union(unsure), 'undecidable', rule, doubts.join('; '), flags));
    return out;
  }
  const reason = blocking
    ? 'a block rule overrides allow rules'
    : scope
      ? `allowed by a rule limited to ${scope}: it opens the port for that ${rule.program !== undefined ? 'program' : 'service'}`
      : 'allowed by an allow rule';
  if (!sure.isEmpty) out.push(entry(base, sure, blocking ? 'deny' : 'allow', rule, reason, flags));
  if (!unsure.isEmpty) out.push(entry(base + 1, unsure, 'undecidable', rule, keywordWhy, flags));
  return out;
}

function entry(order: number, space: PacketSet, verdict: 'allow' | 'deny' | 'undecidable', rule: WindowsRule, reason: string, flags: readonly string[]): Entry {
  return { order, rule: { space, verdict, rule: rule.ref, reason, ...(flags.length > 0 ? { flags } : {}) } };
}

/** The packets the rule matches; with `widen`, unresolved address keywords count as any address. */
function spaceOf(rule: WindowsRule, widen: boolean): PacketSet {
  const side = (a: WindowsAddresses): AddressSet | undefined => (a.any || (widen && a.unresolved.length > 0) ? undefined : a.set);
  const sources = side(rule.remote);
  const destinations = side(rule.local);
  if (sources?.isEmpty || destinations?.isEmpty) return PacketSet.empty;
  const portless = rule.protocols !== undefined && rule.protocols.every((p) => p !== protocolNumbers.tcp && p !== protocolNumbers.udp);
  const icmp = rule.protocols !== undefined && rule.protocols.every((p) => p === protocolNumbers.icmp || p === protocolNumbers.ipv6Icmp);
  const protocols = rule.unknownProtocol !== undefined ? undefined : rule.protocols?.map((p) => ({ lo: BigInt(p), hi: BigInt(p) }));
  const icmpTypes = icmp ? icmpTypeIntervals(rule.icmpTypes) : undefined;
  const ports = icmp ? (icmpTypes ?? undefined) : portless || rule.portKeywords.length > 0 || rule.localPorts === undefined ? undefined : rule.localPorts;
  const families: (Family | undefined)[] = familiesOf(rule.protocols);
  return PacketSet.unionAll(
    families.map((family) =>
      PacketSet.product({
        ...(family !== undefined ? { family } : {}),
        ...(sources ? { sources } : {}),
        ...(destinations ? { destinations } : {}),
        ...(protocols ? { protocols } : {}),
        ...(ports ? { ports } : {}),
      }),
    ),
  );
}

/** ICMPv4 rules match IPv4 packets only and ICMPv6 rules IPv6 only. */
function familiesOf(protocols: readonly number[] | undefined): (Family | undefined)[] {
  if (protocols === undefined) return [undefined];
  if (protocols.every((p) => p === protocolNumbers.icmp)) return [4];
  if (protocols.every((p) => p === protocolNumbers.ipv6Icmp)) return [6];
  return [undefined];
}

function defaultOf(states: readonly WindowsProfileState[], policy: WindowsPolicy): { verdict: 'allow' | 'deny' | 'undecidable'; rule: RuleRef | null; reason: string } {
  const verdictOf = (s: WindowsProfileState): 'allow' | 'deny' => (!s.enabled ? 'allow' : s.blockAll || s.defaultInbound === 'block' ? 'deny' : 'allow');
  const words = (s: WindowsProfileState): string =>
    !s.enabled
      ? `the firewall is off in the ${s.profile} profile`
      : `no rule matches; the ${s.profile} profile's default inbound action is ${s.defaultInbound === 'block' ? 'Block' : 'Allow'}${s.ref ? '' : ' (Windows default; the export does not show the profile)'}`;
  const verdicts = new Set(states.map(verdictOf));
  if (verdicts.size === 1) {
    const s = states[0]!;
    return { verdict: verdictOf(s), rule: states.find((x) => x.ref)?.ref ?? null, reason: states.length === 1 ? words(s) : `${words(s)} (as in every profile that may be active)` };
  }
  return { verdict: 'undecidable', rule: null, reason: `no rule matches, and the profiles that may be active disagree (${states.map(words).join('; ')}); ${policy.candidatesWhy}` };
}
