import { AddressSet } from '../net/address-set.js';
import { compareOptionalPorts, compareProtocols, type PortRange, type Protocol } from '../net/port.js';
import { sameItems } from '../text/group.js';
import { compareText } from './order.js';
import { addressSetOf } from './endpoint-addresses.js';
import { memberEndpoint, memberFlow, rowAddressSet, sourceClasses, type RowFlow, type RowHost, type SourceClass } from './expand.js';
import type { Endpoint, Flow, Plan } from './types.js';
import { settle } from './settle.js';

export { addressSetOf };

/**
 * The openings of a plan: what each destination must accept, resolved to addresses.
 *
 * An opening is one destination, one protocol, one port range (none for ICMP echo) and one phase, with every
 * source that the plan lets in there. Its `sources` × `destinations` address sets are exactly the traffic its
 * `flows` ask for, never more: every flow of the plan is in exactly one opening, and every opening is the union of
 * its flows. Targets lower from openings (grouping them into rules their platform can hold); the audit compares a
 * firewall's rules against them with the set algebra of `AddressSet` (intersection, difference, covers).
 *
 * Pure and cached per plan object: a plan is immutable, so its openings are computed once however many targets or
 * hosts ask.
 */
export interface Opening {
  /** The host or group that accepts the traffic. */
  readonly destination: Endpoint;
  readonly protocol: Protocol;
  /** Destination ports; null for ICMP (echo request). */
  readonly ports: PortRange | null;
  /** True when every flow here can be closed once SCOM is installed (the flows' phase `install`). */
  readonly installOnly: boolean;
  /** Every address of every source endpoint. */
  readonly sources: AddressSet;
  /** The destination's addresses. */
  readonly destinations: AddressSet;
  /** The source endpoints, unique, sorted by name. */
  readonly sourceEndpoints: readonly Endpoint[];
  /** The flows behind the opening, in plan order (one per source endpoint). */
  readonly flows: readonly Flow[];
  /** The ids of those flows, in the same order. */
  readonly flowIds: readonly string[];
}

/** The openings of a whole plan, in canonical order, and by destination name. */
export interface PlanOpenings {
  /** Sorted by destination name, then protocol (tcp, udp, icmp), ports, and always before install-only. */
  readonly all: readonly Opening[];
  /** The openings into one destination (by name), in the same order; empty for a host that accepts nothing. */
  readonly into: (destination: string) => readonly Opening[];
}

const planCache = new WeakMap<Plan, PlanOpenings>();

/** The openings of a plan (computed once per plan object). */
export function openingsOf(plan: Plan): PlanOpenings {
  let cached = planCache.get(plan);
  if (!cached) {
    const all = classOpenings(plan) ?? openingsFrom(plan.flows);
    const byDestination = new Map<string, Opening[]>();
    for (const o of all) {
      const list = byDestination.get(o.destination.name);
      if (list) list.push(o);
      else byDestination.set(o.destination.name, [o]);
    }
    cached = { all, into: (name) => byDestination.get(name) ?? [] };
    planCache.set(plan, cached);
  }
  return cached;
}

/** A destination's flows of one protocol, by ports and phase. */
type ByPorts = Map<PortRange | null, { always?: Flow[]; install?: Flow[] }>;

/**
 * The openings of any list of flows (a zone pair's, one host's), in canonical order. Flows with the same
 * destination, protocol, ports and phase make one opening.
 */
export function openingsFrom(flows: readonly Flow[]): Opening[] {
  // Keyed by the destination's name, then the protocol, the interned PortRange and the phase, each its own map
  // level: no key text is built per flow (300,000 of them at 150,000 agents).
  const byDestination = new Map<string, Map<Protocol, ByPorts>>();
  const groups: Flow[][] = [];
  for (const f of flows) {
    let byProtocol = byDestination.get(f.destination.name);
    if (!byProtocol) byDestination.set(f.destination.name, (byProtocol = new Map<Protocol, ByPorts>()));
    let byPorts = byProtocol.get(f.protocol);
    if (!byPorts) byProtocol.set(f.protocol, (byPorts = new Map() as ByPorts));
    let byPhase = byPorts.get(f.ports);
    if (!byPhase) byPorts.set(f.ports, (byPhase = {}));
    const list = byPhase[f.phase];
    if (list) list.push(f);
    else groups.push((byPhase[f.phase] = [f]));
  }
  const sourceSets = new SourceSets();
  return groups.map((g) => openingOf(g, sourceSets)).sort(compareOpenings);
}

/**
 * The one opening of flows that share a destination, protocol, ports and phase (a part of an opening, cut by zone):
 * what openingsFrom makes of them, without grouping them again.
 */
export function openingOfFlows(flows: readonly Flow[]): Opening {
  return openingOf(flows, new SourceSets());
}

function openingOf(flows: readonly Flow[], sourceSets: SourceSets): Opening {
  const first = flows[0]!;
  const sourceEndpoints = uniqueByName(flows.map((f) => f.source));
  return {
    destination: first.destination,
    protocol: first.protocol,
    ports: first.ports,
    installOnly: first.phase === 'install',
    sources: sourceSets.of(sourceEndpoints),
    destinations: addressSetOf(first.destination),
    sourceEndpoints,
    flows,
    flowIds: flows.map((f) => f.id),
  };
}

/**
 * The address sets of source lists, each made once: the openings into one host on its several ports mostly have
 * the very same sources (thousands of agents), and merging their addresses again for each was half of the
 * openings' time at 150,000 agents. A list is known again only when it is the same endpoints in the same order.
 */
class SourceSets {
  private readonly known = new Map<string, { readonly endpoints: readonly Endpoint[]; readonly set: AddressSet }[]>();

  of(endpoints: readonly Endpoint[]): AddressSet {
    const key = `${endpoints.length}\u0000${endpoints[0]?.name ?? ''}\u0000${endpoints[endpoints.length - 1]?.name ?? ''}`;
    const candidates = this.known.get(key);
    const hit = candidates?.find((c) => sameEndpoints(c.endpoints, endpoints));
    if (hit) return hit.set;
    const set = AddressSet.unionAll(endpoints.map(addressSetOf));
    if (candidates) candidates.push({ endpoints, set });
    else this.known.set(key, [{ endpoints, set }]);
    return set;
  }
}

function sameEndpoints(a: readonly Endpoint[], b: readonly Endpoint[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Endpoints (or class members) unique by name (the last object of a name wins, as a map keeps it), sorted by name. */
export function uniqueByName<T extends { readonly name: string }>(list: readonly T[]): T[] {
  // An opening's flows come in plan order, which is by source name: most lists are already unique and sorted, and
  // one pass says so (sorting and mapping 3,000 sources per opening was 1.5 s of a 150,000-agent render).
  if (strictlyByName(list)) return list.slice();
  const seen = new Map<string, T>();
  for (const e of list) seen.set(e.name, e);
  return [...seen.values()].sort((a, b) => compareText(a.name, b.name));
}

function strictlyByName(list: readonly { readonly name: string }[]): boolean {
  for (let i = 1; i < list.length; i++) if (!(list[i - 1]!.name < list[i]!.name)) return false;
  return true;
}

function compareOpenings(a: Opening, b: Opening): number {
  return (
    compareText(a.destination.name, b.destination.name) ||
    compareProtocols(a.protocol, b.protocol) ||
    compareOptionalPorts(a.ports, b.ports) ||
    Number(a.installOnly) - Number(b.installOnly)
  );
}

/*
 * Openings from a plan's classes (src/plan/expand.ts): the flows into one destination on one port and phase are the
 * flows of a few classes of alike sources, each class's members the same flow apart from the source. So an opening
 * is made from those classes (their members' endpoints, their addresses merged once per set of classes) without the
 * plan's 300,000 flows at 150,000 agents; its `flows` and `flowIds` are built from its own classes, only when read.
 * test/property/class-openings.property.test.ts holds these openings to openingsFrom(plan.flows), field by field.
 */

/** The sources of a class opening, one part per source class: its zone, members, and the flow each member starts here. */
interface SourcePart {
  readonly index: number;
  readonly zone: string;
  readonly members: readonly RowHost[];
  /** The entry of the class's outgoing list behind this opening: its template and destination. */
  readonly flow: RowFlow;
  readonly template: Flow;
}

/** What a class opening knows besides its fields: where it is, and its sources by class. */
interface ClassOpening {
  readonly destination: RowHost;
  readonly parts: readonly SourcePart[];
  /** How many flows it stands for: one per member of each part. */
  readonly count: number;
  /** Its sources, shared with the openings of the same classes. */
  readonly sources: SourcesOfClasses;
}

const classOpeningOf = new WeakMap<Opening, ClassOpening>();

/**
 * The sources of a set of classes, sorted and merged once: their names and addresses from the members, their
 * endpoints only when an opening's `sourceEndpoints` is read (the targets read the names and the set, and making
 * every agent's endpoint was a tenth of rendering 150,000 agents).
 */
interface SourcesOfClasses {
  readonly members: readonly RowHost[];
  readonly names: readonly string[];
  readonly addresses: AddressSet;
  endpoints?: readonly Endpoint[];
}

function sourcesOfClasses(parts: readonly SourcePart[]): SourcesOfClasses {
  const members = uniqueByName(mergedByName(parts.map((p) => p.members), (m) => m.name));
  return { members, names: members.map((m) => m.name), addresses: AddressSet.unionAll(parts.map((p) => addressesOfClass(p.members))) };
}

/**
 * A class's members' addresses, merged once for every set of classes it is in: an agent reaches its primary and
 * its failover management servers, so merging each set's members merged every agent's address twice or more.
 */
function addressesOfClass(members: readonly RowHost[]): AddressSet {
  let set = classAddresses.get(members);
  if (!set) classAddresses.set(members, (set = AddressSet.unionAll(members.map(rowAddressSet))));
  return set;
}

const classAddresses = new WeakMap<readonly RowHost[], AddressSet>();

type PartsByPorts = Map<PortRange | null, { always?: SourcePart[]; install?: SourcePart[] }>;

/** The openings of a plan of classes, in canonical order; undefined for any other plan, which openingsFrom opens. */
function classOpenings(plan: Plan): Opening[] | undefined {
  const classes = sourceClasses(plan);
  if (!classes) return undefined;
  const byDestination = new Map<RowHost, Map<Protocol, PartsByPorts>>();
  const groups: { destination: RowHost; parts: SourcePart[] }[] = [];
  classes.forEach((c: SourceClass, index) => {
    const zone = c.representative.zone;
    for (const flow of c.out) {
      const { destination, template: t } = flow;
      let byProtocol = byDestination.get(destination);
      if (!byProtocol) byDestination.set(destination, (byProtocol = new Map<Protocol, PartsByPorts>()));
      let byPorts = byProtocol.get(t.protocol);
      if (!byPorts) byProtocol.set(t.protocol, (byPorts = new Map() as PartsByPorts));
      let byPhase = byPorts.get(t.ports);
      if (!byPhase) byPorts.set(t.ports, (byPhase = {}));
      const part: SourcePart = { index, zone, members: c.members, flow, template: t };
      const list = byPhase[t.phase];
      if (list) list.push(part);
      else {
        byPhase[t.phase] = [part];
        groups.push({ destination, parts: byPhase[t.phase]! });
      }
    }
  });
  // A class with two flows into one opening would give each member two flows there: openingsFrom decides that case.
  if (groups.some(({ parts }) => new Set(parts.map((p) => p.index)).size !== parts.length)) return undefined;
  const sets = new Map<string, SourcesOfClasses>();
  return groups.map(({ destination, parts }) => classOpening(destination, parts, sets)).sort(compareOpenings);
}

/**
 * The flows of an opening's parts in plan order (by source name), as plan.flows holds them (equal, though made
 * again: an opening's flows never wait for the plan's 300,000).
 */
function partsFlows(parts: readonly SourcePart[]): readonly Flow[] {
  return mergedByName(parts.map((p) => p.members.map((m) => memberFlow(m, p.flow))), (f) => f.source.name);
}

/** The opening of `parts` into `destination`; its flows are built from the parts when they are read. */
function classOpening(destination: RowHost, parts: readonly SourcePart[], sets: Map<string, SourcesOfClasses>): Opening {
  const t = parts[0]!.template;
  const to = memberEndpoint(destination);
  let count = 0;
  for (const p of parts) count += p.members.length;
  // The same sources (the same classes) reach a destination on each of its ports: their members are sorted and
  // their addresses merged once.
  const key = parts.map((p) => p.index).sort((a, b) => a - b).join(',');
  const known = sets.get(key);
  const sources = known ?? sourcesOfClasses(parts);
  if (!known) sets.set(key, sources);
  const opening: Opening = {
    destination: to,
    protocol: t.protocol,
    ports: t.ports,
    installOnly: t.phase === 'install',
    sources: sources.addresses,
    destinations: addressSetOf(to),
    // Each opening its own list, as openingsFrom gives (a caller may hold one and not expect it shared).
    get sourceEndpoints(): readonly Endpoint[] {
      return settle(this, 'sourceEndpoints', (sources.endpoints ??= sources.members.map(memberEndpoint)).slice());
    },
    get flows(): readonly Flow[] {
      return settle(this, 'flows', partsFlows(parts));
    },
    get flowIds(): readonly string[] {
      return settle(this, 'flowIds', this.flows.map((f) => f.id));
    },
  };
  classOpeningOf.set(opening, { destination, parts, count, sources });
  return opening;
}

/**
 * Lists each sorted by `nameOf`, merged into one sorted list: a class's members are sorted already, so the parts of
 * an opening are merged rather than sorted (sorting the 30,000 agents of a management server's few classes again,
 * for each server, was half of opening 150,000 agents). On equal names the earlier list's item comes first.
 */
function mergedByName<T>(lists: readonly (readonly T[])[], nameOf: (item: T) => string): readonly T[] {
  let merged = lists[0]!;
  for (let k = 1; k < lists.length; k++) {
    const a = merged;
    const b = lists[k]!;
    const out = new Array<T>(a.length + b.length);
    let i = 0;
    let j = 0;
    let n = 0;
    while (i < a.length && j < b.length) out[n++] = compareText(nameOf(b[j]!), nameOf(a[i]!)) < 0 ? b[j++]! : a[i++]!;
    while (i < a.length) out[n++] = a[i++]!;
    while (j < b.length) out[n++] = b[j++]!;
    merged = out;
  }
  return merged;
}

/**
 * The names of an opening's sources, unique and sorted (those of `sourceEndpoints`): for an opening made from classes
 * without making their endpoints, and the very same list for every opening with the same sources.
 */
export function sourceNamesOf(o: Opening): readonly string[] {
  const c = classOpeningOf.get(o);
  if (c) return c.sources.names;
  let names = namesOfOpening.get(o);
  if (!names) namesOfOpening.set(o, (names = o.sourceEndpoints.map((e) => e.name)));
  return names;
}

const namesOfOpening = new WeakMap<Opening, readonly string[]>();

/**
 * True when the two openings have the very same sources: the same source endpoints, object for object, or (made
 * from classes) the same classes. The sorted list and address set of either are then those of both.
 */
export function sameSourcesOf(a: Opening, b: Opening): boolean {
  const ca = classOpeningOf.get(a);
  const cb = classOpeningOf.get(b);
  if (ca && cb) return sameItems(ca.sources.members, cb.sources.members);
  return sameItems(a.sourceEndpoints, b.sourceEndpoints);
}

/** How many flows an opening stands for (made from classes, without building them). */
export function flowCountOf(o: Opening): number {
  return classOpeningOf.get(o)?.count ?? o.flows.length;
}

/**
 * A flow of each kind in the opening: flows that differ only in their source share the template's rows, notes and
 * roles, so an opening made from classes answers with its templates; any other with its flows.
 */
export function flowKindsOf(o: Opening): readonly Flow[] {
  return classOpeningOf.get(o)?.parts.map((p) => p.template) ?? o.flows;
}

/**
 * The source zones of an opening made from classes, each once, in the order of its parts; undefined for any other
 * opening, whose flows say.
 */
export function sourceZonesOf(o: Opening): readonly string[] | undefined {
  const c = classOpeningOf.get(o);
  return c && [...new Set(c.parts.map((p) => p.zone))];
}

/**
 * The part of an opening made from classes whose sources are in the zones `keep` accepts: what openingOfFlows makes
 * of the opening's flows from there. Undefined for an opening not made from classes, or when no source is kept.
 */
export function classOpeningFrom(o: Opening, keep: (zone: string) => boolean): Opening | undefined {
  const c = classOpeningOf.get(o);
  if (!c) return undefined;
  const parts = c.parts.filter((p) => keep(p.zone));
  if (parts.length === 0) return undefined;
  if (parts.length === c.parts.length) return o;
  return classOpening(c.destination, parts, new Map());
}
