import { UserError } from '../topology/errors.js';
import { checkPlan, installSchemaCheck, InvalidPlanError, trustPlan } from './trust.js';
import { normalizedPlanFileSchema, planFileSchema, planSchema } from './schema.js';
import { normalizedPlanFormat } from './version.js';
import type { Endpoint, Flow, Plan } from './types.js';

export { checkPlan, InvalidPlanError, trustPlan };
export { planJson, planJsonNormalized } from './json.js';

/*
 * Reading and writing the plan contract (src/plan/schema.ts): the two JSON forms, parsePlan() for plans that come
 * from outside, and the one check a plan passes before any target writes from it.
 */

/**
 * The plan checked against the schema (the check trust.ts's checkPlan runs for a plan that neither derivePlan nor
 * parsePlan made).
 */
function schemaCheckedPlan(plan: Plan): Plan {
  const parsed = planSchema.safeParse(plan);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new InvalidPlanError(jsonPath(issue?.path ?? []), issue?.message ?? 'invalid');
  }
  // The parsed copy has interned PortRanges; keeping the caller's objects keeps endpoint identity for caches.
  return trustPlan(plan);
}

installSchemaCheck(schemaCheckedPlan);

/**
 * A plan read from JSON (text or parsed), in either form. A mistake is a UserError naming the JSON path; flows
 * share the endpoint objects of `hosts`, as derivePlan's do.
 */
export function parsePlan(input: unknown, file = 'plan'): Plan {
  const json = typeof input === 'string' ? parseJson(input, file) : input;
  const format = (json as { format?: unknown } | null)?.format;
  if (format === normalizedPlanFormat) return parseNormalized(json, file);
  const parsed = planFileSchema.safeParse(json);
  if (!parsed.success) throw planMistake(file, parsed.error.issues[0]);
  const plan = withoutHeader(parsed.data);
  const hosts = hostsByName(plan.hosts, file);
  const flows = plan.flows.map((f, i) => ({ ...f, source: sameHost(hosts, f.source, `flows[${i}].source`, file), destination: sameHost(hosts, f.destination, `flows[${i}].destination`, file) }));
  return trustPlan(inPlanOrder(plan, flows));
}

function parseNormalized(json: unknown, file: string): Plan {
  const parsed = normalizedPlanFileSchema.safeParse(json);
  if (!parsed.success) throw planMistake(file, parsed.error.issues[0]);
  const plan = withoutHeader(parsed.data);
  const hosts = hostsByName(plan.hosts, file);
  const named = (name: string, path: string): Endpoint => {
    const host = hosts.get(name);
    if (!host) throw new UserError(`${file}: ${path}: no host named ${JSON.stringify(name)} in hosts`, undefined, planHint);
    return host;
  };
  const flows: Flow[] = plan.flows.map((f, i) => ({ ...f, source: named(f.source, `flows[${i}].source`), destination: named(f.destination, `flows[${i}].destination`) }));
  return trustPlan(inPlanOrder(plan, flows));
}

/** The keys in derivePlan's order, so that a plan read back prints byte for byte as it was written. */
function inPlanOrder(plan: Omit<Plan, 'flows'>, flows: readonly Flow[]): Plan {
  return { managementGroup: plan.managementGroup, catalog: plan.catalog, phase: plan.phase, notes: plan.notes, flows, hosts: plan.hosts };
}

const planHint = 'write the plan with scomfw plan --format json (or json-normalized); the format is schema/plan.schema.json';

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch (e) {
    throw new UserError(`${file}: not JSON: ${(e as Error).message}`, undefined, planHint);
  }
}

function planMistake(file: string, issue: { path: PropertyKey[]; message: string } | undefined): UserError {
  return new UserError(`${file}: ${jsonPath(issue?.path ?? []) || '(top level)'}: ${issue?.message ?? 'invalid'}`, undefined, planHint);
}

function hostsByName(hosts: readonly Endpoint[], file: string): Map<string, Endpoint> {
  const byName = new Map<string, Endpoint>();
  hosts.forEach((h, i) => {
    if (byName.has(h.name)) throw new UserError(`${file}: hosts[${i}].name: ${JSON.stringify(h.name)} is already the name of another host`, undefined, planHint);
    byName.set(h.name, h);
  });
  return byName;
}

/** The host of that name, which must be the very endpoint the flow embeds: a flow cannot redefine a host. */
function sameHost(hosts: ReadonlyMap<string, Endpoint>, endpoint: Endpoint, path: string, file: string): Endpoint {
  const host = hosts.get(endpoint.name);
  if (!host) throw new UserError(`${file}: ${path}.name: no host named ${JSON.stringify(endpoint.name)} in hosts`, undefined, planHint);
  if (JSON.stringify(host) !== JSON.stringify(endpoint)) throw new UserError(`${file}: ${path}: differs from the host of that name in hosts`, undefined, planHint);
  return host;
}

/** The file's body: what a Plan holds, without the format and version that only the file carries. */
function withoutHeader<T extends { format: string; version: number }>(file: T): Omit<T, 'format' | 'version'> {
  const body: Partial<T> = { ...file };
  delete body.format;
  delete body.version;
  return body as Omit<T, 'format' | 'version'>;
}

/** `flows[3].ports.from`: how a person points into a JSON document. */
function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}
