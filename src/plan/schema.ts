import { z } from 'zod';
import { normalizedPlanFormat, planFormat, planVersion } from './version.js';
import { hostOses, linuxPolicies, roles } from '../catalog/roles.js';
import { flowPhases, revisions } from '../catalog/types.js';
import { PortRange, protocols } from '../net/port.js';
import { AddressRange } from '../net/range.js';
import { planStages } from '../topology/types.js';

/**
 * The plan as a versioned contract, like the results file: this zod schema is the single source of the plan's
 * TypeScript types (src/plan/types.ts), of `parsePlan()`, of the check the target registry runs before any target
 * writes, and of schema/plan.schema.json. The JSON is what `scomfw plan --format json` prints.
 *
 * Version rule: a change that a reader of version N could misread (a field removed, renamed or given another
 * meaning) raises the version; a new optional field does not.
 */
export { normalizedPlanFormat, planFormat, planVersion } from './version.js';

const text = z.string().min(1);
const addressEntry = z.string().refine(isAddressEntry, { error: 'expected an address, a CIDR prefix or a range a-b' });

function isAddressEntry(value: string): boolean {
  try {
    AddressRange.parse(value);
    return true;
  } catch {
    return false;
  }
}

const port = z.int().min(1).max(65535);

/** `{ "from": 5723, "to": 5723 }` in JSON; an interned PortRange in memory. */
export const portRangeSchema = z
  .object({ from: port, to: port })
  .refine((p) => p.from <= p.to, { error: 'expected from ≤ to' })
  .transform((p) => PortRange.of(p.from, p.to))
  .meta({ description: 'destination ports, from..to inclusive' });

export const endpointSchema = z
  .object({
    name: text.describe('host or group name, unique in the plan'),
    roles: z.array(z.enum(roles)).readonly(),
    addresses: z.array(addressEntry).min(1).readonly().describe('canonical address entries: single address, CIDR or a-b'),
    zone: text,
    os: z.enum(hostOses as unknown as readonly ['windows', 'linux', 'other']),
    connectedGroup: text.optional().describe('set on management servers of a connected management group'),
    linuxPolicy: z.enum(linuxPolicies).optional().describe('the host\'s linuxPolicy from the deployment file, where it sets one'),
  })
  .strict()
  .readonly();

function flowShape<E extends z.ZodType>(endpoint: E) {
  return z
    .object({
      id: text.describe('source>destination:protocol/port[-port], or source>destination:icmp/echo; unique in a plan'),
      source: endpoint,
      destination: endpoint,
      protocol: z.enum(protocols as unknown as readonly ['tcp', 'udp', 'icmp']),
      ports: portRangeSchema.nullable().describe('destination port range; null for ICMP (echo request)'),
      phase: z.enum(flowPhases).describe('always, or install: every row that asks for the flow says it can be closed after installation'),
      rows: z.array(text).readonly().describe('catalog row ids (2024-11#16) that ask for the flow'),
      notes: z.array(z.string()).readonly(),
      sourceRoles: z.array(z.enum(roles)).readonly(),
      destinationRoles: z.array(z.enum(roles)).readonly(),
    })
    .strict()
    .refine((f) => (f.protocol === 'icmp') === (f.ports === null), { error: 'ICMP flows have no ports, TCP and UDP flows have them' })
    .readonly();
}

export const flowSchema = flowShape(endpointSchema);

const planFields = {
  managementGroup: text,
  catalog: z.enum(revisions),
  phase: z.enum(planStages).describe('install: install-only flows included; operate: left out'),
  notes: z.array(z.string()).readonly(),
  managementAccess: z
    .array(text)
    .readonly()
    .optional()
    .describe('the deployment file\'s managementAccess entries (PROTOCOL/PORT@ADDRESS): what Linux host rulesets keep open beside the planned flows'),
  closedHosts: z
    .array(text)
    .readonly()
    .optional()
    .describe('phase operate only: hosts that accepted install-only flows and accept nothing now; host targets still write for them, so applying the operate plan removes what install opened'),
};

/** A plan in memory (what derivePlan returns and targets read): no format or version, endpoints shared. */
export const planSchema = z
  .object({
    ...planFields,
    flows: z.array(flowSchema).readonly(),
    hosts: z.array(endpointSchema).readonly().describe('every host, group and connected management server, sorted by name'),
  })
  .strict()
  .readonly();

/** The plan file: `scomfw plan --format json`. */
export const planFileSchema = z
  .object({
    format: z.literal(planFormat),
    version: z.literal(planVersion),
    ...planFields,
    flows: z.array(flowSchema),
    hosts: z.array(endpointSchema),
  })
  .strict();

/** The normalised plan file: flows refer to hosts by name (`scomfw plan --format json-normalized`). */
export const normalizedPlanFileSchema = z
  .object({
    format: z.literal(normalizedPlanFormat),
    version: z.literal(planVersion),
    ...planFields,
    hosts: z.array(endpointSchema),
    flows: z.array(flowShape(text.describe('the name of a host in hosts'))),
  })
  .strict();

/** The JSON Schema (draft 2020-12) of the plan file, as committed in schema/plan.schema.json. */
export function planJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(planFileSchema, { target: 'draft-2020-12', io: 'input' });
  return { $schema: schema.$schema, title: 'scomfw plan', ...schema };
}

/** The JSON Schema of the normalised plan file, as committed in schema/plan-normalized.schema.json. */
export function normalizedPlanJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(normalizedPlanFileSchema, { target: 'draft-2020-12', io: 'input' });
  return { $schema: schema.$schema, title: 'scomfw plan (normalised)', ...schema };
}
