import { compareOptionalPorts, compareProtocols, protocolPorts } from '../net/port.js';
import { addressTextsOf } from '../topology/host-addresses.js';
import type { Host } from '../topology/types.js';
import type { HostClasses } from './classes.js';
import { knowFlowCounts } from './counts.js';
import type { AddressSet } from '../net/address-set.js';
import { addressSetOf } from './endpoint-addresses.js';
import { compareText } from './order.js';
import { SeededEndpoint } from './seeded.js';
import type { Endpoint, Flow, Plan } from './types.js';
import { settle } from './settle.js';

/*
 * A plan made of classes of alike hosts (src/plan/classes.ts): the planner paired one representative per class,
 * and its flows (the templates) stand for every host of the source class to every host of the destination class.
 * Here they become the plan every command reads, with each host's own flows, in the plan's order, but only when a
 * command reads `flows` or `hosts`: `validate` counts flows from the templates and never builds 300,000 of them.
 */

/** A host the planner paired (a class's representative, or a host of its own) and its endpoint in the plan. */
export interface PlannedHost {
  readonly host: Host;
  readonly endpoint: Endpoint;
}

export function endpointFrom(host: Host): Endpoint {
  // Only connected management servers carry connectedGroup, so the JSON of other endpoints does not show it; the
  // same for linuxPolicy, which only hosts that set it carry.
  return new SeededEndpoint(host);
}

type PlanHead = Pick<Plan, 'managementGroup' | 'catalog' | 'phase' | 'notes'>;
type PlanTail = Pick<Plan, 'managementAccess' | 'closedHosts'>;

/**
 * The plan of classes: `flows` and `hosts` are built on first read and then stay as ordinary properties, so JSON,
 * spreading, structuredClone and deep equality see the same plan as one planned host by host (same keys, same
 * order, same values). The formats (src/plan/format.ts) read the classes themselves instead, through planRows.
 */
export function classPlan(
  head: PlanHead,
  tail: PlanTail,
  templates: readonly Flow[],
  planned: readonly PlannedHost[],
  classes: HostClasses,
  hosts: readonly Host[],
): Plan {
  let rows: ClassRows | undefined;
  const view = (): ClassRows => (rows ??= classRows(templates, planned, classes, hosts));
  const plan: Plan = {
    ...head,
    get flows(): Flow[] {
      return settle(this, 'flows', expandedFlows(view()));
    },
    get hosts(): Endpoint[] {
      return settle(this, 'hosts', view().hosts().map(endpointOf));
    },
    ...tail,
  };
  knowFlowCounts(plan, countsOf(templates, planned, classes));
  classViews.set(plan, view);
  return plan;
}

function countsOf(templates: readonly Flow[], planned: readonly PlannedHost[], classes: HostClasses): { flows: number; installOnly: number } {
  const size = new Map<Endpoint, number>(planned.map(({ host, endpoint }) => [endpoint, classes.members(host).length]));
  let flows = 0;
  let installOnly = 0;
  for (const t of templates) {
    const n = (size.get(t.source) ?? 1) * (size.get(t.destination) ?? 1);
    flows += n;
    if (t.phase === 'install') installOnly += n;
  }
  return { flows, installOnly };
}

/*
 * The rows of a plan as its formats write them: every source host in plan order with the flows it starts, each
 * flow a template (a flow of the class's representative) and the host at its other end. Hosts of one class share
 * one list of outgoing flows, so a format renders a class's rows once and stamps each member's name and addresses
 * into them; no Flow or Endpoint object is made per host.
 */

/** A host as the rows name it: its own name and addresses, and its class (which holds everything else). */
export interface RowHost {
  readonly name: string;
  readonly addresses: readonly string[];
  readonly of: RowClass;
}

/** A class of alike hosts (or one host, or one endpoint of a plan not planned by class). */
export interface RowClass {
  /** The endpoint whose fields other than name and addresses every member shares. */
  readonly representative: Endpoint;
  /** More than one host shares the class's outgoing list, so what a format renders from it is worth keeping. */
  readonly shared: boolean;
}

/** One flow of a source host: the destination host and the template whose protocol, ports, phase, rows, notes and roles it has. */
export interface RowFlow {
  readonly destination: RowHost;
  readonly template: Flow;
  /** The flow's own id, where the plan is not one of classes; otherwise the id is `source>destination` + idEnd. */
  readonly id: string | undefined;
  /** `:tcp/5723`: the end of the flow id, the same for every flow of the template. */
  readonly idEnd: string;
}

/** The plan's flows as runs of one source host, and its hosts, in the plan's order. */
export interface PlanRows {
  /** True for a plan of classes: templates are few and shared, so formats may keep what they render per template. */
  readonly byClass: boolean;
  /** Every source host and the flows it starts, in plan order (a host that starts none may be left out). */
  runs(): Iterable<readonly [RowHost, readonly RowFlow[]]>;
  /**
   * What `runs` gives, as each host's name and class: for a format that needs no more of the source (the plan
   * table), so that a plan of classes need not make an object per host for it.
   */
  namedRuns(): Iterable<readonly [string, RowClass, readonly RowFlow[]]>;
  /** Every host of the plan, in plan order (`plan.hosts`). */
  hosts(): readonly RowHost[];
}

/** The names of the hosts that start a flow and of those that accept one. */
export interface FlowEnds {
  readonly sources: ReadonlySet<string>;
  readonly destinations: ReadonlySet<string>;
}

const endsCache = new WeakMap<Plan, FlowEnds>();

/**
 * Which hosts start and accept flows, from the plan's rows: for a plan of classes, each class's outgoing list is
 * read once however many members share it, instead of 300,000 flows for 150,000 agents. Computed once per plan.
 */
export function flowEnds(plan: Plan): FlowEnds {
  let ends = endsCache.get(plan);
  if (!ends) {
    const classes = sourceClasses(plan);
    endsCache.set(plan, (ends = classes ? classEnds(classes) : endsOf(planRows(plan))));
  }
  return ends;
}

function endsOf(rows: PlanRows): FlowEnds {
  const sources = new Set<string>();
  const destinations = new Set<string>();
  const seen = new Set<readonly RowFlow[]>();
  for (const [host, out] of rows.runs()) {
    if (out.length === 0) continue;
    sources.add(host.name);
    // Members of a class share one list: its destinations are added once.
    if (seen.has(out)) continue;
    seen.add(out);
    for (const f of out) destinations.add(f.destination.name);
  }
  return { sources, destinations };
}

/**
 * The ends of a plan of classes, class by class: the destinations at once (a few hundred names), the sources (every
 * agent's name) only when asked, which the host targets never do.
 */
function classEnds(classes: readonly SourceClass[]): FlowEnds {
  const destinations = new Set<string>();
  for (const c of classes) for (const f of c.out) destinations.add(f.destination.name);
  let sources: Set<string> | undefined;
  return {
    get sources(): ReadonlySet<string> {
      if (!sources) {
        sources = new Set<string>();
        for (const c of classes) if (c.out.length > 0) for (const m of c.members) sources.add(m.name);
      }
      return sources;
    },
    destinations,
  };
}

const classViews = new WeakMap<Plan, () => ClassRows>();

/** The rows of a plan: from its classes where derivePlan planned by class, else from its flows and hosts. */
export function planRows(plan: Plan): PlanRows {
  const view = classViews.get(plan);
  return view ? view() : flowRows(plan);
}

/**
 * The plan's hosts whose names `keep` takes, in plan order. For a plan of classes whose `hosts` were not read yet,
 * only those hosts' endpoints are made: the host targets write for the few servers of 150,000 agents, and reading
 * `plan.hosts` to pick them would make every agent's endpoint and address list.
 */
export function planHostsWhere(plan: Plan, keep: (name: string) => boolean): Endpoint[] {
  const view = classViews.get(plan);
  if (!view || Object.getOwnPropertyDescriptor(plan, 'hosts')?.get === undefined) return plan.hosts.filter((h) => keep(h.name));
  return view()
    .hosts()
    .filter((m) => keep(m.name))
    .map(endpointOf);
}

/**
 * A row host's addresses as a set: for a plan of classes the set the loader parsed (the one its endpoint is seeded
 * with), so targets that aggregate addresses need not make 150,000 endpoints or parse their addresses again.
 */
export function rowAddressSet(h: RowHost): AddressSet {
  return isClassMember(h) ? h.host.addresses : addressSetOf(h.of.representative);
}

function isClassMember(h: RowHost): h is ClassMember {
  return h instanceof ClassMember;
}

/**
 * A host of a class. Its addresses are made from its host when read, not kept: most of 150,000 agents keep their one
 * address only in their set (Host.addressTexts), and a list of it per member would undo that.
 */
class ClassMember implements RowHost {
  readonly name: string;

  constructor(
    readonly of: HostClass,
    readonly host: Host,
    /** The member's plan endpoint, made when `flows` or `hosts` is read (the representative's from the start). */
    public endpoint: Endpoint | undefined,
  ) {
    this.name = host.name;
  }

  get addresses(): readonly string[] {
    return this.endpoint?.addresses ?? addressTextsOf(this.host);
  }
}

interface HostClass extends RowClass {
  /** The representative's host. */
  readonly host: Host;
  /** Its hosts in the deployment's order, then sorted by name; made on first use (membersOf). */
  inFileOrder?: readonly ClassMember[];
  members?: readonly ClassMember[];
  /** The flows each member starts, in plan order; built once, on first use. */
  out?: readonly ClassFlow[];
}

interface ClassFlow extends RowFlow {
  readonly destination: ClassMember;
}

interface ClassRows extends PlanRows {
  /** Every host, sorted by name. */
  readonly hosts: () => readonly ClassMember[];
  readonly runs: () => Iterable<readonly [ClassMember, readonly ClassFlow[]]>;
  /** Every class with members, each with the flows every member starts. */
  readonly classes: () => readonly SourceClass[];
}

/**
 * A class of alike hosts as the openings read it (src/plan/openings.ts): its members in name order, and the flows
 * each of them starts, one list for all. Members' endpoints are the plan's (`endpointOf`), made on first use.
 */
export interface SourceClass {
  readonly representative: Endpoint;
  readonly members: readonly RowHost[];
  readonly out: readonly RowFlow[];
}

/** The classes of a plan of classes; undefined for any other plan (planned host by host, or read from a file). */
export function sourceClasses(plan: Plan): readonly SourceClass[] | undefined {
  return classViews.get(plan)?.().classes();
}

/** The plan endpoint of a host of a plan's classes (the same object its flows and `hosts` hold). */
export function memberEndpoint(h: RowHost): Endpoint {
  if (!isClassMember(h)) throw new Error(`planner: ${h.name} is not a member of a class`);
  return endpointOf(h);
}

/**
 * The rows of a plan of classes. `hosts` are the deployment's hosts (`classes.classIndex` is by their position).
 * Members are made per class when first asked for (a class's destinations, its openings), and every host's only
 * once, so that the plan table, which names its sources without their objects (namedRuns), makes those of the few
 * destination classes and not 150,000. Hosts mostly come in name order (agents listed one by one), so sorting
 * them is a pass that finds them in order, not a full sort.
 */
function classRows(templates: readonly Flow[], planned: readonly PlannedHost[], classes: HostClasses, hosts: readonly Host[]): ClassRows {
  const byRepresentative = new Map<Endpoint, HostClass>();
  const byHost = new Map<Host, HostClass>();
  for (const { host, endpoint } of planned) {
    const of: HostClass = { representative: endpoint, host, shared: classes.members(host).length > 1 };
    byRepresentative.set(endpoint, of);
    byHost.set(host, of);
  }
  // A class whose representative the planner did not keep (its name taken by a connected server, which the loader
  // refuses) is left out, as the planner left it out.
  const classAt = classes.planned.map((host) => byHost.get(host));
  const membersOf = (of: HostClass): readonly ClassMember[] => {
    if (!of.members) {
      const list = classes.members(of.host).map((host) => new ClassMember(of, host, host === of.host ? of.representative : undefined));
      of.inFileOrder = list;
      of.members = byName(list);
    }
    return of.members;
  };
  let all: ClassMember[] | undefined;
  const allHosts = (): readonly ClassMember[] => (all ??= everyMember(hosts, classes.classIndex, classAt, planned, byHost, membersOf));
  const bySource = new Map<Endpoint, Flow[]>();
  for (const t of templates) {
    const list = bySource.get(t.source);
    if (list) list.push(t);
    else bySource.set(t.source, [t]);
  }
  const outOf = (of: HostClass) => (of.out ??= outgoing(bySource.get(of.representative) ?? [], byRepresentative, membersOf));
  // Where every planned host is one of the deployment's (no connected group's server), the plan's hosts in order
  // are the deployment's kept hosts in name order: what everyMember gives, as positions, without members.
  let ownOnly: boolean | undefined;
  const plannedAreOwn = (): boolean => {
    if (ownOnly === undefined) {
      const own = new Set(classes.planned);
      ownOnly = planned.every(({ host }) => own.has(host));
    }
    return ownOnly;
  };
  let sources: SourceClass[] | undefined;
  return {
    byClass: true,
    hosts: allHosts,
    *runs() {
      for (const m of allHosts()) yield [m, outOf(m.of)] as const;
    },
    *namedRuns() {
      if (all || !plannedAreOwn()) {
        for (const m of allHosts()) yield [m.name, m.of, outOf(m.of)] as const;
        return;
      }
      const { classIndex } = classes;
      for (const i of keptInNameOrder(hosts, classIndex, classAt)) {
        const of = classAt[classIndex[i]!]!;
        yield [hosts[i]!.name, of, outOf(of)] as const;
      }
    },
    classes: () =>
      // Every class has a member (its representative at least).
      (sources ??= [...byRepresentative.values()].map((of) => ({ representative: of.representative, members: membersOf(of), out: outOf(of) }))),
  };
}

/**
 * Every member, in name order: the hosts as the deployment lists them, each its class's member in turn (a class's
 * members in the deployment's order are its hosts in that order), then the plan's hosts that are not the
 * deployment's own (connected groups' servers), classes of one.
 */
function everyMember(
  hosts: readonly Host[],
  classIndex: Int32Array,
  classAt: readonly (HostClass | undefined)[],
  planned: readonly PlannedHost[],
  byHost: ReadonlyMap<Host, HostClass>,
  membersOf: (of: HostClass) => readonly ClassMember[],
): ClassMember[] {
  const all: ClassMember[] = [];
  // How many of each class's members are taken; hosts of one class mostly come one after another.
  const taken = new Map<HostClass, number>();
  let current: HostClass | undefined;
  let k = 0;
  for (let i = 0; i < hosts.length; i++) {
    const of = classAt[classIndex[i]!];
    if (!of) continue;
    if (of !== current) {
      if (current) taken.set(current, k);
      membersOf(of);
      current = of;
      k = taken.get(of) ?? 0;
    }
    const m = of.inFileOrder![k++];
    if (m === undefined || m.host !== hosts[i]) throw new Error(`planner: the class of ${hosts[i]!.name} does not list it in the deployment's order`);
    all.push(m);
  }
  if (current) taken.set(current, k);
  for (const { host } of planned) {
    const of = byHost.get(host)!;
    if (!taken.has(of)) all.push(...membersOf(of));
  }
  sortByName(all);
  return all;
}

/** The positions of the hosts whose class is kept, in name order (as sortByName orders them). */
function keptInNameOrder(hosts: readonly Host[], classIndex: Int32Array, classAt: readonly (HostClass | undefined)[]): number[] {
  const kept: number[] = [];
  for (let i = 0; i < hosts.length; i++) if (classAt[classIndex[i]!]) kept.push(i);
  for (let k = 1; k < kept.length; k++) {
    if (!(hosts[kept[k - 1]!]!.name < hosts[kept[k]!]!.name)) {
      kept.sort((a, b) => compareText(hosts[a]!.name, hosts[b]!.name));
      break;
    }
  }
  return kept;
}

/** The list if it is in name order already (hosts mostly are), else a sorted copy. */
function byName(list: readonly ClassMember[]): readonly ClassMember[] {
  return inNameOrder(list) ? list : [...list].sort((a, b) => compareText(a.name, b.name));
}

function inNameOrder(list: readonly { readonly name: string }[]): boolean {
  for (let i = 1; i < list.length; i++) if (!(list[i - 1]!.name < list[i]!.name)) return false;
  return true;
}

/** Sorted by name in place; hosts mostly come in name order, which one pass confirms without sorting. */
function sortByName(list: { readonly name: string }[]): void {
  if (!inNameOrder(list)) list.sort((a, b) => compareText(a.name, b.name));
}

function outgoing(templates: readonly Flow[], byRepresentative: ReadonlyMap<Endpoint, HostClass>, membersOf: (of: HostClass) => readonly ClassMember[]): ClassFlow[] {
  const out: ClassFlow[] = [];
  for (const template of templates) {
    const to = byRepresentative.get(template.destination);
    if (!to) throw new Error(`planner: ${template.destination.name} is not a planned host`);
    const idEnd = `:${protocolPorts(template.protocol, template.ports)}`;
    for (const destination of membersOf(to)) out.push({ destination, template, id: undefined, idEnd });
  }
  return out.sort(
    (a, b) =>
      compareText(a.destination.name, b.destination.name) ||
      compareProtocols(a.template.protocol, b.template.protocol) ||
      compareOptionalPorts(a.template.ports, b.template.ports),
  );
}

/** The member's plan endpoint, made once (the representative's is the planner's own). */
function endpointOf(m: ClassMember): Endpoint {
  return (m.endpoint ??= endpointFrom(m.host));
}

/**
 * Every flow, in plan order (source name, destination name, protocol, ports): sources in name order, and each
 * source's flows in the order its class keeps them. A flow between the representatives is the template itself.
 */
function expandedFlows(rows: ClassRows): Flow[] {
  const flows: Flow[] = [];
  for (const [m, out] of rows.runs()) {
    if (out.length === 0) continue;
    const source = endpointOf(m);
    for (const o of out) flows.push(flowFrom(source, o));
  }
  return flows;
}

/**
 * The flow a member of a class starts as `o` (an entry of its class's outgoing list), as `plan.flows` holds it:
 * for a plan's openings, which build the flows of one opening without the plan's other 300,000.
 */
export function memberFlow(source: RowHost, o: RowFlow): Flow {
  if (!isClassMember(source) || !isClassMember(o.destination)) throw new Error(`planner: ${source.name} is not a member of a class`);
  return flowFrom(endpointOf(source), o);
}

function flowFrom(source: Endpoint, o: RowFlow): Flow {
  if (!isClassMember(o.destination)) throw new Error(`planner: ${o.destination.name} is not a member of a class`);
  const destination = endpointOf(o.destination);
  return source === o.template.source && destination === o.template.destination ? o.template : flowOf(source, destination, o);
}

/** The template's flow from `source` (a host of its source class) to the outgoing entry's destination. */
function flowOf(source: Endpoint, destination: Endpoint, o: RowFlow): Flow {
  const t = o.template;
  return {
    id: `${source.name}>${destination.name}${o.idEnd}`,
    source,
    destination,
    protocol: t.protocol,
    ports: t.ports,
    phase: t.phase,
    rows: t.rows,
    notes: t.notes,
    sourceRoles: t.sourceRoles,
    destinationRoles: t.destinationRoles,
  };
}

/**
 * The rows of a plan not planned by class (planned host by host, or read from a file): every endpoint a class of
 * its own, and the flows in the plan's own order, each its own template with its own id.
 */
function flowRows(plan: Plan): PlanRows {
  const classes = new Map<Endpoint, RowHost>();
  const rowHost = (e: Endpoint): RowHost => {
    let h = classes.get(e);
    if (!h) classes.set(e, (h = { name: e.name, addresses: e.addresses, of: { representative: e, shared: false } }));
    return h;
  };
  function* runs(): Generator<readonly [RowHost, readonly RowFlow[]]> {
    const flows = plan.flows;
    for (let i = 0; i < flows.length; ) {
      const source = flows[i]!.source;
      const run: RowFlow[] = [];
      for (; i < flows.length && flows[i]!.source === source; i++) {
        const f = flows[i]!;
        run.push({ destination: rowHost(f.destination), template: f, id: f.id, idEnd: `:${protocolPorts(f.protocol, f.ports)}` });
      }
      yield [rowHost(source), run] as const;
    }
  }
  return {
    byClass: false,
    hosts: () => plan.hosts.map(rowHost),
    runs,
    *namedRuns() {
      for (const [source, run] of runs()) yield [source.name, source.of, run] as const;
    },
  };
}
