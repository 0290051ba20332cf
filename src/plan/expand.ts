import { compareOptionalPorts, compareProtocols, protocolPorts } from '../net/port.js';
import type { Host } from '../topology/types.js';
import type { HostClasses } from './classes.js';
import { knowFlowCounts } from './counts.js';
import { seedAddressSet } from './openings.js';
import { compareText } from './order.js';
import type { Endpoint, Flow, Plan } from './types.js';

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
  // Assigned, not spread: this runs once per host. Only connected management servers carry connectedGroup, so the
  // JSON of other endpoints does not show it; the same for linuxPolicy, which only hosts that set it carry.
  const endpoint: { -readonly [K in keyof Endpoint]: Endpoint[K] } = { name: host.name, roles: host.roles, addresses: host.addressTexts, zone: host.zone, os: host.os };
  if (host.connectedGroup) endpoint.connectedGroup = host.connectedGroup;
  if (host.linuxPolicy) endpoint.linuxPolicy = host.linuxPolicy;
  seedAddressSet(endpoint, host.addresses);
  return endpoint;
}

type PlanHead = Pick<Plan, 'managementGroup' | 'catalog' | 'phase' | 'notes'>;
type PlanTail = Pick<Plan, 'managementAccess' | 'closedHosts'>;

/**
 * The plan of classes: `flows` and `hosts` are built on first read and then stay as ordinary properties, so JSON,
 * spreading, structuredClone and deep equality see the same plan as one planned host by host (same keys, same
 * order, same values).
 */
export function classPlan(head: PlanHead, tail: PlanTail, templates: readonly Flow[], planned: readonly PlannedHost[], classes: HostClasses): Plan {
  let population: Population | undefined;
  const people = (): Population => (population ??= populationOf(planned, classes));
  const plan: Plan = {
    ...head,
    get flows(): Flow[] {
      return settle(this, 'flows', expandedFlows(templates, people()));
    },
    get hosts(): Endpoint[] {
      return settle(this, 'hosts', people().hosts);
    },
    ...tail,
  };
  knowFlowCounts(plan, countsOf(templates, planned, classes));
  return plan;
}

/** Replaces the getter by the value it built, at the same place among the keys. */
function settle<T>(plan: object, key: 'flows' | 'hosts', value: T): T {
  Object.defineProperty(plan, key, { value, writable: true, enumerable: true, configurable: true });
  return value;
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

/** A class: its representative's endpoint, the endpoints of all its hosts, and the flows they start. */
interface HostClass {
  readonly representative: Endpoint;
  /** Sorted by name. */
  readonly members: Endpoint[];
  /** What each host of the class starts, one entry per destination host and template, in plan order; built once. */
  out?: readonly Outgoing[];
}

interface Outgoing {
  readonly destination: Endpoint;
  readonly template: Flow;
  /** `:tcp/5723`: the end of the flow id, the same for every flow of the template. */
  readonly idEnd: string;
}

/** Every host of the plan, sorted by name, with its class. */
interface Population {
  readonly hosts: Endpoint[];
  readonly classOf: readonly HostClass[];
  readonly byRepresentative: ReadonlyMap<Endpoint, HostClass>;
}

function populationOf(planned: readonly PlannedHost[], classes: HostClasses): Population {
  const byRepresentative = new Map<Endpoint, HostClass>();
  const all: { endpoint: Endpoint; of: HostClass }[] = [];
  for (const { host, endpoint } of planned) {
    const hosts = classes.members(host);
    const members = [endpoint];
    for (let i = 1; i < hosts.length; i++) members.push(endpointFrom(hosts[i]!));
    if (members.length > 1) members.sort(byName);
    const of: HostClass = { representative: endpoint, members };
    byRepresentative.set(endpoint, of);
    for (const e of members) all.push({ endpoint: e, of });
  }
  all.sort((a, b) => compareText(a.endpoint.name, b.endpoint.name));
  return { hosts: all.map((a) => a.endpoint), classOf: all.map((a) => a.of), byRepresentative };
}

function byName(a: Endpoint, b: Endpoint): number {
  return compareText(a.name, b.name);
}

/**
 * Every flow, in plan order (source name, destination name, protocol, ports): sources in name order, and each
 * source's flows in the order its class keeps them. A flow between the representatives is the template itself.
 */
function expandedFlows(templates: readonly Flow[], population: Population): Flow[] {
  const bySource = new Map<Endpoint, Flow[]>();
  for (const t of templates) {
    const list = bySource.get(t.source);
    if (list) list.push(t);
    else bySource.set(t.source, [t]);
  }
  const flows: Flow[] = [];
  population.hosts.forEach((source, i) => {
    const of = population.classOf[i]!;
    of.out ??= outgoing(bySource.get(of.representative) ?? [], population);
    for (const o of of.out) flows.push(source === o.template.source && o.destination === o.template.destination ? o.template : flowOf(source, o));
  });
  return flows;
}

function outgoing(templates: readonly Flow[], population: Population): Outgoing[] {
  const out: Outgoing[] = [];
  for (const template of templates) {
    const to = population.byRepresentative.get(template.destination);
    if (!to) throw new Error(`planner: ${template.destination.name} is not a planned host`);
    const idEnd = `:${protocolPorts(template.protocol, template.ports)}`;
    for (const destination of to.members) out.push({ destination, template, idEnd });
  }
  return out.sort(
    (a, b) =>
      compareText(a.destination.name, b.destination.name) ||
      compareProtocols(a.template.protocol, b.template.protocol) ||
      compareOptionalPorts(a.template.ports, b.template.ports),
  );
}

/** The template's flow from `source` (a host of its source class) to the outgoing entry's destination. */
function flowOf(source: Endpoint, o: Outgoing): Flow {
  const t = o.template;
  return {
    id: `${source.name}>${o.destination.name}${o.idEnd}`,
    source,
    destination: o.destination,
    protocol: t.protocol,
    ports: t.ports,
    phase: t.phase,
    rows: t.rows,
    notes: t.notes,
    sourceRoles: t.sourceRoles,
    destinationRoles: t.destinationRoles,
  };
}
