import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { roles } from '../../src/catalog/roles.js';
import { fastHostKeys, plainlyValidHost } from '../../src/topology/fast-host.js';
import { hostSchema } from '../../src/topology/schema.js';

/** Values near the edges of what hostSchema takes, valid and not, for every key it has and a few it has not. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom('ms01', 'srv1.corp.example', 'a..b', '-x', 'x-', '', ' ', 'core', 'a--b', 'Zone_1', 'x'.repeat(254), '10.0.0.5', 'fd00::1', 'ünï', 'a\nb', 'agent', 'management-server', 'gateway', 'nope'),
  fc.constantFrom('windows', 'linux', 'other', 'Windows', 'push', 'manual', 'kerberos', 'certificate', 'plain text, ok (1)', 'bad;text'),
  fc.constantFrom(0, 1, 22, 1433, 65535, 65536, -1, 1.5, Number.NaN, Infinity, -0, 2 ** 53),
  fc.constantFrom(true, false, null, undefined),
  fc.string({ maxLength: 12 }),
  fc.integer(),
  fc.array(fc.constantFrom(...roles, 'nope', 'ms01', 'srv1.corp.example', '', 5, null), { maxLength: 3 }),
  fc.constantFrom([], [undefined], {}, { name: 'x' }, [['ms01']]),
);

const keys = [...fastHostKeys, 'extra', 'Name', '__proto__', 'constructor'];

/** A valid host, then some keys replaced by arbitrary values (or added, or removed). */
const hostEntry = fc
  .tuple(
    fc.record(
      {
        name: fc.constantFrom('srv1.corp.example', 'ms01', 'A_b-1'),
        address: fc.constantFrom('10.0.0.5', 'fd00::5'),
        zone: fc.constantFrom('core', 'branch0'),
        roles: fc.subarray(['agent', 'management-server', 'gateway', 'unix-agent'] as const, { minLength: 1 }),
        reportsTo: fc.constantFrom(['ms01'], ['ms01', 'ms02.corp.example']),
        install: fc.constantFrom('push', 'manual'),
        agentPort: fc.integer({ min: 1, max: 65535 }),
        os: fc.constantFrom('windows', 'linux', 'other'),
        sqlBrowser: fc.boolean(),
        description: fc.constantFrom('web farm (east)', ''),
      },
      { requiredKeys: ['name', 'roles'] },
    ),
    fc.array(fc.tuple(fc.constantFrom(...keys), anyValue, fc.boolean()), { maxLength: 4 }),
  )
  .map(([host, edits]) => {
    const entry = new Map<string, unknown>(Object.entries(host));
    for (const [key, value, remove] of edits) {
      if (remove) entry.delete(key);
      else entry.set(key, value);
    }
    // defineProperty, so that "__proto__" becomes an own key as JSON.parse makes it, not the prototype.
    const out: Record<string, unknown> = {};
    for (const [key, value] of entry) Object.defineProperty(out, key, { value, enumerable: true, writable: true, configurable: true });
    return out;
  });

describe('the fast host check', () => {
  it('says yes only where zod accepts, and zod then returns the entry unchanged', () => {
    fc.assert(
      fc.property(hostEntry, (entry) => {
        if (!plainlyValidHost(entry)) return;
        const parsed = hostSchema.safeParse(entry);
        expect(parsed.success, JSON.stringify(entry)).toBe(true);
        expect(parsed.data).toEqual(entry);
      }),
      { numRuns: 5000 },
    );
  });

  it('says yes to plain valid entries (so the fast path is taken at all)', () => {
    fc.assert(
      fc.property(hostEntry, (entry) => {
        const parsed = hostSchema.safeParse(entry);
        const plain = Object.entries(entry).every(([k, v]) => fastHostKeys.includes(k) && v !== undefined) && parsed.success;
        if (plain) expect(plainlyValidHost(entry), JSON.stringify(entry)).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('knows every key of hostSchema and no other', () => {
    expect([...fastHostKeys].sort()).toEqual(Object.keys(hostSchema.shape).sort());
  });
});
