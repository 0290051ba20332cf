import { IpAddress } from '../net/address.js';
import { addressSetOf } from '../plan/openings.js';
import type { Endpoint, Plan } from '../plan/types.js';
import { UserError } from '../topology/errors.js';

/** What the machine knows about itself; injected so that tests need no real interfaces. */
export interface LocalIdentity {
  /** This machine's addresses (os.networkInterfaces, loopback left out). */
  readonly addresses: readonly string[];
  /** os.hostname(): a short name or an FQDN. */
  readonly hostname: string;
}

export interface Located {
  readonly endpoint: Endpoint;
  /** How it was found, for the user to see: `--from`, `address 10.0.1.11`, `hostname ms01`. */
  readonly how: string;
}

/**
 * Which deployment entry this machine is. In order: `--from NAME`; an entry holding one of the local addresses
 * (the entry with the fewest addresses wins, so a single host beats the group whose range also covers it);
 * an entry whose name is the hostname (FQDN, or the same first label; case-insensitive).
 */
export function locateSelf(plan: Plan, local: LocalIdentity, from?: string): Located {
  const hosts = plan.hosts;
  if (from !== undefined) {
    const endpoint = hosts.find((h) => h.name.toLowerCase() === from.toLowerCase());
    if (!endpoint) throw notFound(plan, `--from ${from} names no host or group of the deployment`);
    return { endpoint, how: '--from' };
  }
  return byAddress(hosts, local.addresses) ?? byHostname(hosts, local.hostname) ?? failLocate(plan, local);
}

function byAddress(hosts: readonly Endpoint[], addresses: readonly string[]): Located | undefined {
  let best: { endpoint: Endpoint; size: bigint; address: string } | undefined;
  for (const text of addresses) {
    const address = parseOrUndefined(text);
    if (!address) continue;
    for (const endpoint of hosts) {
      const set = addressSetOf(endpoint);
      if (!set.contains(address.family, address.value)) continue;
      const size = set.count(4) + set.count(6);
      if (!best || size < best.size) best = { endpoint, size, address: text };
    }
  }
  return best && { endpoint: best.endpoint, how: `address ${best.address}` };
}

function byHostname(hosts: readonly Endpoint[], hostname: string): Located | undefined {
  const full = hostname.toLowerCase();
  const short = full.split('.')[0] ?? full;
  const exact = hosts.find((h) => h.name.toLowerCase() === full);
  if (exact) return { endpoint: exact, how: `hostname ${hostname}` };
  const matches = hosts.filter((h) => (h.name.toLowerCase().split('.')[0] ?? '') === short);
  // Two entries with the same first label (ms01.contoso.com, ms01.fabrikam.com): a guess would be wrong half the time.
  const [only, ...others] = matches;
  return only && others.length === 0 ? { endpoint: only, how: `hostname ${hostname}` } : undefined;
}

function failLocate(plan: Plan, local: LocalIdentity): never {
  const mine = local.addresses.length ? local.addresses.join(', ') : 'none';
  throw notFound(plan, `this machine (${local.hostname}; addresses ${mine}) is none of the deployment's hosts`);
}

function notFound(plan: Plan, message: string): UserError {
  const names = plan.hosts.map((h) => h.name);
  const shown = names.length > 20 ? `${names.slice(0, 20).join(', ')}, … (${names.length} in all)` : names.join(', ');
  return new UserError(message, undefined, `name the source with --from NAME, one of: ${shown}`);
}

function parseOrUndefined(text: string): IpAddress | undefined {
  try {
    return IpAddress.parse(text);
  } catch {
    return undefined; // a zoned link-local address (fe80::1%eth0) names no deployment host
  }
}
