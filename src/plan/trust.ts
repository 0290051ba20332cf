import type { Plan } from './types.js';

/*
 * Which plans a target may write from without checking them against the plan schema again. The schema check
 * itself (contract.ts) needs zod; it is installed here when contract.ts is loaded, so that a command whose plans
 * all come from derivePlan (render, plan, validate) never loads zod, and a plan nobody vouches for still fails
 * closed.
 */

/** Plans known to satisfy the schema: made by derivePlan (valid by construction, property-tested) or parsed. */
const trusted = new WeakSet<Plan>();

/** Marks a plan as satisfying the schema; derivePlan and parsePlan call it, nothing else should. */
export function trustPlan(plan: Plan): Plan {
  trusted.add(plan);
  return plan;
}

/**
 * A plan value that no target may write from: a bug in the program that built the plan, not a user mistake, so
 * the CLI reports it as an internal error (exit 3).
 */
export class InvalidPlanError extends Error {
  constructor(readonly path: string, reason: string) {
    super(`the plan is not valid at ${path || '(top level)'}: ${reason}`);
    this.name = 'InvalidPlanError';
  }
}

let schemaCheck: ((plan: Plan) => Plan) | undefined;

/** Installs the schema check (contract.ts does, when it is loaded). */
export function installSchemaCheck(check: (plan: Plan) => Plan): void {
  schemaCheck = check;
}

/**
 * The plan, checked against the schema unless it is already known to satisfy it: what the target registry calls
 * once, so that no target re-checks ports, protocols or phases.
 */
export function checkPlan(plan: Plan): Plan {
  if (trusted.has(plan)) return plan;
  if (!schemaCheck) throw new InvalidPlanError('', 'it was made neither by derivePlan nor by parsePlan, and the plan schema is not loaded to check it');
  return schemaCheck(plan);
}
