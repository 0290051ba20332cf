import { describePorts, describeService, portKey } from '../net/port.js';
import { groupBy } from '../text/group.js';
import { AddressSet } from '../net/address-set.js';
import { addressSetOf, openingsFrom } from '../plan/openings.js';
import type { Endpoint, Flow, Plan } from '../plan/types.js';
import { decidedBy, flowRef, severityOf, summaryOf, witnessOf, type AuditResult, type Check, type Finding, type FindingKind } from './findings.js';
import { allMustAllow, type Decider, type Decision, type FirewallModel } from './model.js';
import { PacketSet, type Interval, type Packet } from './space.js';

/**
 * The audit: each planned flow and each port the plan opens on a host, asked of the firewall models that stand
 * between its sources and its destination. Pure: the plan and the models in, findings out.
 */

/** Where a model stands: on one host (its input path), between zones (forward path), or around cloud addresses. */
export type Scope = { readonly kind: 'host'; readonly host: string } | { readonly kind: 'zones'; readonly zones: readonly string[] } | { readonly kind: 'cloud' };

export interface Placed {
  readonly model: FirewallModel;
  readonly scope: Scope;
}

export interface AuditOptions {
  /** install: install-only flows must be open; operate: they must be closed (stale-install when open). */
  readonly phase: 'install' | 'operate';
}

/** A group of models that filter the same packets (iptables-save and ip6tables-save of one host, say). */
interface Group {
  readonly name: string;
  readonly scope: Scope;
  readonly models: readonly FirewallModel[];
  readonly hook: 'input' | 'forward';
}

/**
 * Audits `plan` (derived with install-only flows included, so that operate audits can see them still open)
 * against the placed models.
 */
export function audit(plan: Plan, placed: readonly Placed[], options: AuditOptions): AuditResult {
  const groups = groupsOf(placed);
  const deployment = AddressSet.unionAll(plan.hosts.map(addressesOf));
  const findings: Finding[] = [];
  const checks: Check[] = [];
  for (const group of groups) {
    const flows = plan.flows.filter((f) => inScope(group, f));
    const verdicts = verdictsFor(group, flows);
    for (const flow of flows) {
      const found = flowFindings(group, flow, verdicts, options.phase, plan.hosts);
      findings.push(...found);
      checks.push({ kind: 'flow', host: group.name, name: flow.id, findings: found });
    }
    for (const check of portChecks(group, plan, flows, deployment)) {
      findings.push(...check.findings);
      checks.push(check);
    }
    for (const model of group.models) {
      for (const w of model.warnings) {
        findings.push({ kind: w.kind, severity: severityOf[w.kind], host: group.name, witness: null, rule: w.rule, message: `${group.name}: ${w.rule.export} line ${w.rule.line} \`${w.rule.text}\` is ${w.kind}: ${w.message}` });
      }
    }
  }
  const unique = dedupeUndecidable(findings);
  const exports = [...new Set(placed.map((p) => p.model.export))];
  return { phase: options.phase, findings: unique, checks, summary: summaryOf(unique, exports, groups.map((g) => g.name), checks) };
}

function groupsOf(placed: readonly Placed[]): Group[] {
  const byKey = new Map<string, { scope: Scope; models: FirewallModel[] }>();
  for (const p of placed) {
    const key = scopeName(p.scope, p.model);
    const g = byKey.get(key) ?? { scope: p.scope, models: [] };
    g.models.push(p.model);
    byKey.set(key, g);
  }
  return [...byKey].map(([name, g]) => ({ name, scope: g.scope, models: g.models, hook: g.scope.kind === 'zones' ? 'forward' : 'input' }));
}

function scopeName(scope: Scope, model: FirewallModel): string {
  if (scope.kind === 'host') return scope.host;
  if (scope.kind === 'zones') return scope.zones.join('--');
  // Each cloud model guards its own addresses (one network interface): a group per model, named by it.
  return model.host ?? model.export;
}

const addressesOf = addressSetOf;

function inScope(group: Group, flow: Flow): boolean {
  const s = group.scope;
  if (s.kind === 'host') return flow.destination.name === s.host;
  if (s.kind === 'zones') return s.zones.includes(flow.source.zone) && s.zones.includes(flow.destination.zone) && flow.source.zone !== flow.destination.zone;
  return overlaps(addressesOf(flow.destination), protectedBy(group));
}

function protectedBy(group: Group): AddressSet {
  return AddressSet.unionAll(group.models.map((m) => m.protects ?? AddressSet.empty));
}

function overlaps(a: AddressSet, b: AddressSet): boolean {
  return !a.intersection(b).isEmpty;
}

/** The packets of a flow: its sources to its destination (the part a cloud model protects), its protocol and ports. */
function flowSpace(flow: Flow, group: Group): PacketSet {
  const destinations = group.scope.kind === 'cloud' ? intersectAddresses(addressesOf(flow.destination), protectedBy(group)) : addressesOf(flow.destination);
  return serviceSpace(flow.protocol, flow.ports, addressesOf(flow.source), destinations);
}

function intersectAddresses(a: AddressSet, b: AddressSet): AddressSet {
  return a.intersection(b);
}

/** TCP/UDP ports as they are; ICMP as echo request (type 8, or 128 for ICMPv6), carried in the port dimension. */
export function serviceSpace(protocol: Flow['protocol'], ports: Flow['ports'], sources: AddressSet | undefined, destinations: AddressSet): PacketSet {
  const src = sources ? { sources } : {};
  if (protocol === 'icmp') {
    return PacketSet.product({ family: 4, ...src, destinations, protocols: [iv(1)], ports: [iv(8)] }).union(
      PacketSet.product({ family: 6, ...src, destinations, protocols: [iv(58)], ports: [iv(128)] }),
    );
  }
  const number = protocol === 'tcp' ? 6 : 17;
  return PacketSet.product({ ...src, destinations, protocols: [iv(number)], ports: [iv(ports?.from ?? 0, ports?.to ?? 65535)] });
}

const iv = (lo: number, hi: number = lo): Interval => ({ lo: BigInt(lo), hi: BigInt(hi) });

/** The decisions of a group for a query: per family, every model that speaks for the family, in series. */
function decide(group: Group, query: PacketSet): Decision[] {
  const out: Decision[] = [];
  for (const family of query.families) {
    const part = query.intersect(PacketSet.family(family));
    const models = group.models.filter((m) => m.families.includes(family));
    if (models.length === 0) {
      const missing = family === 6 ? 'ip6tables-save or an IPv6-capable export' : 'an IPv4 export';
      out.push({ space: part, verdict: 'undecidable', rule: null, reason: `no export given for IPv${family} on ${group.name} (give ${missing})` });
      continue;
    }
    const deciders: Decider[] = models.map((m) => (q) => m.decide(q, group.hook));
    out.push(...allMustAllow(deciders)(part));
  }
  return out;
}

/** The group's decisions for all its flows at once, and the packets of each verdict. */
interface Verdicts {
  readonly decisions: readonly Decision[];
  readonly allow: PacketSet;
  readonly deny: PacketSet;
  readonly undecidable: PacketSet;
}

/**
 * One evaluation for every flow of the group (a host's thousands of agent flows overlap in ports and merge into a few
 * intervals), then each flow reads its part of each verdict.
 */
function verdictsFor(group: Group, flows: readonly Flow[]): Verdicts {
  const decisions = decide(group, PacketSet.unionAll(flows.map((f) => flowSpace(f, group))));
  const by = (verdict: Decision['verdict']) => PacketSet.unionAll(decisions.filter((d) => d.verdict === verdict).map((d) => d.space));
  return { decisions, allow: by('allow'), deny: by('deny'), undecidable: by('undecidable') };
}

function flowFindings(group: Group, flow: Flow, verdicts: Verdicts, phase: 'install' | 'operate', hosts: readonly Endpoint[]): Finding[] {
  const query = flowSpace(flow, group);
  if (query.isEmpty) return [];
  const { decisions } = verdicts;
  const allowed = query.intersect(verdicts.allow);
  const denied = query.intersect(verdicts.deny);
  const undecided = query.intersect(verdicts.undecidable);
  const out: Finding[] = [];
  const base = { host: group.name, flow: flowRef(flow) };
  const service = (p: Packet) => describeService(witnessOf(p).protocol, witnessOf(p).port);
  const closeAfterInstall = flow.phase === 'install' && phase === 'operate';
  if (closeAfterInstall) {
    if (!allowed.isEmpty) {
      const w = allowed.sample()!;
      const d = decisionAt(decisions, w, 'allow');
      out.push(finding('stale-install', base, w, d, `${flow.destination.name} still accepts ${service(w)} from ${nameOf(w, hosts)}, an install-only opening that should be closed in operation: ${decidedBy(d.rule, d.reason, 'accepted')}`));
    }
  } else if (!denied.isEmpty) {
    const w = denied.sample()!;
    const d = decisionAt(decisions, w, 'deny');
    const kind: FindingKind = allowed.isEmpty && undecided.isEmpty ? 'missing' : 'partly-open';
    const some = kind === 'partly-open' ? ` (some of the flow's packets are accepted${undecided.isEmpty ? '' : ', some undecidable'})` : '';
    out.push(finding(kind, base, w, d, `${flow.destination.name} does not accept ${service(w)} from ${nameOf(w, hosts)}${some}: ${decidedBy(d.rule, d.reason, 'blocked')}`));
  }
  if (!undecided.isEmpty) {
    const w = undecided.sample()!;
    const d = decisionAt(decisions, w, 'undecidable');
    out.push(finding('undecidable', base, w, d, `whether ${flow.destination.name} accepts ${service(w)} from ${nameOf(w, hosts)} cannot be decided: ${decidedBy(d.rule, d.reason, 'at')}`));
  }
  return out;
}

/**
 * Every service the plan opens on each destination the group guards (the plan's openings, install-only ones
 * included), asked for packets from any address: what is accepted beyond the openings' sources is over-permissive.
 */
function portChecks(group: Group, plan: Plan, inScopeFlows: readonly Flow[], deployment: AddressSet): Check[] {
  const checks: Check[] = [];
  const byDestination = groupBy(openingsFrom(inScopeFlows), (o) => o.destination.name);
  for (const openings of byDestination.values()) {
    const host = openings[0]!.destination;
    const own = addressesOf(host);
    const excluded = group.scope.kind === 'zones' ? AddressSet.unionAll(plan.hosts.filter((h) => h.zone === host.zone).map(addressesOf)) : own;
    const destinationAddresses = group.scope.kind === 'cloud' ? intersectAddresses(own, protectedBy(group)) : own;
    if (destinationAddresses.isEmpty) continue;
    const planned = PacketSet.unionAll(openings.map((o) => serviceSpace(o.protocol, o.ports, o.sources, destinationAddresses)));
    const services = new Map<string, (typeof openings)[number]>();
    for (const o of openings) services.set(portKey(o.protocol, o.ports), o);
    for (const o of services.values()) {
      const everyone = serviceSpace(o.protocol, o.ports, undefined, destinationAddresses).subtract(PacketSet.product({ sources: excluded }));
      const decisions = decide(group, everyone);
      const allowed = PacketSet.unionAll(decisions.filter((d) => d.verdict === 'allow').map((d) => d.space));
      const excess = allowed.subtract(planned);
      const name = `${o.ports ? describePorts(o.protocol, o.ports) : 'ICMP echo request'} on ${host.name}`;
      const found: Finding[] = [];
      if (!excess.isEmpty) {
        const w = excess.sample({ sources: [deployment] })!;
        const d = decisionAt(decisions, w, 'allow');
        const wt = witnessOf(w);
        found.push(
          finding('over-permissive', { host: group.name }, w, d, `${host.name} accepts ${describeService(wt.protocol, wt.port)} from ${nameOf(w, plan.hosts)}, which no planned flow to that port names: ${decidedBy(d.rule, d.reason, 'accepted')}`),
        );
      }
      checks.push({ kind: 'port', host: group.name, name, findings: found });
    }
  }
  return checks;
}

/** The decision that holds a witness (of a known verdict: only those decisions are searched). */
function decisionAt(decisions: readonly Decision[], p: Packet, verdict: Decision['verdict']): Decision {
  return decisions.find((d) => d.verdict === verdict && d.space.contains(p))!;
}

function finding(kind: FindingKind, base: { host: string; flow?: Finding['flow'] }, w: Packet, d: Decision, message: string): Finding {
  return { kind, severity: severityOf[kind], ...base, witness: witnessOf(w), rule: d.rule, message };
}

/** `gw01 (10.0.3.4)` when a deployment host has the witness's source address, else the address alone. */
function nameOf(p: Packet, hosts: readonly Endpoint[]): string {
  const address = witnessOf(p).source;
  const host = hostIndexOf(hosts).find(p.family, p.source);
  return host ? `${host} (${address})` : address;
}

interface IndexedRange {
  readonly first: bigint;
  readonly last: bigint;
  readonly name: string;
}

/** Host ranges per family sorted by start, for witness names in logarithmic time (15,000 agents, thousands of findings). */
class HostIndex {
  private readonly byFamily = new Map<number, IndexedRange[]>();
  /** The longest range, so that a search knows how far back an enclosing range can start. */
  private readonly widest = new Map<number, bigint>();

  constructor(hosts: readonly Endpoint[]) {
    for (const h of hosts) {
      for (const r of addressesOf(h).ranges()) {
        const list = this.byFamily.get(r.family) ?? [];
        list.push({ first: r.first, last: r.last, name: h.name });
        this.byFamily.set(r.family, list);
      }
    }
    for (const [family, list] of this.byFamily) {
      list.sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
      this.widest.set(family, list.reduce((w, r) => (r.last - r.first > w ? r.last - r.first : w), 0n));
    }
  }

  /** The smallest host range that holds the address (an individual host before the group it is in). */
  find(family: number, value: bigint): string | undefined {
    const list = this.byFamily.get(family) ?? [];
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (list[mid]!.first <= value) lo = mid + 1;
      else hi = mid - 1;
    }
    const reach = this.widest.get(family) ?? 0n;
    let best: IndexedRange | undefined;
    for (let k = hi; k >= 0 && list[k]!.first >= value - reach; k--) {
      const r = list[k]!;
      if (r.last >= value && (!best || r.last - r.first < best.last - best.first)) best = r;
    }
    return best?.name;
  }
}

const hostIndexes = new WeakMap<readonly Endpoint[], HostIndex>();

function hostIndexOf(hosts: readonly Endpoint[]): HostIndex {
  let index = hostIndexes.get(hosts);
  if (!index) {
    index = new HostIndex(hosts);
    hostIndexes.set(hosts, index);
  }
  return index;
}

/** One undecidable finding per scope and rule: a rule that is not understood is reported once, at the first flow. */
function dedupeUndecidable(findings: readonly Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    if (f.kind !== 'undecidable') return true;
    const key = `${f.host}|${f.rule ? `${f.rule.export}:${f.rule.line}:${f.rule.column ?? 0}` : f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
