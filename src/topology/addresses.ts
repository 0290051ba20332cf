import { dottedQuadValue, dottedQuadValueOfBytes } from '../net/address.js';
import { AddressRange, formatAddress, type Family } from '../net/index.js';
import { addressTextsOf, writesOneAddress } from './host-addresses.js';
import { problem, type Path, type Problem } from './problem.js';
import type { Deployment, Host } from './types.js';

interface UnusableBlock {
  readonly block: AddressRange;
  readonly what: string;
  readonly hint: string;
}

/**
 * Blocks no host can be reached at: an address (or a range wholly) inside one is refused. Parsed on first use, not
 * when the module loads: the first IPv6 text Node parses compiles its IPv6 pattern (40 ms), which a file of plain
 * IPv4 addresses never needs.
 */
let unusable: { readonly blocks: readonly UnusableBlock[]; readonly mapped: AddressRange } | undefined;

function unusableBlocks(): NonNullable<typeof unusable> {
  unusable ??= {
    blocks: [
      { block: AddressRange.parse('0.0.0.0/8'), what: 'an address of "this network" (0.0.0.0/8), which no host answers on', hint: 'write the address the host is reached at' },
      { block: AddressRange.parse('127.0.0.0/8'), what: 'a loopback address (127.0.0.0/8), which every machine has for itself', hint: 'write the address other machines reach the host at' },
      { block: AddressRange.parse('224.0.0.0/4'), what: 'a multicast address (224.0.0.0/4), which no connection is made to', hint: 'write the host\'s unicast address' },
      { block: AddressRange.parse('255.255.255.255'), what: 'the broadcast address 255.255.255.255', hint: 'write the host\'s unicast address' },
      { block: AddressRange.parse('::'), what: 'the unspecified address ::', hint: 'write the address the host is reached at' },
      { block: AddressRange.parse('::1'), what: 'the IPv6 loopback address ::1', hint: 'write the address other machines reach the host at' },
      { block: AddressRange.parse('ff00::/8'), what: 'an IPv6 multicast address (ff00::/8)', hint: 'write the host\'s unicast address' },
    ],
    mapped: AddressRange.parse('::ffff:0:0/96'),
  };
  return unusable;
}

/** Why this address entry cannot be a host's, as the loader's `expected`/`found`/`hint`; undefined when it can. */
export function unusableAddress(range: AddressRange, text: string = range.toString()): { found: string; hint: string; loopback: boolean } | undefined {
  const { blocks, mapped } = unusableBlocks();
  if (inside(range, mapped)) {
    const v4 = (v: bigint) => formatAddress(4, v & 0xffffffffn);
    const spelt = range.first === range.last ? v4(range.first) : `${v4(range.first)}-${v4(range.last)}`;
    return { found: `${text}, an IPv4-mapped IPv6 address`, hint: `write the IPv4 address itself: ${spelt} (firewalls match the IPv4 packets, not the mapped form)`, loopback: false };
  }
  const hit = blocks.find((u) => inside(range, u.block));
  return hit ? { found: `${text}, ${hit.what}`, hint: hit.hint, loopback: hit.what.includes('loopback') } : undefined;
}

/**
 * The value of a host address written as a plain dotted quad (10.0.0.5) in none of the unusable blocks: what
 * 150,000 individually addressed agents write, taken without the general parser's objects. Undefined for anything
 * else, which the general path (AddressRange.parse and unusableAddress) decides and words. Conservative: every
 * address from 224.0.0.0 up goes the general way, so this only ever says yes where that path accepts the text
 * unchanged (test/property/net.property.test.ts compares the two).
 */
export function plainUsableIPv4(text: string): number | undefined {
  return usableIPv4(dottedQuadValue(text));
}

/** plainUsableIPv4 of the ASCII bytes [start, end), without their string (the JSON fast lane's addresses). */
export function plainUsableIPv4OfBytes(bytes: Uint8Array, start: number, end: number): number | undefined {
  return usableIPv4(dottedQuadValueOfBytes(bytes, start, end));
}

function usableIPv4(value: number | undefined): number | undefined {
  if (value === undefined) return undefined;
  const first = Math.floor(value / 0x1000000);
  return first === 0 || first === 127 || first >= 224 ? undefined : value;
}

function inside(range: AddressRange, block: AddressRange): boolean {
  return range.family === block.family && range.first >= block.first && range.last <= block.last;
}

interface Entry {
  readonly family: Family;
  readonly first: bigint;
  readonly last: bigint;
  readonly host: Host;
  /** Where the host is (hosts[i], or connectedGroups[i].managementServers[j]) and which of its entries: the path is built only for a warning. */
  readonly i: number;
  readonly j: number | undefined;
  readonly k: number;
  readonly single: boolean;
}

function pathOf(e: Entry): Path {
  const base: Path = e.j === undefined ? ['hosts', e.i] : ['connectedGroups', e.i, 'managementServers', e.j];
  return e.single ? [...base, 'address'] : [...base, 'addresses', e.k];
}

/** Past this many, further overlaps are summed up in one warning rather than listed. */
const overlapWarningLimit = 20;

/**
 * Two hosts with the same address, a host inside another entry's range, a connected group's server at a local
 * host's address: each a warning at the later entry (the rules still work, but one machine gets both hosts' rules,
 * which is rarely meant). One sort and one sweep, so 150,000 hosts stay fast.
 */
export function checkOverlaps(deployment: Deployment, warnings: Problem[]): void {
  if (!plainOverlaps(deployment, warnings)) sortedOverlaps(deployment, warnings);
}

/** The general sweep, for every kind of entry (and the reference the plain one is tested against). */
function sortedOverlaps(deployment: Deployment, warnings: Problem[]): void {
  const entries: Entry[] = [];
  const add = (host: Host, i: number, j?: number) => {
    const single = writesOneAddress(host);
    addressTextsOf(host).forEach((text, k) => {
      // The texts were read once already; the plain ones (most) need no second AddressRange.
      const plain = plainUsableIPv4(text);
      if (plain !== undefined) {
        const value = BigInt(plain);
        entries.push({ family: 4, first: value, last: value, host, i, j, k, single });
        return;
      }
      const r = AddressRange.parse(text);
      entries.push({ family: r.family, first: r.first, last: r.last, host, i, j, k, single });
    });
  };
  deployment.hosts.forEach((h, i) => { add(h, i); });
  deployment.connectedGroups.forEach((g, i) => { g.managementServers.forEach((s, j) => { add(s, i, j); }); });
  entries.sort((a, b) => a.family - b.family || (a.first < b.first ? -1 : a.first > b.first ? 1 : a.last > b.last ? -1 : a.last < b.last ? 1 : 0));
  let widest: Entry | undefined;
  let count = 0;
  for (const e of entries) {
    if (widest && widest.family === e.family && e.first <= widest.last && widest.host !== e.host) {
      if (++count <= overlapWarningLimit) warnings.push(overlap(e, widest));
    }
    if (!widest || widest.family !== e.family || e.last > widest.last) widest = e;
  }
  if (count > overlapWarningLimit) {
    warnings.push(problem([], 'hosts whose addresses do not overlap', `${count - overlapWarningLimit} more overlapping entries than listed`, 'list each machine once'));
  }
}

/** Entry numbers take the low bits of a sort key whose high bits are the address (2^32 · 2^21 < 2^53: exact). */
const entryBits = 2 ** 21;

/**
 * checkOverlaps for the common case, every entry of every host a plain IPv4 address (150,000 individually
 * addressed agents): one Float64Array of keys (address, then entry number) sorted natively instead of an object
 * with two bigints per entry sorted by a comparator. The same order (ties in entry order, as the stable sort
 * leaves them) and the same sweep, so the same warnings; false (nothing done) for any other deployment.
 */
function plainOverlaps(deployment: Deployment, warnings: Problem[]): boolean {
  const hosts: Host[] = [];
  const at: { i: number; j: number | undefined }[] = [];
  let count = 0;
  const addHost = (host: Host, i: number, j?: number): boolean => {
    hosts.push(host);
    at.push({ i, j });
    count += addressTextsOf(host).length;
    return count < entryBits;
  };
  if (!deployment.hosts.every((h, i) => addHost(h, i))) return false;
  if (!deployment.connectedGroups.every((g, i) => g.managementServers.every((s, j) => addHost(s, i, j)))) return false;
  const entries = new PlainEntries(count);
  for (let h = 0; h < hosts.length; h++) {
    const texts = addressTextsOf(hosts[h]!);
    for (let k = 0; k < texts.length; k++) {
      const value = plainUsableIPv4(texts[k]!);
      if (value === undefined) return false;
      entries.add(value, h, k);
    }
  }
  sweepPlain(hosts, (h) => at[h]!, entries, warnings);
  return true;
}

/**
 * Each plain IPv4 entry as a sort key (the address, then the entry's number), with its host and its place in the
 * host's list: what a loader that has read the addresses already gives checkPlainOverlaps.
 */
export class PlainEntries {
  keys: Float64Array;
  hostOf: Int32Array;
  kOf: Int32Array;
  count = 0;

  constructor(capacity = 1024) {
    this.keys = new Float64Array(capacity);
    this.hostOf = new Int32Array(capacity);
    this.kOf = new Int32Array(capacity);
  }

  /** False once there are too many entries for the keys (2^21), which the general sweep then takes. */
  add(value: number, host: number, k: number): boolean {
    const e = this.count;
    if (e >= entryBits) return false;
    if (e === this.keys.length) this.grow();
    this.keys[e] = value * entryBits + e;
    this.hostOf[e] = host;
    this.kOf[e] = k;
    this.count++;
    return true;
  }

  private grow(): void {
    const keys = new Float64Array(this.keys.length * 2);
    keys.set(this.keys);
    this.keys = keys;
    const hostOf = new Int32Array(keys.length);
    hostOf.set(this.hostOf);
    this.hostOf = hostOf;
    const kOf = new Int32Array(keys.length);
    kOf.set(this.kOf);
    this.kOf = kOf;
  }
}

/**
 * checkOverlaps for a deployment of hosts only (no connected groups), every entry a plain IPv4 address whose value
 * the caller read and gave in `entries` (host numbers are indexes in deployment.hosts): no second parse of 150,000
 * address texts.
 */
export function checkPlainOverlaps(hosts: readonly Host[], entries: PlainEntries, warnings: Problem[]): void {
  sweepPlain(hosts, (i) => ({ i, j: undefined }), entries, warnings);
}

/** The sweep of plainOverlaps over keys sorted natively: the same order, ties in entry order, as the stable sort. */
function sweepPlain(hosts: readonly Host[], placeOf: (host: number) => { i: number; j: number | undefined }, entries: PlainEntries, warnings: Problem[]): void {
  const { hostOf, kOf, count } = entries;
  const keys = entries.keys.subarray(0, count);
  keys.sort();
  const entry = (key: number): Entry => {
    const n = key % entryBits;
    const value = BigInt((key - n) / entryBits);
    const host = hosts[hostOf[n]!]!;
    const { i, j } = placeOf(hostOf[n]!);
    const single = writesOneAddress(host);
    return { family: 4, first: value, last: value, host, i, j, k: kOf[n]!, single };
  };
  let widest = -1;
  let found = 0;
  for (let x = 0; x < count; x++) {
    const key = keys[x]!;
    const value = Math.floor(key / entryBits);
    if (widest >= 0 && value === Math.floor(widest / entryBits) && hostOf[widest % entryBits] !== hostOf[key % entryBits]) {
      if (++found <= overlapWarningLimit) warnings.push(overlap(entry(key), entry(widest)));
    }
    if (widest < 0 || value > Math.floor(widest / entryBits)) widest = key;
  }
  if (found > overlapWarningLimit) {
    warnings.push(problem([], 'hosts whose addresses do not overlap', `${found - overlapWarningLimit} more overlapping entries than listed`, 'list each machine once'));
  }
}

/** Both sweeps, for the test that holds the plain one to the general one. */
export const overlapSweeps = { plain: plainOverlaps, sorted: sortedOverlaps };

function overlap(e: Entry, other: Entry): Problem {
  const same = e.first === other.first && e.last === other.last;
  const text = formatRange(e);
  const found = same ? `${text}, which ${other.host.name} also has` : `${text}, which overlaps ${other.host.name}'s ${formatRange(other)}`;
  const connected = e.host.connectedGroup ?? other.host.connectedGroup;
  const hint = connected
    ? `a management server of connected group ${connected} cannot be a machine of this group; check the address`
    : same
      ? 'one machine with two names gets the rules of both; list it once with all its roles'
      : 'the machines in the overlap get the rules of both entries; narrow the range or list the machine once';
  return problem(pathOf(e), 'an address no other host has', found, hint, { firstAt: pathOf(other) });
}

function formatRange(e: Entry): string {
  return AddressRange.of(e.family, e.first, e.last).toString();
}

/** The families a host has addresses in. */
export function familiesOf(host: Host): { v4: boolean; v6: boolean } {
  let v4 = false;
  let v6 = false;
  for (const text of addressTextsOf(host)) {
    if (text.includes(':')) v6 = true;
    else v4 = true;
  }
  return { v4, v6 };
}
