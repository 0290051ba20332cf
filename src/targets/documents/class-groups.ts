import type { Role } from '../../catalog/roles.js';
import { AddressSet } from '../../net/address-set.js';
import { compareOptionalPorts, compareProtocols, portKey, type PortRange, type Protocol } from '../../net/port.js';
import { planRows, rowAddressSet, type RowClass, type RowFlow, type RowHost } from '../../plan/expand.js';
import { compareRowIds, compareText } from '../../plan/order.js';
import type { Flow, FlowPhase, Plan } from '../../plan/types.js';

/**
 * One rule of the change request before it is numbered: every source may reach every destination on the ports.
 * Names and address sets are what the documents write; the rows, roles and notes are those of every flow behind it.
 */
export interface RequestGroup {
  readonly protocol: Protocol;
  readonly ports: PortRange | null;
  readonly phase: FlowPhase;
  readonly sources: readonly string[];
  readonly sourceAddresses: AddressSet;
  readonly destinations: readonly string[];
  readonly destinationAddresses: AddressSet;
  readonly rows: readonly string[];
  readonly sourceRoles: readonly Role[];
  readonly destinationRoles: readonly Role[];
  readonly notes: readonly string[];
}

export interface RequestPair {
  readonly sourceZone: string;
  readonly destinationZone: string;
  readonly groups: readonly RequestGroup[];
}

/*
 * The change request's groups from the plan's classes (src/plan/expand.ts planRows), without a Flow per host. The
 * flows grouped per zone pair (src/targets/rules.ts zonePairs) are openings (destination, protocol, ports, phase)
 * merged where their sources are the same. Every member of a class starts the same flows (its class's outgoing
 * list), so an opening's sources are whole classes; and a template (a flow of the representatives) reaches every
 * member of its destination class, so the members of a destination class have openings with the same sources and
 * fall into the same group. A group is thus (zone pair, protocol, ports, phase, the set of source classes), and
 * its destinations whole classes: a few hundred classes to group instead of 300,000 flows.
 */

interface ClassEntry {
  readonly of: RowClass;
  /** Positions of the members in the plan's hosts (name order). */
  readonly members: number[];
  out?: readonly RowFlow[];
}

/** The openings into one destination class of one kind from one source zone. */
interface Slot {
  readonly sourceZone: string;
  readonly destination: number;
  readonly template: Flow;
  /** Source classes, each once, in the order of the classes. */
  readonly sources: number[];
  readonly templates: Flow[];
}

interface Group {
  readonly sourceZone: string;
  readonly destinationZone: string;
  readonly template: Flow;
  readonly sources: readonly number[];
  readonly destinations: number[];
  readonly templates: Set<Flow>;
}

/**
 * The zone pairs' groups (sorted as zonePairs sorts them, with flows within one zone) from the plan's classes;
 * undefined where the plan is not one of classes, or its rows are not shaped as this reasoning needs (then the
 * caller groups the flows themselves).
 */
export function classZonePairs(plan: Plan): RequestPair[] | undefined {
  const rows = planRows(plan);
  if (!rows.byClass) return undefined;
  const hosts = rows.hosts();
  const classes = classesOf(hosts, rows.runs());
  if (!classes) return undefined;
  const slots = slotsOf(classes);
  if (!slots) return undefined;
  const groups = groupsOf(slots, classes.list);
  if (!totalRowOrder(groups)) return undefined;
  const members = new Members(classes.list, hosts);
  const byPair = new Map<string, Map<string, RequestGroup[]>>();
  for (const g of groups) {
    let byDestination = byPair.get(g.sourceZone);
    if (!byDestination) byPair.set(g.sourceZone, (byDestination = new Map<string, RequestGroup[]>()));
    const list = byDestination.get(g.destinationZone);
    const made = requestGroup(g, members);
    if (list) list.push(made);
    else byDestination.set(g.destinationZone, [made]);
  }
  return [...byPair.entries()]
    .sort(([a], [b]) => compareText(a, b))
    .flatMap(([sourceZone, byDestination]) =>
      [...byDestination.entries()]
        .sort(([a], [b]) => compareText(a, b))
        .map(([destinationZone, list]) => ({ sourceZone, destinationZone, groups: list.sort(compareGroups) })),
    );
}

/**
 * The classes of the hosts, each with its members and its outgoing list; undefined unless every host starts its
 * class's one list, in the hosts' order.
 */
function classesOf(hosts: readonly RowHost[], runs: Iterable<readonly [RowHost, readonly RowFlow[]]>): { list: ClassEntry[]; ids: Map<RowClass, number> } | undefined {
  const ids = new Map<RowClass, number>();
  const list: ClassEntry[] = [];
  const classOf = new Int32Array(hosts.length);
  for (let i = 0; i < hosts.length; i++) {
    const of = hosts[i]!.of;
    let id = ids.get(of);
    if (id === undefined) {
      id = list.push({ of, members: [] }) - 1;
      ids.set(of, id);
    }
    list[id]!.members.push(i);
    classOf[i] = id;
  }
  let j = 0;
  for (const [host, out] of runs) {
    if (j >= hosts.length || host !== hosts[j]) return undefined;
    const c = list[classOf[j]!]!;
    if (c.out === undefined) c.out = out;
    else if (c.out !== out) return undefined;
    j++;
  }
  return j === hosts.length ? { list, ids } : undefined;
}

/** Every class's outgoing list once: its templates, each reaching whole destination classes (else undefined). */
function slotsOf(classes: { list: ClassEntry[]; ids: Map<RowClass, number> }): Slot[] | undefined {
  const slots = new Map<string, Slot>();
  for (let id = 0; id < classes.list.length; id++) {
    const c = classes.list[id]!;
    const out = c.out ?? [];
    if (out.length === 0) continue;
    const reached = new Map<Flow, Map<number, number>>();
    for (const o of out) {
      const to = classes.ids.get(o.destination.of);
      if (to === undefined) return undefined;
      let counts = reached.get(o.template);
      if (!counts) reached.set(o.template, (counts = new Map<number, number>()));
      counts.set(to, (counts.get(to) ?? 0) + 1);
    }
    const zone = c.of.representative.zone;
    for (const [t, counts] of reached) {
      for (const [to, n] of counts) {
        if (n !== classes.list[to]!.members.length) return undefined;
        // Keyed by values that cannot hold the separator (class numbers, protocols, ports, phases) after the zone's length.
        const key = `${zone.length}:${zone}|${to}|${portKey(t.protocol, t.ports)}|${t.phase}`;
        let slot = slots.get(key);
        if (!slot) slots.set(key, (slot = { sourceZone: zone, destination: to, template: t, sources: [], templates: [] }));
        if (slot.sources[slot.sources.length - 1] !== id) slot.sources.push(id);
        slot.templates.push(t);
      }
    }
  }
  return [...slots.values()];
}

/** Slots with the same zone pair, kind and source classes make one group. */
function groupsOf(slots: readonly Slot[], classes: readonly ClassEntry[]): Group[] {
  const groups = new Map<string, Group>();
  for (const s of slots) {
    const destinationZone = classes[s.destination]!.of.representative.zone;
    const t = s.template;
    const key = `${s.sourceZone.length}:${s.sourceZone}${destinationZone.length}:${destinationZone}|${portKey(t.protocol, t.ports)}|${t.phase}|${s.sources.join(',')}`;
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { sourceZone: s.sourceZone, destinationZone, template: t, sources: s.sources, destinations: [], templates: new Set<Flow>() }));
    g.destinations.push(s.destination);
    for (const x of s.templates) g.templates.add(x);
  }
  return [...groups.values()];
}

/**
 * Whether every two row ids of the plan compare unequal: then a group's rows sort to one order whatever order its
 * flows come in (ids of one revision with the same number, or none, would keep the order of the flows).
 */
function totalRowOrder(groups: readonly Group[]): boolean {
  const ids = new Set<string>();
  for (const g of groups) for (const t of g.templates) for (const r of t.rows) ids.add(r);
  const list = [...ids];
  for (let i = 0; i < list.length; i++) {
    for (let j = i + 1; j < list.length; j++) {
      const c = compareRowIds(list[i]!, list[j]!);
      if (!(c < 0 || c > 0)) return false;
    }
  }
  return true;
}

function requestGroup(g: Group, members: Members): RequestGroup {
  const templates = [...g.templates];
  const t = g.template;
  return {
    protocol: t.protocol,
    ports: t.ports,
    phase: t.phase,
    sources: members.names(g.sources),
    sourceAddresses: members.addresses(g.sources),
    destinations: members.names(g.destinations),
    destinationAddresses: members.addresses(g.destinations),
    rows: distinct(templates, (x) => x.rows).sort(compareRowIds),
    sourceRoles: distinct(templates, (x) => x.sourceRoles).sort(),
    destinationRoles: distinct(templates, (x) => x.destinationRoles).sort(),
    notes: distinct(templates, (x) => x.notes).sort(),
  };
}

/**
 * The members of sets of classes, by name and as addresses. Groups of one zone pair and of several kinds of flow
 * often have the same source classes (every agent reporting to one server), so each set's are made once.
 */
class Members {
  private readonly names_ = new Map<string, string[]>();
  private readonly addresses_ = new Map<string, AddressSet>();
  private readonly classAddresses = new Map<number, AddressSet>();
  /** Marks hosts of the set being listed: the set's number at the host's position. */
  private readonly marks: Int32Array;
  private mark = 0;

  constructor(
    private readonly classes: readonly ClassEntry[],
    private readonly hosts: readonly RowHost[],
  ) {
    this.marks = new Int32Array(hosts.length);
  }

  /** The names of the classes' members, in name order (the hosts' order). */
  names(ids: readonly number[]): string[] {
    const key = ids.join(',');
    let names = this.names_.get(key);
    if (!names) this.names_.set(key, (names = this.namesOf(ids)));
    return names;
  }

  addresses(ids: readonly number[]): AddressSet {
    const key = ids.join(',');
    let set = this.addresses_.get(key);
    if (!set) {
      const sets = ids.map((id) => this.addressesOf(id));
      this.addresses_.set(key, (set = sets.length === 1 ? sets[0]! : AddressSet.unionAll(sets)));
    }
    return set;
  }

  private namesOf(ids: readonly number[]): string[] {
    const { hosts, classes } = this;
    if (ids.length === 1) return classes[ids[0]!]!.members.map((p) => hosts[p]!.name);
    // Members of several classes interleave by name: marked, then read in one sweep of their span of the hosts.
    const mark = ++this.mark;
    let low = hosts.length;
    let high = -1;
    let count = 0;
    for (const id of ids) {
      const { members } = classes[id]!;
      for (const p of members) this.marks[p] = mark;
      low = Math.min(low, members[0]!);
      high = Math.max(high, members[members.length - 1]!);
      count += members.length;
    }
    const names = new Array<string>(count);
    let n = 0;
    for (let p = low; p <= high; p++) if (this.marks[p] === mark) names[n++] = hosts[p]!.name;
    return names;
  }

  /** The union of a class's members' addresses. */
  private addressesOf(id: number): AddressSet {
    let set = this.classAddresses.get(id);
    if (!set) {
      const { members } = this.classes[id]!;
      const { hosts } = this;
      set = members.length === 1 ? rowAddressSet(hosts[members[0]!]!) : AddressSet.unionAll(members.map((p) => rowAddressSet(hosts[p]!)));
      this.classAddresses.set(id, set);
    }
    return set;
  }
}

/** The values of every item's list, each once. */
function distinct<T, V>(items: readonly T[], values: (item: T) => readonly V[]): V[] {
  const seen = new Set<V>();
  for (const item of items) for (const v of values(item)) seen.add(v);
  return [...seen];
}

/** As rules.ts orders rule groups: protocol, ports, phase, first destination, first source. */
function compareGroups(a: RequestGroup, b: RequestGroup): number {
  return (
    compareProtocols(a.protocol, b.protocol) ||
    compareOptionalPorts(a.ports, b.ports) ||
    compareText(a.phase, b.phase) ||
    compareText(a.destinations[0] ?? '', b.destinations[0] ?? '') ||
    compareText(a.sources[0] ?? '', b.sources[0] ?? '')
  );
}
