import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { features, revisions } from '../../src/catalog/types.js';
import { fastJsonHostKeys, type ByteSource, type WindowSize } from '../../src/topology/fast-json.js';
import { loadDeployment, loadJsonFast, UserErrors, type Deployment } from '../../src/topology/index.js';
import { hostSchema } from '../../src/topology/schema.js';

/**
 * The JSON fast lane (src/topology/fast-json.ts) against the general path (loadDeployment): on every generated file
 * the fast lane either declines or returns what the general path returns, warnings and their positions included;
 * and it declines every file the general path refuses. Files are generated valid, then perturbed at the value level
 * (bad names, addresses, roles, relationships, unknown keys, duplicate names) and at the text level (escapes,
 * whitespace, key order, duplicate keys, non-ASCII, trailing text).
 */

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type Entry = [string, Json];

const general = (text: string): Deployment | UserErrors => {
  try {
    return loadDeployment(text, 'd.json');
  } catch (e) {
    if (e instanceof UserErrors) return e;
    throw e;
  }
};

const fast = (text: string): Deployment | undefined => loadJsonFast(Buffer.from(text, 'utf8'), 'd.json');

/**
 * The fast lane reading the text as the CLI reads a file: from a source, through a window that slides and grows.
 * The source gives at most `piece` bytes per read; `sized` says whether it tells the file's size.
 */
const windowed = (text: string, window: WindowSize, piece: number, sized: boolean): Deployment | undefined => {
  const bytes = Buffer.from(text, 'utf8');
  let at = 0;
  const source: ByteSource = {
    size: sized ? bytes.length : 0,
    read: (into, offset, length) => {
      const n = Math.min(length, piece, bytes.length - at);
      into.set(bytes.subarray(at, at + n), offset);
      at += n;
      return n;
    },
    all: () => bytes,
  };
  return loadJsonFast(source, 'd.json', window);
};

/** Small windows, so that values are cut at every place: each host read from slid and widened windows. */
const anyWindow = fc.record({
  window: fc.record({ bytes: fc.integer({ min: 1, max: 300 }), ahead: fc.integer({ min: 0, max: 200 }) }),
  piece: fc.integer({ min: 1, max: 97 }),
  sized: fc.boolean(),
});

/** The windowed lane gives what the lane given the whole file gives (both undefined where it declines). */
function expectSameThroughWindow(text: string, fromFast: Deployment | undefined, { window, piece, sized }: { window: WindowSize; piece: number; sized: boolean }): void {
  const fromWindow = windowed(text, window, piece, sized);
  const how = `window ${window.bytes}, ahead ${window.ahead}, reads of ${piece}:\n${text}`;
  if (fromFast === undefined) expect(fromWindow, how).toBeUndefined();
  else {
    expect(fromWindow, how).toStrictEqual(fromFast);
    expect(ordered(fromWindow!), how).toBe(ordered(fromFast));
  }
}

/** Deep equality with key order (JSON of the values, bigints spelt out) beside toStrictEqual's class-aware one. */
const ordered = (d: Deployment): string => JSON.stringify(d, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));

// --- generated deployments, as ordered key lists so key order can vary ----------------------------

const msNames = ['ms01.corp.example', 'ms02.corp.example', 'MS03.corp.example'];
const gwNames = ['gw01.branch.example', 'gw02.branch.example'];
const address = fc.oneof(
  fc.integer({ min: 1, max: 40 }).map((n) => `10.0.0.${n}`),
  fc.integer({ min: 1, max: 40 }).map((n) => `10.0.1.${n}`),
);
const zone = fc.constantFrom('core', 'branch0', 'Branch_1', 'dmz-2');
/** A name as a list writes it: as defined, or in another case (the loader spells it as its host defines it). */
const spelt = (name: string) => fc.constantFrom(name, name.toUpperCase(), name.toLowerCase());

interface Shape {
  top: Entry[];
  hosts: Entry[][];
}

const managementServer = (name: string) =>
  fc.record({ address, zone, extra: fc.subarray<Entry>([['agentPort', 5724], ['domain', 'corp.example'], ['description', 'ms']]) }).map(({ address: a, zone: z, extra }): Entry[] => [
    ['name', name],
    ['address', a],
    ['zone', z],
    ['roles', ['management-server']],
    ...extra,
  ]);

const gateway = (name: string, servers: readonly string[]) =>
  fc
    .record({
      address,
      zone,
      to: fc.subarray([...servers], { minLength: 1 }).chain((l) => fc.tuple(...l.map(spelt))),
      initiates: fc.option(fc.boolean(), { nil: undefined }),
    })
    .map(({ address: a, zone: z, to, initiates }): Entry[] => [
      ['name', name],
      ['address', a],
      ['zone', z],
      ['roles', ['gateway']],
      ['reportsTo', to],
      ...(initiates === undefined ? [] : [['managementServerInitiatesConnection', initiates] as Entry]),
    ]);

/** Settings an agent may carry, by its roles (an unusual one now and then, which the loader refuses). */
const agentKinds: readonly { roles: Json; extras: Entry[] }[] = [
  { roles: ['agent'], extras: [['install', 'manual'], ['install', 'push'], ['os', 'windows'], ['authentication', 'kerberos'], ['domain', 'Corp.Example'], ['description', 'agent 1']] },
  { roles: ['agent', 'web-console-browser'], extras: [['description', 'a b'], ['linuxPolicy', 'open-only']] },
  { roles: ['unix-agent'], extras: [['os', 'linux'], ['sshPort', 2222], ['linuxPolicy', 'drop-unplanned'], ['description', 'x']] },
  { roles: ['agent'], extras: [['os', 'linux'], ['acsCollectors', ['acs01']], ['sqlPort', 1] ] },
];

const agent = (i: number, servers: readonly string[]) =>
  fc
    .record({
      address: fc.oneof(address.map((a): Entry => ['address', a]), fc.array(address, { minLength: 1, maxLength: 3 }).map((l): Entry => ['addresses', l])),
      zone: fc.option(zone, { nil: undefined }),
      kind: fc.oneof({ weight: 6, arbitrary: fc.constantFrom(0, 1, 2) }, { weight: 1, arbitrary: fc.constant(3) }),
      to: fc.option(fc.subarray([...servers], { minLength: 1, maxLength: Math.min(3, servers.length) }).chain((l) => fc.tuple(...l.map(spelt))), { nil: undefined }),
      picks: fc.array(fc.nat(), { maxLength: 3 }),
    })
    .map(({ address: a, zone: z, kind, to, picks }): Entry[] => {
      const { roles, extras } = agentKinds[kind]!;
      const unique = new Map<string, Json>(picks.map((p) => extras[p % extras.length]!));
      return [['name', `srv${i}.corp.example`], a, ...(z === undefined ? [] : [['zone', z] as Entry]), ['roles', roles], ...(to === undefined ? [] : [['reportsTo', to] as Entry]), ...unique];
    });

const others: fc.Arbitrary<Entry[][]> = fc.subarray<Entry[][]>([
  [[['name', 'sql01'], ['address', '10.0.2.10'], ['roles', ['operational-database', 'data-warehouse']], ['sqlPort', 1444], ['sqlBrowser', true]]],
  [[['name', 'sql02'], ['address', '10.0.2.11'], ['roles', ['operational-database']]]],
  [
    [['name', 'dc01'], ['address', '10.0.2.5'], ['roles', ['domain-controller']], ['domain', 'corp.example']],
    [['name', 'agdc'], ['address', '10.0.2.80'], ['roles', ['agent']], ['domainControllers', ['dc01']], ['reportsTo', ['ms01.corp.example']]],
    // A domain controller that names a domain controller: naming itself would pass every check but that one.
    [['name', 'dc02'], ['address', '10.0.2.6'], ['roles', ['management-server', 'domain-controller']], ['domainControllers', ['DC01']]],
  ],
  [
    [['name', 'acs01'], ['address', '10.0.2.20'], ['roles', ['acs-collector', 'acs-database']], ['acsPort', 51910]],
    [['name', 'fwd01'], ['address', '10.0.2.21'], ['roles', ['acs-forwarder', 'agent']], ['acsCollectors', ['ACS01']]],
  ],
  [[['name', 'web01'], ['addresses', ['10.0.2.30', '10.0.2.31']], ['roles', ['web-console-server']], ['managementServers', ['ms01.corp.example']], ['webConsoleTls', true], ['webConsolePort', 8443]]],
  [[['name', 'con01'], ['address', '10.0.2.40'], ['roles', ['operations-console', 'connector']], ['managementServers', ['MS01.corp.example']]]],
  [[['name', 'dns01'], ['address', '10.0.2.53'], ['roles', ['dns-server']], ['domain', 'corp.example']]],
  [[['name', 'nd01'], ['address', '10.0.2.70'], ['roles', ['network-device']], ['reportsTo', ['ms01.corp.example']], ['description', 'switch']]],
]).chain((groups) => {
  const list = groups.flat();
  return fc.oneof({ weight: 8, arbitrary: fc.constant(list) }, { weight: 1, arbitrary: fc.constant<Entry[][]>([...list, [['name', 'mpc'], ['address', '10.0.2.60'], ['roles', ['management-pack-catalog']]] as Entry[]]) });
});

const shape: fc.Arbitrary<Shape> = fc
  .record({
    ms: fc.integer({ min: 1, max: 3 }),
    gw: fc.integer({ min: 0, max: 2 }),
    agents: fc.integer({ min: 0, max: 6 }),
    catalog: fc.option(fc.constantFrom(...revisions, '2024-11', '2024-11', '2024-11'), { nil: undefined }),
    phase: fc.option(fc.constantFrom('install', 'operate'), { nil: undefined }),
    features: fc.option(
      fc.oneof(
        { weight: 6, arbitrary: fc.subarray(['omed', 'sdkConnectors', 'acsReporting'] as const) },
        { weight: 1, arbitrary: fc.subarray([...features]) },
      ).chain((on) => fc.tuple(...on.map((f) => fc.tuple(fc.constant(f), fc.boolean()))).map((pairs) => Object.fromEntries(pairs) as Json)),
      { nil: undefined },
    ),
    access: fc.option(
      fc.oneof({ weight: 4, arbitrary: fc.subarray(['tcp/22@10.0.0.0/24', ' udp/161@192.0.2.7', 'tcp/8000-8010@10.1.0.5-10.1.0.9']) }, { weight: 1, arbitrary: fc.subarray(['tcp/22@10.0.0.1', 'tcp/99999@10.0.0.1', 'ssh@x']) }),
      { nil: undefined },
    ),
    schema: fc.boolean(),
  })
  .chain(({ ms, gw, agents, catalog, phase, features: f, access, schema }) =>
    fc
      .tuple(
        fc.tuple(...msNames.slice(0, ms).map(managementServer)),
        fc.tuple(...gwNames.slice(0, gw).map((g) => gateway(g, msNames.slice(0, ms)))),
        fc.tuple(...Array.from({ length: agents }, (_, i) => agent(i, [...msNames.slice(0, ms), ...gwNames.slice(0, gw)]))),
        others,
      )
      .map(([m, g, a, o]): Shape => ({
        top: [
          ...(schema ? [['$schema', 'https://example.com/s.json'] as Entry] : []),
          ['managementGroup', 'CONTOSO'],
          ...(catalog === undefined ? [] : [['catalog', catalog] as Entry]),
          ...(phase === undefined ? [] : [['phase', phase] as Entry]),
          ...(f === undefined ? [] : [['features', f] as Entry]),
          ...(access === undefined ? [] : [['managementAccess', access] as Entry]),
        ],
        hosts: [...m, ...g, ...o, ...a],
      })),
  );

// --- perturbations ----------------------------------------------------------------------------------

const badValue: fc.Arbitrary<Json> = fc.constantFrom<Json>(
  'ms01.corp.example', 'MS01.CORP.EXAMPLE', 'a..b', '-x', '', ' ', 'ünï', 'core', 'a--b', 'x'.repeat(254), '10.0.0.256', '127.0.0.1', '0.0.0.1',
  '224.0.0.1', '10.0.0.0/24', '10.0.0.1-10.0.0.3', 'fd00::1', '::1', '010.0.0.1', 'nope', 'gateway', 'agent', 'windows', 'push', 'certificate',
  0, 1, 22, 65535, 65536, -1, 1.5, 1e3, true, false, null, [], {}, ['agent'], ['agent', 'agent'], ['gateway'], ['dc01'], ['nope'],
  ['ms01.corp.example', 'MS01.corp.example'], ['srv0.corp.example'], ['10.0.0.1', '10.0.0.1'], ['management-pack-catalog'], ['domain-controller'],
);
const hostKey = fc.constantFrom(
  'name', 'description', 'address', 'addresses', 'zone', 'roles', 'os', 'linuxPolicy', 'sqlPort', 'agentPort', 'webConsolePort', 'reportingPort',
  'acsPort', 'aemPort', 'ceipPort', 'sshPort', 'sqlBrowser', 'webConsoleTls', 'install', 'domain', 'authentication',
  'managementServerInitiatesConnection', 'reportsTo', 'managementServers', 'acsCollectors', 'domainControllers', 'extra', 'Name', '__proto__',
);
const topKey = fc.constantFrom('managementGroup', 'catalog', 'phase', 'features', 'managementAccess', 'connectedGroups', '$schema', 'hosts', 'extra');
const topValue = fc.constantFrom<Json>(
  'X', 'a b', '2016-08', '2024-11', '2017-01', 'operate', 'nope', [], {}, { omed: true }, { managementPackCatalog: true }, { nope: true },
  [{ name: 'other', managementServers: [{ name: 'cms1', address: '10.9.0.1' }] }], ['tcp/22@10.0.0.1'], null, 5,
);

type Edit =
  | { kind: 'set'; host: number; key: string; value: Json }
  | { kind: 'repeatRole'; host: number }
  | { kind: 'appendName'; host: number; name: 'self' | 'first' | 'sql01' | 'dc01' | 'srv0.corp.example' }
  | { kind: 'onRole'; role: string; key: string; value: Json | undefined }
  | { kind: 'bothAddressKeys'; host: number }
  | { kind: 'delete'; host: number; key: number }
  | { kind: 'top'; key: string; value: Json | undefined }
  | { kind: 'copyName'; from: number; to: number; upper: boolean };

/** Values that break one rule of one text key, each alone (so the rest of the file can stay valid). */
const badText = fc.oneof(
  fc.record({ key: fc.constant('zone'), value: fc.constantFrom<Json>('a--b', '-core', '_x', 'x'.repeat(33), '', 'zoné', 'a b', 'Core') }),
  fc.record({ key: fc.constant('name'), value: fc.constantFrom<Json>('a..b', '-x', 'x.', 'x'.repeat(254), 'a b', 'nämé', 'ok_name') }),
  fc.record({ key: fc.constant('domain'), value: fc.constantFrom<Json>('a..b', 'corp.example.', 'CORP.example', '') }),
  fc.record({ key: fc.constant('description'), value: fc.constantFrom<Json>('semi;colon', 'x'.repeat(201), 'quote"d', 'fine text (1)', '') }),
);

const edit: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), host: fc.nat(), key: hostKey, value: badValue }),
  badText.chain(({ key, value }) => fc.record({ kind: fc.constant('set' as const), host: fc.nat(), key: fc.constant(key), value: fc.constant(value) })),
  fc.record({ kind: fc.constant('repeatRole' as const), host: fc.nat() }),
  // A name added to a relationship list that already reaches a server, so only the added name is wrong.
  fc.record({ kind: fc.constant('appendName' as const), host: fc.nat(), name: fc.constantFrom('self' as const, 'first' as const, 'sql01' as const, 'dc01' as const, 'srv0.corp.example' as const) }),
  // A setting changed on a host of one role, where it is read.
  fc
    .constantFrom<[string, string, Json | undefined]>(
        ['unix-agent', 'os', 'windows'],
        ['unix-agent', 'sshPort', 65536],
        ['unix-agent', 'sshPort', 0],
        ['acs-collector', 'acsPort', 99999],
        ['operational-database', 'sqlPort', undefined],
        ['operational-database', 'sqlPort', 65535],
        ['agent', 'install', 'push'],
        ['agent', 'os', 'other'],
        ['web-console-server', 'webConsolePort', 123456],
    )
    .map(([role, key, value]): Edit => ({ kind: 'onRole', role, key, value })),
  fc.record({ kind: fc.constant('bothAddressKeys' as const), host: fc.nat() }),
  fc.record({ kind: fc.constant('delete' as const), host: fc.nat(), key: fc.nat() }),
  fc.record({ kind: fc.constant('top' as const), key: topKey, value: fc.option(topValue, { nil: undefined }) }),
  fc.record({ kind: fc.constant('copyName' as const), from: fc.nat(), to: fc.nat(), upper: fc.boolean() }),
);

function applyEdit(s: Shape, e: Edit): Shape {
  const hosts = s.hosts.map((h) => h.slice());
  const top = s.top.slice();
  const at = (n: number) => n % hosts.length;
  const setIn = (entries: Entry[], key: string, value: Json | undefined) => {
    const k = entries.findIndex(([name]) => name === key);
    if (value === undefined) {
      if (k >= 0) entries.splice(k, 1);
    } else if (k >= 0) entries[k] = [key, value];
    else entries.push([key, value]);
  };
  switch (e.kind) {
    case 'set':
      setIn(hosts[at(e.host)]!, e.key, e.value);
      break;
    case 'delete': {
      const h = hosts[at(e.host)]!;
      if (h.length > 0) h.splice(e.key % h.length, 1);
      break;
    }
    case 'top':
      setIn(top, e.key, e.value);
      break;
    case 'repeatRole': {
      const h = hosts[at(e.host)]!;
      const roles = h.find(([k]) => k === 'roles')?.[1];
      if (Array.isArray(roles) && roles.length > 0) setIn(h, 'roles', [...roles, roles[0]!]);
      break;
    }
    case 'appendName': {
      const h = hosts[at(e.host)]!;
      const self = h.find(([k]) => k === 'name')?.[1];
      for (const key of ['reportsTo', 'managementServers', 'acsCollectors', 'domainControllers']) {
        const list = h.find(([k]) => k === key)?.[1];
        if (!Array.isArray(list) || typeof list[0] !== 'string') continue;
        const name = e.name === 'self' ? self : e.name === 'first' ? list[0].toUpperCase() : e.name;
        if (typeof name === 'string') setIn(h, key, [...list, name]);
        break;
      }
      break;
    }
    case 'onRole': {
      const h = hosts.find((entries) => {
        const roles = entries.find(([k]) => k === 'roles')?.[1];
        return Array.isArray(roles) && roles.includes(e.role);
      });
      if (h) setIn(h, e.key, e.value);
      break;
    }
    case 'bothAddressKeys': {
      const h = hosts[at(e.host)]!;
      const one = h.find(([k]) => k === 'address')?.[1];
      const many = h.find(([k]) => k === 'addresses')?.[1];
      if (typeof one === 'string') setIn(h, 'addresses', [one]);
      else if (Array.isArray(many) && typeof many[0] === 'string') setIn(h, 'address', many[0]);
      break;
    }
    case 'copyName': {
      const name = hosts[at(e.from)]!.find(([k]) => k === 'name')?.[1];
      if (typeof name === 'string') setIn(hosts[at(e.to)]!, 'name', e.upper ? name.toUpperCase() : name);
      break;
    }
  }
  return { top, hosts };
}

/** How the text is written: key order, indentation, and a text-level change. */
interface Writing {
  readonly order: number[];
  readonly indent: 0 | 2 | '\t' | ' \r\n';
  readonly text: 'none' | 'escape' | 'slash' | 'duplicateKey' | 'unicode' | 'schemaUnicode' | 'schemaQuote' | 'bom' | 'trailing' | 'trailingComma' | 'spaces' | 'nbsp' | 'number';
  readonly where: number;
}

const writing: fc.Arbitrary<Writing> = fc.record({
  order: fc.array(fc.nat(), { maxLength: 40 }),
  indent: fc.constantFrom<Writing['indent']>(0, 2, '\t', ' \r\n'),
  text: fc.oneof(
    { weight: 10, arbitrary: fc.constant<Writing['text']>('none') },
    { weight: 2, arbitrary: fc.constantFrom<Writing['text']>('spaces', 'escape', 'schemaUnicode', 'schemaQuote', 'slash', 'duplicateKey', 'unicode', 'bom', 'trailing', 'trailingComma', 'nbsp', 'number') },
  ),
  where: fc.nat(),
});

/** Entries in a shuffled order (a stable permutation from `order`), as an object with those own keys. */
function objectOf(entries: Entry[], order: readonly number[]): { [key: string]: Json } {
  const keyed = entries.map((e, k) => ({ e, sortKey: order[k % Math.max(1, order.length)] ?? k }));
  if (order.length > 0) keyed.sort((a, b) => a.sortKey - b.sortKey);
  const out: { [key: string]: Json } = {};
  for (const { e } of keyed) Object.defineProperty(out, e[0], { value: e[1], enumerable: true, writable: true, configurable: true });
  return out;
}

function textOf(s: Shape, w: Writing): string {
  const value = objectOf([...s.top, ['hosts', s.hosts.map((h, i) => objectOf(h, w.order.slice(i % 3)))]], w.order);
  let text = w.indent === ' \r\n' ? JSON.stringify(value, null, 1).replace(/\n/g, '\r\n') : JSON.stringify(value, null, w.indent);
  const nth = (pattern: RegExp): number | undefined => {
    const hits = [...text.matchAll(pattern)].map((m) => m.index);
    return hits.length === 0 ? undefined : hits[w.where % hits.length];
  };
  const at = (pattern: RegExp, change: (i: number) => string): void => {
    const i = nth(pattern);
    if (i !== undefined) text = change(i);
  };
  switch (w.text) {
    case 'escape': // the same value, spelt with an escape
      at(/[a-z](?=[^"]*"[,\]}:\s])/g, (i) => `${text.slice(0, i)}\\u${text.charCodeAt(i).toString(16).padStart(4, '0')}${text.slice(i + 1)}`);
      break;
    case 'slash':
      at(/\.(?=[^"]*")/g, (i) => `${text.slice(0, i)}\\/${text.slice(i + 1)}`);
      break;
    case 'duplicateKey':
      at(/"(name|zone|roles|address|catalog)":\s*("[^"]*"|\[[^\]]*\])/g, (i) => {
        const m = /^"[^"]+":\s*("[^"]*"|\[[^\]]*\])/.exec(text.slice(i))![0];
        return `${text.slice(0, i)}${m},${text.slice(i)}`;
      });
      break;
    case 'unicode':
      at(/[a-z](?=[^"]*")/g, (i) => `${text.slice(0, i)}\u00e9${text.slice(i + 1)}`);
      break;
    case 'schemaUnicode': // unused by the Deployment, but moves every later column of its line by one
      text = text.replace('"https://example.com/s.json"', '"https://ex\u00e4mple.com/s.json"');
      break;
    case 'schemaQuote': // an escaped quote, inside which the rest of the line would read as keys
      text = text.replace('"https://example.com/s.json"', '"s\\",\\"phase\\":\\"operate"');
      break;
    case 'bom':
      text = `\ufeff${text}`;
      break;
    case 'trailing':
      text = `${text}\n,`;
      break;
    case 'trailingComma':
      at(/[\]}]/g, (i) => `${text.slice(0, i)},${text.slice(i)}`);
      break;
    case 'spaces':
      text = ` \t\r\n${text.replace(/([,:[{])/g, '$1 \t')}\n\n`;
      break;
    case 'nbsp':
      at(/,/g, (i) => `${text.slice(0, i + 1)}\u00a0${text.slice(i + 1)}`);
      break;
    case 'number': // a port spelt another way JSON allows
      at(/: ?\d+/g, (i) => text.slice(0, i) + text.slice(i).replace(/\d+/, (d) => `${d}.0`));
      break;
    case 'none':
      break;
  }
  return text;
}

const edits = fc.oneof({ weight: 2, arbitrary: fc.constant([]) }, { weight: 3, arbitrary: fc.array(edit, { minLength: 1, maxLength: 3 }) });
const file = fc.tuple(shape, edits, writing).map(([s, e, w]) => textOf(e.reduce(applyEdit, s), w));

describe('the JSON fast lane', () => {
  it('declines or returns what the general path returns, and declines whatever the general path refuses', () => {
    let taken = 0;
    let refused = 0;
    let warned = 0;
    fc.assert(
      fc.property(file, anyWindow, (text, through) => {
        const fromFast = fast(text);
        expectSameThroughWindow(text, fromFast, through);
        const fromGeneral = general(text);
        if (fromGeneral instanceof UserErrors) {
          refused++;
          expect(fromFast, `fast lane accepted a file the general path refuses:\n${text}\n${fromGeneral.format()}`).toBeUndefined();
          return;
        }
        if (fromFast === undefined) return;
        taken++;
        if (fromFast.warnings) warned++;
        expect(fromFast, text).toStrictEqual(fromGeneral);
        expect(ordered(fromFast), text).toBe(ordered(fromGeneral));
      }),
      { numRuns: 3000 },
    );
    // Both outcomes must be common, or the property says little.
    expect(taken).toBeGreaterThan(200);
    expect(refused).toBeGreaterThan(300);
    // Warnings (shared addresses, a role nobody uses) are placed by position: taken files must have some.
    expect(warned).toBeGreaterThan(20);
  });

  it('takes no host key that hostSchema does not have', () => {
    const schemaKeys = Object.keys(hostSchema.shape);
    expect(fastJsonHostKeys.filter((k) => !schemaKeys.includes(k))).toEqual([]);
  });

  it('reads each host as it is written, whatever the host before it wrote', () => {
    // Hosts that write another zone, name list or key where the host before wrote one of the same length, or the
    // same list with other roles: the lane compares a host's bytes with what the host before wrote (keys in order,
    // zone, roles, reportsTo) first, and reuses the resolution of the list.
    const agentHost = (i: number) =>
      fc
        .record({
          order: fc.shuffledSubarray(['name', 'address', 'zone', 'roles', 'reportsTo'], { minLength: 5 }),
          zone: fc.constantFrom('core', 'dmz1', 'edge'),
          roles: fc.oneof({ weight: 4, arbitrary: fc.constant<Json>(['agent']) }, { weight: 1, arbitrary: fc.constant<Json>(['gateway']) }),
          to: fc.constantFrom<Json[]>(['ms01'], ['ms02'], ['MS01'], ['ms01', 'ms02'], ['ms02', 'ms01'], ['gw0']),
        })
        .map(({ order, zone: z, roles, to }) => {
          const values: Record<string, Json> = { name: `a${i}`, address: `10.0.3.${i + 1}`, zone: z, roles, reportsTo: to };
          return order.map((k): Entry => [k, values[k]!]);
        });
    fc.assert(
      fc.property(fc.integer({ min: 2, max: 8 }).chain((n) => fc.tuple(...Array.from({ length: n }, (_, i) => agentHost(i)))), anyWindow, (agents, through) => {
        const servers: Entry[][] = ['ms01', 'ms02'].map((name, k) => [['name', name], ['address', `10.0.0.${k + 1}`], ['roles', ['management-server']]]);
        const gateway: Entry[] = [['name', 'gw0'], ['address', '10.0.1.1'], ['roles', ['gateway']], ['reportsTo', ['ms01']]];
        const text = textOf({ top: [['managementGroup', 'CONTOSO']], hosts: [...servers, gateway, ...agents] }, { order: [], indent: 0, text: 'none', where: 0 });
        const fromGeneral = general(text);
        if (fromGeneral instanceof UserErrors) {
          expect(fast(text), text).toBeUndefined();
          return;
        }
        const fromFast = fast(text);
        expect(fromFast, text).toStrictEqual(fromGeneral);
        expect(ordered(fromFast!), text).toBe(ordered(fromGeneral));
        expectSameThroughWindow(text, fromFast, through);
      }),
      { numRuns: 300 },
    );
  });

  it('finds every name among thousands of hosts, where its table of names grows', () => {
    // 5,000 short entries: more hosts than the table is first sized for (one per 100 bytes), so it is rehashed.
    const agents = Array.from({ length: 5000 }, (_, i): Entry[] => [['name', `a${i}`], ['address', `10.1.${i >> 7}.${(i & 127) + 1}`], ['roles', ['agent']], ['reportsTo', [`GW${i % 3}`]]]);
    const gateways = [0, 1, 2].map((k): Entry[] => [['name', `gw${k}`], ['address', `10.0.1.${k + 1}`], ['roles', ['gateway']], ['reportsTo', ['ms01']]]);
    const server: Entry[] = [['name', 'ms01'], ['address', '10.0.0.1'], ['roles', ['management-server']]];
    const textWith = (extra: Entry[][]) => textOf({ top: [['managementGroup', 'CONTOSO']], hosts: [server, ...agents, ...gateways, ...extra] }, { order: [], indent: 0, text: 'none', where: 0 });
    const text = textWith([]);
    const fromGeneral = general(text);
    if (fromGeneral instanceof UserErrors) throw new Error(fromGeneral.format());
    const fromFast = fast(text);
    expect(fromFast).toStrictEqual(fromGeneral);
    expect(ordered(fromFast!)).toBe(ordered(fromGeneral));
    // Read through a window of 4 KiB in reads of 1,000 bytes: it slides about 50 times over the 200 kB.
    expectSameThroughWindow(text, fromFast, { window: { bytes: 4096, ahead: 512 }, piece: 1000, sized: true });
    // A name taken before the table grew, written again in other letters: the general path refuses it.
    const twice = textWith([[['name', 'A17'], ['address', '10.0.2.1'], ['roles', ['agent']], ['reportsTo', ['ms01']]]]);
    expect(general(twice)).toBeInstanceOf(UserErrors);
    expect(fast(twice)).toBeUndefined();
    expect(windowed(twice, { bytes: 4096, ahead: 512 }, 1000, false)).toBeUndefined();
  });

  it('takes a host name exactly when the general path does', () => {
    // The lane checks names byte by byte before it asks hostNameRule's pattern: the two must agree on every name.
    const nameChar = fc.constantFrom('a', 'Z', '0', '9', '_', '.', '-', ' ', '*', 'é');
    const name = fc.oneof(
      fc.array(nameChar, { maxLength: 8 }).map((a) => a.join('')),
      fc.tuple(fc.array(nameChar, { maxLength: 3 }), fc.integer({ min: 250, max: 256 })).map(([a, n]) => a.join('') + 'x'.repeat(n - a.length)),
    );
    fc.assert(
      fc.property(name, (n) => {
        const text = JSON.stringify({ managementGroup: 'X', hosts: [{ name: 'ms01', address: '10.0.0.1', roles: ['management-server'] }, { name: n, address: '10.0.0.2', roles: ['agent'] }] });
        const fromGeneral = general(text);
        if (fromGeneral instanceof UserErrors) expect(fast(text), n).toBeUndefined();
        else if (!/[^\x20-\x7e]/.test(n)) expect(fast(text), n).toStrictEqual(fromGeneral);
      }),
      { numRuns: 2000 },
    );
  });

  it('takes the plain files it is made for', () => {
    fc.assert(
      fc.property(shape, fc.constantFrom<Writing['indent']>(0, 2, '\t'), (s, indent) => {
        const text = textOf(s, { order: [], indent, text: 'none', where: 0 });
        const fromGeneral = general(text);
        // Outside the fast lane's shape: CIDRs and ranges (none generated here), connected groups (none).
        if (fromGeneral instanceof UserErrors) return;
        expect(fast(text), text).toBeDefined();
      }),
      { numRuns: 500 },
    );
  });
});
