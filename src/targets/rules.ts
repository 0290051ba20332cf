import { roleLabels, type Role } from '../catalog/roles.js';
import type { Phase } from '../catalog/types.js';
import { AddressSet } from '../net/address-set.js';
import type { Protocol } from '../net/port.js';
import { openingsFrom, openingsOf, uniqueByName, type Opening } from '../plan/openings.js';
import { compareRowIds, compareText } from '../plan/order.js';
import type { Endpoint, Flow, Plan } from '../plan/types.js';

/**
 * Flows with the same protocol, ports and phase, grouped so that every source in `sources` may reach
 * every destination in `destinations` and nothing more: sources × destinations is exactly the flows grouped.
 */
export interface RuleGroup {
  readonly protocol: Protocol;
  readonly ports: { readonly from: number; readonly to: number } | null;
  readonly phase: Phase;
  readonly sources: readonly Endpoint[];
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

function groupsOf(openings: readonly Opening[]): RuleGroup[] {
  const bySources = new Map<string, Opening[]>();
  for (const o of openings) {
    const key = `${o.protocol}|${o.ports ? `${o.ports.from}-${o.ports.to}` : 'echo'}|${o.installOnly}|${JSON.stringify(o.sourceEndpoints.map((e) => e.name))}`;
    const merged = bySources.get(key);
    if (merged) merged.push(o);
    else bySources.set(key, [o]);
  }
  return [...bySources.values()].map(groupOf).sort(compareGroups);
}

function groupOf(openings: readonly Opening[]): RuleGroup {
  const first = openings[0]!;
  const flows = openings.flatMap((o) => o.flows);
  const sources = uniqueByName(openings.flatMap((o) => o.sourceEndpoints));
  const destinations = uniqueByName(openings.map((o) => o.destination));
  return {
    protocol: first.protocol,
    ports: first.ports,
    phase: first.installOnly ? 'install' : 'always',
    sources,
    destinations,
    sourceAddresses: AddressSet.unionAll(openings.map((o) => o.sources)),
    destinationAddresses: AddressSet.unionAll(openings.map((o) => o.destinations)),
    rows: [...new Set(flows.flatMap((f) => f.rows))].sort(compareRowIds),
    sourceRoles: [...new Set(flows.flatMap((f) => f.sourceRoles))].sort(),
    destinationRoles: [...new Set(flows.flatMap((f) => f.destinationRoles))].sort(),
    flows,
  };
}

/** Rule groups for the flows a host must accept (it is their destination). */
export function inboundGroups(plan: Plan, hostName: string): RuleGroup[] {
  return groupsOf(openingsOf(plan).into(hostName));
}

/** Hosts that must accept at least one flow, sorted by name. */
export function listeningHosts(plan: Plan): Endpoint[] {
  const names = new Set(plan.flows.map((f) => f.destination.name));
  return plan.hosts.filter((h) => names.has(h.name));
}

/** Hosts that start at least one flow, sorted by name. */
export function sourceHosts(plan: Plan): Endpoint[] {
  const names = new Set(plan.flows.map((f) => f.source.name));
  return plan.hosts.filter((h) => names.has(h.name));
}

export interface ZonePair {
  readonly sourceZone: string;
  readonly destinationZone: string;
  readonly groups: readonly RuleGroup[];
}

/** The flows that cross from one zone to another, grouped exactly, per zone pair (sorted). */
export function zonePairs(plan: Plan, options: { includeSameZone?: boolean } = {}): ZonePair[] {
  // Keyed by the pair itself, not a joined string, so no zone name can forge another pair.
  const bySource = new Map<string, Map<string, Flow[]>>();
  for (const f of plan.flows) {
    if (!options.includeSameZone && f.source.zone === f.destination.zone) continue;
    let byDestination = bySource.get(f.source.zone);
    if (!byDestination) bySource.set(f.source.zone, (byDestination = new Map<string, Flow[]>()));
    const list = byDestination.get(f.destination.zone);
    if (list) list.push(f);
    else byDestination.set(f.destination.zone, [f]);
  }
  return [...bySource.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .flatMap(([sourceZone, byDestination]) =>
      [...byDestination.entries()]
        .sort(([a], [b]) => compareText(a, b))
        .map(([destinationZone, flows]) => ({ sourceZone, destinationZone, groups: exactRuleGroups(flows) })),
    );
}

/** "agents to management server (TCP 5723)": the readable name of a rule group. */
export function describeGroup(g: Pick<RuleGroup, 'sourceRoles' | 'destinationRoles' | 'protocol' | 'ports'>): string {
  const from = g.sourceRoles.map((r) => roleLabels[r]).join(', ');
  const to = g.destinationRoles.map((r) => roleLabels[r]).join(', ');
  return `${from} to ${to} (${describePorts(g)})`;
}

/** "TCP 5723", "TCP 49152-65535", "ICMP echo". */
export function describePorts(g: Pick<RuleGroup, 'protocol' | 'ports'>): string {
  if (!g.ports) return 'ICMP echo';
  const p = g.ports.from === g.ports.to ? `${g.ports.from}` : `${g.ports.from}-${g.ports.to}`;
  return `${g.protocol.toUpperCase()} ${p}`;
}

const protocolOrder: Record<Protocol, number> = { tcp: 0, udp: 1, icmp: 2 };

function compareGroups(a: RuleGroup, b: RuleGroup): number {
  return (
    protocolOrder[a.protocol] - protocolOrder[b.protocol] ||
    (a.ports?.from ?? 0) - (b.ports?.from ?? 0) ||
    (a.ports?.to ?? 0) - (b.ports?.to ?? 0) ||
    compareText(a.phase, b.phase) ||
    compareText(a.destinations[0]?.name ?? '', b.destinations[0]?.name ?? '') ||
    compareText(a.sources[0]?.name ?? '', b.sources[0]?.name ?? '')
  );
}
