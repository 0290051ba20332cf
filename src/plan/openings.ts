import { AddressSet } from '../net/address-set.js';
import { compareOptionalPorts, compareProtocols, portKey, type PortRange, type Protocol } from '../net/port.js';
import { compareText } from './order.js';
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

/**
 * The openings of any list of flows (a zone pair's, one host's), in canonical order. Flows with the same
 * destination, protocol, ports and phase make one opening.
 */
export function openingsFrom(flows: readonly Flow[]): Opening[] {
  const byKey = new Map<string, Flow[]>();
  for (const f of flows) {
    // Keyed by the destination object's name and values that cannot hold the separator (protocols, numbers, phase).
    const key = `${f.destination.name}\u0000${portKey(f.protocol, f.ports)}|${f.phase}`;
    const list = byKey.get(key);
    if (list) list.push(f);
    else byKey.set(key, [f]);
  }
  return [...byKey.values()].map(openingOf).sort(compareOpenings);
}

function openingOf(flows: readonly Flow[]): Opening {
  const first = flows[0]!;
  const sourceEndpoints = uniqueByName(flows.map((f) => f.source));
  return {
    destination: first.destination,
    protocol: first.protocol,
    ports: first.ports,
    installOnly: first.phase === 'install',
    sources: AddressSet.unionAll(sourceEndpoints.map(addressSetOf)),
    destinations: addressSetOf(first.destination),
    sourceEndpoints,
    flows,
    flowIds: flows.map((f) => f.id),
  };
}

const addressCache = new WeakMap<Endpoint, AddressSet>();

/** The endpoint's addresses as a set; parsed once per endpoint object. */
export function addressSetOf(endpoint: Endpoint): AddressSet {
  let set = addressCache.get(endpoint);
  if (!set) {
    set = AddressSet.parse(endpoint.addresses);
    addressCache.set(endpoint, set);
  }
  return set;
}

/**
 * Records the address set of an endpoint made from a host whose addresses are already parsed (derivePlan): the
 * set of its canonical texts is that very set, so targets need not parse 150,000 endpoints' addresses again.
 */
export function seedAddressSet(endpoint: Endpoint, set: AddressSet): void {
  addressCache.set(endpoint, set);
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
