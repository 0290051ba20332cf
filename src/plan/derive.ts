import type { Role } from '../catalog/roles.js';
import { relationshipRoles, settingRoles } from '../catalog/settings.js';
import type { CatalogRevision, Condition, FlowPhase, PlannedRow, PortSetting, Reading } from '../catalog/types.js';
import { compareOptionalPorts, compareProtocols, PortRange, protocolPorts, type Protocol } from '../net/port.js';
import { compareRowIds, compareText } from './order.js';
import type { Deployment, Host } from '../topology/types.js';
import { trustPlan } from './trust.js';
import { maintenanceNotes } from './maintenance.js';
import { classPlan, endpointFrom, type PlannedHost } from './expand.js';
import { hostClasses, isPool, soloClasses, type HostClasses } from './classes.js';
import type { Endpoint, Flow, Plan } from './types.js';
import { summarizeNames } from '../text/names.js';

/** A pairing of one source host with one destination host, and why they pair. */
interface Pair {
  readonly source: Host;
  readonly destination: Host;
  readonly note?: string;
}

/**
 * Mutable while the plan is built; becomes a Flow at the end (the id is written then). Lists stay tiny, so arrays
 * beat Sets, and drafts are found through the source and destination names, so no key string is built per pair.
 */
interface FlowDraft {
  id: string;
  readonly source: Endpoint;
  readonly destination: Endpoint;
  readonly protocol: Protocol;
  readonly ports: PortRange | null;
  phase: FlowPhase;
  rows: readonly string[];
  notes: readonly string[];
  sourceRoles: readonly Role[];
  destinationRoles: readonly Role[];
}

/** How derivePlan works; the plan is the same either way (test/property/plan-classes.property.test.ts). */
export interface PlanOptions {
  /**
   * Plan hosts that are alike once per class (src/plan/classes.ts) and expand their flows only when a command
   * reads them (the default), or pair every host by itself (`false`).
   */
  readonly classes?: boolean;
}

/**
 * Derives the flow matrix: for every catalog row that applies, every reading, every pair of hosts the reading's
 * relationship connects. Flows asked for by several rows are one flow citing all of them. Pure and deterministic.
 */
export function derivePlan(deployment: Deployment, catalog: CatalogRevision, options: PlanOptions = {}): Plan {
  const rows = applicableRows(deployment, catalog);
  const byClass = options.classes !== false;
  const classes = byClass ? hostClasses(deployment, rows) : soloClasses(deployment);
  const index = new HostIndex({ ...deployment, hosts: classes.planned });
  const drafts = new DraftIndex();
  const pairs = new PairCache(index);
  for (const row of rows) {
    for (const reading of row.readings) addReading(drafts, index, pairs.of(reading), catalog, row, reading);
  }
  const all = drafts.all();
  const kept = all.filter((d) => deployment.phase === 'install' || d.phase === 'always').map(frozenFlow);
  const entries = (destination: string) => classes.members(index.byName(destination)!).length;
  const notes = planNotes(deployment, catalog, classes);
  if (deployment.phase === 'operate') notes.push('phase operate: install-only flows are left out');
  notes.push(...domainNotes(deployment, index, classes), ...maintenanceNotes(deployment.phase, all, entries));
  const closedHosts = deployment.phase === 'operate' ? everyMember(closedBy(all, kept), classes, index) : [];
  if (closedHosts.length > 0) notes.push(`phase operate: nothing is left to accept on ${summarize(closedHosts)}; their scripts and rulesets remove what install opened`);
  const head = { managementGroup: deployment.managementGroup, catalog: catalog.revision, phase: deployment.phase, notes };
  const tail = {
    ...(deployment.managementAccess?.length ? { managementAccess: deployment.managementAccess } : {}),
    ...(closedHosts.length > 0 ? { closedHosts } : {}),
  };
  if (byClass) return trustPlan(classPlan(head, tail, kept, index.planned(), classes, deployment.hosts));
  return trustPlan({ ...head, flows: kept.sort(compareFlows), hosts: index.endpoints().sort((a, b) => compareText(a.name, b.name)), ...tail });
}

/** Destinations of install-only flows that accept no flow left in the plan (phase operate), sorted. */
function closedBy(all: readonly FlowDraft[], kept: readonly Flow[]): string[] {
  const accepting = new Set(kept.map((f) => f.destination.name));
  const closed = new Set(all.filter((d) => d.phase === 'install' && !accepting.has(d.destination.name)).map((d) => d.destination.name));
  return [...closed].sort(compareText);
}

/** The names of every host of the classes these planned hosts stand for, sorted. */
function everyMember(names: readonly string[], classes: HostClasses, index: HostIndex): string[] {
  return names.flatMap((name) => classes.members(index.byName(name)!).map((h) => h.name)).sort(compareText);
}

/** Microsoft's rows, then scomfw's own; rows of an optional feature only when the deployment turns it on. */
function applicableRows(deployment: Deployment, catalog: CatalogRevision): PlannedRow[] {
  return [...catalog.rows, ...catalog.ownRows].filter((row) => !row.feature || deployment.features[row.feature]);
}

function addReading(drafts: DraftIndex, index: HostIndex, pairs: readonly Pair[], catalog: CatalogRevision, row: PlannedRow, reading: Reading): void {
  const conditionText = reading.when ? conditionNote(reading.when) : undefined;
  for (const pair of pairs) {
    const ports = portsOf(reading, pair.destination, catalog);
    const draft = drafts.get(index, pair, reading.protocol, ports);
    draft.rows = withValue(draft.rows, row.id);
    if (reading.phase === 'always') draft.phase = 'always';
    draft.sourceRoles = withValue(draft.sourceRoles, reading.source);
    draft.destinationRoles = withValue(draft.destinationRoles, reading.destination);
    if (pair.note) draft.notes = withValue(draft.notes, pair.note);
    if (conditionText) draft.notes = withValue(draft.notes, conditionText);
  }
}

/**
 * Drafts by (source, destination) pair, kept on the source host's entry: an agent starts a handful of flows, found
 * by a short scan; a source with many (a management server push-installing thousands of agents) gets a map by
 * destination ordinal once its list grows. No key string and no large map of number keys, which matters at
 * 300,000 flows.
 */
class DraftIndex {
  private readonly list: FlowDraft[] = [];

  get(index: HostIndex, pair: Pair, protocol: Protocol, ports: FlowDraft['ports']): FlowDraft {
    const from = index.entryOf(pair.source);
    const to = index.entryOf(pair.destination);
    const found = from.byDestination ? findIn(from.byDestination.get(to.ordinal), protocol, ports) : findOut(from.out, to.endpoint, protocol, ports);
    if (found) return found;
    const draft: FlowDraft = {
      id: '',
      source: from.endpoint,
      destination: to.endpoint,
      protocol,
      ports,
      phase: 'install',
      rows: none,
      notes: none,
      sourceRoles: none,
      destinationRoles: none,
    };
    from.out.push(draft);
    if (from.byDestination) addTo(from.byDestination, to.ordinal, draft);
    else if (from.out.length > scanLimit) from.byDestination = mapByDestination(index, from.out);
    this.list.push(draft);
    return draft;
  }

  all(): FlowDraft[] {
    return this.list;
  }
}

/** Past this many drafts from one source, its drafts are found through a map instead of a scan. */
const scanLimit = 16;

function findOut(out: readonly FlowDraft[], destination: Endpoint, protocol: Protocol, ports: FlowDraft['ports']): FlowDraft | undefined {
  for (const d of out) if (d.destination === destination && d.protocol === protocol && d.ports === ports) return d;
  return undefined;
}

function findIn(drafts: readonly FlowDraft[] | undefined, protocol: Protocol, ports: FlowDraft['ports']): FlowDraft | undefined {
  if (!drafts) return undefined;
  for (const d of drafts) if (d.protocol === protocol && d.ports === ports) return d;
  return undefined;
}

function addTo(map: Map<number, FlowDraft[]>, ordinal: number, draft: FlowDraft): void {
  const list = map.get(ordinal);
  if (list) list.push(draft);
  else map.set(ordinal, [draft]);
}

function mapByDestination(index: HostIndex, out: readonly FlowDraft[]): Map<number, FlowDraft[]> {
  const map = new Map<number, FlowDraft[]>();
  for (const d of out) addTo(map, index.ordinalOfEndpoint(d.destination), d);
  return map;
}

const none: readonly never[] = Object.freeze([]);
const singletons = new Map<string, readonly string[]>();

/**
 * The list with `value` added. Most flows have one row, one note and one role on each side, so one-element lists
 * are shared (interned) and copied only when a second value arrives.
 */
function withValue<T extends string>(list: readonly T[], value: T): readonly T[] {
  if (list.includes(value)) return list;
  if (list.length === 0) {
    let one = singletons.get(value);
    if (!one) singletons.set(value, (one = Object.freeze([value])));
    return one as readonly T[];
  }
  return [...list, value];
}

export function flowId(source: string, destination: string, protocol: Protocol, ports: PortRange | null): string {
  return `${source}>${destination}:${protocolPorts(protocol, ports)}`;
}

/** The draft itself becomes the flow: copying 300,000 objects at the end costs more than it protects. */
function frozenFlow(d: FlowDraft): Flow {
  d.id = flowId(d.source.name, d.destination.name, d.protocol, d.ports);
  // Lists of two or more are the draft's own copies (withValue), so sorting them in place is safe.
  if (d.rows.length > 1) (d.rows as string[]).sort(compareRowIds);
  if (d.sourceRoles.length > 1) (d.sourceRoles as Role[]).sort();
  if (d.destinationRoles.length > 1) (d.destinationRoles as Role[]).sort();
  return d;
}

function compareFlows(a: Flow, b: Flow): number {
  return (
    compareText(a.source.name, b.source.name) ||
    compareText(a.destination.name, b.destination.name) ||
    compareProtocols(a.protocol, b.protocol) ||
    compareOptionalPorts(a.ports, b.ports)
  );
}

/** The destination port range a reading asks for, with the host's setting or the revision's default. */
function portsOf(reading: Reading, destination: Host, catalog: CatalogRevision): FlowDraft['ports'] {
  const spec = reading.ports;
  if (spec.kind === 'none') return null;
  // PortRange.of interns: flows that share a port share one object, so 300,000 flows allocate none.
  if (spec.kind === 'fixed') return PortRange.of(spec.from, spec.to);
  const p = settingOf(destination, spec.setting, catalog);
  return PortRange.of(p);
}

function settingOf(host: Host, setting: PortSetting, catalog: CatalogRevision): number {
  const written = host.ports[setting];
  if (written !== undefined) return written;
  if (setting === 'webConsolePort' && host.webConsoleTls) return catalog.webConsoleTlsPort;
  return catalog.portDefaults[setting];
}

function conditionHolds(condition: Condition, pair: Pair): boolean {
  const { source, destination } = pair;
  switch (condition) {
    case 'destination.sqlBrowser':
      return destination.sqlBrowser;
    case 'destination.installPush':
      return destination.install === 'push';
    case 'source.gatewayInitiates':
      return !source.managementServerInitiatesConnection;
    case 'destination.managementServerInitiates':
      return destination.managementServerInitiatesConnection === true;
    case 'group.bothWays':
      return (source.connectedReading ?? destination.connectedReading ?? 'connected-groups-page') === 'connected-groups-page';
    case 'source.certificate':
      return source.authentication === 'certificate';
    case 'source.kerberos':
      return source.authentication !== 'certificate';
  }
}

/** The note a met condition adds to a flow; conditions that hold by default add none. */
const conditionNotes: Readonly<Record<Condition, string | undefined>> = {
  'destination.sqlBrowser': 'destination sqlBrowser: true (named instance)',
  'destination.installPush': 'destination install: push',
  'source.gatewayInitiates': undefined,
  'destination.managementServerInitiates': 'destination managementServerInitiatesConnection: true',
  'group.bothWays': 'connected-groups page: 5723 and 5724 both ways',
  'source.certificate': 'source authentication: certificate',
  'source.kerberos': undefined,
};

function conditionNote(condition: Condition): string | undefined {
  return conditionNotes[condition];
}

/**
 * The pairs of a reading, computed once per (pairing, roles, condition): a row's readings mostly share them
 * (six DNS/Kerberos/LDAP readings, five push-install readings), and agents can number in the hundreds of thousands.
 */
class PairCache {
  private readonly cache = new Map<string, Pair[]>();

  constructor(private readonly index: HostIndex) {}

  of(reading: Reading): Pair[] {
    const key = `${reading.pairing}|${reading.source}|${reading.destination}|${reading.when ?? ''}`;
    let pairs = this.cache.get(key);
    if (!pairs) {
      // Traffic inside one machine crosses no firewall; only a pool's members talk to each other.
      const self = reading.pairing === 'pool';
      pairs = pairsFor(reading, this.index).filter((p) => (p.source !== p.destination) !== self && (!reading.when || conditionHolds(reading.when, p)));
      this.cache.set(key, pairs);
    }
    return pairs;
  }
}

/** Every (source, destination) pair a reading's relationship connects, in deployment order. */
function pairsFor(reading: Reading, index: HostIndex): Pair[] {
  const sources = index.withRole(reading.source);
  switch (reading.pairing) {
    case 'all':
      return sources.flatMap((source) => index.withRole(reading.destination).map((destination) => ({ source, destination })));
    case 'pool':
      return sources.filter(isPool).map((source) => ({ source, destination: source, note: 'pool: member to member' }));
    case 'connected':
      return sources.flatMap((source) =>
        index.connected.map((destination) => ({ source, destination, note: `connected group ${destination.connectedGroup ?? ''}` })),
      );
    case 'connectedReverse':
      return index.connected.flatMap((source) =>
        index.withRole(reading.destination).map((destination) => ({ source, destination, note: `connected group ${source.connectedGroup ?? ''}` })),
      );
    case 'reportsTo':
      return sources.flatMap((source) => reportsToPairs(source, reading.destination, index));
    case 'managedBy':
    case 'managedByPrimary': {
      const primaryOnly = reading.pairing === 'managedByPrimary';
      return index.withRole(reading.destination).flatMap((destination) =>
        reportsToPairs(destination, reading.source, index, primaryOnly).map((p) => ({ source: p.destination, destination, note: managedNote(p.note) })),
      );
    }
    case 'domain':
      return sources.flatMap((source) => domainPairs(source, reading.destination, index));
    case 'managementServers':
    case 'acsCollectors':
      return sources.flatMap((source) => listedPairs(source, reading.pairing as 'managementServers' | 'acsCollectors', reading.destination, index));
  }
}

/**
 * The hosts `host` reports to that play `role`, primary first (only the primary with `primaryOnly`). Without
 * reportsTo: every management server.
 */
function reportsToPairs(host: Host, role: Role, index: HostIndex, primaryOnly = false): Pair[] {
  if (!host.reportsTo) {
    if (role !== 'management-server') return [];
    return index.withRole(role).map((destination) => ({ source: host, destination, note: 'reportsTo defaulted: every management server' }));
  }
  return (primaryOnly ? host.reportsTo.slice(0, 1) : host.reportsTo).flatMap((name, i) => {
    const destination = index.byName(name);
    if (!destination?.roles.includes(role)) return [];
    return [{ source: host, destination, note: i === 0 ? 'reportsTo: primary' : 'reportsTo: failover' }];
  });
}

/**
 * The domain controllers (or DNS servers) a host uses: those it names in domainControllers, else those of its
 * domain, else those of its own zone. Never across zones unless the file says so.
 */
function domainPairs(host: Host, role: Role, index: HostIndex): Pair[] {
  if (host.domainControllers && role === 'domain-controller') {
    return host.domainControllers.flatMap((name) => {
      const destination = index.byName(name);
      return destination?.roles.includes(role) ? [{ source: host, destination, note: 'domainControllers: listed' }] : [];
    });
  }
  const candidates = index.withRole(role);
  if (host.domain !== undefined) {
    return candidates.filter((d) => d.domain === host.domain).map((destination) => ({ source: host, destination, note: `domain ${host.domain ?? ''}` }));
  }
  return candidates.filter((d) => d.zone === host.zone).map((destination) => ({ source: host, destination, note: `domain not set: same zone ${host.zone}` }));
}

function managedNote(note: string | undefined): string {
  if (!note) return 'manages the destination';
  return note.replace('reportsTo', 'destination reportsTo');
}

/** Pairs from a relationship list (managementServers, acsCollectors); without it, every host of the role. */
function listedPairs(host: Host, key: 'managementServers' | 'acsCollectors', role: Role, index: HostIndex): Pair[] {
  const names = host[key];
  if (!names) {
    return index.withRole(role).map((destination) => ({ source: host, destination, note: `${key} defaulted: every ${role}` }));
  }
  return names.flatMap((name) => {
    const destination = index.byName(name);
    return destination?.roles.includes(role) ? [{ source: host, destination, note: `${key}: listed` }] : [];
  });
}

/** A host's place in the planner: its plan endpoint, its ordinal, and the drafts it starts. */
interface HostEntry {
  readonly endpoint: Endpoint;
  /** A number unique to the host, for keys that need no string. */
  readonly ordinal: number;
  readonly out: FlowDraft[];
  byDestination?: Map<number, FlowDraft[]>;
}

/** Lookups the planner needs, built once: by name, by role (local hosts only), and the plan endpoints. */
class HostIndex {
  readonly connected: Host[];
  private readonly entries = new Map<Host, HostEntry>();
  private readonly ordinals = new Map<Endpoint, number>();
  private readonly names = new Map<string, Host>();
  private readonly roles = new Map<Role, Host[]>();

  constructor(deployment: Deployment) {
    for (const host of deployment.hosts) {
      this.names.set(host.name, host);
      for (const role of host.roles) {
        const list = this.roles.get(role);
        if (list) list.push(host);
        else this.roles.set(role, [host]);
      }
    }
    this.connected = deployment.connectedGroups.flatMap((g) => g.managementServers);
    for (const host of this.connected) this.names.set(host.name, host);
    // Every host is in the plan's host list, also those no flow names.
    for (const host of this.names.values()) this.entries.set(host, { endpoint: endpointFrom(host), ordinal: this.entries.size, out: [] });
  }

  /** The entry of a host of the deployment (pairs only ever name those). */
  entryOf(host: Host): HostEntry {
    const entry = this.entries.get(host);
    if (!entry) throw new Error(`planner: ${host.name} is not a host of the deployment`);
    return entry;
  }

  ordinalOfEndpoint(endpoint: Endpoint): number {
    let ordinal = this.ordinals.get(endpoint);
    if (ordinal === undefined) {
      for (const e of this.entries.values()) this.ordinals.set(e.endpoint, e.ordinal);
      ordinal = this.ordinals.get(endpoint) ?? -1;
    }
    return ordinal;
  }

  withRole(role: Role): Host[] {
    return this.roles.get(role) ?? [];
  }

  byName(name: string): Host | undefined {
    return this.names.get(name);
  }

  endpoints(): Endpoint[] {
    return [...this.entries.values()].map((e) => e.endpoint);
  }

  /** Every host planned and its endpoint, in the order of endpoints(). */
  planned(): PlannedHost[] {
    return [...this.entries].map(([host, e]) => ({ host, endpoint: e.endpoint }));
  }
}

/** Plan-wide statements: features on, port settings and relationships taken by default. */
function planNotes(deployment: Deployment, catalog: CatalogRevision, classes: HostClasses): string[] {
  const notes: string[] = [`catalog ${catalog.revision}: ${catalog.title}`];
  const on = Object.entries(deployment.features).filter(([, v]) => v).map(([k]) => k);
  notes.push(on.length ? `features on: ${on.join(', ')}` : `optional features off (${Object.keys(deployment.features).join(', ')})`);
  for (const [setting, hosts] of defaultedSettings(deployment, catalog, classes)) notes.push(`${setting} not set, default used on: ${summarize(hosts)}`);
  for (const [key, roles, target] of defaultedRelationships) {
    const hosts = hostsWhere(deployment, classes, (h) => h[key] === undefined && h.roles.some((r) => roles.includes(r)));
    // "every X used" only where there is an X; the loader refuses a role left with no counterpart at all.
    const targetRole = key === 'acsCollectors' ? 'acs-collector' : 'management-server';
    const used = classes.planned.some((h) => h.roles.includes(targetRole)) ? `${target} used` : `no ${targetRole} in the deployment, nothing used`;
    if (hosts.length) notes.push(`${key} not set, ${used} for: ${summarize(hosts.map((h) => h.name))}`);
  }
  for (const w of deployment.warnings ?? []) notes.push(`warning: ${w.position ? `line ${w.position.line}: ` : ''}${w.message} (${w.hint ?? ''})`);
  return notes;
}

/**
 * The hosts, in deployment order, of the classes `holds` is true of, asked once per class: what it asks must be a
 * field the class key compares (roles, settings, relationships), never the name or the addresses.
 */
function hostsWhere(deployment: Deployment, classes: HostClasses, holds: (host: Host) => boolean): Host[] {
  const verdicts = classes.planned.map(holds);
  if (!verdicts.includes(true)) return [];
  const { classIndex } = classes;
  const hosts: Host[] = [];
  deployment.hosts.forEach((h, i) => {
    if (verdicts[classIndex[i]!]) hosts.push(h);
  });
  return hosts;
}

const defaultedRelationships: readonly (readonly ['reportsTo' | 'managementServers' | 'acsCollectors', readonly Role[], string])[] = [
  ['reportsTo', relationshipRoles.reportsTo, 'every management server'],
  ['managementServers', relationshipRoles.managementServers, 'every management server'],
  ['acsCollectors', relationshipRoles.acsCollectors, 'every ACS collector'],
];

function defaultedSettings(deployment: Deployment, catalog: CatalogRevision, classes: HostClasses): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [setting, listeners] of Object.entries(settingRoles) as [PortSetting, readonly Role[]][]) {
    if (setting === 'webConsolePort') continue; // reported with its TLS choice below
    const hosts = hostsWhere(deployment, classes, (h) => h.ports[setting] === undefined && h.roles.some((r) => listeners.includes(r)));
    if (hosts.length) out.set(setting, hosts.map((h) => `${h.name} (${catalog.portDefaults[setting]})`));
  }
  const web = hostsWhere(deployment, classes, (h) => h.ports.webConsolePort === undefined && h.roles.includes('web-console-server'));
  if (web.length) out.set('webConsolePort', web.map((h) => `${h.name} (${h.webConsoleTls ? catalog.webConsoleTlsPort : catalog.portDefaults.webConsolePort})`));
  return out;
}

/**
 * How domain controllers were paired: which servers took their zone's DCs because they name neither a domain nor
 * DCs, and which servers got none (a gateway with certificates needs none; one with Kerberos needs domain or
 * domainControllers).
 */
function domainNotes(deployment: Deployment, index: HostIndex, classes: HostClasses): string[] {
  const dcs = index.withRole('domain-controller');
  if (dcs.length === 0) return [];
  const agentsToo = deployment.features.agentDomainServices;
  const user = (h: Host) => h.roles.includes('management-server') || h.roles.includes('gateway') || (agentsToo && h.roles.includes('agent') && h.authentication !== 'certificate');
  const byZone = hostsWhere(deployment, classes, (h) => user(h) && h.domain === undefined && h.domainControllers === undefined);
  const unpaired = hostsWhere(deployment, classes, (h) => user(h) && domainPairs(h, 'domain-controller', index).length === 0);
  const notes: string[] = [];
  if (byZone.length) notes.push(`domain and domainControllers not set, domain controllers of the same zone used for: ${summarize(byZone.map((h) => h.name))}`);
  if (unpaired.length) {
    notes.push(`no domain controller paired with: ${summarize(unpaired.map((h) => `${h.name} (zone ${h.zone})`))}; set domain or domainControllers where the host uses Kerberos (a gateway with certificates needs none)`);
  }
  return notes;
}

function summarize(names: readonly string[]): string {
  return summarizeNames(names, 5);
}
