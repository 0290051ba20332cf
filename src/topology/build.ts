import * as z from 'zod';
import { catalogRevision, defaultOsFor, defaultRevision, features, portSettings, revisions, type Feature, type PortSetting, type Revision, type Role } from '../catalog/index.js';
import { AddressRange, AddressSet, AddressSyntaxError } from '../net/index.js';
import { accessEntryHint, AccessEntryError, parseAccessEntry } from '../net/access-entry.js';
import { plainlyValidHost } from './fast-host.js';
import { isMapping, parseLeniently, type Parsed } from './lenient.js';
import { problem, type Path, type Problem } from './problem.js';
import { checkOverlaps, plainUsableIPv4, unusableAddress } from './addresses.js';
import { checkGatewayChains } from './chains.js';
import { checkCounterparts } from './counterparts.js';
import { carriersOf, listOr, relationships, roleExistsIn, settingCarriers, targetRolesFor, type HostSetting, type Relationship } from './rules.js';
import { connectedGroupSchema, connectedServerSchema, deploymentSchema, hostSchema, type ConnectedServerData, type HostData } from './schema.js';
import { closestMatch } from './suggest.js';
import { shown } from './text.js';
import type { ConnectedGroup, ConnectedReading, Deployment, Host } from './types.js';

/** The hint for a setting on a host whose roles do not use it, where "the host that listens on it" does not fit. */
const settingHints: Partial<Record<HostSetting, string>> = {
  install: 'set install on the agent that is installed, or remove it here',
  domain: 'domain is read on management servers, gateways, agents, domain controllers and DNS servers; remove it here',
  authentication: 'authentication is read on agents only (gateways always use certificates); remove it here',
  managementServerInitiatesConnection: 'set it on the gateway installed with /ManagementServerInitiatesConnection=True, or remove it here',
};

/** The top level and connected groups are read one level at a time, so one bad host spoils only itself. */
const topLevelSchema = deploymentSchema.extend({ hosts: z.array(z.unknown()).min(1), connectedGroups: z.array(z.unknown()).optional() });
const groupLevelSchema = connectedGroupSchema.extend({ managementServers: z.array(z.unknown()).min(1) });

type HostEntry = Parsed<HostData>;
type Writable<T> = { -readonly [K in keyof T]: T[K] };

/** A defined name: where it is, and what the relationship checks need to know of its host. */
interface NameEntry {
  readonly name: string;
  /** A host's index under hosts (its path is made only for a problem), or the path of a connected server's name. */
  readonly at: number | Path;
  /** Undefined when the host's roles are themselves in error: checks against them are skipped. */
  readonly roles: readonly Role[] | undefined;
  readonly connectedGroup?: string;
}

const isHostSetting = (key: string): key is HostSetting => Object.hasOwn(settingCarriers, key);

/** "Did you mean" scans every name; past this many unknown names the hints stop suggesting, to stay linear. */
const nameSuggestionBudget = 20;

/**
 * Validates the parsed file beyond its shape (roles against settings, relationships, unique names,
 * addresses, the catalog revision) and builds the Deployment. Every problem is recorded; the result
 * is undefined unless there were none.
 */
export function buildDeployment(raw: unknown, file: string, problems: Problem[], warnings: Problem[] = []): Deployment | undefined {
  if (!isMapping(raw)) {
    problems.push(problem([], 'a mapping with the keys managementGroup and hosts', raw === null ? 'an empty document' : shown(raw), 'start the file with "managementGroup: NAME" and a "hosts:" list'));
    return undefined;
  }
  const builder = new Builder(parseLeniently(topLevelSchema, raw, [], problems), problems);
  const deployment = builder.build(file);
  if (deployment && problems.length === 0) {
    checkCounterparts(deployment, problems, warnings);
    checkOverlaps(deployment, warnings);
  }
  return problems.length === 0 ? deployment : undefined;
}

class Builder {
  private readonly catalog: Revision | undefined;
  private readonly features: Readonly<Record<Feature, boolean>> | undefined;
  /** By lower-case name: a host as its index in hostEntries (no object for each of 150,000), a connected server as its entry. */
  private readonly names = new Map<string, number | NameEntry>();
  private hostEntries: readonly (HostEntry | undefined)[] = [];
  /**
   * One array per distinct list (roles, relationship names) and one string per distinct zone, shared by the hosts
   * that write it: 150,000 agents write a handful of each, and parsers give every host its own copy (js-yaml's
   * arrays with room for 17 items).
   */
  private readonly lists = new Map<string, readonly string[]>();
  private readonly texts = new Map<string, string>();
  private suggestionsLeft = nameSuggestionBudget;
  /**
   * Loopback entries are refused only when some other entry is not loopback: a deployment wholly on 127.0.0.0/8
   * (or ::1) is a lab on one machine, as `check` and `listen` are tried out; one loopback host among real ones is a mistake.
   */
  private readonly loopback: Problem[] = [];
  private routable = false;

  constructor(
    private readonly top: Parsed<z.output<typeof topLevelSchema>>,
    private readonly problems: Problem[],
  ) {
    this.catalog = top.value.catalog;
    this.features = top.value.features;
  }

  build(file: string): Deployment | undefined {
    const hostEntries = (this.top.value.hosts ?? []).map((h, i) => parseLeniently(hostSchema, h, ['hosts', i], this.problems, { keepInput: true, plainlyValid: plainlyValidHost }));
    this.hostEntries = hostEntries;
    hostEntries.forEach((entry, i) => {
      if (entry) this.register(entry.raw.name, i, entry.value.roles);
    });
    const groups = this.connectedGroups();
    const hosts = hostEntries.map((entry, i) => entry && this.host(entry, ['hosts', i]));
    this.checkFeatures(hostEntries);
    checkGatewayChains(hosts, this.problems);
    if (this.routable) this.problems.push(...this.loopback);
    const access = this.managementAccess();
    const { managementGroup, catalog, phase, features: featureFlags } = this.top.value;
    if (!managementGroup || !catalog || !phase || !featureFlags || !groups || !hosts.every((h) => h !== undefined)) return undefined;
    return { managementGroup, catalog, phase, features: featureFlags, hosts, connectedGroups: groups, ...(access.length > 0 ? { managementAccess: access } : {}), file };
  }

  /** The managementAccess entries, trimmed; each one that does not read is a problem at its place. */
  private managementAccess(): string[] {
    const entries = this.top.value.managementAccess ?? [];
    entries.forEach((text, i) => {
      try {
        parseAccessEntry(text);
      } catch (e) {
        if (!(e instanceof AccessEntryError)) throw e;
        this.problems.push(problem(['managementAccess', i], 'an entry PROTOCOL/PORT[-PORT]@ADDRESS', `${shown(text)}, ${e.message}`, accessEntryHint));
      }
    });
    return entries.map((t) => t.trim());
  }

  /**
   * Records a name, or a problem when another host already has it (names compare regardless of case). `at` is a
   * host's index under hosts, or the path of a connected server's name.
   */
  private register(name: unknown, at: number | Path, roles: readonly Role[] | undefined, connectedGroup?: string): void {
    if (typeof name !== 'string') return;
    const first = this.named(name.toLowerCase());
    if (first) {
      const hint = first.connectedGroup ? `a management server of connected group ${first.connectedGroup} already has this name; rename one` : 'rename one of them';
      this.problems.push(problem(namePath(at), 'a name not used before (names are compared regardless of case)', `${shown(name)} again`, hint, { firstAt: namePath(first.at) }));
      return;
    }
    this.names.set(name.toLowerCase(), typeof at === 'number' ? at : { name, at, roles, connectedGroup });
  }

  /** The entry of a defined name, by its lower-case key (a host's is made from its entry when asked for). */
  private named(key: string): NameEntry | undefined {
    const found = this.names.get(key);
    if (typeof found !== 'number') return found;
    const entry = this.hostEntries[found];
    return entry && { name: entry.raw.name as string, at: found, roles: entry.value.roles };
  }

  private host(entry: HostEntry, path: Path): Host | undefined {
    const { value } = entry;
    const roles = entry.broken.has('roles') ? undefined : value.roles;
    if (roles) this.checkRoles(roles, path);
    this.checkSettings(entry, roles, path);
    const addresses = this.addresses(entry, path);
    const related = this.relationships(entry, roles, path);
    if (value.name === undefined || roles === undefined || addresses === undefined) return undefined;
    // Assigned rather than spread: this runs once per host, and keys the file leaves out stay absent.
    const host: Writable<Host> = {
      name: value.name,
      addresses: addresses.addresses,
      zone: value.zone === undefined ? 'default' : this.sharedText(value.zone),
      roles: this.sharedList(roles),
      os: value.os ?? defaultOsFor(roles),
      ports: portsOf(value),
      sqlBrowser: value.sqlBrowser ?? false,
      webConsoleTls: value.webConsoleTls ?? false,
    };
    if (addresses.addressTexts) host.addressTexts = addresses.addressTexts;
    if (value.install !== undefined) host.install = value.install;
    if (value.domain !== undefined) host.domain = value.domain.toLowerCase();
    if (value.authentication !== undefined) host.authentication = value.authentication;
    if (value.linuxPolicy !== undefined) host.linuxPolicy = value.linuxPolicy;
    if (value.managementServerInitiatesConnection !== undefined) host.managementServerInitiatesConnection = value.managementServerInitiatesConnection;
    return Object.assign(host, related);
  }

  /** The shared list with these items (a compact copy of the first seen). */
  private sharedList<T extends string>(list: readonly T[]): readonly T[] {
    const key = list.length === 1 ? list[0]! : list.join('\n');
    const found = this.lists.get(key);
    // Equal keys of unequal lists (an item holding the separator) are not shared.
    if (found && found.length === list.length && found.every((item, i) => item === list[i])) return found as readonly T[];
    const copy = list.slice();
    if (!found) this.lists.set(key, copy);
    return copy;
  }

  private sharedText(text: string): string {
    const found = this.texts.get(text);
    if (found !== undefined) return found;
    this.texts.set(text, text);
    return text;
  }

  private checkRoles(roles: readonly Role[], path: Path): void {
    for (let i = 0; i < roles.length; i++) {
      const role = roles[i]!;
      if (roles.indexOf(role) < i) this.problems.push(problem([...path, 'roles', i], 'each role once', `${role} again`, 'remove the repeated role'));
      if (this.catalog && !roleExistsIn(role, this.catalog)) {
        const since = revisions.filter((r) => roleExistsIn(role, r));
        this.problems.push(problem([...path, 'roles', i], `a role of catalog ${this.catalog}`, `${role}, which only catalog ${listOr(since)} has`, `set catalog: "${since.at(-1) ?? defaultRevision}", or remove the role`));
      }
      if (role === 'management-pack-catalog' && this.features && !this.features.managementPackCatalog) {
        this.problems.push(problem([...path, 'roles', i], 'the role management-pack-catalog only with features.managementPackCatalog: true', 'the feature off', 'add "features: { managementPackCatalog: true }" at the top of the file'));
      }
    }
  }

  /** Port and install settings belong to the roles that listen or install that way. */
  private checkSettings(entry: HostEntry, roles: readonly Role[] | undefined, path: Path): void {
    const { value, raw } = entry;
    // The keys the host has, not every setting there is: a host writes few of them. (for-in: no array per host.)
    for (const setting in raw) {
      if (!Object.hasOwn(raw, setting) || !isHostSetting(setting) || !roles) continue;
      const carriers = settingCarriers[setting];
      if (!carriers.some((r) => roles.includes(r))) {
        this.problems.push(problem([...path, setting], `${setting} only on a host with role ${listOr(carriers)}`, `it on a host with roles ${roles.join(', ')}`, settingHints[setting] ?? `set ${setting} on the host that listens on it, or remove it here`, { atKey: true }));
      }
    }
    if (this.catalog !== '2016-08' && value.sqlBrowser === true && value.sqlPort === undefined && !entry.broken.has('sqlPort')) {
      this.problems.push(problem([...path, 'sqlBrowser'], 'sqlPort beside sqlBrowser: true', 'no sqlPort', 'a named instance listens on a dynamic or set port, not 1433: fix its port in SQL Server Configuration Manager (TCP/IP, IPAll, TCP Port) and write it as sqlPort'));
    }
    if (this.catalog === '2016-08' && value.domain !== undefined) {
      this.problems.push(problem([...path, 'domain'], 'no domain under catalog 2016-08', shown(value.domain), 'the 2016-08 table has no domain controller row; set catalog: "2024-11", or remove domain', { atKey: true }));
    }
    if (this.catalog === '2016-08' && value.authentication === 'certificate') {
      this.problems.push(problem([...path, 'authentication'], 'authentication kerberos or left out under catalog 2016-08', 'certificate', 'only catalog 2024-11 has DNS servers for certificate-based agents; set catalog: "2024-11", or remove authentication'));
    }
    this.checkOs(entry, roles, path);
    if (this.catalog === '2016-08' && value.sqlBrowser === true) {
      this.problems.push(problem([...path, 'sqlBrowser'], 'sqlBrowser false or left out under catalog 2016-08', 'true', 'no 2016-08 row asks for UDP 1434; set catalog: "2024-11", or remove sqlBrowser'));
    }
    if (this.catalog === '2016-08' && value.install === 'push') {
      this.problems.push(problem([...path, 'install'], 'install manual or left out under catalog 2016-08', 'push', 'the 2016-08 table has no push-install row; set catalog: "2024-11", or install: manual'));
    }
  }

  /** An os that contradicts a role: a UNIX/Linux agent on Windows, a push install (SMB, RPC) to a non-Windows host. */
  private checkOs(entry: HostEntry, roles: readonly Role[] | undefined, path: Path): void {
    const { os, install } = entry.value;
    if (!roles || os === undefined) return;
    if (os === 'windows' && roles.includes('unix-agent')) {
      this.problems.push(problem([...path, 'os'], 'os linux (or other, or left out) on a host with role unix-agent', 'windows', 'a Windows machine runs the Windows agent: use role agent; or remove os for a UNIX/Linux agent'));
    } else if (os !== 'windows' && install === 'push' && roles.includes('agent')) {
      this.problems.push(problem([...path, 'os'], 'os windows (or left out) on an agent with install: push', os, 'push install uses SMB and RPC to a Windows machine: for a Linux machine use role unix-agent, or set install: manual'));
    }
  }

  /** Exactly one of address and addresses, each entry parsed; the canonical texts in file order. */
  private addresses(entry: Parsed<ConnectedServerData>, path: Path): Pick<Host, 'addressTexts' | 'addresses'> | undefined {
    const { value, raw } = entry;
    const one = Object.hasOwn(raw, 'address');
    const many = Object.hasOwn(raw, 'addresses');
    if (one && many) {
      this.problems.push(problem([...path, 'addresses'], 'either address or addresses', 'both', 'keep addresses and move the single address into its list', { atKey: true }));
      return undefined;
    }
    if (!one && !many) {
      this.problems.push(problem(path, 'an address or addresses key', 'neither', 'add "address: 10.0.0.5" for one machine, or "addresses: [10.0.0.0/24]" for a group'));
      return undefined;
    }
    // A key present but invalid is already reported; it leaves nothing to parse.
    const texts = one ? value.address : value.addresses;
    if (texts === undefined) return undefined;
    const plain = typeof texts === 'string' ? plainUsableIPv4(texts) : undefined;
    if (typeof texts === 'string' && plain !== undefined) {
      // The text is the address's canonical spelling, which the set gives back: no list of it is kept (Host.addressTexts).
      this.routable = true;
      return { addresses: AddressSet.singleV4(plain) };
    }
    const ranges = typeof texts === 'string' ? [this.singleAddress(texts, [...path, 'address'])] : texts.map((t, i) => this.addressEntry(t, [...path, 'addresses', i]));
    if (!ranges.every((r) => r !== undefined)) return undefined;
    return { addressTexts: ranges.map((r) => r.toString()), addresses: AddressSet.of(ranges) };
  }

  private singleAddress(text: string, path: Path): AddressRange | undefined {
    if (/[/-]/.test(text)) {
      this.problems.push(problem(path, 'a single IP address', shown(text), `for a prefix or range, write addresses: [${text}]`));
      return undefined;
    }
    return this.addressEntry(text, path);
  }

  private addressEntry(text: string, path: Path): AddressRange | undefined {
    try {
      const range = AddressRange.parse(text);
      const unusable = unusableAddress(range, text);
      if (!unusable) {
        this.routable = true;
        return range;
      }
      const refused = problem(path, 'an address a host can be reached at', unusable.found, unusable.hint);
      if (!unusable.loopback) {
        this.problems.push(refused);
        return undefined;
      }
      this.loopback.push(refused);
      return range;
    } catch (e) {
      if (!(e instanceof AddressSyntaxError)) throw e;
      this.problems.push(problem(path, e.expected, shown(text), e.hint ?? 'write an address (10.0.0.5), a prefix (10.0.0.0/24) or a range (10.0.0.5-10.0.0.9)'));
      return undefined;
    }
  }

  /** The relationship lists, each name checked and spelt as its host defines it. */
  private relationships(entry: HostEntry, roles: readonly Role[] | undefined, path: Path): Partial<Record<Relationship, readonly string[]>> {
    const out: Partial<Record<Relationship, readonly string[]>> = {};
    for (const relationship of relationships) {
      const names = entry.value[relationship];
      if (!Object.hasOwn(entry.raw, relationship)) continue;
      const carriers = carriersOf(relationship);
      if (roles && !carriers.some((r) => roles.includes(r))) {
        this.problems.push(problem([...path, relationship], `${relationship} only on a host with role ${listOr(carriers)}`, `it on a host with roles ${roles.join(', ')}`, 'remove it here', { atKey: true }));
        continue;
      }
      if (names) out[relationship] = this.sharedList(this.resolveNames(names, relationship, roles, path, entry.value.name));
    }
    return out;
  }

  /** A console, web console or reporting server on a management server may name that server: it talks to it locally. */
  private resolveNames(names: readonly string[], relationship: Relationship, roles: readonly Role[] | undefined, path: Path, self: string | undefined): string[] {
    const wanted = roles ? targetRolesFor(relationship, roles) : [];
    const selfKey = self?.toLowerCase();
    const keys = names.map((name) => name.toLowerCase());
    return names.map((name, i) => {
      const key = keys[i] ?? '';
      const target = this.named(key);
      const problemHere = (expected: string, found: string, hint: string) => this.problems.push(problem([...path, relationship, i], expected, found, hint));
      if (!target) this.problems.push(this.unknownName([...path, relationship, i], name));
      else if (target.connectedGroup) problemHere('a host of this management group', `${name}, a management server of connected group ${target.connectedGroup}`, 'relationships name hosts under hosts:; connected groups are reached through connectedGroups');
      else if (key === selfKey && !(relationship === 'managementServers' && roles?.includes('management-server'))) problemHere('another host', 'the host itself', 'remove it from the list');
      else if (keys.indexOf(key) < i) problemHere('each host once', `${name} again`, 'remove the repeated name; the order already says primary first, then failovers');
      else if (wanted.length > 0 && target.roles && !target.roles.some((r) => wanted.includes(r))) {
        problemHere(`a host with role ${listOr(wanted)}`, `${target.name}, whose roles are ${target.roles.join(', ')}`, `name a ${listOr(wanted)} here, or give ${target.name} that role`);
      }
      return target?.name ?? name;
    });
  }

  private unknownName(at: Path, name: string): Problem {
    const suggestion = this.suggestionsLeft-- > 0 ? closestMatch(name, [...this.names.keys()].flatMap((key) => this.named(key) ?? []).filter((e) => !e.connectedGroup).map((e) => e.name)) : undefined;
    return problem(at, 'the name of a host defined under hosts', `${shown(name)}, which no host has`, suggestion ? `did you mean ${suggestion}?` : 'define a host of that name, or fix the spelling');
  }

  private connectedGroups(): ConnectedGroup[] | undefined {
    const groupNames = new Map<string, Path>();
    const groups = (this.top.value.connectedGroups ?? []).map((raw, i) => this.connectedGroup(raw, ['connectedGroups', i], groupNames));
    return groups.every((g) => g !== undefined) ? groups : undefined;
  }

  /** One connected group; its servers are checked even when its own name is in error. */
  private connectedGroup(raw: unknown, path: Path, groupNames: Map<string, Path>): ConnectedGroup | undefined {
    const entry = parseLeniently(groupLevelSchema, raw, path, this.problems);
    if (!entry) return undefined;
    const { name } = entry.value;
    if (name !== undefined) this.checkGroupName(name, [...path, 'name'], groupNames);
    const reading = entry.value.reading ?? 'connected-groups-page';
    const servers = (entry.value.managementServers ?? []).map((s, j) => this.connectedServer(s, [...path, 'managementServers', j], name ?? '', reading));
    return name !== undefined && servers.every((s) => s !== undefined) ? { name, reading, managementServers: servers } : undefined;
  }

  /** A connected group is another group: not this one, and listed once. */
  private checkGroupName(name: string, path: Path, groupNames: Map<string, Path>): void {
    const key = name.toLowerCase();
    const first = groupNames.get(key);
    if (key === this.top.value.managementGroup?.toLowerCase()) {
      this.problems.push(problem(path, 'the name of another management group', `${shown(name)}, this group's own name`, 'a group is not connected to itself; remove the entry'));
    } else if (first) {
      this.problems.push(problem(path, 'each connected group once', `${shown(name)} again`, 'merge the two entries', { firstAt: first }));
    }
    if (!first) groupNames.set(key, path);
  }

  private connectedServer(raw: unknown, path: Path, group: string, reading: ConnectedReading): Host | undefined {
    const entry = parseLeniently(connectedServerSchema, raw, path, this.problems, { keepInput: true });
    if (!entry) return undefined;
    this.register(entry.raw.name, [...path, 'name'], ['management-server'], group);
    const addresses = this.addresses(entry, path);
    if (entry.value.name === undefined || !addresses) return undefined;
    const roles: Role[] = ['management-server'];
    return { name: entry.value.name, ...addresses, zone: entry.value.zone ?? 'default', roles, os: 'windows', ports: noPorts, sqlBrowser: false, webConsoleTls: false, connectedGroup: group, connectedReading: reading };
  }

  /** Features exist only in the current table, and the catalog feature needs a host to reach. */
  private checkFeatures(hosts: readonly (HostEntry | undefined)[]): void {
    if (!this.features) return;
    if (this.catalog) {
      const revision = catalogRevision(this.catalog);
      const planned = new Set([...revision.rows, ...revision.ownRows].map((r) => r.feature));
      for (const f of features.filter((f) => this.features?.[f] && !planned.has(f))) {
        this.problems.push(problem(['features', f], `${f} false or left out under catalog ${this.catalog}`, 'true', `catalog ${this.catalog} has no row for this feature; set catalog: "${defaultRevision}", or remove it`));
      }
    }
    const rolesKnown = hosts.every((h) => h && !h.broken.has('roles'));
    const hasCatalogHost = hosts.some((h) => h?.value.roles?.includes('management-pack-catalog'));
    if (this.features.managementPackCatalog && rolesKnown && !hasCatalogHost) {
      this.problems.push(problem(['features', 'managementPackCatalog'], 'a host with role management-pack-catalog when this feature is on', 'none', 'add a host with roles: [management-pack-catalog] for the catalog web service (or your proxy to it)'));
    }
  }
}

/** The path of a defined name (see NameEntry.at). */
function namePath(at: number | Path): Path {
  return typeof at === 'number' ? ['hosts', at, 'name'] : at;
}

/** Most hosts write no port setting: they share one frozen empty record rather than keep 150,000 of them. */
const noPorts: Host['ports'] = Object.freeze({});

function portsOf(value: Partial<HostData>): Host['ports'] {
  let ports: Partial<Record<PortSetting, number>> | undefined;
  for (const setting of portSettings) {
    const port = value[setting];
    if (port !== undefined) (ports ??= {})[setting] = port;
  }
  return ports ?? noPorts;
}
