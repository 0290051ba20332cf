import { z } from 'zod';

/**
 * The result file of `scomfw check` (and of the PowerShell prober, which writes the very same format).
 * The zod schema is the single source: the TypeScript types, the validation in `report`, and
 * schema/results.schema.json are all derived from it. Version rule: see docs/results.md.
 */
export const resultsFormat = 'scomfw-results';
export const resultsVersion = 1;

export const probeStates = ['open', 'closed', 'filtered', 'open|filtered', 'unprovable'] as const;
export type ProbeState = (typeof probeStates)[number];

export const probeReasons = [
  'syn-ack',
  'refused',
  'timeout',
  'unreachable',
  'admin-prohibited',
  'ssrp-response',
  'no-response',
  'not-probed',
  'error',
] as const;
export type ProbeReason = (typeof probeReasons)[number];

const isoDateTime = z.iso.datetime({ offset: true }).describe('ISO-8601 date and time');
const name = z.string().min(1).max(253);

export const probeResultSchema = z
  .object({
    flow: z.string().min(1).describe('the flow id from the plan: source>destination:protocol/port[-port]'),
    destination: name.describe('the destination endpoint (host or group) name'),
    address: z.string().min(1).describe('the address probed (one of the destination entry, sampled for a group)'),
    protocol: z.enum(['tcp', 'udp', 'icmp']),
    port: z.int().min(1).max(65535).nullable().describe('the port probed; null when no single port was probed (ICMP, a port range)'),
    phase: z.enum(['always', 'install']),
    state: z.enum(probeStates),
    reason: z.enum(probeReasons),
    rttMs: z.number().min(0).nullable().describe('round-trip time of the answer that decided the state; null without an answer'),
    attempts: z.int().min(0).describe('probes sent (0 when not probed)'),
    detail: z.string().describe('human text: why unprovable, the error, what answered'),
  })
  .strict();

export const summarySchema = z
  .object({
    open: z.int().min(0),
    closed: z.int().min(0),
    filtered: z.int().min(0),
    'open|filtered': z.int().min(0),
    unprovable: z.int().min(0),
  })
  .strict();

export const resultsFileSchema = z
  .object({
    format: z.literal(resultsFormat),
    version: z.literal(resultsVersion),
    prober: z.enum(['node', 'powershell']),
    managementGroup: z.string().min(1),
    catalog: z.string().min(1).describe('the catalog revision the plan was derived with, e.g. 2024-11'),
    source: z
      .object({
        name: name.describe('the deployment entry the probes were sent from'),
        addresses: z.array(z.string().min(1)).describe("the prober machine's own addresses"),
      })
      .strict(),
    startedAt: isoDateTime,
    finishedAt: isoDateTime,
    settings: z
      .object({
        timeoutMs: z.int().min(1),
        retries: z.int().min(0),
        concurrency: z.int().min(1),
        adaptive: z.boolean(),
      })
      .strict(),
    results: z.array(probeResultSchema),
    summary: summarySchema,
  })
  .strict()
  .describe('scomfw check results, version 1');

export type ProbeResult = z.infer<typeof probeResultSchema>;
export type ResultsFile = z.infer<typeof resultsFileSchema>;
export type Summary = z.infer<typeof summarySchema>;
export type ProbeSettings = ResultsFile['settings'];

/** Counts of each state, every state present (zero included) so that files are comparable. */
export function summarize(results: readonly Pick<ProbeResult, 'state'>[]): Summary {
  const summary: Summary = { open: 0, closed: 0, filtered: 0, 'open|filtered': 0, unprovable: 0 };
  for (const r of results) summary[r.state]++;
  return summary;
}

/** The JSON Schema (draft 2020-12) of the result file, as committed in schema/results.schema.json. */
export function resultsJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(resultsFileSchema, { target: 'draft-2020-12' });
  return { $schema: schema.$schema, title: 'scomfw check results', ...schema };
}
