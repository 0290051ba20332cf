import type { Plan } from './types.js';

/** How many flows a plan has, and how many of them are install-only. */
export interface FlowCounts {
  readonly flows: number;
  readonly installOnly: number;
}

const known = new WeakMap<Plan, FlowCounts>();

/** Records the counts of a plan whose flows are built only when read (src/plan/expand.ts). */
export function knowFlowCounts(plan: Plan, counts: FlowCounts): void {
  known.set(plan, counts);
}

/**
 * The counts of a plan, without building its flows where the planner already knows them (`validate` at 150,000
 * agents needs two numbers, not 300,000 flows).
 */
export function flowCounts(plan: Plan): FlowCounts {
  const counts = known.get(plan);
  if (counts) return counts;
  return { flows: plan.flows.length, installOnly: plan.flows.filter((f) => f.phase === 'install').length };
}
