import type { z } from 'zod';
import type { endpointSchema, flowSchema, planSchema } from './schema.js';

export type { FlowPhase } from '../catalog/types.js';
export type { PlanStage } from '../topology/types.js';

/*
 * The plan's types, derived from its zod schema (src/plan/schema.ts), so the types, parsePlan() and
 * schema/plan.schema.json cannot drift apart.
 */

/** A host or group as the plan shows it: everything a target needs, nothing of the deployment file. */
export type Endpoint = z.output<typeof endpointSchema>;

/** One opening between two endpoints on one protocol and port range, with the catalog rows that ask for it. */
export type Flow = z.output<typeof flowSchema>;

/** The flow plan of a deployment. */
export type Plan = z.output<typeof planSchema>;
