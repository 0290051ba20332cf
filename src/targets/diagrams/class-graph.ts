import { planRows, type RowClass, type RowFlow, type RowHost } from '../../plan/expand.js';
import { compareText } from '../../plan/order.js';
import type { Plan } from '../../plan/types.js';
import { alikeThreshold } from '../alike.js';
import type { DeploymentGraph, GraphEdge, GraphNode, GraphZone } from './diagram.js';
import { nodeName, portsLabel, rolesLabel, traitSpan, WhatIds } from './graph-parts.js';

/*
 * The whole plan's graph drawn from its classes (src/plan/expand.ts planRows), the same graph diagram.ts draws
 * from 300,000 flows, without a Flow per host.
 *
 * diagram.ts calls hosts alike when they have the same zone, roles and traits: one number per flow the host is an
 * end of (peer, kind of flow, direction), in the plan's flow order. The members of a class of the plan start the
 * same flows (their class's outgoing list: the same traits) and, as each template reaches every member of its
 * destination class, are reached by the same flows from the same hosts (the same traits again). Only where a
 * member's own flows fall among the flows it receives depends on its name: its traits are the ones it receives
 * from hosts before it (by name), then its own, then those from hosts after it. So a class's members have one of
 * a few trait lists, each made once; hosts of a class of their own have theirs made flow by flow, as before; and
 * the lists are compared as the same strings, so hosts of different classes are alike exactly as before.
 */

/** A class of the plan's rows, as drawing reads it. */
class ClassEntry {
  /** Positions of the members in the hosts (name order). */
  readonly members: number[] = [];
  /** A class of several members: its traits are the class's, not each member's. */
  shared = false;
  out: readonly RowFlow[] = noFlows;
  /** Per outgoing flow: its destination's position, and its kind's number (WhatIds) times two. */
  destinations: Int32Array = noPositions;
  whats: Int32Array = noPositions;
  /** Shared: its own traits (as an outgoing end), the same for every member. */
  outTraits: number[] = [];
  /** Shared: the traits its first member receives, in flow order (each member receives the same). */
  readonly inTraits: number[] = [];
  /** Shared: the key of members whose own flows come after `n` received traits, by `n`. */
  readonly keys = new Map<number, number>();
  /** A class of one: every trait of its host, in flow order. */
  readonly traits: number[] = [];
  roles: string | undefined = undefined;
  /** Zone and roles, as a key starts. */
  head: string | undefined = undefined;

  constructor(readonly of: RowClass) {}
}

const noFlows: readonly RowFlow[] = [];
const noPositions = new Int32Array(0);

/** The graph of the whole plan from its classes, or undefined where the plan has none or its rows break an assumption. */
export function classGraph(plan: Plan): DeploymentGraph | undefined {
  const rows = planRows(plan);
  if (!rows.byClass) return undefined;
  const hosts = rows.hosts();
  const shape = classesOf(hosts, rows.runs());
  if (!shape) return undefined;
  const drawn = drawnClasses(hosts, shape);
  const edges = edgesOf(hosts, shape, drawn.drawnAs);
  if (!edges) return undefined;
  return { title: `SCOM management group ${plan.managementGroup}`, zones: zonesOf(hosts, shape, drawn), edges };
}

interface Shape {
  readonly classes: readonly ClassEntry[];
  /** Each host's class, by position. */
  readonly classOf: Int32Array;
}

/**
 * The classes with their members and outgoing lists; undefined unless every host starts its class's one list, in
 * the hosts' order, and every template of a list reaches each member of its destination class once.
 */
function classesOf(hosts: readonly RowHost[], runs: Iterable<readonly [RowHost, readonly RowFlow[]]>): Shape | undefined {
  const ids = new Map<RowClass, number>();
  const classes: ClassEntry[] = [];
  const classOf = new Int32Array(hosts.length);
  for (let i = 0; i < hosts.length; i++) {
    const of = hosts[i]!.of;
    let id = ids.get(of);
    if (id === undefined) {
      id = classes.push(new ClassEntry(of)) - 1;
      ids.set(of, id);
    }
    classes[id]!.members.push(i);
    classOf[i] = id;
  }
  const seen = new Uint8Array(classes.length);
  let j = 0;
  for (const [host, out] of runs) {
    if (j >= hosts.length || host !== hosts[j]) return undefined;
    const id = classOf[j]!;
    const c = classes[id]!;
    if (seen[id] === 0) {
      seen[id] = 1;
      c.out = out;
    } else if (c.out !== out) return undefined;
    j++;
  }
  if (j !== hosts.length) return undefined;
  const what = new WhatIds();
  for (let id = 0; id < classes.length; id++) {
    const c = classes[id]!;
    c.shared = c.members.length > 1;
    const out = c.out;
    const destinations = new Int32Array(out.length);
    const whats = new Int32Array(out.length);
    const reached = new Map<RowFlow['template'], Map<number, number>>();
    for (let k = 0; k < out.length; k++) {
      const o = out[k]!;
      const at = positionOf(hosts, o.destination);
      if (at < 0) return undefined;
      const to = classOf[at]!;
      // A class that reaches itself would receive from its own members, each at another place: not this reasoning.
      if (to === id && c.shared) return undefined;
      destinations[k] = at;
      whats[k] = what.of(o.template) * 2;
      let counts = reached.get(o.template);
      if (!counts) reached.set(o.template, (counts = new Map<number, number>()));
      counts.set(to, (counts.get(to) ?? 0) + 1);
    }
    for (const counts of reached.values()) for (const [to, n] of counts) if (n !== classes[to]!.members.length) return undefined;
    c.destinations = destinations;
    c.whats = whats;
    if (c.shared) c.outTraits = Array.from(destinations, (at, k) => at * traitSpan + whats[k]! + 1);
  }
  return { classes, classOf };
}

/**
 * The host's position: hosts are sorted by name (code-point order, names unique), so a binary search finds it
 * without a map of 150,000 hosts; -1 where that place holds another host.
 */
function positionOf(hosts: readonly RowHost[], host: RowHost): number {
  const name = host.name;
  let low = 0;
  let high = hosts.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const there = hosts[middle]!.name;
    if (there < name) low = middle + 1;
    else if (there > name) high = middle - 1;
    else return hosts[middle] === host ? middle : -1;
  }
  return -1;
}

interface Drawn {
  /** Each host's drawn class's first host, by position, or -1 where it is drawn itself. */
  readonly drawnAs: Int32Array;
  /** The size of the drawn class a host is the first of, by position, or 0. */
  readonly sizes: Int32Array;
}

/** The alike hosts, as diagram.ts finds them (its alikeHosts), from the classes' traits. */
function drawnClasses(hosts: readonly RowHost[], { classes, classOf }: Shape): Drawn {
  // Received traits before each member's own flows (shared classes), and every trait of a class of one, in the
  // plan's flow order: sources by position, each source's flows in its list's order.
  const before = new Int32Array(hosts.length);
  for (let from = 0; from < hosts.length; from++) {
    const c = classes[classOf[from]!]!;
    const { destinations, whats, shared } = c;
    if (shared) before[from] = c.inTraits.length;
    for (let k = 0; k < destinations.length; k++) {
      const to = destinations[k]!;
      const w = whats[k]!;
      if (!shared) c.traits.push(to * traitSpan + w + 1);
      const d = classes[classOf[to]!]!;
      if (!d.shared) d.traits.push(from * traitSpan + w);
      else if (to === d.members[0]) d.inTraits.push(from * traitSpan + w);
    }
  }
  // Keys as diagram.ts makes them are zone, roles and the traits joined: 150,000 strings, some of 300,000 numbers.
  // The same pairs of head and traits get the same number here, found by hash and compared number by number.
  const lists = new TraitLists();
  const keys = new Int32Array(hosts.length);
  for (let i = 0; i < hosts.length; i++) {
    const c = classes[classOf[i]!]!;
    const head = (c.head ??= `${c.of.representative.zone}\u0000${c.of.representative.roles.join(',')}\u0000`);
    if (!c.shared) {
      keys[i] = lists.idOf(head, c.traits);
      continue;
    }
    const { outTraits, inTraits } = c;
    // Without flows of its own, where they would fall does not matter.
    const n = outTraits.length === 0 ? 0 : before[i]!;
    let key = c.keys.get(n);
    if (key === undefined) c.keys.set(n, (key = lists.idOf(head, [...inTraits.slice(0, n), ...outTraits, ...inTraits.slice(n)])));
    keys[i] = key;
  }
  // As alikeGroups (alike.ts) groups them: keys held by alikeThreshold hosts or more, each drawn as its first host.
  const counts = new Int32Array(lists.size);
  for (const key of keys) counts[key] = counts[key]! + 1;
  const firsts = new Int32Array(lists.size).fill(-1);
  const drawnAs = new Int32Array(hosts.length).fill(-1);
  const sizes = new Int32Array(hosts.length);
  for (let i = 0; i < hosts.length; i++) {
    const key = keys[i]!;
    if (counts[key]! < alikeThreshold) continue;
    const first = firsts[key]!;
    if (first < 0) {
      firsts[key] = i;
      sizes[i] = counts[key]!;
    } else drawnAs[i] = first;
  }
  return { drawnAs, sizes };
}

/**
 * A number for each distinct pair of head and traits: equal pairs, and only those, get the same
 * one, as their joined strings would be equal (a head ends in a separator no trait list holds).
 */
class TraitLists {
  private readonly buckets = new Map<number, { readonly head: string; readonly traits: readonly number[]; readonly id: number }[]>();
  /** How many distinct pairs were seen: the numbers are 0 to size - 1. */
  size = 0;

  idOf(head: string, traits: readonly number[]): number {
    const hash = hashOf(head, traits);
    let bucket = this.buckets.get(hash);
    if (!bucket) this.buckets.set(hash, (bucket = []));
    for (const known of bucket) if (known.head === head && sameNumbers(known.traits, traits)) return known.id;
    const id = this.size++;
    bucket.push({ head, traits, id });
    return id;
  }
}

function hashOf(head: string, traits: readonly number[]): number {
  let h = 0x811c9dc5 ^ traits.length;
  for (let i = 0; i < head.length; i++) h = Math.imul(h ^ head.charCodeAt(i), 0x01000193);
  for (const t of traits) {
    // Traits reach past 2^32 (peer times 2^20): both halves count.
    h = Math.imul(h ^ (t % 0x100000000), 0x01000193);
    h = Math.imul(h ^ Math.floor(t / 0x100000000), 0x01000193);
  }
  return h;
}

function sameNumbers(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

function zonesOf(hosts: readonly RowHost[], { classes, classOf }: Shape, { drawnAs, sizes }: Drawn): GraphZone[] {
  const byZone = new Map<string, GraphNode[]>();
  for (let i = 0; i < hosts.length; i++) {
    const h = hosts[i]!;
    const zone = h.of.representative.zone;
    let nodes = byZone.get(zone);
    if (!nodes) byZone.set(zone, (nodes = []));
    if (drawnAs[i]! >= 0) continue;
    const c = classes[classOf[i]!]!;
    nodes.push({ id: `h${i}`, name: nodeName(h.name, sizes[i]! > 0 ? sizes[i] : undefined), roles: (c.roles ??= rolesLabel(h.of.representative.roles)) });
  }
  return [...byZone.keys()].sort(compareText).map((name, i) => ({ id: `z${i}`, name, nodes: byZone.get(name)! }));
}

/**
 * As diagram.ts's edgesOf: the flows of hosts drawn themselves, one edge per (source, destination, phase) in the
 * order of their first flows, members of a drawn class drawn as its first host, and an edge drawn twice kept once.
 * A source's flows come by destination name (else undefined), so a destination's flows are next to each other.
 */
function edgesOf(hosts: readonly RowHost[], { classes, classOf }: Shape, drawnAs: Int32Array): GraphEdge[] | undefined {
  const anyDrawnAs = drawnAs.some((first) => first >= 0);
  const seen = new Set<string>();
  const edges: GraphEdge[] = [];
  for (let source = 0; source < hosts.length; source++) {
    if (drawnAs[source]! >= 0) continue;
    const { out, destinations } = classes[classOf[source]!]!;
    // The members of a destination class are reached by the same templates: one label per class and phase.
    const labels = new Map<number, (string | undefined)[]>();
    for (let k = 0; k < out.length; ) {
      const to = destinations[k]!;
      let end = k + 1;
      while (end < out.length && destinations[end] === to) end++;
      if (end < out.length && !(hosts[to]!.name < hosts[destinations[end]!]!.name)) return undefined;
      const block = out.slice(k, end);
      const firstPhase = block[0]!.template.phase;
      const phases = block.some((o) => o.template.phase !== firstPhase) ? [firstPhase, firstPhase === 'install' ? 'always' : 'install'] : [firstPhase];
      const of = classOf[to]!;
      let byPhase = labels.get(of);
      if (!byPhase) labels.set(of, (byPhase = []));
      for (const phase of phases) {
        const installOnly = phase === 'install';
        const label = (byPhase[installOnly ? 1 : 0] ??= portsLabel(block.filter((o) => o.template.phase === phase).map((o) => o.template)));
        const shown = drawnAs[to]! >= 0 ? drawnAs[to]! : to;
        if (anyDrawnAs) {
          const key = `${source}>${shown}\u0000${label}\u0000${String(installOnly)}`;
          if (seen.has(key)) continue;
          seen.add(key);
        }
        edges.push({ from: `h${source}`, to: `h${shown}`, label, installOnly });
      }
      k = end;
    }
  }
  return edges;
}
