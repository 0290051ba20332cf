import { hostOses, linuxPolicies, roles } from '../catalog/roles.js';
import { portSettings } from '../catalog/types.js';
import { descriptionRule, hostNameRule, zoneRule } from './text.js';

/**
 * A quick yes to "does this host entry pass hostSchema?" for the entries that plainly do, so that 150,000 agents
 * are not each taken through zod (measured: zod was a third of loading 15,000 hosts, with its garbage). It only
 * ever says yes or "ask zod": any key, type or value it does not recognise, even one zod would accept, sends the
 * entry to zod, which then decides and words every problem as before. It must never say yes where zod says no
 * (test/property/fast-host.property.test.ts compares the two on generated entries).
 */
export function plainlyValidHost(raw: unknown): boolean {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw) || Object.getPrototypeOf(raw) !== Object.prototype) return false;
  let hasName = false;
  let hasRoles = false;
  for (const key in raw) {
    if (!Object.hasOwn(raw, key)) return false;
    const check = fieldChecks.get(key);
    if (!check || !check((raw as Record<string, unknown>)[key])) return false;
    if (key === 'name') hasName = true;
    else if (key === 'roles') hasRoles = true;
  }
  return hasName && hasRoles;
}

type Check = (value: unknown) => boolean;

const roleSet: ReadonlySet<unknown> = new Set(roles);
const osSet: ReadonlySet<unknown> = new Set(hostOses);

const isText = (value: unknown): value is string => typeof value === 'string';
const matches = (pattern: RegExp): Check => (value) => isText(value) && pattern.test(value);
const oneOf = (allowed: readonly unknown[]): Check => (value) => allowed.includes(value);
const isBoolean: Check = (value) => value === true || value === false;
const isPort: Check = (value) => typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 65535;

/** A non-empty array (a real one, every slot filled) whose every item passes `item`. */
const listOf = (item: Check): Check => (value) => {
  if (!Array.isArray(value) || value.length === 0 || Object.getPrototypeOf(value) !== Array.prototype) return false;
  for (let i = 0; i < value.length; i++) if (!(i in value) || !item(value[i])) return false;
  return true;
};

const isHostName = matches(hostNameRule.pattern);
const hostNames = listOf(isHostName);

/** One check per key of hostSchema (src/topology/schema.ts), each as strict as the schema or stricter. */
const fieldChecks: ReadonlyMap<string, Check> = new Map<string, Check>([
  ['name', isHostName],
  ['description', matches(descriptionRule.pattern)],
  ['address', isText],
  ['addresses', listOf(isText)],
  ['zone', matches(zoneRule.pattern)],
  ['roles', listOf((r) => roleSet.has(r))],
  ['os', (v) => osSet.has(v)],
  ['linuxPolicy', oneOf(linuxPolicies)],
  ...portSettings.map((s): [string, Check] => [s, isPort]),
  ['sqlBrowser', isBoolean],
  ['webConsoleTls', isBoolean],
  ['install', oneOf(['push', 'manual'])],
  ['domain', isHostName],
  ['authentication', oneOf(['kerberos', 'certificate'])],
  ['managementServerInitiatesConnection', isBoolean],
  ['reportsTo', hostNames],
  ['managementServers', hostNames],
  ['acsCollectors', hostNames],
  ['domainControllers', hostNames],
]);

/** The keys the fast check knows, for the test that keeps it in step with hostSchema. */
export const fastHostKeys: readonly string[] = [...fieldChecks.keys()];
