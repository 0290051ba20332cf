import type { PlanStage } from '../topology/types.js';
import type { ProbeResult, ProbeState } from './results.js';

/**
 * When a result makes `check` and `report` exit 1 (docs/results.md, "Exit codes"):
 * - only required flows count: phase `always`, or `install` while the plan's phase is install;
 * - a required flow fails when it is proved not open: `closed` or `filtered`;
 * - `open|filtered` and `unprovable` are not proofs of anything: they fail only with --strict.
 */
export interface FailRule {
  /** The phase of the plan the results are judged against; undefined when unknown (every row is required). */
  readonly planPhase?: PlanStage;
  readonly strict: boolean;
}

export function isRequired(phase: ProbeResult['phase'], planPhase: PlanStage | undefined): boolean {
  return phase === 'always' || planPhase !== 'operate';
}

const provedNotOpen: ReadonlySet<ProbeState> = new Set(['closed', 'filtered']);

export function fails(result: Pick<ProbeResult, 'phase' | 'state'>, rule: FailRule): boolean {
  if (!isRequired(result.phase, rule.planPhase)) return false;
  if (result.state === 'open') return false;
  return rule.strict || provedNotOpen.has(result.state);
}
