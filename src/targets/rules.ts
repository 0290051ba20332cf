import { roleLabels, type Role } from '../catalog/roles.js';
import type { FlowPhase } from '../catalog/types.js';
import { AddressSet } from '../net/address-set.js';
import { compareOptionalPorts, compareProtocols, describePorts, portKey, type PortRange, type Protocol } from '../net/port.js';
import { classOpeningFrom, flowCountOf, flowKindsOf, openingOfFlows, openingsFrom, openingsOf, sameSourcesOf, sourceNamesOf, sourceZonesOf, uniqueByName, type Opening } from '../plan/openings.js';
import { flowEnds, planHostsWhere } from '../plan/expand.js';
import { compareRowIds, compareText } from '../plan/order.js';
import type { Endpoint, Flow, Plan } from '../plan/types.js';
import { sameItems } from '../text/group.js';
import { memoPerPlan } from './memo.js';
import { settle } from '../plan/settle.js';

/**
 * Flows with the same protocol, ports and phase, grouped so that every source in `sources` may reach
 * every destination in `destinations` and nothing more: sources × destinations is exactly the flows grouped.
 */
export interface RuleGroup {
  readonly protocol: Protocol;
  readonly ports: PortRange | null;
  readonly phase: FlowPhase;
  /** The sources' endpoints, made when read (a group of 150,000 agents' flows is written from the names and the set). */
  readonly sources: readonly Endpoint[];
  /** The sources' names, unique and sorted: those of `sources`. */
  readonly sourceNames: readonly string[];
  readonly destinations: readonly Endpoint[];
  readonly sourceAddresses: AddressSet;
  readonly destinationAddresses: AddressSet;
  readonly rows: readonly string[];
  readonly sourceRoles: readonly Role[];
  readonly destinationRoles: readonly Role[];
  readonly flows: readonly Flow[];
}

/**
 * Groups flows exactly: their openings (one per destination, protocol, ports and phase), with the openings that
 * have the very same sources merged into one group. Output order is stable (by protocol, port, names).
 */
export function exactRuleGroups(flows: readonly Flow[]): RuleGroup[] {
  return groupsOf(openingsFrom(flows));
}

/**
 * Groups openings exactly, as exactRuleGroups groups the flows behind them: for a caller that has the openings
 * already (the Linux zone-pair rulesets take them from the plan's openings instead of opening every flow again).
 * `openings` must be in canonical order and hold each destination, protocol, ports and phase once.
 */
export function ruleGroupsOf(openings: readonly Opening[]): RuleGroup[] {
  return groupsOf(openings);
}

function groupsOf(openings: readonly Opening[]): RuleGroup[] {
  // Bucketed by ports, phase and the sources' count and ends, then matched name by name within the bucket: the
  // same grouping as keying by the whole list of names, without writing 30,000 names into a key per opening.
  const buckets = new Map<string, Opening[][]>();
  for (const o of openings) {
    const s = sourceNamesOf(o);
    const key = `${portKey(o.protocol, o.ports)}|${o.installOnly}|${s.length}|${s[0] ?? ''}|${s[s.length - 1] ?? ''}`;
    let bucket = buckets.get(key);
    if (!bucket) buckets.set(key, (bucket = []));
    const merged = bucket.find((group) => sameItems(sourceNamesOf(group[0]!), s));
    if (merged) merged.push(o);
    else bucket.push([o]);
  }
  return [...buckets.values()].flat().map(groupOf).sort(compareGroups);
}

function groupOf(openings: readonly Opening[]): RuleGroup {
  const first = openings[0]!;
  const last = openings[openings.length - 1]!;
  // Rows and roles are the same for flows of one kind (src/plan/openings.ts flowKindsOf): read from one of each, so
  // that a group of openings made from classes never builds their flows.
  const kinds = openings.length === 1 ? flowKindsOf(first) : openings.flatMap(flowKindsOf);
  // The openings of a group have the same source names (groupsOf's key). When they are the very same endpoint
  // objects, as in a derived plan, the last opening's sorted list and address set are the union already: no need
  // to merge 3,000 sources a second time for each destination.
  const shared = openings.every((o) => sameSourcesOf(o, last));
  const group: RuleGroup = {
    protocol: first.protocol,
    ports: first.ports,
    phase: first.installOnly ? 'install' : 'always',
    get sources(): readonly Endpoint[] {
      return settle(this, 'sources', shared ? last.sourceEndpoints.slice() : uniqueByName(openings.flatMap((o) => o.sourceEndpoints)));
    },
    // The openings of a group have these very names (groupsOf's key).
    sourceNames: sourceNamesOf(last),
    destinations: uniqueByName(openings.map((o) => o.destination)),
    sourceAddresses: shared ? last.sources : AddressSet.unionAll(openings.map((o) => o.sources)),
    destinationAddresses: AddressSet.unionAll(openings.map((o) => o.destinations)),
    rows: distinct(kinds, (f) => f.rows).sort(compareRowIds),
    sourceRoles: distinct(kinds, (f) => f.sourceRoles).sort(),
    destinationRoles: distinct(kinds, (f) => f.destinationRoles).sort(),
    // Built when read, as the openings' own flows are: the targets read the kinds instead.
    get flows(): readonly Flow[] {
      return settle(this, 'flows', openings.length === 1 ? first.flows : openings.flatMap((o) => o.flows));
    },
  };
  groupKinds.set(group, kinds);
  return group;
}

const groupKinds = new WeakMap<RuleGroup, readonly Flow[]>();

/** A flow of each kind in the group (see flowKindsOf): what its rows, notes and roles are read from. */
export function flowKindsOfGroup(g: RuleGroup): readonly Flow[] {
  return groupKinds.get(g) ?? g.flows;
}


/** The values of every item's list, each once, in first-seen order. */
function distinct<T, V>(items: readonly T[], values: (item: T) => readonly V[]): V[] {
  const seen = new Set<V>();
  for (const item of items) for (const v of values(item)) seen.add(v);
  return [...seen];
}

/**
 * Rule groups for the flows a host must accept (it is their destination). Remembered per plan for hosts that
 * accept many flows (a management server's thousands of agents, asked for by every host target of one render);
 * not for the many hosts that accept a few: keeping 20,000 push-installed agents' groups alive cost more in
 * garbage collection than building them again (iptables at 20,000 agents: 7.1 s remembered, 5.8 s not).
 */
export function inboundGroups(plan: Plan, hostName: string): readonly RuleGroup[] {
  const openings = openingsOf(plan).into(hostName);
  let flows = 0;
  for (const o of openings) flows += flowCountOf(o);
  return flows < rememberFrom ? groupsOf(openings) : manyInboundGroups(plan, hostName);
}

/** From this many inbound flows on, a host's rule groups are remembered. */
const rememberFrom = 256;

const manyInboundGroups = memoPerPlan((plan: Plan, hostName: string) => groupsOf(openingsOf(plan).into(hostName)));

/** Hosts that must accept at least one flow, sorted by name. */
export function listeningHosts(plan: Plan): Endpoint[] {
  const names = flowEnds(plan).destinations;
  return planHostsWhere(plan, (name) => names.has(name));
}

/**
 * The hosts a host target writes for: those that accept a flow and, in phase operate, those that only accepted
 * install-only flows (their file removes what install opened), sorted by name.
 */
export function hostsToWrite(plan: Plan): Endpoint[] {
  const accepting = flowEnds(plan).destinations;
  const closed = new Set(plan.closedHosts ?? []);
  return planHostsWhere(plan, (name) => accepting.has(name) || closed.has(name));
}

/** Hosts that start at least one flow, sorted by name. */
export function sourceHosts(plan: Plan): Endpoint[] {
  const names = flowEnds(plan).sources;
  return planHostsWhere(plan, (name) => names.has(name));
}

export interface ZonePair {
  readonly sourceZone: string;
  readonly destinationZone: string;
  readonly groups: readonly RuleGroup[];
}

/** The flows that cross from one zone to another, grouped exactly, per zone pair (sorted). */
export function zonePairs(plan: Plan, options: { includeSameZone?: boolean } = {}): readonly ZonePair[] {
  return zonePairsOnce(plan, options.includeSameZone ?? false);
}

const zonePairsOnce = memoPerPlan((plan: Plan, includeSameZone: boolean) => zonePairsOf(plan, includeSameZone));

/**
 * The zone pairs from the plan's openings, computed once for all: an opening whose sources are all in one zone is
 * that zone pair's opening as it is (its sources' addresses already merged); one with sources in several zones is
 * split by the source's zone. The same openings as grouping each pair's flows again (300,000 flows at 150,000
 * agents, and their addresses merged a second time), in the same order.
 */
function zonePairsOf(plan: Plan, includeSameZone: boolean): ZonePair[] {
  // Keyed by the pair itself, not a joined string, so no zone name can forge another pair.
  const bySource = new Map<string, Map<string, Opening[]>>();
  const add = (sourceZone: string, o: Opening) => {
    if (!includeSameZone && sourceZone === o.destination.zone) return;
    let byDestination = bySource.get(sourceZone);
    if (!byDestination) bySource.set(sourceZone, (byDestination = new Map<string, Opening[]>()));
    const list = byDestination.get(o.destination.zone);
    if (list) list.push(o);
    else byDestination.set(o.destination.zone, [o]);
  };
  // openingsOf's order is openingsFrom's, and each pair keeps it: the pair's openings are in canonical order.
  for (const o of openingsOf(plan).all) {
    const zone = onlyZoneOf(o);
    if (zone !== undefined) add(zone, o);
    else for (const part of openingsByZonePair(o)) add(part.zone, part.opening);
  }
  return [...bySource.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .flatMap(([sourceZone, byDestination]) =>
      [...byDestination.entries()]
        .sort(([a], [b]) => compareText(a, b))
        .map(([destinationZone, openings]) => ({ sourceZone, destinationZone, groups: groupsOf(openings) })),
    );
}

/**
 * The zone of every flow's source, when they share one (and every flow's destination has the opening's zone, as
 * in any plan whose endpoints are one object per name).
 */
function onlyZoneOf(o: Opening): string | undefined {
  const zones = sourceZonesOf(o);
  if (zones) return zones.length === 1 ? zones[0] : undefined;
  const zone = o.flows[0]?.source.zone;
  for (const f of o.flows) if (f.source.zone !== zone || f.destination.zone !== o.destination.zone) return undefined;
  return zone;
}

/** An opening split by its flows' zone pairs: one opening of the same destination, protocol, ports and phase per pair. */
function openingsByZonePair(o: Opening): { zone: string; opening: Opening }[] {
  // Made from classes: each source zone's part (every flow's destination is the opening's own).
  const zones = sourceZonesOf(o);
  if (zones) return zones.map((zone) => ({ zone, opening: classOpeningFrom(o, (z) => z === zone)! }));
  const bySource = new Map<string, Map<string, Flow[]>>();
  for (const f of o.flows) {
    let byDestination = bySource.get(f.source.zone);
    if (!byDestination) bySource.set(f.source.zone, (byDestination = new Map<string, Flow[]>()));
    const list = byDestination.get(f.destination.zone);
    if (list) list.push(f);
    else byDestination.set(f.destination.zone, [f]);
  }
  return [...bySource].flatMap(([zone, byDestination]) => [...byDestination.values()].map((flows) => ({ zone, opening: openingOfFlows(flows) })));
}

/** "agents to management server (TCP 5723)": the readable name of a rule group. */
export function describeGroup(g: Pick<RuleGroup, 'sourceRoles' | 'destinationRoles' | 'protocol' | 'ports'>): string {
  const from = g.sourceRoles.map((r) => roleLabels[r]).join(', ');
  const to = g.destinationRoles.map((r) => roleLabels[r]).join(', ');
  return `${from} to ${to} (${describePorts(g.protocol, g.ports)})`;
}

function compareGroups(a: RuleGroup, b: RuleGroup): number {
  return (
    compareProtocols(a.protocol, b.protocol) ||
    compareOptionalPorts(a.ports, b.ports) ||
    compareText(a.phase, b.phase) ||
    compareText(a.destinations[0]?.name ?? '', b.destinations[0]?.name ?? '') ||
    compareText(a.sourceNames[0] ?? '', b.sourceNames[0] ?? '')
  );
}
