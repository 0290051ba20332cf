import { AddressSet } from '../net/address-set.js';
import { SeededEndpoint } from './seeded.js';
import type { Endpoint } from './types.js';

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
