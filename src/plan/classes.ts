import type { Role } from '../catalog/roles.js';
import { portSettings, type PlannedRow } from '../catalog/types.js';
import { writesOneAddress } from '../topology/host-addresses.js';
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
  /** For each host of `deployment.hosts`, at its position: the index in `planned` of its class's representative. */
  readonly classIndex: Int32Array;
  /** Hosts that share their class with others. */
  readonly classed: number;
}

/**
 * The classes of a deployment's hosts. Host names are unique, as the loader makes them (compared regardless of
 * case); no set of 150,000 names is built to check it again, as such a set costs more than the planning it saves.
 */
export function hostClasses(deployment: Deployment, rows: readonly PlannedRow[]): HostClasses {
  const selfPairing = selfPairingRoles(rows);
  const hosts = deployment.hosts;
  // First pass: a tentative class per host. Hosts listed next to each other are mostly alike (agents of one
  // subnet), so a host is first compared with the class of the host before it, field by field, and only otherwise
  // keyed (a string per host, and a map lookup) — a singleton is -1.
  const tentative = new Int32Array(hosts.length);
  const firsts: Host[] = [];
  const byKey = new Map<string, number>();
  let previous = -1;
  hosts.forEach((host, i) => {
    if (!plainHost(host) || isPool(host)) {
      tentative[i] = previous = -1;
      return;
    }
    // Alike hosts have the same roles, so the first host's verdict on self-pairing holds for them.
    if (previous >= 0 && alike(host, firsts[previous]!)) {
      tentative[i] = previous;
      return;
    }
    const key = pairsWithItsClass(host, selfPairing) ? undefined : classKey(host);
    let id = key === undefined ? -1 : byKey.get(key);
    if (key !== undefined && id === undefined) {
      id = firsts.push(host) - 1;
      byKey.set(key, id);
    }
    tentative[i] = previous = id ?? -1;
  });
  // Second pass: a host some relationship names is planned by itself. Alike hosts name the same hosts, so the
  // first host of each class and every host of its own say every name that is named.
  const fixed = namedHosts(deployment, hosts.filter((h, i) => tentative[i] === -1), firsts);
  // Third pass: the classes, their representatives (the first host left in each) and the plan's list of hosts.
  const planned: Host[] = [];
  const classIndex = new Int32Array(hosts.length);
  const plannedOf = new Int32Array(firsts.length).fill(-1);
  const members = new Map<Host, Host[]>();
  let classed = 0;
  hosts.forEach((host, i) => {
    const id = tentative[i]!;
    if (id === -1 || (fixed.size > 0 && fixed.has(host.name))) {
      classIndex[i] = planned.push(host) - 1;
      return;
    }
    let at = plannedOf[id]!;
    if (at === -1) {
      plannedOf[id] = at = planned.push(host) - 1;
      members.set(host, [host]);
    } else {
      const list = members.get(planned[at]!)!;
      list.push(host);
      classed += list.length === 2 ? 2 : 1;
    }
    classIndex[i] = at;
  });
  return { planned, members: (h) => members.get(h) ?? [h], classIndex, classed };
}

/** Every host a class of its own: the planner pairs host by host (derivePlan's `{ classes: false }`). */
export function soloClasses(deployment: Deployment): HostClasses {
  return { planned: deployment.hosts, members: (h) => [h], classIndex: Int32Array.from(deployment.hosts, (_, i) => i), classed: 0 };
}

/** A plain object with no field unknown here (fail closed: a field added to Host later is not ignored). */
function plainHost(host: Host): boolean {
  if (Object.getPrototypeOf(host) !== Object.prototype) return false;
  for (const field in host) if (!knownFields.has(field)) return false;
  return true;
}

/** The names relationships point at (of the hosts given: alike hosts name alike), and connected servers' names. */
function namedHosts(deployment: Deployment, ...lists: readonly (readonly Host[])[]): Set<string> {
  const fixed = new Set<string>();
  for (const list of lists) {
    for (const host of list) {
      for (const names of [host.reportsTo, host.managementServers, host.acsCollectors, host.domainControllers]) {
        if (names) for (const name of names) fixed.add(name);
      }
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
  if (writesOneAddress(host)) return false;
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

/** The fields hosts of one class share, and how each is compared (for the test that keeps `alike` in step). */
export const classFields: Readonly<Partial<Record<keyof Host, 'text' | 'flag' | 'list' | 'ports' | 'never'>>> = Object.fromEntries(keyedFields.map((k) => [k, fieldKinds[k]]));
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
      return Array.isArray(value) && value.every((v) => typeof v === 'string') ? `[${value.length}${value.map(text).join('')}` : undefined;
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

/**
 * True when `host` has the class key of `first` (a host with a key): the same value in every keyed field, compared
 * without building the key, field by field by name (a loop over field names costs a slow lookup per field, and
 * this runs once per host). Undefined and absent are one value, as in the key.
 */
function alike(host: Host, first: Host): boolean {
  return (
    host.zone === first.zone &&
    host.os === first.os &&
    host.sqlBrowser === first.sqlBrowser &&
    host.webConsoleTls === first.webConsoleTls &&
    host.install === first.install &&
    host.domain === first.domain &&
    host.authentication === first.authentication &&
    host.linuxPolicy === first.linuxPolicy &&
    host.managementServerInitiatesConnection === first.managementServerInitiatesConnection &&
    host.connectedReading === undefined &&
    host.connectedGroup === undefined &&
    sameList(host.roles, first.roles) &&
    sameList(host.reportsTo, first.reportsTo) &&
    sameList(host.managementServers, first.managementServers) &&
    sameList(host.acsCollectors, first.acsCollectors) &&
    sameList(host.domainControllers, first.domainControllers) &&
    samePorts(host.ports, first.ports)
  );
}

function sameList(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (typeof a[i] !== 'string' || a[i] !== b[i]) return false;
  return true;
}

function samePorts(a: Host['ports'], b: Host['ports']): boolean {
  if (a === b || (isEmpty(a) && isEmpty(b))) return true;
  const part = portsPart(a);
  return part !== undefined && part === portsPart(b);
}

function isEmpty(value: object): boolean {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
  for (const key in value) if (key !== undefined) return false;
  return true;
}
