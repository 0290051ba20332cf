import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stringify as toYaml } from 'yaml';
import { formatAddress } from '../../src/net/address.js';
import { AddressRange } from '../../src/net/range.js';
import { loadDeployment, UserErrors, type Deployment } from '../../src/topology/index.js';
import { textRules } from '../../src/topology/text.js';
import { plainUsableIPv4, unusableAddress } from '../../src/topology/addresses.js';
import { addressTextsOf } from '../../src/topology/host-addresses.js';

/** Loads text; a refusal must be UserErrors whose every error has a position, a message and a hint. */
function loadOrRefuse(text: string, file: string): Deployment | UserErrors {
  try {
    return loadDeployment(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(UserErrors);
    const errors = (e as UserErrors).errors;
    expect(errors.length).toBeGreaterThan(0);
    for (const error of errors) {
      expect(error.position?.line).toBeGreaterThanOrEqual(1);
      expect(error.position?.column).toBeGreaterThanOrEqual(1);
      expect(error.message.length).toBeGreaterThan(0);
      expect(error.hint?.length).toBeGreaterThan(0);
    }
    return e as UserErrors;
  }
}

const files = fc.constantFrom('d.yaml', 'd.json', 'd.yml');

/** Pieces of YAML and JSON syntax, so random text often gets past the parser into validation. */
const token = fc.constantFrom(
  'managementGroup: X\n', 'hosts:\n', '  - ', 'name: ', 'address: ', 'roles: ', '[agent]', '[management-server]', 'reportsTo: [a]',
  '10.0.0.1', '10.0.0.0/33', '::1', '{', '}', '[', ']', ',', ':', '"', "'", '\n', '  ', '\t', '# c\n', '&a ', '*a', '!t ',
  '? ', '---\n', 'null', '~', '1e400', '-1', 'true', '\u0000', '\u202e', 'а', '"managementGroup": "X"', '"hosts": [', '{"name": "a"}',
);
const junkText = fc.oneof(
  fc.string({ maxLength: 200 }),
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.array(token, { maxLength: 60 }).map((t) => t.join('')),
);

const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 65536, 1.5, 1e308, '', ' ', '10.0.0.1/8', 'agent', '\u0000', 'a\nb', [], {}),
  fc.string({ maxLength: 20 }),
  fc.integer(),
  fc.array(fc.oneof(fc.string({ maxLength: 5 }), fc.integer()), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 6 }), fc.string({ maxLength: 6 }), { maxKeys: 3 }),
);

// --- valid deployments ---------------------------------------------------------------------------

const v4 = fc.integer({ min: 0, max: 2 ** 32 - 1 });
const v4Text = v4.map((n) => formatAddress(4, BigInt(n)));
const cidr4 = fc.tuple(v4, fc.integer({ min: 0, max: 32 })).map(([n, len]) => {
  const size = 2 ** (32 - len);
  return `${formatAddress(4, BigInt(n - (n % size)))}/${len}`;
});
const range4 = fc.tuple(v4, v4).map(([a, b]) => `${formatAddress(4, BigInt(Math.min(a, b)))}-${formatAddress(4, BigInt(Math.max(a, b)))}`);
/** Addresses a host can have: no loopback, multicast, IPv4-mapped or unspecified address (the loader refuses those). */
const usable = (text: string): boolean => unusableAddress(AddressRange.parse(text)) === undefined;
const addressEntry = fc.oneof(v4Text, cidr4, range4, fc.ipV6()).filter(usable);
/** Every generated host has an IPv4 entry first, so no IPv4-only server meets an IPv6-only client. */
const v4Entry = fc.oneof(v4Text, cidr4, range4).filter(usable);

const zone = fc.option(fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/), { nil: undefined });
const description = fc.option(fc.stringMatching(/^[A-Za-z0-9 .,:_()/+-]{0,40}$/), { nil: undefined });

interface HostInput {
  name: string;
  roles: string[];
  address?: string;
  addresses?: string[];
  [key: string]: unknown;
}

/** A host of one kind, with the settings and relationships that kind may carry. */
function hostArb(name: string, msNames: string[], catalog: string): fc.Arbitrary<HostInput> {
  const someServers = fc.subarray(msNames, { minLength: 1 });
  const current = catalog === '2024-11';
  const kinds: fc.Arbitrary<Record<string, unknown>>[] = [
    fc.record({ roles: fc.constant(['agent']), reportsTo: fc.option(someServers, { nil: undefined }), install: fc.option(fc.constantFrom(...(current ? ['push', 'manual'] : ['manual'])), { nil: undefined }) }),
    fc.record({ roles: fc.constant(['gateway']), reportsTo: fc.option(someServers, { nil: undefined }), agentPort: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }) }),
    fc.record({ roles: fc.constant(['operations-console', 'web-console-browser', 'web-console-server']), managementServers: fc.option(someServers, { nil: undefined }) }),
    // A named instance (sqlBrowser: true) must say its port (issue 7 item 6).
    fc
      .record({ roles: fc.constant(['operational-database', 'data-warehouse']), sqlPort: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }), sqlBrowser: fc.option(current ? fc.boolean() : fc.constant(false), { nil: undefined }) })
      .map((h) => (h.sqlBrowser && h.sqlPort === undefined ? { ...h, sqlPort: 1435 } : h)),
    fc.record({ roles: fc.constant(['web-console-server']), webConsoleTls: fc.option(fc.boolean(), { nil: undefined }), webConsolePort: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }) }),
  ];
  return fc
    .tuple(fc.oneof(...kinds), fc.tuple(v4Entry, fc.array(addressEntry, { maxLength: 3 })).map(([first, rest]) => [first, ...rest]), fc.boolean(), zone, description)
    .map(([kind, entries, single, z, d]) => withoutUndefined({ name, ...kind, ...(single ? { address: singleAddress(entries[0]) } : { addresses: entries }), zone: z, description: d }) as HostInput);
}

/** `address` takes one address: keep a generated single IPv4 or IPv6 address, else a fixed one. */
function singleAddress(entry: string | undefined): string {
  return entry !== undefined && !/[/-]/.test(entry) ? entry : '192.0.2.1';
}

function withoutUndefined(o: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

const deploymentArb = fc
  .tuple(fc.constantFrom('2016-08', '2024-11'), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 0, max: 12 }), fc.stringMatching(/^[A-Za-z0-9._-]{1,20}$/))
  .chain(([catalog, msCount, otherCount, group]) => {
    const msNames = Array.from({ length: msCount }, (_, i) => `ms${i}.contoso.com`);
    const servers = msNames.map((name) => fc.tuple(v4Text.filter(usable), zone).map(([address, z]) => withoutUndefined({ name, address, zone: z, roles: ['management-server'] }) as HostInput));
    const others = Array.from({ length: otherCount }, (_, i) => hostArb(`host-${i}`, msNames, catalog));
    return fc.tuple(...servers, ...others).map((hosts) => ({ managementGroup: group, catalog, hosts }));
  });

const serialize = (value: unknown, format: 'yaml' | 'json'): string => (format === 'json' ? JSON.stringify(value, null, 2) : toYaml(value));
const formats = fc.constantFrom<'yaml' | 'json'>('yaml', 'json');

// --- mutations -----------------------------------------------------------------------------------

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to an object or array member, for picking a place to mutate. */
function pathsOf(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  if (typeof value !== 'object' || value === null) return [];
  const entries: [string | number, Json][] = Array.isArray(value) ? value.map((v, i) => [i, v]) : Object.entries(value);
  return entries.flatMap(([key, child]) => [[...prefix, key], ...pathsOf(child, [...prefix, key])]);
}

type Mutation = { kind: 'drop' } | { kind: 'replace'; junk: unknown } | { kind: 'insert'; key: string; junk: unknown };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.constant({ kind: 'drop' as const }),
  junkValue.map((junk) => ({ kind: 'replace' as const, junk })),
  fc.tuple(fc.string({ minLength: 1, maxLength: 10 }), junkValue).map(([key, junk]) => ({ kind: 'insert' as const, key: `x_${key}`, junk })),
);

/** A copy of `value` with one mutation applied at `path`. */
function mutate(value: Json, path: (string | number)[], m: Mutation): Json {
  const copy = structuredClone(value);
  const parent = path.slice(0, -1).reduce<Json>((node, key) => (node as Record<string | number, Json>)[key] ?? null, copy);
  const key = path[path.length - 1] ?? 0;
  if (typeof parent !== 'object' || parent === null) return copy;
  const target = parent as Record<string | number, unknown>;
  if (m.kind === 'drop' && Array.isArray(parent)) parent.splice(Number(key), 1);
  else if (m.kind === 'drop') Reflect.deleteProperty(target, key);
  else if (m.kind === 'replace') target[key] = m.junk;
  else if (!Array.isArray(parent)) target[m.key] = m.junk;
  return copy;
}

describe('loadDeployment never throws anything but positioned UserErrors', () => {
  it('on arbitrary text, as YAML or JSON', () => {
    fc.assert(fc.property(junkText, files, (text, file) => void loadOrRefuse(text, file)), { numRuns: 600 });
  });

  it('on valid deployments with one key dropped, one value replaced by junk, or one junk key inserted', () => {
    fc.assert(
      fc.property(deploymentArb, formats, mutation, fc.nat(), (deployment, format, m, pick) => {
        const value = deployment as unknown as Json;
        const paths = pathsOf(value);
        const path = paths[pick % paths.length] ?? [];
        const result = loadOrRefuse(serialize(mutate(value, path, m), format), `d.${format}`);
        // An unknown key is never dropped silently.
        if (m.kind === 'insert' && !Array.isArray(path.slice(0, -1).reduce<unknown>((n, k) => (n as Record<string | number, unknown>)[k], value))) {
          expect(result).toBeInstanceOf(UserErrors);
        }
      }),
      { numRuns: 300 },
    );
  });
});

describe('valid generated deployments', () => {
  it('load with every host, in order, and every address entry in canonical form', () => {
    fc.assert(
      fc.property(deploymentArb, formats, (deployment, format) => {
        const result = loadOrRefuse(serialize(deployment, format), `d.${format}`);
        if (result instanceof UserErrors) throw new Error(result.format());
        expect(result.managementGroup).toBe(deployment.managementGroup);
        expect(result.hosts.map((h) => h.name)).toEqual(deployment.hosts.map((h) => h.name));
        result.hosts.forEach((host, i) => {
          const input = deployment.hosts[i];
          const texts = input?.addresses ?? [input?.address ?? ''];
          expect(addressTextsOf(host)).toEqual(texts.map((t) => AddressRange.parse(t).toString()));
          // Only a plain IPv4 address written as `address:` keeps no list of its text (Host.addressTexts).
          expect(host.addressTexts === undefined).toBe(input?.address !== undefined && plainUsableIPv4(input.address) !== undefined);
          for (const range of texts.map((t) => AddressRange.parse(t))) {
            expect(host.addresses.contains(range.family, range.first)).toBe(true);
            expect(host.addresses.contains(range.family, range.last)).toBe(true);
          }
          expect(host.roles).toEqual(input?.roles);
        });
      }),
      { numRuns: 200 },
    );
  });
});

describe('text rules', () => {
  it('explain every value their pattern refuses, naming a character when one is to blame', () => {
    const texts = fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: 'binary', maxLength: 40 }), fc.stringMatching(/^[A-Za-z0-9._ -]{0,70}$/));
    fc.assert(
      fc.property(texts, (text) => {
        for (const rule of textRules.filter((r) => !r.pattern.test(text))) {
          const finding = rule.explain(text);
          expect(finding.hint).not.toBe('check the value against the rule above');
          if (finding.index !== undefined) expect(finding.index).toBeLessThan(Math.max(1, text.length));
        }
      }),
      { numRuns: 2000 },
    );
  });
});
