import { Buffer } from 'node:buffer';
import { catalogRevision, defaultOsFor, defaultRevision, features as featureNames, hostOses, linuxPolicies, portSettings, revisions, roles as roleNames } from '../catalog/index.js';
import type { Feature, HostOs, LinuxPolicy, PortSetting, Revision, Role } from '../catalog/index.js';
import { parseAccessEntry } from '../net/access-entry.js';
import { AddressRange, AddressSet } from '../net/index.js';
import { checkOverlaps, checkPlainOverlaps, PlainEntries, plainUsableIPv4, plainUsableIPv4OfBytes } from './addresses.js';
import { checkGatewayChains } from './chains.js';
import { checkCounterparts } from './counterparts.js';
import { jsonLocator } from './locate.js';
import type { Problem } from './problem.js';
import { carriersOf, relationships, roleExistsIn, settingCarriers, targetRolesFor, type HostSetting, type Relationship } from './rules.js';
import { descriptionRule, groupNameRule, hostNameRule, zoneRule } from './text.js';
import type { Deployment, Host, PlanStage } from './types.js';

/**
 * The fast lane for JSON deployment files: one pass over the file's bytes, given whole or read from a source through
 * a window (ByteSource), without a text of the whole file or the object tree JSON.parse makes, straight to the
 * Deployment the general path (readSource, buildDeployment) builds.
 * Repeated zones, role lists and relationship lists are read once and shared by every host that writes them, and
 * the checks that depend only on them run once per distinct list.
 *
 * It takes only the common shape: pure ASCII JSON without escapes; the top-level keys $schema, managementGroup,
 * catalog, phase, features, hosts and managementAccess; host entries whose values are strings, lists of strings,
 * port numbers and booleans; addresses written as plain IPv4 addresses. It never reports an error and never decides
 * anything itself where the general path could decide otherwise: on anything it does not fully understand (another
 * key, a duplicate key, an escape, a non-ASCII byte, a number that is not a plain port, connectedGroups, a CIDR, any
 * failed check) it declines, returning undefined, and the caller reads the file the general way, which decides and
 * words every problem with its position. test/property/fast-json.property.test.ts holds it to that.
 */
export function loadJsonFast(input: Uint8Array | ByteSource, file: string, window: WindowSize = defaultWindow): Deployment | undefined {
  // Positions are kept in Int32Arrays.
  if (input instanceof Uint8Array && input.length >= 2 ** 31) return undefined;
  try {
    return new FastReader(input, window).deployment(file);
  } catch (e) {
    if (e === decline) return undefined;
    throw e;
  }
}

/**
 * Bytes the fast lane reads through a window, as they come (a file, by the CLI): a 22 MB file read whole is 22 MB
 * of fresh memory, which this VM takes 60 ms to fault in (5,400 faults) against 8 ms for the same bytes read into
 * one 1 MB window again and again.
 */
export interface ByteSource {
  /** Reads up to `length` bytes into `into` from `offset` on: how many, 0 once every byte was given. */
  read(into: Uint8Array, offset: number, length: number): number;
  /** About how many bytes there are, to size the tables (0 when not known). */
  readonly size: number;
  /** Every byte, from the first: read only for the positions of warnings. */
  all(): Uint8Array;
}

/** The window's first size, and how many bytes it holds ahead of each host before it is read (tests make both small). */
export interface WindowSize {
  readonly bytes: number;
  readonly ahead: number;
}

const defaultWindow: WindowSize = { bytes: 1 << 20, ahead: 1 << 16 };

/** Thrown (one object, no stack) to leave the fast lane from any depth. */
const decline: unique symbol = Symbol('decline');
function refuse(): never {
  // eslint-disable-next-line @typescript-eslint/only-throw-error -- a sentinel, caught only in loadJsonFast
  throw decline;
}

type Writable<T> = { -readonly [K in keyof T]: T[K] };

const quote = 0x22;
const comma = 0x2c;
const colon = 0x3a;
const openBracket = 0x5b;
const closeBracket = 0x5d;
const openBrace = 0x7b;
const closeBrace = 0x7d;

/** FNV-1a over bytes, for the tables that recognise keys and repeated values without making strings. */
const hashStart = 0x811c9dc5 | 0;
const hashStep = (hash: number, byte: number): number => Math.imul(hash ^ byte, 16777619);

function hashOf(text: string): number {
  let h = hashStart;
  for (let k = 0; k < text.length; k++) h = hashStep(h, text.charCodeAt(k));
  return h;
}

/** A fixed set of words (keys, enum values), recognised from their bytes. */
class Words<T> {
  private readonly byHash = new Map<number, { text: string; value: T }[]>();

  constructor(entries: Iterable<readonly [string, T]>) {
    for (const [text, value] of entries) {
      const h = hashOf(text);
      const list = this.byHash.get(h) ?? [];
      list.push({ text, value });
      this.byHash.set(h, list);
    }
  }

  find(bytes: Uint8Array, start: number, end: number, hash: number): T | undefined {
    const list = this.byHash.get(hash);
    if (!list) return undefined;
    for (const { text, value } of list) if (sameText(bytes, start, end, text)) return value;
    return undefined;
  }
}

function sameText(bytes: Uint8Array, start: number, end: number, text: string): boolean {
  if (end - start !== text.length) return false;
  for (let k = 0; k < text.length; k++) if (bytes[start + k] !== text.charCodeAt(k)) return false;
  return true;
}

/** `bytes` from `at` on begin with all of `spelling`. */
function sameBytes(spelling: Uint8Array, bytes: Uint8Array, at: number): boolean {
  if (at + spelling.length > bytes.length) return false;
  for (let k = 0; k < spelling.length; k++) if (bytes[at + k] !== spelling[k]) return false;
  return true;
}

/**
 * Values read once per distinct spelling: an entry keeps a copy of its first spelling's bytes, since the file is
 * read through a window and the bytes it was read from are gone by the time the value is written again.
 */
interface Spelt {
  readonly spelling: Uint8Array;
}

class Repeats<T extends Spelt> {
  private readonly byHash = new Map<number, T[]>();

  find(bytes: Uint8Array, start: number, end: number, hash: number): T | undefined {
    const list = this.byHash.get(hash);
    if (!list) return undefined;
    for (const entry of list) if (entry.spelling.length === end - start && sameBytes(entry.spelling, bytes, start)) return entry;
    return undefined;
  }

  add(hash: number, entry: T): T {
    const list = this.byHash.get(hash);
    if (list) list.push(entry);
    else this.byHash.set(hash, [entry]);
    return entry;
  }
}

const enum TopKey {
  Schema,
  ManagementGroup,
  Catalog,
  Phase,
  Features,
  Hosts,
  ManagementAccess,
}

const topKeys = new Words<TopKey>([
  ['$schema', TopKey.Schema],
  ['managementGroup', TopKey.ManagementGroup],
  ['catalog', TopKey.Catalog],
  ['phase', TopKey.Phase],
  ['features', TopKey.Features],
  ['hosts', TopKey.Hosts],
  ['managementAccess', TopKey.ManagementAccess],
]);

/** The keys of a host entry, each a bit of the entry's key mask (a key seen twice is refused). */
const hostKeyNames = [
  'name', 'description', 'address', 'addresses', 'zone', 'roles', 'os', 'linuxPolicy',
  ...portSettings,
  'sqlBrowser', 'webConsoleTls', 'install', 'domain', 'authentication', 'managementServerInitiatesConnection',
  ...relationships,
] as const;
type HostKey = (typeof hostKeyNames)[number];
/** For the test that keeps the fast lane's keys within hostSchema's. */
export const fastJsonHostKeys: readonly string[] = hostKeyNames;
const hostKeys = new Words<number>(hostKeyNames.map((k, i) => [k, i] as const));
/** Each host key as a JSON string's bytes, quotes included. */
const quotedHostKeys = hostKeyNames.map((k) => Uint8Array.from(`"${k}"`, (c) => c.charCodeAt(0)));
const bit = (key: HostKey): number => 1 << hostKeyNames.indexOf(key);
const isHostSetting = (key: string): key is HostSetting => Object.hasOwn(settingCarriers, key);
/** The keys the roles of a host must carry (settings and relationships), as mask bits with their carriers. */
const carriedKeys = hostKeyNames.flatMap((key) => {
  if (isHostSetting(key)) return [{ mask: bit(key), carriers: settingCarriers[key] }];
  if (isRelationship(key)) return [{ mask: bit(key), carriers: carriersOf(key) }];
  return [];
});
function isRelationship(key: string): key is Relationship {
  return (relationships as readonly string[]).includes(key);
}

const roleWords = new Words<Role>(roleNames.map((r) => [r, r] as const));
const osWords = new Words<HostOs>(hostOses.map((o) => [o, o] as const));
const policyWords = new Words<LinuxPolicy>(linuxPolicies.map((p) => [p, p] as const));
const installWords = new Words<'push' | 'manual'>([['push', 'push'], ['manual', 'manual']]);
const authenticationWords = new Words<'kerberos' | 'certificate'>([['kerberos', 'kerberos'], ['certificate', 'certificate']]);
const revisionWords = new Words<Revision>(revisions.map((r) => [r, r] as const));
const phaseWords = new Words<PlanStage>([['install', 'install'], ['operate', 'operate']]);
const featureWords = new Words<Feature>(featureNames.map((f) => [f, f] as const));

/** A distinct roles list: the shared list, and what is known of it once. */
interface RolesEntry extends Spelt {
  readonly id: number;
  readonly roles: readonly Role[];
  readonly defaultOs: HostOs;
  /** Key masks already found carried by these roles. */
  readonly carried: Map<number, boolean>;
}

/** A distinct list of names (a relationship), with its resolutions by relationship and roles. */
interface NamesEntry extends Spelt {
  readonly names: readonly string[];
  readonly keys: readonly string[];
  /** By relationship, then by the roles of the host that writes it. */
  readonly resolved: Partial<Record<Relationship, Map<RolesEntry, Resolved>>>;
}

interface Resolved {
  readonly names: readonly string[];
  readonly targets: readonly number[];
}

interface TextEntry extends Spelt {
  readonly text: string;
  /** The spelling with its quotes. */
  readonly quoted: Uint8Array;
}

/**
 * The hosts' names, compared regardless of case (ASCII only here, where that is what toLowerCase does): an
 * open-addressing table over typed arrays, so 150,000 names need neither lower-case copies nor Map entries. A name
 * is hashed from the file's bytes and kept as the host's name string (the file is read through a window, and the
 * strings are kept by the hosts anyway: copying each name's bytes cost 10 ms of 15,000 agents' cold start).
 */
class NameTable {
  /** Slot k: slots[2k] the host index + 1 (0: free), slots[2k + 1] its name's hash, side by side for one cache miss. */
  private slots: Int32Array;
  private count = 0;
  /** Each host's name, by index. */
  private readonly names: string[] = [];

  /** Sized for `hosts` hosts, so that it seldom grows. */
  constructor(expected: number) {
    const hosts = Math.max(256, 2 ** Math.ceil(Math.log2(expected)));
    this.slots = new Int32Array(hosts * 4);
  }

  /** The index of the host with this name, or -1. */
  find(name: string): number {
    let hash = hashStart;
    for (let k = 0; k < name.length; k++) hash = hashStep(hash, folded(name.charCodeAt(k)));
    const { slots } = this;
    const mask = slots.length - 2;
    for (let at = (hash << 1) & mask; ; at = (at + 2) & mask) {
      const slot = slots[at]!;
      if (slot === 0) return -1;
      if (slots[at + 1] === hash && sameFolded(this.names[slot - 1]!, name)) return slot - 1;
    }
  }

  /** Adds host `index` (the next one) under `name`, which is bytes[start, end); false when another host has it. */
  add(index: number, name: string, bytes: Uint8Array, start: number, end: number): boolean {
    // One hash and one probe: the free slot that ends the search for the name is where it goes.
    let hash = hashStart;
    for (let k = start; k < end; k++) hash = hashStep(hash, folded(bytes[k]!));
    const { slots } = this;
    const mask = slots.length - 2;
    let at = (hash << 1) & mask;
    for (; slots[at] !== 0; at = (at + 2) & mask) if (slots[at + 1] === hash && sameFolded(this.names[slots[at]! - 1]!, name)) return false;
    this.names[index] = name;
    slots[at] = index + 1;
    slots[at + 1] = hash;
    if (++this.count * 4 > slots.length) this.rehash();
    return true;
  }

  private rehash(): void {
    const old = this.slots;
    const slots = (this.slots = new Int32Array(old.length * 2));
    const mask = slots.length - 2;
    for (let k = 0; k < old.length; k += 2) {
      if (old[k] === 0) continue;
      let at = (old[k + 1]! << 1) & mask;
      while (slots[at] !== 0) at = (at + 2) & mask;
      slots[at] = old[k]!;
      slots[at + 1] = old[k + 1]!;
    }
  }
}

/** The two names are the same regardless of case (ASCII letters). */
function sameFolded(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (folded(a.charCodeAt(k)) !== folded(b.charCodeAt(k))) return false;
  return true;
}

/**
 * The bytes [start, end) are a name hostNameRule.pattern takes (1 to 253 of A-Z a-z 0-9 . _ -, a letter, digit or
 * "_" at both ends, no ".."), seen without a string or the pattern; false leaves the verdict to the pattern.
 */
function plainHostName(bytes: Uint8Array, start: number, end: number): boolean {
  const length = end - start;
  if (length < 1 || length > 253 || !nameEnd(bytes[start]!) || !nameEnd(bytes[end - 1]!)) return false;
  for (let k = start + 1; k < end - 1; k++) {
    const c = bytes[k]!;
    if (c === dot ? bytes[k + 1] === dot : c !== hyphen && !nameEnd(c)) return false;
  }
  return true;
}

const dot = 0x2e;
const hyphen = 0x2d;
const nameEnd = (c: number): boolean => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f;

const folded = (c: number): number => (c >= 0x41 && c <= 0x5a ? c | 0x20 : c);

function grown(list: Int32Array): Int32Array {
  const out = new Int32Array(list.length * 2);
  out.set(list);
  return out;
}

/** The same bytes as a Buffer, for its text decoding. */
function viewOf(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const noValues: readonly number[] = [];

/** Most hosts write no port setting: they share one frozen empty record, as the general path's hosts do. */
const noPorts: Host['ports'] = Object.freeze({});

/**
 * Reads the deployment from `bytes`, the window: the file's bytes from some point on, and nothing past them (a read
 * past the window's end finds undefined, as past a file's end). Positions are the window's. The window moves
 * (slide) or grows (widen) only between values read whole (`whole`): nothing keeps a position across them; a value
 * read twice keeps its own copy of its bytes (Spelt), and the name table the hosts' name strings.
 */
class FastReader {
  private i = 0;
  private bytes: Uint8Array;
  private text: Buffer;
  /** Where the window's bytes are held; `bytes` is its part that holds the file's. */
  private room: Uint8Array;
  private readonly source: ByteSource | undefined;
  /** Every byte of the file was read into the window. */
  private eof: boolean;
  /** The last string read: its content's bounds. */
  private s = 0;
  private e = 0;

  private bounds: Int32Array = new Int32Array(64);
  private readonly zones = new Repeats<TextEntry>();
  private readonly roleLists = new Repeats<RolesEntry>();
  private readonly rolesInUse: RolesEntry[] = [];
  private readonly nameLists = new Repeats<NamesEntry>();
  private readonly hosts: Host[] = [];
  private readonly hostRoles: RolesEntry[] = [];
  private readonly names: NameTable;
  /** The relationship lists to resolve once every name is known: host index, relationship, list. */
  private readonly pending = new Pending();
  /** Settings that catalog 2016-08 refuses, seen somewhere (the catalog may come after the hosts). */
  private refusedBy2016 = false;
  /** The zone, roles and name list read last (a list of any relationship), to compare the next host's with first. */
  private lastZone: TextEntry | undefined;
  private lastRoles: RolesEntry | undefined;
  private lastNames: NamesEntry | undefined;
  /** The roles and key mask last found carried. */
  private lastCarried: { entry: RolesEntry | undefined; mask: number } = { entry: undefined, mask: 0 };
  /** The host keys in the order the host before wrote them. */
  private readonly keyOrder: number[] = [];
  /** Every address entry's value as read, for the overlap check (undefined once there are too many for it). */
  private entries: PlainEntries | undefined;

  constructor(
    input: Uint8Array | ByteSource,
    private readonly window: WindowSize,
  ) {
    const size = input instanceof Uint8Array ? input.length : input.size;
    // A host per 100 bytes of file (generated agents take about 145): the tables seldom grow.
    this.names = new NameTable(size / 100);
    this.entries = new PlainEntries(Math.max(1024, Math.ceil(size / 100)));
    if (input instanceof Uint8Array) {
      this.source = undefined;
      this.room = this.bytes = input;
      this.eof = true;
    } else {
      this.source = input;
      this.room = new Uint8Array(Math.max(1, window.bytes));
      this.bytes = this.room.subarray(0, 0);
      this.eof = false;
      this.fill(0);
    }
    this.text = viewOf(this.bytes);
  }

  /**
   * Runs `read` from the next token on; when it declines before the file's end is in the window, the window may
   * have cut the value: it is read again from its start in a window twice as large. White space before the token
   * is skipped here, since the read before may have been cut in the middle of it.
   */
  private whole<T>(read: () => T): T {
    for (;;) {
      this.ensureAhead();
      const start = this.i;
      try {
        this.ws();
        return read();
      } catch (e) {
        if (e !== decline || this.eof) throw e;
        this.i = start;
        this.widen();
      }
    }
  }

  /** At least `window.ahead` bytes ahead, or the file's end. */
  private ensureAhead(): void {
    if (!this.eof && this.bytes.length - this.i < this.window.ahead) this.slide();
  }

  /** The bytes from the position on moved to the window's start, and the room after them filled from the source. */
  private slide(): void {
    const kept = this.bytes.length - this.i;
    this.room.copyWithin(0, this.i, this.bytes.length);
    this.i = 0;
    this.fill(kept);
  }

  /** A window twice as large, holding the bytes from the position on and as many more as fit. */
  private widen(): void {
    const kept = this.bytes.subarray(this.i);
    this.room = new Uint8Array(2 * this.room.length);
    this.room.set(kept);
    this.i = 0;
    this.fill(kept.length);
  }

  /** Fills the room after its first `held` bytes from the source, to the room's end or the file's. */
  private fill(held: number): void {
    let n = held;
    while (n < this.room.length) {
      const got = this.source!.read(this.room, n, this.room.length - n);
      if (got === 0) {
        this.eof = true;
        break;
      }
      n += got;
    }
    this.bytes = this.room.subarray(0, n);
    this.text = viewOf(this.bytes);
  }

  /** Only white space is left in the file. */
  private atEnd(): boolean {
    for (;;) {
      this.ws();
      if (this.i < this.bytes.length) return false;
      if (this.eof) return true;
      this.slide();
    }
  }

  /** The file's bytes, all of them (for the positions of warnings). */
  private everything(): Uint8Array {
    return this.source ? this.source.all() : this.bytes;
  }

  deployment(file: string): Deployment {
    let managementGroup: string | undefined;
    let catalog: Revision = defaultRevision;
    let phase: PlanStage = 'install';
    const features = Object.fromEntries(featureNames.map((f) => [f, false])) as Record<Feature, boolean>;
    let hostsSeen = false;
    let access: string[] = [];
    let seen = 0;
    this.whole(() => {
      this.ws();
      this.expect(openBrace);
      this.ws();
      if (this.bytes[this.i] === closeBrace) refuse();
    });
    for (;;) {
      // Each value is read whole, but the hosts, which are read one by one.
      const key = this.whole(() => {
        this.string();
        const found = topKeys.find(this.bytes, this.s, this.e, this.stringHash());
        if (found === undefined || seen & (1 << found)) refuse();
        this.ws();
        this.expect(colon);
        this.ws();
        return found;
      });
      seen |= 1 << key;
      switch (key) {
        case TopKey.Schema:
          this.whole(() => { this.string(); });
          break;
        case TopKey.ManagementGroup:
          managementGroup = this.whole(() => {
            this.string();
            const name = this.slice();
            if (!groupNameRule.pattern.test(name)) refuse();
            return name;
          });
          break;
        case TopKey.Catalog:
          catalog = this.whole(() => this.word(revisionWords));
          break;
        case TopKey.Phase:
          phase = this.whole(() => this.word(phaseWords));
          break;
        case TopKey.Features:
          this.whole(() => { this.features(features); });
          break;
        case TopKey.Hosts:
          this.hostList();
          hostsSeen = true;
          break;
        case TopKey.ManagementAccess:
          access = this.whole(() => this.accessList());
          break;
      }
      if (this.whole(() => this.next(closeBrace))) break;
    }
    if (!this.atEnd()) refuse();
    if (managementGroup === undefined || !hostsSeen) refuse();
    this.resolveRelationships();
    this.checkCatalog(catalog, features);
    const problems: Problem[] = [];
    checkGatewayChains(this.hosts, problems);
    if (problems.length > 0) refuse();
    const deployment: Deployment = { managementGroup, catalog, phase, features, hosts: this.hosts, connectedGroups: [], ...(access.length > 0 ? { managementAccess: access } : {}), file };
    const warnings: Problem[] = [];
    checkCounterparts(deployment, problems, warnings);
    if (problems.length > 0) refuse();
    if (this.entries) checkPlainOverlaps(this.hosts, this.entries, warnings);
    else checkOverlaps(deployment, warnings);
    return warnings.length === 0 ? deployment : { ...deployment, warnings: jsonLocator(viewOf(this.everything()).toString('latin1'), file)(warnings) };
  }

  /** What depends on the catalog and features, which the file may give after the hosts. */
  private checkCatalog(catalog: Revision, features: Readonly<Record<Feature, boolean>>): void {
    if (catalog === '2016-08' && this.refusedBy2016) refuse();
    let catalogHost = false;
    for (const entry of this.rolesInUse) {
      for (const role of entry.roles) {
        if (!roleExistsIn(role, catalog)) refuse();
        if (role === 'management-pack-catalog') {
          if (!features.managementPackCatalog) refuse();
          catalogHost = true;
        }
      }
    }
    const revision = catalogRevision(catalog);
    const planned = new Set([...revision.rows, ...revision.ownRows].map((r) => r.feature));
    for (const f of featureNames) if (features[f] && !planned.has(f)) refuse();
    if (features.managementPackCatalog && !catalogHost) refuse();
  }

  private features(into: Record<Feature, boolean>): void {
    this.expect(openBrace);
    this.ws();
    if (this.empty(closeBrace)) return;
    const seen = new Set<Feature>();
    for (;;) {
      this.string();
      const f = featureWords.find(this.bytes, this.s, this.e, this.stringHash());
      if (f === undefined || seen.has(f)) refuse();
      seen.add(f);
      this.ws();
      this.expect(colon);
      this.ws();
      into[f] = this.boolean();
      if (this.next(closeBrace)) return;
    }
  }

  private accessList(): string[] {
    const out: string[] = [];
    this.expect(openBracket);
    this.ws();
    if (this.empty(closeBracket)) return out;
    for (;;) {
      this.string();
      const text = this.slice();
      try {
        parseAccessEntry(text);
      } catch {
        refuse();
      }
      out.push(text.trim());
      if (this.next(closeBracket)) return out;
    }
  }

  private hostList(): void {
    this.whole(() => {
      this.expect(openBracket);
      this.ws();
      if (this.bytes[this.i] === closeBracket) refuse();
    });
    // Not whole(read) for each host: no closure per host, and the host, which is added to the tables only once
    // read to its end, is the unit read again; the comma after it another.
    for (;;) {
      this.ensureAhead();
      const start = this.i;
      try {
        this.ws();
        this.host();
      } catch (e) {
        if (e !== decline || this.eof) throw e;
        this.i = start;
        this.widen();
        continue;
      }
      if (this.whole(this.afterHost)) return;
    }
  }

  private readonly afterHost = (): boolean => this.next(closeBracket);

  /** One host entry, checked as far as it goes alone; its relationships are resolved when every name is known. */
  private host(): void {
    const bytes = this.bytes;
    const index = this.hosts.length;
    let seen = 0;
    let name: string | undefined;
    let nameStart = 0;
    let nameEnd = 0;
    let addressTexts: readonly string[] | undefined;
    let addresses: AddressSet | undefined;
    /** The address entries' values, for the overlap check once the host is taken. */
    let values: number | readonly number[] = noValues;
    let zone = 'default';
    let rolesEntry: RolesEntry | undefined;
    let os: HostOs | undefined;
    let linuxPolicy: LinuxPolicy | undefined;
    let ports: Partial<Record<PortSetting, number>> | undefined;
    let sqlBrowser: boolean | undefined;
    let webConsoleTls: boolean | undefined;
    let install: 'push' | 'manual' | undefined;
    let domain: string | undefined;
    let authentication: 'kerberos' | 'certificate' | undefined;
    let initiates: boolean | undefined;
    let reportsTo: NamesEntry | undefined;
    let managementServers: NamesEntry | undefined;
    let acsCollectors: NamesEntry | undefined;
    let domainControllers: NamesEntry | undefined;
    this.expect(openBrace);
    this.ws();
    if (bytes[this.i] === closeBrace) refuse();
    for (let position = 0; ; position++) {
      const key = this.hostKey(position);
      if (key === undefined || seen & (1 << key)) refuse();
      seen |= 1 << key;
      this.ws();
      this.expect(colon);
      this.ws();
      const which = hostKeyNames[key]!;
      switch (which) {
        case 'name':
          this.string();
          name = this.slice();
          if (!plainHostName(bytes, this.s, this.e) && !hostNameRule.pattern.test(name)) refuse();
          nameStart = this.s;
          nameEnd = this.e;
          break;
        case 'description':
          this.string();
          if (!descriptionRule.pattern.test(this.slice())) refuse();
          break;
        case 'address': {
          this.string();
          const value = plainUsableIPv4OfBytes(bytes, this.s, this.e);
          if (value === undefined) refuse();
          // No list of the text: the set gives it back (Host.addressTexts).
          addresses = AddressSet.singleV4(value);
          values = value;
          break;
        }
        case 'addresses': {
          const texts = this.items(this.stringList()).map(([s, e]) => this.slice(s, e));
          const each = texts.map((t) => {
            const value = plainUsableIPv4(t);
            if (value === undefined) refuse();
            return value;
          });
          addressTexts = texts;
          addresses = AddressSet.of(each.map((value) => AddressRange.of(4, BigInt(value), BigInt(value))));
          values = each;
          break;
        }
        case 'zone':
          zone = this.zone();
          break;
        case 'roles':
          rolesEntry = this.roles();
          break;
        case 'os':
          os = this.word(osWords);
          break;
        case 'linuxPolicy':
          linuxPolicy = this.word(policyWords);
          break;
        case 'sqlBrowser':
          sqlBrowser = this.boolean();
          break;
        case 'webConsoleTls':
          webConsoleTls = this.boolean();
          break;
        case 'install':
          install = this.word(installWords);
          break;
        case 'domain':
          this.string();
          domain = this.slice();
          if (!hostNameRule.pattern.test(domain)) refuse();
          domain = domain.toLowerCase();
          break;
        case 'authentication':
          authentication = this.word(authenticationWords);
          break;
        case 'managementServerInitiatesConnection':
          initiates = this.boolean();
          break;
        case 'reportsTo':
          reportsTo = this.nameList();
          break;
        case 'managementServers':
          managementServers = this.nameList();
          break;
        case 'acsCollectors':
          acsCollectors = this.nameList();
          break;
        case 'domainControllers':
          domainControllers = this.nameList();
          break;
        default:
          (ports ??= {})[which] = this.port();
      }
      if (this.next(closeBrace)) break;
    }
    if (name === undefined || rolesEntry === undefined || addresses === undefined) refuse();
    if (seen & bit('address') && seen & bit('addresses')) refuse();
    if (!this.carried(rolesEntry, seen)) refuse();
    const roles = rolesEntry.roles;
    if (sqlBrowser === true && ports?.sqlPort === undefined) refuse();
    if (seen & bit('domain') || authentication === 'certificate' || sqlBrowser === true || install === 'push') this.refusedBy2016 = true;
    if (os === 'windows' && roles.includes('unix-agent')) refuse();
    if (os !== undefined && os !== 'windows' && install === 'push' && roles.includes('agent')) refuse();
    // From here on nothing declines: the host is taken (a host cut off by the window is read again from its start).
    if (!this.names.add(index, name, bytes, nameStart, nameEnd)) refuse();
    if (typeof values === 'number') this.entry(values, index, 0);
    else values.forEach((value, k) => { this.entry(value, index, k); });
    const os_ = os ?? rolesEntry.defaultOs;
    const hostPorts = ports ? inSettingOrder(ports) : noPorts;
    const plainAgent = addressTexts === undefined && reportsTo && !managementServers && !acsCollectors && !domainControllers && install === undefined && domain === undefined && authentication === undefined && linuxPolicy === undefined && initiates === undefined;
    // An agent with one address and only reportsTo (most of 150,000) gets it in the literal: a property added later would need a
    // second allocation per host. The key order is the general path's either way.
    const host: Writable<Host> = plainAgent && reportsTo
      ? { name, addresses, zone, roles, os: os_, ports: hostPorts, sqlBrowser: sqlBrowser ?? false, webConsoleTls: webConsoleTls ?? false, reportsTo: this.pend(index, 'reportsTo', reportsTo) }
      : { name, addresses, zone, roles, os: os_, ports: hostPorts, sqlBrowser: sqlBrowser ?? false, webConsoleTls: webConsoleTls ?? false };
    if (!plainAgent) {
      if (addressTexts !== undefined) host.addressTexts = addressTexts;
      if (install !== undefined) host.install = install;
      if (domain !== undefined) host.domain = domain;
      if (authentication !== undefined) host.authentication = authentication;
      if (linuxPolicy !== undefined) host.linuxPolicy = linuxPolicy;
      if (initiates !== undefined) host.managementServerInitiatesConnection = initiates;
      // The names as written for now (named stores, in the general path's key order): resolved and checked once
      // every host is known.
      if (reportsTo) host.reportsTo = this.pend(index, 'reportsTo', reportsTo);
      if (managementServers) host.managementServers = this.pend(index, 'managementServers', managementServers);
      if (acsCollectors) host.acsCollectors = this.pend(index, 'acsCollectors', acsCollectors);
      if (domainControllers) host.domainControllers = this.pend(index, 'domainControllers', domainControllers);
    }
    this.hosts.push(host);
    this.hostRoles.push(rolesEntry);
  }

  /**
   * The host key at this position of the entry: first tried as the key the host before had there (its quoted bytes
   * ahead), since hosts mostly write their keys in one order, then read and looked up.
   */
  private hostKey(position: number): number | undefined {
    const predicted = this.keyOrder[position];
    if (predicted !== undefined && this.quotedAhead(quotedHostKeys[predicted]!)) return predicted;
    this.string();
    const key = hostKeys.find(this.bytes, this.s, this.e, this.stringHash());
    if (key !== undefined) this.keyOrder[position] = key;
    return key;
  }

  /**
   * True (and past them) when these bytes are ahead: a key's quoted name, or a value read whole before (hosts mostly
   * write the zone, roles and reportsTo of the host before them, which is then neither scanned nor looked up again).
   */
  private quotedAhead(text: Uint8Array): boolean {
    if (!sameBytes(text, this.bytes, this.i)) return false;
    this.i += text.length;
    return true;
  }

  private entry(value: number, host: number, k: number): void {
    if (this.entries && !this.entries.add(value, host, k)) this.entries = undefined;
  }

  private pend(index: number, relationship: Relationship, list: NamesEntry): readonly string[] {
    this.pending.add(index, relationship, list);
    return list.names;
  }

  /** Every key of the mask that a role must carry is carried by one of these roles. */
  private carried(entry: RolesEntry, mask: number): boolean {
    const relevant = mask & carriedMask;
    if (relevant === 0) return true;
    // Most hosts are like the one before: no Map look-up for them.
    if (entry === this.lastCarried.entry && relevant === this.lastCarried.mask) return true;
    let known = entry.carried.get(relevant);
    if (known === undefined) {
      known = carriedKeys.every((k) => !(relevant & k.mask) || k.carriers.some((r) => entry.roles.includes(r)));
      entry.carried.set(relevant, known);
    }
    if (known) this.lastCarried = { entry, mask: relevant };
    return known;
  }

  /** Each relationship list's names: defined hosts, not the host itself, each once, of the roles the relationship wants. */
  private resolveRelationships(): void {
    const { hosts: hostIndexes, relationships: rels, lists, count } = this.pending;
    // The resolution last used, for the next host with the same list, relationship and roles (most of them).
    let last: { list: NamesEntry; code: number; rolesEntry: RolesEntry; resolved: Resolved } | undefined;
    for (let p = 0; p < count; p++) {
      const index = hostIndexes[p]!;
      const relationship = relationships[rels[p]!]!;
      const list = lists[p]!;
      const rolesEntry = this.hostRoles[index]!;
      let resolved: Resolved;
      if (last && last.list === list && last.code === rels[p] && last.rolesEntry === rolesEntry) resolved = last.resolved;
      else {
        const memo = (list.resolved[relationship] ??= new Map<RolesEntry, Resolved>());
        let found = memo.get(rolesEntry);
        if (!found) memo.set(rolesEntry, (found = this.resolve(list, relationship, rolesEntry.roles)));
        resolved = found;
        last = { list, code: rels[p]!, rolesEntry, resolved };
      }
      if (resolved.targets.includes(index) && !(relationship === 'managementServers' && rolesEntry.roles.includes('management-server'))) refuse();
      const host = this.hosts[index] as Writable<Host>;
      if (relationship === 'reportsTo') host.reportsTo = resolved.names;
      else if (relationship === 'managementServers') host.managementServers = resolved.names;
      else if (relationship === 'acsCollectors') host.acsCollectors = resolved.names;
      else host.domainControllers = resolved.names;
    }
  }

  private resolve(list: NamesEntry, relationship: Relationship, roles: readonly Role[]): Resolved {
    const wanted = targetRolesFor(relationship, roles);
    const targets = list.keys.map((key, i) => {
      const target = this.names.find(list.names[i]!);
      if (target < 0 || list.keys.indexOf(key) < i) refuse();
      if (wanted.length > 0 && !this.hostRoles[target]!.roles.some((r) => wanted.includes(r))) refuse();
      return target;
    });
    return { names: targets.map((t) => this.hosts[t]!.name), targets };
  }

  private zone(): string {
    const last = this.lastZone;
    // Quotes included: the same bytes are the same string, read and checked before.
    if (last && this.quotedAhead(last.quoted)) return last.text;
    this.string();
    const hash = this.stringHash();
    const found = this.zones.find(this.bytes, this.s, this.e, hash);
    if (found) return (this.lastZone = found).text;
    const text = this.slice();
    if (!zoneRule.pattern.test(text)) refuse();
    return (this.lastZone = this.zones.add(hash, { spelling: this.bytes.slice(this.s, this.e), quoted: this.bytes.slice(this.s - 1, this.e + 1), text })).text;
  }


  private roles(): RolesEntry {
    const last = this.lastRoles;
    if (last && this.quotedAhead(last.spelling)) return last;
    return (this.lastRoles = this.readRoles());
  }

  private readRoles(): RolesEntry {
    const start = this.i;
    const count = this.stringList();
    const end = this.i;
    const hash = this.spanHash(start, end);
    const found = this.roleLists.find(this.bytes, start, end, hash);
    if (found) return found;
    const roles = this.items(count).map(([s, e]) => {
      const role = roleWords.find(this.bytes, s, e, this.spanHash(s, e));
      if (role === undefined) refuse();
      return role;
    });
    if (roles.some((r, k) => roles.indexOf(r) < k)) refuse();
    const entry: RolesEntry = { spelling: this.bytes.slice(start, end), id: this.rolesInUse.length, roles, defaultOs: defaultOsFor(roles), carried: new Map() };
    this.rolesInUse.push(entry);
    return this.roleLists.add(hash, entry);
  }

  private nameList(): NamesEntry {
    const last = this.lastNames;
    if (last && this.quotedAhead(last.spelling)) return last;
    return (this.lastNames = this.readNameList());
  }

  private readNameList(): NamesEntry {
    const start = this.i;
    const count = this.stringList();
    const end = this.i;
    const hash = this.spanHash(start, end);
    const found = this.nameLists.find(this.bytes, start, end, hash);
    if (found) return found;
    const items = this.items(count);
    const names = items.map(([s, e]) => this.slice(s, e));
    if (!names.every((n) => hostNameRule.pattern.test(n))) refuse();
    return this.nameLists.add(hash, { spelling: this.bytes.slice(start, end), names, keys: names.map((n) => n.toLowerCase()), resolved: {} });
  }

  /**
   * A non-empty list of strings: how many, each string's content bounds left in `bounds` (no garbage for the lists
   * that repeat, which most do).
   */
  private stringList(): number {
    let count = 0;
    this.expect(openBracket);
    this.ws();
    if (this.bytes[this.i] === closeBracket) refuse();
    for (;;) {
      this.string();
      if (2 * count + 1 >= this.bounds.length) this.bounds = grown(this.bounds);
      this.bounds[2 * count] = this.s;
      this.bounds[2 * count + 1] = this.e;
      count++;
      if (this.next(closeBracket)) return count;
    }
  }

  /** The bounds of the strings of the list just read. */
  private items(count: number): [number, number][] {
    return Array.from({ length: count }, (_, k) => [this.bounds[2 * k]!, this.bounds[2 * k + 1]!]);
  }

  private spanHash(start: number, end: number): number {
    let h = hashStart;
    for (let k = start; k < end; k++) h = hashStep(h, this.bytes[k]!);
    return h;
  }

  /** A string that must be one of `words`. */
  private word<T>(words: Words<T>): T {
    this.string();
    const found = words.find(this.bytes, this.s, this.e, this.stringHash());
    if (found === undefined) refuse();
    return found;
  }

  /** A port: 1 to 65535 in plain digits. */
  private port(): number {
    const bytes = this.bytes;
    let value = 0;
    const start = this.i;
    if (bytes[start] === 0x30) refuse();
    while (this.i < this.bytes.length) {
      const c = bytes[this.i]!;
      if (c < 0x30 || c > 0x39) break;
      value = value * 10 + (c - 0x30);
      if (++this.i - start > 5) refuse();
    }
    if (this.i === start || value > 65535) refuse();
    return value;
  }

  private boolean(): boolean {
    const bytes = this.bytes;
    const i = this.i;
    if (bytes[i] === 0x74 && bytes[i + 1] === 0x72 && bytes[i + 2] === 0x75 && bytes[i + 3] === 0x65) {
      this.i += 4;
      return true;
    }
    if (bytes[i] === 0x66 && bytes[i + 1] === 0x61 && bytes[i + 2] === 0x6c && bytes[i + 3] === 0x73 && bytes[i + 4] === 0x65) {
      this.i += 5;
      return false;
    }
    return refuse();
  }

  /**
   * A string of printable ASCII without escapes (anything else is refused): sets its content's bounds. No hash:
   * most strings are names and addresses, which no table finds by one (callers that need it take spanHash).
   */
  private string(): void {
    const bytes = this.bytes;
    if (bytes[this.i] !== quote) refuse();
    let j = this.i + 1;
    for (;;) {
      if (j >= this.bytes.length) refuse();
      const c = bytes[j]!;
      if (c === quote) break;
      if (c < 0x20 || c > 0x7e || c === 0x5c) refuse();
      j++;
    }
    this.s = this.i + 1;
    this.e = j;
    this.i = j + 1;
  }

  /** The hash of the last string read, for the tables of words and repeated values. */
  private stringHash(): number {
    return this.spanHash(this.s, this.e);
  }

  private slice(start = this.s, end = this.e): string {
    // The bytes are ASCII here, so this is the string JSON.parse would make.
    return this.text.toString('latin1', start, end);
  }

  private ws(): void {
    const bytes = this.bytes;
    let i = this.i;
    for (;;) {
      const c = bytes[i];
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
      i++;
    }
    this.i = i;
  }

  private expect(byte: number): void {
    if (this.bytes[this.i] !== byte) refuse();
    this.i++;
  }

  /** At the start of an object or list: true (and past it) when `close` ends it at once. */
  private empty(close: number): boolean {
    if (this.bytes[this.i] !== close) return false;
    this.i++;
    return true;
  }

  /** After a member or item: a comma (true: go on, false) or `close` (true: done); anything else is refused. */
  private next(close: number): boolean {
    this.ws();
    const c = this.bytes[this.i];
    if (c === comma) {
      this.i++;
      this.ws();
      return false;
    }
    if (c === close) {
      this.i++;
      return true;
    }
    return refuse();
  }
}

/** The relationship lists to resolve once every name is known: host index, relationship (its number), list. */
class Pending {
  hosts: Int32Array = new Int32Array(1024);
  relationships = new Uint8Array(1024);
  readonly lists: NamesEntry[] = [];
  count = 0;

  add(host: number, relationship: Relationship, list: NamesEntry): void {
    if (this.count === this.hosts.length) {
      this.hosts = grown(this.hosts);
      const codes = new Uint8Array(this.hosts.length);
      codes.set(this.relationships);
      this.relationships = codes;
    }
    this.hosts[this.count] = host;
    this.relationships[this.count] = relationshipCodes.get(relationship)!;
    this.lists.push(list);
    this.count++;
  }
}

const relationshipCodes = new Map<Relationship, number>(relationships.map((r, i) => [r, i]));

const carriedMask = carriedKeys.reduce((m, k) => m | k.mask, 0);

function inSettingOrder(ports: Partial<Record<PortSetting, number>>): Host['ports'] {
  const out: Partial<Record<PortSetting, number>> = {};
  for (const setting of portSettings) if (ports[setting] !== undefined) out[setting] = ports[setting];
  return out;
}
