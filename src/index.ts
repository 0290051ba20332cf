/**
 * scomfw as a library: the same pipeline the CLI runs, deployment → plan → targets and probe results.
 *
 *   const deployment = loadDeployment(text, 'deployment.yaml');
 *   const plan = derivePlan(deployment, catalogRevision(deployment.catalog));
 *   const files = renderTarget(targets.get('nftables')!, plan, {});
 *   const openings = openingsOf(plan).all; // what each destination must accept, as address sets
 */
export * from './catalog/index.js';
export * from './net/index.js';
export { derivePlan, flowId, type Endpoint, type Flow, type Plan } from './plan/index.js';
export { formatPlan, planFormats, planJson, type PlanFormat } from './plan/format.js';
export { addressSetOf, openingsFrom, openingsOf, type Opening, type PlanOpenings } from './plan/openings.js';
export * from './topology/index.js';
export { renderTarget, targets, targetNames } from './targets/registry.js';
export type { RenderedFile, RenderOptions, Target } from './targets/types.js';
export { resultsFileSchema, resultsJsonSchema, type ProbeResult, type ResultsFile } from './probe/results.js';
export { runCheck, type CheckOptions } from './probe/check.js';
export { mergeResults, parseResultsFile, type Matrix } from './probe/report.js';
