import { roleLabels } from '../../catalog/roles.js';
import { comparePortRanges, describePortList, protocols } from '../../net/port.js';
import { compareText } from '../../plan/order.js';
import type { Endpoint, Flow, Plan } from '../../plan/types.js';
import { scopeHost } from '../select.js';
import type { RenderOptions } from '../types.js';
import { groupBy } from '../../text/group.js';
import { memoPerPlan } from '../memo.js';

/**
 * The deployment as a graph, shared by the mermaid and dot targets: hosts and groups as nodes clustered by
 * zone, and one edge per (source, destination, phase) labelled with all its ports, so parallel flows
 * between two nodes read as one line (`TCP 5723, 5724`). Node ids are made here (`h0`, `h1` …), never from
 * names, so no name can break a diagram's syntax outside its label.
 */
export interface DeploymentGraph {
  readonly title: string;
  readonly zones: readonly GraphZone[];
  readonly edges: readonly GraphEdge[];
}

export interface GraphZone {
  readonly id: string;
  readonly name: string;
  readonly nodes: readonly GraphNode[];
}

export interface GraphNode {
  readonly id: string;
  readonly name: string;
  /** `management server, ACS collector`. */
  readonly roles: string;
}

export interface GraphEdge {
  readonly from: string;
  readonly to: string;
  /** `TCP 5723, 5724; UDP 161`. */
  readonly label: string;
  /** Drawn dashed: every flow on the edge can be closed after installation. */
  readonly installOnly: boolean;
}

/** The graph of the plan; with `options.host`, that host, its peers and the flows between them. */
export function deploymentGraph(plan: Plan, options: RenderOptions): DeploymentGraph {
  return graphOnce(plan, options.host);
}

// dot and mermaid draw the same graph: one render of both computes it once.
const graphOnce = memoPerPlan(graphOf);

function graphOf(plan: Plan, host: string | undefined): DeploymentGraph {
  const flows = scopedFlows(plan, host);
  const shown = new Set(flows.flatMap((f) => [f.source.name, f.destination.name]));
  const chosen = host?.toLowerCase();
  const hosts = chosen === undefined ? plan.hosts : plan.hosts.filter((h) => h.name.toLowerCase() === chosen || shown.has(h.name));
  const ids = new Map(hosts.map((h, i) => [h.name, `h${i}`]));
  return { title: `SCOM management group ${plan.managementGroup}`, zones: zonesOf(hosts, ids), edges: edgesOf(flows, ids) };
}

function scopedFlows(plan: Plan, host: string | undefined): readonly Flow[] {
  const chosen = scopeHost(plan, host);
  if (chosen === undefined) return plan.flows;
  return plan.flows.filter((f) => f.source.name === chosen.name || f.destination.name === chosen.name);
}

function zonesOf(hosts: readonly Endpoint[], ids: ReadonlyMap<string, string>): GraphZone[] {
  const names = [...new Set(hosts.map((h) => h.zone))].sort(compareText);
  return names.map((name, i) => ({
    id: `z${i}`,
    name,
    nodes: hosts.filter((h) => h.zone === name).map((h) => ({ id: ids.get(h.name) ?? '', name: h.name, roles: h.roles.map((r) => roleLabels[r] ?? r).join(', ') })),
  }));
}

function edgesOf(flows: readonly Flow[], ids: ReadonlyMap<string, string>): GraphEdge[] {
  const byEdge = groupBy(flows, (f) => `${f.source.name}\u0000${f.destination.name}\u0000${f.phase}`);
  return [...byEdge.values()].flatMap((list) => {
    const [first] = list;
    if (!first) return [];
    return [{ from: ids.get(first.source.name) ?? '', to: ids.get(first.destination.name) ?? '', label: portsLabel(list), installOnly: first.phase === 'install' }];
  });
}

/** `TCP 135, 445, 49152-65535; ICMP echo`: the ports of parallel flows, per protocol. */
function portsLabel(flows: readonly Flow[]): string {
  return protocols
    .map((protocol) => {
      const own = flows.filter((f) => f.protocol === protocol);
      if (own.length === 0) return '';
      const ranges = [...new Set(own.flatMap((f) => (f.ports ? [f.ports] : [])))].sort(comparePortRanges);
      return describePortList(protocol, ranges);
    })
    .filter(Boolean)
    .join('; ');
}
