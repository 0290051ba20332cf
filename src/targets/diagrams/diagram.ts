import { compareText } from '../../plan/order.js';
import type { Endpoint, Flow, Plan } from '../../plan/types.js';
import { scopeHost } from '../select.js';
import type { RenderOptions } from '../types.js';
import { groupBy } from '../../text/group.js';
import { memoPerPlan } from '../memo.js';
import { alikeGroups } from '../alike.js';
import { classGraph } from './class-graph.js';
import { nodeName, portsLabel, rolesLabel, traitSpan, WhatIds } from './graph-parts.js';

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
  // The whole plan from its classes where it has them; one host's flows (or a plan without classes) flow by flow.
  const fromClasses = host === undefined ? classGraph(plan) : undefined;
  if (fromClasses) return fromClasses;
  const flows = scopedFlows(plan, host);
  const hosts = host === undefined ? plan.hosts : hostsShown(plan, flows, host);
  const ids = new Map(hosts.map((h, i) => [h.name, `h${i}`]));
  const alike = alikeHosts(hosts, flows);
  // A member of a drawn class is drawn as its class's first host: its node and its edges are that host's.
  for (const [name, first] of alike.drawnAs) ids.set(name, ids.get(first) ?? '');
  return { title: `SCOM management group ${plan.managementGroup}`, zones: zonesOf(hosts, ids, alike), edges: edgesOf(flows, ids, alike) };
}

/** With --host: that host and its peers. */
function hostsShown(plan: Plan, flows: readonly Flow[], host: string): readonly Endpoint[] {
  const shown = new Set(flows.flatMap((f) => [f.source.name, f.destination.name]));
  const chosen = host.toLowerCase();
  return plan.hosts.filter((h) => h.name.toLowerCase() === chosen || shown.has(h.name));
}

function scopedFlows(plan: Plan, host: string | undefined): readonly Flow[] {
  const chosen = scopeHost(plan, host);
  if (chosen === undefined) return plan.flows;
  return plan.flows.filter((f) => f.source.name === chosen.name || f.destination.name === chosen.name);
}

/**
 * Hosts alike for drawing: the same zone, the same roles, and the same flows (direction, peer, protocol, ports,
 * phase), so their nodes would have the same edges. Classes of `alikeThreshold` (alike.ts) or more are drawn as their first
 * host (by name), labelled with how many more it stands for.
 */
interface Alike {
  /** Every member of a drawn class but its first, by name → the first's name. */
  readonly drawnAs: ReadonlyMap<string, string>;
  /** The first host of each drawn class → the class size. */
  readonly sizes: ReadonlyMap<string, number>;
}

function alikeHosts(hosts: readonly Endpoint[], flows: readonly Flow[]): Alike {
  // Each flow is a trait of both its ends, as one number (peer, what, direction), so no string is made per flow.
  const index = new Map(hosts.map((h, i) => [h.name, i]));
  const traits: (number[] | undefined)[] = new Array<number[] | undefined>(hosts.length);
  const what = new WhatIds();
  const add = (i: number | undefined, trait: number): void => {
    if (i === undefined) return;
    const list = traits[i];
    if (list) list.push(trait);
    else traits[i] = [trait];
  };
  for (const f of flows) {
    const w = what.of(f) * 2;
    const from = index.get(f.source.name);
    const to = index.get(f.destination.name);
    if (from === undefined || to === undefined) continue;
    add(from, to * traitSpan + w + 1);
    add(to, from * traitSpan + w);
  }
  // hosts are sorted by name, so each class lists its first host first.
  const classes = alikeGroups(hosts, (h, i) => `${h.zone}\u0000${h.roles.join(',')}\u0000${traits[i]?.join(',') ?? ''}`);
  const drawnAs = new Map<string, string>();
  const sizes = new Map<string, number>();
  for (const members of classes) {
    const first = members[0]!.name;
    sizes.set(first, members.length);
    for (const m of members.slice(1)) drawnAs.set(m.name, first);
  }
  return { drawnAs, sizes };
}

function zonesOf(hosts: readonly Endpoint[], ids: ReadonlyMap<string, string>, alike: Alike): GraphZone[] {
  const names = [...new Set(hosts.map((h) => h.zone))].sort(compareText);
  return names.map((name, i) => ({
    id: `z${i}`,
    name,
    nodes: hosts
      .filter((h) => h.zone === name && !alike.drawnAs.has(h.name))
      .map((h) => ({ id: ids.get(h.name) ?? '', name: nodeName(h.name, alike.sizes.get(h.name)), roles: rolesLabel(h.roles) })),
  }));
}

function edgesOf(flows: readonly Flow[], ids: ReadonlyMap<string, string>, alike: Alike): GraphEdge[] {
  // A class's members have the same edges as its first host: only the first's flows are drawn. Flows into a member
  // from a host outside the class become edges into the class's node, once.
  const drawn = alike.drawnAs.size === 0 ? flows : flows.filter((f) => !alike.drawnAs.has(f.source.name));
  const byEdge = groupBy(drawn, (f) => `${f.source.name}\u0000${f.destination.name}\u0000${f.phase}`);
  const seen = new Set<string>();
  return [...byEdge.values()].flatMap((list) => {
    const [first] = list;
    if (!first) return [];
    const edge = { from: ids.get(first.source.name) ?? '', to: ids.get(first.destination.name) ?? '', label: portsLabel(list), installOnly: first.phase === 'install' };
    if (alike.drawnAs.size > 0) {
      const key = `${edge.from}>${edge.to}\u0000${edge.label}\u0000${String(edge.installOnly)}`;
      if (seen.has(key)) return [];
      seen.add(key);
    }
    return [edge];
  });
}
