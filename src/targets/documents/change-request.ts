import type { Plan } from '../../plan/types.js';
import { describeGroup, describePorts, zonePairs, type RuleGroup } from '../rules.js';
import { scopeHost } from '../select.js';
import type { RenderOptions } from '../types.js';

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
  const scoped = scopedPlan(plan, options.host);
  const pairs = zonePairs(scoped, { includeSameZone: true });
  const ordered = [...pairs.filter((p) => p.sourceZone !== p.destinationZone), ...pairs.filter((p) => p.sourceZone === p.destinationZone)];
  let n = 0;
  const sections = ordered.map((p) => ({
    sourceZone: p.sourceZone,
    destinationZone: p.destinationZone,
    rows: p.groups.map((g) => rowOf(g, p.sourceZone, p.destinationZone, ++n)),
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
  if (scopeHost(plan, host) === undefined) return plan;
  return { ...plan, flows: plan.flows.filter((f) => f.source.name === host || f.destination.name === host) };
}

function rowOf(g: RuleGroup, sourceZone: string, destinationZone: string, n: number): ChangeRow {
  const ports = describePorts(g);
  return {
    id: `R${String(n).padStart(3, '0')}`,
    sourceZone,
    destinationZone,
    crossesZones: sourceZone !== destinationZone,
    sources: g.sources.map((e) => e.name),
    sourceAddresses: g.sourceAddresses.toCidrs(),
    destinations: g.destinations.map((e) => e.name),
    destinationAddresses: g.destinationAddresses.toCidrs(),
    protocol: g.protocol.toUpperCase(),
    ports: ports.slice(ports.indexOf(' ') + 1),
    installOnly: g.phase === 'install',
    why: describeGroup(g),
    rows: g.rows,
    notes: [...new Set(g.flows.flatMap((f) => f.notes))].sort(),
  };
}
