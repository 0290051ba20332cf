import { AddressSet } from '../net/address-set.js';
import { compareOptionalPorts, compareProtocols, type PortRange, type Protocol } from '../net/port.js';
import { compareText } from './order.js';
import { SeededEndpoint } from './seeded.js';
import type { Endpoint, Flow, Plan } from './types.js';

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
    const all = openingsFrom(plan.flows);
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

const addressCache = new WeakMap<Endpoint, AddressSet>();

/** The endpoint's addresses as a set; parsed once per endpoint object. */
export function addressSetOf(endpoint: Endpoint): AddressSet {
  let set = SeededEndpoint.addressesOf(endpoint) ?? addressCache.get(endpoint);
  if (!set) {
    set = AddressSet.parse(endpoint.addresses);
    addressCache.set(endpoint, set);
  }
  return set;
}

/** Endpoints unique by name (the last object of a name wins, as a map keeps it), sorted by name. */
export function uniqueByName(list: readonly Endpoint[]): Endpoint[] {
  // An opening's flows come in plan order, which is by source name: most lists are already unique and sorted, and
  // one pass says so (sorting and mapping 3,000 sources per opening was 1.5 s of a 150,000-agent render).
  if (strictlyByName(list)) return list.slice();
  const seen = new Map<string, Endpoint>();
  for (const e of list) seen.set(e.name, e);
  return [...seen.values()].sort((a, b) => compareText(a.name, b.name));
}

function strictlyByName(list: readonly Endpoint[]): boolean {
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
