import { Document, isMap, isSeq, parseDocument, Scalar, YAMLMap, type Node } from 'yaml';
import type { Role } from '../catalog/roles.js';
import { AddressSet } from '../net/address-set.js';
import { UserError } from '../topology/errors.js';
import { loadDeployment } from '../topology/index.js';
import { carriersOf, settingCarriers, type HostSetting, type Relationship } from '../topology/rules.js';
import { addressTextsOf } from '../topology/host-addresses.js';
import type { Host } from '../topology/types.js';
import { groupableRoles, importedRoles, roleRank, sortRoles, type HostFields, type Inventory, type Machine } from './inventory.js';
import { groupBy } from '../text/group.js';
import { wrap } from '../text/columns.js';
import { summarizeNames } from '../text/names.js';

/**
 * Turns an inventory into deployment YAML: servers one entry each, agents grouped (same roles, servers and
 * settings: one entry, addresses merged into the fewest exact CIDRs and ranges), hosts sorted, TODOs where the
 * source cannot know. Given the existing deployment file, it keeps what the user added by hand and says what
 * changed. Pure: text in, text out.
 */

export interface ChangeReport {
  readonly added: string[];
  readonly removed: string[];
  readonly moved: string[];
  /** Values the export and the file disagree on where the file wins (a port setting), or the export wins (addresses). */
  readonly differs: string[];
}

export interface ImportOutput {
  readonly yaml: string;
  /** Every TODO written into the file, for standard error. */
  readonly todos: readonly string[];
  readonly changes?: ChangeReport;
  readonly machines: number;
  readonly entries: number;
}

export interface ExistingFile {
  readonly text: string;
  readonly file: string;
}

/** How many member names a group's comment lists before "and N more": the file stays a few hundred lines. */
const listedMembers = 12;

/** Keys an import writes itself; every other key of an existing entry was written by hand and is kept. */
const importKeys = new Set(['name', 'address', 'addresses', 'roles', 'reportsTo']);

const keyOrder = [
  'name',
  'description',
  'address',
  'addresses',
  'zone',
  'roles',
  'os',
  'linuxPolicy',
  'sqlPort',
  'sqlBrowser',
  'agentPort',
  'webConsolePort',
  'webConsoleTls',
  'reportingPort',
  'acsPort',
  'aemPort',
  'ceipPort',
  'sshPort',
  'install',
  'authentication',
  'domain',
  'managementServerInitiatesConnection',
  'reportsTo',
  'managementServers',
  'acsCollectors',
  'domainControllers',
];

interface OldEntry {
  readonly host: Host;
  /** The keys as written in the file. */
  readonly raw: Record<string, unknown>;
  readonly node: Node;
  readonly groupable: boolean;
  readonly members?: readonly string[];
}

interface Entry {
  readonly name: string;
  readonly addresses: AddressSet;
  readonly roles: Role[];
  readonly reportsTo?: string[];
  readonly fields: HostFields & Record<string, unknown>;
  readonly comments: string[];
  readonly oldNode?: Node;
  readonly single: boolean;
}

export function writeDeployment(inventory: Inventory, existing?: ExistingFile): ImportOutput {
  const old = existing ? readExisting(existing) : undefined;
  const changes: ChangeReport | undefined = old ? { added: [], removed: [], moved: [], differs: [] } : undefined;
  const globals = inventory.todos.filter((t) => !old || !answered(t, old.entries, old.doc));
  const todos: string[] = [...globals];
  const byName = new Map(old?.entries.map((e) => [e.host.name.toLowerCase(), e]) ?? []);

  const singles = inventory.machines.filter((m) => !m.groupable).map((m) => singleEntry(m, byName.get(m.name.toLowerCase()), changes));
  const used = new Set(singles.map((s) => s.name.toLowerCase()));
  const kept = (old?.entries ?? []).filter((e) => !e.host.roles.some((r) => importedRoles.includes(r)));
  for (const k of kept) used.add(k.host.name.toLowerCase());
  if (old && changes) {
    for (const e of old.entries) {
      if (!e.groupable && e.host.roles.some((r) => importedRoles.includes(r)) && !singles.some((s) => s.name.toLowerCase() === e.host.name.toLowerCase())) {
        changes.removed.push(`${e.host.name} (no longer in the source)`);
      }
    }
  }
  const groups = groupEntries(inventory.machines.filter((m) => m.groupable), old?.entries.filter((e) => e.groupable) ?? [], used, changes);

  const known = new Set([...singles, ...groups].map((e) => e.name.toLowerCase()));
  for (const k of kept) known.add(k.host.name.toLowerCase());
  const entries = [...singles, ...groups].map((e) => withoutGone(e, known, changes)).sort((a, b) => roleRank(a.roles) - roleRank(b.roles) || compareNames(a.name, b.name));
  for (const e of entries) for (const c of e.comments) if (c.startsWith('TODO: ')) todos.push(`${e.name}: ${c.slice('TODO: '.length)}`);

  const doc = new Document();
  doc.contents = doc.createNode({});
  const top = doc.contents as YAMLMap;
  const oldTop = old?.doc.contents;
  const schemaNode = isMap(oldTop) ? oldTop.get('$schema', true) : undefined;
  if (schemaNode) top.set('$schema', (schemaNode as Node).clone());
  top.set('managementGroup', inventory.managementGroup);
  const catalogNode = isMap(oldTop) ? oldTop.get('catalog', true) : undefined;
  top.set('catalog', catalogNode ? (catalogNode as Node).clone() : quoted(inventory.catalog));
  for (const key of ['phase', 'features', 'managementAccess']) {
    const node = isMap(oldTop) ? oldTop.get(key, true) : undefined;
    if (node) top.set(key, (node as Node).clone());
  }
  const hosts = doc.createNode([]) as ReturnType<Document['createNode']> & { items: unknown[] };
  for (const e of entries) hosts.items.push(hostNode(doc, e, hosts.items.length > 0));
  for (const k of kept) {
    const node = k.node.clone() as Node;
    pruneNode(node, k.host.name, known, changes, todos);
    node.spaceBefore = hosts.items.length > 0;
    hosts.items.push(node);
  }
  top.set('hosts', hosts);
  const connected = isMap(oldTop) ? oldTop.get('connectedGroups', true) : undefined;
  if (connected) top.set('connectedGroups', (connected as Node).clone());

  const userHeader = (old?.doc.commentBefore ?? '').split('\n').filter((l) => l !== '' && !isGeneratedHeader(l));
  const header = [...inventory.header.map((l) => ` scomfw import: ${l}`), ...globals.map((t) => ` TODO: ${t}`)];
  doc.commentBefore = [...userHeader, ...header].join('\n');
  const yaml = doc.toString({ lineWidth: 0, flowCollectionPadding: false });
  return { yaml, todos, ...(changes ? { changes } : {}), machines: inventory.machines.length, entries: entries.length + kept.length };
}

/** A file-wide TODO the user has since answered in the existing file. */
function answered(todo: string, entries: readonly OldEntry[], doc: Document): boolean {
  const has = (...roles: Role[]) => entries.some((e) => e.host.roles.some((r) => roles.includes(r)));
  const topic = todo.slice(0, todo.indexOf(':'));
  switch (topic) {
    case 'zones':
      return entries.some((e) => e.raw.zone !== undefined);
    case 'domain controllers':
      return has('domain-controller');
    case 'consoles':
      return has('operations-console', 'web-console-browser');
    case 'features':
      return isMap(doc.contents) && doc.contents.has('features');
    case 'acs':
      return has('acs-database');
    default:
      return false;
  }
}

function isGeneratedHeader(line: string): boolean {
  return line.startsWith(' scomfw import:') || line.startsWith(' TODO:');
}

function readExisting(existing: ExistingFile): { doc: Document; entries: OldEntry[] } {
  // The file must validate: merging into a file that does not mean what it says would carry the mistake along.
  const deployment = loadDeployment(existing.text, existing.file);
  if (existing.text.trimStart().startsWith('{')) {
    throw new UserError(`${existing.file}: expected a YAML deployment file to update, found JSON`, undefined, 'an update keeps comments and layout, which JSON has not: write the import to a new YAML file (--out new.yaml) and move your changes over once');
  }
  const doc = parseDocument(existing.text);
  const hostsNode = isMap(doc.contents) ? doc.contents.get('hosts', true) : undefined;
  if (!isSeq(hostsNode)) throw new UserError(`${existing.file}: hosts: expected a YAML list to update`, undefined, 'updates read YAML deployment files; convert a JSON file with scomfw import first');
  const raws = (doc.toJS() as { hosts: Record<string, unknown>[] }).hosts;
  const entries = deployment.hosts.map((host, i): OldEntry => {
    const node = hostsNode.items[i] as Node;
    const imported = host.roles.filter((r) => importedRoles.includes(r));
    const groupable = imported.length > 0 && imported.every((r) => groupableRoles.includes(r));
    const members = membersOf(node.commentBefore ?? '');
    return { host, raw: raws[i] ?? {}, node, groupable, ...(members ? { members } : {}) };
  });
  return { doc, entries };
}

/** The member names of a group entry, when its generated comment lists all of them. */
function membersOf(comment: string): string[] | undefined {
  const lines = comment.split('\n');
  const start = lines.findIndex((l) => /^ ?members \(\d+\):/.test(l));
  if (start < 0) return undefined;
  const count = Number(/members \((\d+)\)/.exec(lines[start]!)![1]);
  const continued = [];
  for (const l of lines.slice(start + 1)) {
    if (!l.startsWith('   ')) break; // wrap() indents continuation lines
    continued.push(l);
  }
  const text = [lines[start]!.replace(/^ ?members \(\d+\):/, ''), ...continued].join(' ');
  if (/ and \d+ more$/.test(text.trim())) return undefined;
  const names = text.split(/[,\s]+/).filter((n) => n !== '');
  return names.length === count ? names : undefined;
}

function singleEntry(m: Machine, old: OldEntry | undefined, changes: ChangeReport | undefined): Entry {
  const fields: HostFields & Record<string, unknown> = { ...m.fields };
  let roles = m.roles;
  let reportsTo = m.reportsTo;
  const comments = [...m.todos];
  if (old) {
    for (const [key, value] of Object.entries(old.raw)) {
      if (importKeys.has(key)) continue;
      const imported = fields[key];
      if (imported !== undefined && JSON.stringify(imported) !== JSON.stringify(value) && changes) {
        changes.differs.push(`${m.name}: the source says ${key} ${JSON.stringify(imported)}, the file keeps ${JSON.stringify(value)}`);
      }
      fields[key] = value;
    }
    roles = sortRoles([...m.roles, ...old.host.roles.filter((r) => !importedRoles.includes(r))]);
    keepsFit(m.name, fields, roles, changes);
    if (!reportsTo && old.host.reportsTo) {
      // The file's reportsTo stays only while a role still carries it (an agent the source now lists as a server only does not).
      if (roles.some((r) => carriersOf('reportsTo').includes(r))) reportsTo = [...old.host.reportsTo];
      else changes?.differs.push(`${m.name}: reportsTo dropped: no role of the host carries it any more`);
    }
    if (changes && !old.host.addresses.equals(m.addresses)) {
      changes.differs.push(`${m.name}: addresses ${addressTextsOf(old.host).join(', ')} become ${m.addresses.toRangeEntries().join(', ')}`);
    }
    if (changes && m.reportsTo && old.host.reportsTo && !sameNames(m.reportsTo, old.host.reportsTo)) {
      changes.moved.push(`${m.name}: reportsTo ${old.host.reportsTo.join(', ')} -> ${m.reportsTo.join(', ')}`);
    }
    for (const key of Object.keys(old.raw)) if (!importKeys.has(key)) dropTodosAbout(comments, key);
  } else if (changes) {
    changes.added.push(m.name);
    if (fields.zone === undefined) comments.push('TODO: zone: new in the source; it is in zone default until you set one');
  }
  return {
    name: m.name,
    addresses: m.addresses,
    roles,
    ...(reportsTo ? { reportsTo } : {}),
    fields,
    comments: [...keptComments(old), ...comments],
    ...(old ? { oldNode: old.node } : {}),
    single: true,
  };
}

/**
 * A kept key the host's new roles cannot carry (an `install` kept on a host SCOM now lists as a server only) is
 * dropped and reported: the loader would refuse it, and the source says the host changed.
 */
function keepsFit(name: string, fields: Record<string, unknown>, roles: readonly Role[], changes: ChangeReport | undefined): void {
  for (const key of Object.keys(fields)) {
    const carriers = key in settingCarriers ? settingCarriers[key as HostSetting] : (['managementServers', 'acsCollectors', 'domainControllers'] as const).includes(key as 'acsCollectors') ? carriersOf(key as Relationship) : undefined;
    if (carriers && !roles.some((r) => carriers.includes(r))) {
      changes?.differs.push(`${name}: ${key} dropped: no role of the host carries it any more`);
      Reflect.deleteProperty(fields, key);
    }
  }
}

const relationshipKeys = ['reportsTo', 'managementServers', 'acsCollectors', 'domainControllers'] as const;

/** An entry whose kept relationships name hosts that are gone: the names go, and a list left empty goes (the default then applies, with a TODO). */
function withoutGone(e: Entry, known: ReadonlySet<string>, changes: ChangeReport | undefined): Entry {
  const fields = { ...e.fields };
  const comments = [...e.comments];
  let reportsTo = e.reportsTo;
  for (const key of relationshipKeys) {
    const list = key === 'reportsTo' ? reportsTo : (fields[key]);
    if (!list) continue;
    const left = list.filter((n) => known.has(n.toLowerCase()));
    if (left.length === list.length) continue;
    changes?.differs.push(`${e.name}: ${key} no longer names ${list.filter((n) => !left.includes(n)).join(', ')} (gone from the source)`);
    const value = left.length > 0 ? left : undefined;
    if (value === undefined) comments.push(`TODO: ${key}: every host it named is gone; the default (all) applies until you name others`);
    if (key === 'reportsTo') reportsTo = value;
    else if (value) fields[key] = value;
    else Reflect.deleteProperty(fields, key);
  }
  return { name: e.name, addresses: e.addresses, roles: e.roles, fields, comments, single: e.single, ...(e.oldNode ? { oldNode: e.oldNode } : {}), ...(reportsTo ? { reportsTo } : {}) };
}

/** The same for a host kept verbatim from the existing file, edited in its YAML node. */
function pruneNode(node: Node, name: string, known: ReadonlySet<string>, changes: ChangeReport | undefined, todos: string[]): void {
  if (!isMap(node)) return;
  for (const key of relationshipKeys) {
    const seq = node.get(key, true);
    if (!isSeq(seq)) continue;
    const gone = seq.items.filter((item) => !known.has(String((item as Scalar).value).toLowerCase()));
    if (gone.length === 0) continue;
    seq.items = seq.items.filter((item) => !gone.includes(item));
    changes?.differs.push(`${name}: ${key} no longer names ${gone.map((g) => String((g as Scalar).value)).join(', ')} (gone from the source)`);
    if (seq.items.length === 0) {
      node.delete(key);
      const todo = `TODO: ${key}: every host it named is gone; the default (all) applies until you name others`;
      node.commentBefore = [node.commentBefore, ` ${todo}`].filter((c) => c).join('\n');
      todos.push(`${name}: ${todo.slice('TODO: '.length)}`);
    }
  }
}

/** A TODO about a key the user has since written is answered: it goes. */
function dropTodosAbout(comments: string[], key: string): void {
  for (let i = comments.length - 1; i >= 0; i--) if (comments[i]!.startsWith(`TODO: ${key}:`)) comments.splice(i, 1);
}

/** The user's own comment lines on an entry; the lines an import generated are written afresh. */
function keptComments(old: OldEntry | undefined): string[] {
  if (!old) return [];
  const lines = (old.node.commentBefore ?? '').split('\n');
  const out: string[] = [];
  let inMembers = false;
  for (const raw of lines) {
    const l = raw.trim();
    if (/^members \(\d+\):/.test(l)) inMembers = true;
    else if (!raw.startsWith('   ')) inMembers = false;
    if (inMembers || l.startsWith('TODO') || l === '') continue;
    out.push(l);
  }
  return out;
}

interface Placed {
  readonly machine: Machine;
  readonly roles: Role[];
  readonly fields: HostFields & Record<string, unknown>;
  readonly from?: OldEntry;
}

function groupEntries(machines: readonly Machine[], olds: readonly OldEntry[], used: Set<string>, changes: ChangeReport | undefined): Entry[] {
  const placed: Placed[] = machines.map((m) => place(m, olds, changes));
  const groups = groupBy(placed, (p) => JSON.stringify([p.roles, p.machine.reportsTo ?? null, Object.entries(p.fields).sort(([a], [b]) => (a < b ? -1 : 1))]));
  if (changes) reportRemovedMembers(olds, machines, changes);
  const ordered = [...groups.values()].sort((a, b) => compareNames(baseName(a[0]!), baseName(b[0]!)));
  return ordered.map((members) => groupEntry(members, used));
}

/** Where a machine sat in the existing file: the group whose addresses hold all of its own, whose hand-written keys it takes. */
function place(m: Machine, olds: readonly OldEntry[], changes: ChangeReport | undefined): Placed {
  const from = olds.find((o) => containsAll(o.host.addresses, m.addresses) && o.host.roles.some((r) => m.roles.includes(r)));
  if (!from) {
    if (changes) changes.added.push(m.name);
    return { machine: m, roles: m.roles, fields: { ...m.fields } };
  }
  const fields: HostFields & Record<string, unknown> = { ...m.fields };
  for (const [key, value] of Object.entries(from.raw)) if (!importKeys.has(key)) fields[key] = value;
  const roles = sortRoles([...m.roles, ...from.host.roles.filter((r) => !importedRoles.includes(r))]);
  keepsFit(m.name, fields, roles, undefined);
  if (changes && m.reportsTo && from.host.reportsTo && !sameNames(m.reportsTo, from.host.reportsTo)) {
    changes.moved.push(`${m.name}: reportsTo ${from.host.reportsTo.join(', ')} -> ${m.reportsTo.join(', ')}`);
  }
  return { machine: m, roles, fields, from };
}

function containsAll(outer: AddressSet, inner: AddressSet): boolean {
  const ranges = inner.ranges();
  if (ranges.length === 1 && ranges[0]!.first === ranges[0]!.last) return outer.contains(ranges[0]!.family, ranges[0]!.first);
  return outer.union(inner).equals(outer);
}

function reportRemovedMembers(olds: readonly OldEntry[], machines: readonly Machine[], changes: ChangeReport): void {
  const names = new Set(machines.map((m) => m.name.toLowerCase()));
  const all = AddressSet.unionAll(machines.map((m) => m.addresses));
  for (const o of olds) {
    if (o.members) {
      for (const n of o.members) if (!names.has(n.toLowerCase())) changes.removed.push(`${n} (was in ${o.host.name})`);
    } else if (!containsAll(all, o.host.addresses)) {
      changes.removed.push(`some addresses of ${o.host.name} (${addressTextsOf(o.host).join(', ')}) hold no machine of the source any more`);
    }
  }
}

function baseName(p: Placed): string {
  const kind = p.roles.includes('unix-agent') ? 'unix-agents' : p.roles.includes('network-device') ? 'network-devices' : 'agents';
  const servers = (p.machine.reportsTo ?? ['all']).map((s) => s.split('.')[0]!.toLowerCase());
  const zone = typeof p.fields.zone === 'string' && p.fields.zone !== 'default' ? [p.fields.zone.toLowerCase()] : [];
  return [kind, ...zone, ...servers].join('-').slice(0, 200);
}

function groupEntry(members: Placed[], used: Set<string>): Entry {
  const first = members[0]!;
  const sources = new Set(members.map((p) => p.from));
  const inherited = sources.size === 1 ? first.from : undefined;
  let name = inherited && !used.has(inherited.host.name.toLowerCase()) ? inherited.host.name : baseName(first);
  if (used.has(name.toLowerCase())) {
    let n = 2;
    while (used.has(`${name}-${n}`.toLowerCase())) n++;
    name = `${name}-${n}`;
  }
  used.add(name.toLowerCase());
  const names = members.map((p) => p.machine.name).sort(compareNames);
  const todos = [...new Set(members.flatMap((p) => p.machine.todos))];
  return {
    name,
    addresses: AddressSet.unionAll(members.map((p) => p.machine.addresses)),
    roles: first.roles,
    ...(first.machine.reportsTo ? { reportsTo: first.machine.reportsTo } : {}),
    fields: first.fields,
    comments: [...keptComments(inherited), ...wrap(`members (${names.length}): ${summarizeNames(names, listedMembers)}`, 110, { indent: '  ' }), ...todos],
    ...(inherited ? { oldNode: inherited.node } : {}),
    single: false,
  };
}

function hostNode(doc: Document, e: Entry, spaced: boolean): Node {
  const entries = e.addresses.toRangeEntries();
  const value: Record<string, unknown> = { ...e.fields, name: e.name, roles: e.roles };
  delete value.address;
  delete value.addresses;
  if (e.single && entries.length === 1) value.address = entries[0];
  else value.addresses = entries;
  if (e.reportsTo) value.reportsTo = e.reportsTo;
  const ordered: Record<string, unknown> = {};
  for (const key of keyOrder) if (value[key] !== undefined) ordered[key] = value[key];
  for (const key of Object.keys(value)) if (!(key in ordered) && value[key] !== undefined) ordered[key] = value[key];
  const node = doc.createNode(ordered) as YAMLMap;
  for (const pair of node.items) if (isSeq(pair.value)) pair.value.flow = true;
  // A kept entry's own comment after its value (`name: x  # note`) stays where the user wrote it.
  if (e.oldNode && isMap(e.oldNode)) {
    for (const pair of e.oldNode.items) {
      const target = node.get(pair.key, true) as Node | undefined;
      const comment = (pair.value as Node | null)?.comment;
      if (target && comment) target.comment = comment;
    }
  }
  if (e.comments.length > 0) node.commentBefore = e.comments.map((c) => ` ${c}`).join('\n');
  node.spaceBefore = spaced;
  return node;
}

function quoted(text: string): Scalar {
  const s = new Scalar(text);
  s.type = Scalar.QUOTE_DOUBLE;
  return s;
}

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x, i) => x.toLowerCase() === b[i]!.toLowerCase());
}

function compareNames(a: string, b: string): number {
  const x = a.toLowerCase();
  const y = b.toLowerCase();
  return x < y ? -1 : x > y ? 1 : 0;
}
