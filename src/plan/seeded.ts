import type { AddressSet } from '../net/address-set.js';
import { addressTextsOf } from '../topology/host-addresses.js';
import type { Host } from '../topology/types.js';
import type { Endpoint } from './types.js';

type Mutable = { -readonly [K in keyof Endpoint]: Endpoint[K] };

/**
 * A host's endpoint in the plan, made once per host by the planner, carrying the host's parsed addresses in a
 * private field: targets read the set without parsing 150,000 endpoints' addresses again or looking each up in a
 * WeakMap (which cost 0.1 s to fill at 150,000 agents, and more in every garbage collection). The field is out of
 * sight of JSON, spreading, structuredClone and deep equality, so the endpoint is the plain endpoint it was; a copy
 * (a spread with other addresses) does not carry the set, and its addresses are parsed from its own texts.
 */
export class SeededEndpoint implements Endpoint {
  readonly name: string;
  readonly roles: Endpoint['roles'];
  readonly addresses: Endpoint['addresses'];
  readonly zone: string;
  readonly os: Endpoint['os'];
  // Present only where set, as the plain endpoints of the plan's JSON (key order: after os).
  declare readonly connectedGroup?: string;
  declare readonly linuxPolicy?: Endpoint['linuxPolicy'];
  readonly #addresses: AddressSet;

  constructor(host: Host) {
    this.name = host.name;
    this.roles = host.roles;
    this.addresses = addressTextsOf(host);
    this.zone = host.zone;
    this.os = host.os;
    if (host.connectedGroup) (this as Mutable).connectedGroup = host.connectedGroup;
    if (host.linuxPolicy) (this as Mutable).linuxPolicy = host.linuxPolicy;
    // The set of the host's canonical address texts is the host's parsed set.
    this.#addresses = host.addresses;
  }

  /** The set an endpoint was made with, if it is one of these. */
  static addressesOf(endpoint: Endpoint): AddressSet | undefined {
    return endpoint instanceof SeededEndpoint ? endpoint.#addresses : undefined;
  }
}
