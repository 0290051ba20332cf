import type { Plan } from '../plan/types.js';

/**
 * `compute`, remembered per plan object and argument. A plan is immutable, and the targets of one render ask the
 * same questions of it (four host targets each want every host's inbound rule groups; csv, markdown and the Linux
 * zone-pair files each want the zone pairs; dot and mermaid the same graph): at 150,000 agents each answer costs
 * seconds. The answers are read-only and live as long as the plan.
 */
export function memoPerPlan<A extends string | boolean | undefined, V>(compute: (plan: Plan, arg: A) => V): (plan: Plan, arg: A) => V {
  const cache = new WeakMap<Plan, Map<A, V>>();
  return (plan, arg) => {
    let answers = cache.get(plan);
    if (!answers) cache.set(plan, (answers = new Map<A, V>()));
    if (answers.has(arg)) return answers.get(arg) as V;
    const value = compute(plan, arg);
    answers.set(arg, value);
    return value;
  };
}
