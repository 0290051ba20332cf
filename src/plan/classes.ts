import type { Role } from '../catalog/roles.js';
import { portSettings, type PlannedRow } from '../catalog/types.js';
import type { Deployment, Host } from '../topology/types.js';

/**
 * Hosts alike for the planner: the same value in every field the planner reads except the name and the addresses.
 * Such hosts pair with the same hosts, on the same ports, under the same conditions and with the same notes, so
 * the plan of one is the plan of all, with the name changed. 150,000 agents in subnets that share their reportsTo
 * make a few dozen classes.
 *
 * A host is a class of its own (planned by itself) where a name or an address could matter after all:
 * - another host names it (reportsTo, managementServers, acsCollectors, domainControllers), or a connected group
 *   has a server of its name: a relationship picks that very host, not any host like it;
 * - it is a pool (several addresses of one family): a pool pairs with itself, member to member;
 * - a reading could pair it with a host of its own class (its roles include a reading's source and destination
 *   role, as management-server to management-server): the class would have to pair with itself;
 * - it has a field, or a value of a type, this module does not know (fail closed: a field added to Host later is
 *   not silently ignored).
 */
export interface HostClasses {
  /** One representative per class (its first host in deployment order) and every host of its own, in deployment order. */
  readonly planned: readonly Host[];
  /** The hosts of the representative's class, in deployment order (the representative first). */
  readonly members: (representative: Host) => readonly Host[];
  /** The representative of each host of the deployment, at the host's position in `deployment.hosts`. */
  readonly representatives: readonly Host[];
  /** Hosts that share their class with others. */
  readonly classed: number;
}

export function hostClasses(deployment: Deployment, rows: readonly PlannedRow[]): HostClasses {
  const fixed = hostsNamedOrRepeated(deployment);
  const selfPairing = selfPairingRoles(rows);
  const byKey = new Map<string, Host[]>();
  const planned: Host[] = [];
  const classes = new Map<Host, Host[]>();
  const representatives: Host[] = [];
  let classed = 0;
  for (const host of deployment.hosts) {
    const key = fixed.has(host.name) || pairsWithItsClass(host, selfPairing) || isPool(host) ? undefined : classKey(host);
    const members = key === undefined ? undefined : byKey.get(key);
    representatives.push(members?.[0] ?? host);
    if (key === undefined) {
      planned.push(host);
    } else if (members) {
      members.push(host);
      classed += members.length === 2 ? 2 : 1;
    } else {
      const first = [host];
      byKey.set(key, first);
      classes.set(host, first);
      planned.push(host);
    }
  }
  return { planned, members: (h) => classes.get(h) ?? [h], representatives, classed };
}

/** Names some relationship points at, and names more than one host carries (local or connected): never classed. */
function hostsNamedOrRepeated(deployment: Deployment): Set<string> {
  const fixed = new Set<string>();
  const seen = new Set<string>();
  for (const host of deployment.hosts) {
    if (seen.has(host.name)) fixed.add(host.name);
    seen.add(host.name);
    for (const list of [host.reportsTo, host.managementServers, host.acsCollectors, host.domainControllers]) {
      if (list) for (const name of list) fixed.add(name);
    }
  }
  for (const group of deployment.connectedGroups) for (const host of group.managementServers) fixed.add(host.name);
  return fixed;
}

/** The (source, destination) role pairs of every reading: a host with both roles of one could pair with its class. */
function selfPairingRoles(rows: readonly PlannedRow[]): readonly (readonly [Role, Role])[] {
  const pairs = new Map<string, readonly [Role, Role]>();
  for (const row of rows) for (const r of row.readings) pairs.set(`${r.source}>${r.destination}`, [r.source, r.destination]);
  return [...pairs.values()];
}

function pairsWithItsClass(host: Host, selfPairing: readonly (readonly [Role, Role])[]): boolean {
  return selfPairing.some(([source, destination]) => host.roles.includes(source) && host.roles.includes(destination));
}

/**
 * A host entry with more than one address of one family is a pool of machines (a dual-stack machine has one of
 * each and is not). One plain address, the usual agent, is decided without counting.
 */
export function isPool(host: Host): boolean {
  if (host.addressTexts.length === 1 && !/[/-]/.test(host.addressTexts[0] ?? '')) return false;
  return host.addresses.count(4) > 1n || host.addresses.count(6) > 1n;
}

/** Every field of Host, by how the class key reads it; `name` and the addresses are what class members differ in. */
const fieldKinds: Readonly<Record<keyof Host, 'ignored' | 'text' | 'flag' | 'list' | 'ports' | 'never'>> = {
  name: 'ignored',
  addressTexts: 'ignored',
  addresses: 'ignored',
  zone: 'text',
  roles: 'list',
  os: 'text',
  ports: 'ports',
  sqlBrowser: 'flag',
  webConsoleTls: 'flag',
  install: 'text',
  reportsTo: 'list',
  managementServers: 'list',
  acsCollectors: 'list',
  domainControllers: 'list',
  domain: 'text',
  authentication: 'text',
  linuxPolicy: 'text',
  managementServerInitiatesConnection: 'flag',
  // Only servers of connected groups carry these, and those are never classed.
  connectedReading: 'never',
  connectedGroup: 'never',
};

const keyedFields = (Object.keys(fieldKinds) as (keyof Host)[]).filter((k) => fieldKinds[k] !== 'ignored');
const knownFields: ReadonlySet<string> = new Set(Object.keys(fieldKinds));
const knownPorts: ReadonlySet<string> = new Set(portSettings);

/**
 * The class key of a host: every field but the name and addresses, each written with its length so that no two
 * different hosts can write the same key; undefined where the host must be planned by itself.
 */
export function classKey(host: Host): string | undefined {
  if (Object.getPrototypeOf(host) !== Object.prototype) return undefined;
  for (const field in host) if (!knownFields.has(field)) return undefined;
  let key = '';
  for (const field of keyedFields) {
    const value: unknown = host[field];
    const part = value === undefined ? '-' : keyPart(fieldKinds[field], value);
    if (part === undefined) return undefined;
    key += part;
  }
  return key;
}

function keyPart(kind: (typeof fieldKinds)[keyof Host], value: unknown): string | undefined {
  switch (kind) {
    case 'text':
      return typeof value === 'string' ? text(value) : undefined;
    case 'flag':
      return value === true ? 't' : value === false ? 'f' : undefined;
    case 'list':
      return Array.isArray(value) && value.every((v) => typeof v === 'string') ? `[${value.length}${(value as string[]).map(text).join('')}` : undefined;
    case 'ports':
      return portsPart(value);
    default:
      return undefined;
  }
}

function text(value: string): string {
  return `${value.length}:${value}`;
}

function portsPart(ports: unknown): string | undefined {
  if (typeof ports !== 'object' || ports === null || Object.getPrototypeOf(ports) !== Object.prototype) return undefined;
  let part = '{';
  for (const setting of portSettings) {
    const port = (ports as Record<string, unknown>)[setting];
    if (port === undefined) continue;
    if (typeof port !== 'number') return undefined;
    part += `${setting}=${port};`;
  }
  for (const setting in ports) if (!knownPorts.has(setting)) return undefined;
  return part;
}
