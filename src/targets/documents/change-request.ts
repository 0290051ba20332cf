import type { AddressSet } from '../../net/address-set.js';
import type { Plan } from '../../plan/types.js';
import { portsText } from '../../net/port.js';
import { describeGroup, zonePairs, type RuleGroup } from '../rules.js';
import { memoPerPlan } from '../memo.js';
import { scopeHost } from '../select.js';
import type { RenderOptions } from '../types.js';
import { classZonePairs, type RequestGroup, type RequestPair } from './class-groups.js';

/**
 * A firewall change request for a network team, shared by the csv and markdown targets: one row per
 * aggregated rule (every source may reach every destination on the ports, nothing more), grouped by zone
 * pair. Zone crossings come first, since a network firewall sees those; flows within one zone follow in
 * their own section, for host-firewall and micro-segmentation teams.
 */
export interface ChangeRequest {
  readonly managementGroup: string;
  readonly catalog: string;
  readonly phase: string;
  readonly notes: readonly string[];
  readonly crossings: readonly ZoneSection[];
  readonly withinZones: readonly ZoneSection[];
}

export interface ZoneSection {
  readonly sourceZone: string;
  readonly destinationZone: string;
  readonly rows: readonly ChangeRow[];
}

export interface ChangeRow {
  /** `R001`, numbered through the whole request so a reviewer can cite a row. */
  readonly id: string;
  readonly sourceZone: string;
  readonly destinationZone: string;
  readonly crossesZones: boolean;
  readonly sources: readonly string[];
  /** The sources' addresses merged into the fewest exact CIDRs. */
  readonly sourceAddresses: readonly string[];
  readonly destinations: readonly string[];
  readonly destinationAddresses: readonly string[];
  /** `TCP`, `UDP`, `ICMP`. */
  readonly protocol: string;
  /** `5723`, `49152-65535`, `echo`. */
  readonly ports: string;
  readonly installOnly: boolean;
  /** `agent to management server (TCP 5723)`. */
  readonly why: string;
  readonly rows: readonly string[];
  readonly notes: readonly string[];
}

/** The change request for the plan; with `options.host`, only the flows from or to that host. */
export function changeRequest(plan: Plan, options: RenderOptions): ChangeRequest {
  return requestOnce(plan, options.host);
}

// csv and markdown write the same request: one render of both computes it once.
const requestOnce = memoPerPlan(requestOf);

function requestOf(plan: Plan, host: string | undefined): ChangeRequest {
  // The whole plan from its classes where it has them; one host's flows (or a plan without classes) flow by flow.
  const pairs = (host === undefined ? classZonePairs(plan) : undefined) ?? flowZonePairs(plan, host);
  const ordered = [...pairs.filter((p) => p.sourceZone !== p.destinationZone), ...pairs.filter((p) => p.sourceZone === p.destinationZone)];
  let n = 0;
  // Rules of several kinds of flow from one set of sources share its address set: its CIDRs are written once.
  const known = new Map<AddressSet, string[]>();
  const cidrs = (set: AddressSet): string[] => {
    let list = known.get(set);
    if (!list) known.set(set, (list = set.toCidrs()));
    return list;
  };
  const sections = ordered.map((p) => ({
    sourceZone: p.sourceZone,
    destinationZone: p.destinationZone,
    rows: p.groups.map((g) => rowOf(g, p.sourceZone, p.destinationZone, ++n, cidrs)),
  }));
  return {
    managementGroup: plan.managementGroup,
    catalog: plan.catalog,
    phase: plan.phase,
    notes: plan.notes,
    crossings: sections.filter((s) => s.sourceZone !== s.destinationZone),
    withinZones: sections.filter((s) => s.sourceZone === s.destinationZone),
  };
}

/** Rows in the order the documents list them: crossings first. */
export const rowsOf = (request: ChangeRequest): ChangeRow[] => [...request.crossings, ...request.withinZones].flatMap((s) => s.rows);

/** Rows of the change request, beside one row per flow (what a request without aggregation would list). */
export function ruleCounts(plan: Plan): { readonly rules: number; readonly unaggregatedRules: number } {
  return { rules: rowsOf(changeRequest(plan, {})).length, unaggregatedRules: plan.flows.length };
}

function scopedPlan(plan: Plan, host: string | undefined): Plan {
  const chosen = scopeHost(plan, host);
  if (chosen === undefined) return plan;
  return { ...plan, flows: plan.flows.filter((f) => f.source.name === chosen.name || f.destination.name === chosen.name) };
}

/** The zone pairs' rule groups from the flows themselves. */
function flowZonePairs(plan: Plan, host: string | undefined): RequestPair[] {
  return zonePairs(scopedPlan(plan, host), { includeSameZone: true }).map((p) => ({ sourceZone: p.sourceZone, destinationZone: p.destinationZone, groups: p.groups.map(requestGroupOf) }));
}

function requestGroupOf(g: RuleGroup): RequestGroup {
  return {
    protocol: g.protocol,
    ports: g.ports,
    phase: g.phase,
    sources: g.sourceNames,
    sourceAddresses: g.sourceAddresses,
    destinations: g.destinations.map((e) => e.name),
    destinationAddresses: g.destinationAddresses,
    rows: g.rows,
    sourceRoles: g.sourceRoles,
    destinationRoles: g.destinationRoles,
    notes: [...new Set(g.flows.flatMap((f) => f.notes))].sort(),
  };
}

function rowOf(g: RequestGroup, sourceZone: string, destinationZone: string, n: number, cidrs: (set: AddressSet) => string[]): ChangeRow {
  return {
    id: `R${String(n).padStart(3, '0')}`,
    sourceZone,
    destinationZone,
    crossesZones: sourceZone !== destinationZone,
    sources: g.sources,
    sourceAddresses: cidrs(g.sourceAddresses),
    destinations: g.destinations,
    destinationAddresses: cidrs(g.destinationAddresses),
    protocol: g.protocol.toUpperCase(),
    ports: portsText(g.ports),
    installOnly: g.phase === 'install',
    why: describeGroup(g),
    rows: g.rows,
    notes: g.notes,
  };
}
