import { normalizedPlanFormat, planFormat, planVersion } from './version.js';
import type { Plan } from './types.js';

/* The plan's two JSON forms, written (contract.ts reads them back, with the zod schema). */

/** The plan as `scomfw plan --format json` prints it: format and version first, two-space indent, newline. */
export function planJson(plan: Plan): string {
  return `${JSON.stringify({ format: planFormat, version: planVersion, ...plan }, null, 2)}\n`;
}

/**
 * The normalised plan (`--format json-normalized`): every endpoint once, in `hosts`, and flows naming their source
 * and destination: 10.5 MiB instead of 27.7 MiB for 30,450 flows between 15,032 hosts. parsePlan reads both forms
 * back to the same plan.
 */
export function planJsonNormalized(plan: Plan): string {
  const { flows, hosts, ...head } = plan;
  const normalized = {
    format: normalizedPlanFormat,
    version: planVersion,
    ...head,
    hosts,
    flows: flows.map((f) => ({ ...f, source: f.source.name, destination: f.destination.name })),
  };
  return `${JSON.stringify(normalized)}\n`;
}
