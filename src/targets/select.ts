import type { Endpoint, Plan } from '../plan/types.js';
import { summarizeNames } from '../text/names.js';
import { UserError } from '../topology/errors.js';

/**
 * What `--host NAME` can pick in one target: its subjects (hosts, or zone pairs too), which of them it writes when
 * no name is given, and why a host of the plan is not one of them. Every target picks through `selectSubjects`,
 * so a mistake reads the same whichever target made it.
 */
export interface Subjects<T> {
  /** Every subject `--host` may name, in the order the target writes them. */
  readonly all: readonly T[];
  readonly nameOf: (subject: T) => string;
  /** The subjects written without `--host`; default all. */
  readonly byDefault?: (subject: T) => boolean;
  /** What the subjects are, for the hint: `Windows hosts that accept flows`. */
  readonly noun: string;
  /** Why a host of the plan that is not a subject is not one: `accepts no flow in this plan`. */
  readonly whyNot?: (host: Endpoint) => string;
  /** What a name may name besides a host: `zone pair`. */
  readonly alsoNamed?: string;
}

/** How many choices a hint lists before it says how many more there are. */
const shownChoices = 20;

/** The subjects to write: the default ones, or the one(s) `wanted` names; a name that picks nothing is a UserError. */
export function selectSubjects<T>(plan: Plan, wanted: string | undefined, subjects: Subjects<T>): T[] {
  const { all, byDefault } = subjects;
  if (wanted === undefined) return byDefault ? all.filter(byDefault) : [...all];
  // Names compare regardless of case, as the loader compares them (and check --from, listen --as).
  const key = wanted.toLowerCase();
  const chosen = all.filter((s) => subjects.nameOf(s).toLowerCase() === key);
  if (chosen.length > 0) return chosen;
  throw hostMistake(plan, wanted, subjects);
}

/** `--host NAME` picks nothing in one target: with several targets, that target is skipped rather than the render refused. */
export class HostNotSelectedError extends UserError {}

function hostMistake<T>(plan: Plan, wanted: string, subjects: Subjects<T>): UserError {
  const known = plan.hosts.find((h) => h.name.toLowerCase() === wanted.toLowerCase());
  const what = subjects.alsoNamed ? `host or ${subjects.alsoNamed}` : 'host';
  const why = known ? (subjects.whyNot?.(known) ?? `is not one of the ${subjects.noun}`) : `is not a ${what} of this plan`;
  const names = subjects.all.map(subjects.nameOf);
  const hint = names.length > 0 ? `--host takes one of the ${subjects.noun}: ${summarizeNames(names, shownChoices)}` : `this plan has no ${subjects.noun}`;
  return new HostNotSelectedError(`${JSON.stringify(wanted)} ${why}`, undefined, hint);
}

/** The one host of the plan `wanted` names (any host: documents and diagrams show every host), or undefined for all. */
export function scopeHost(plan: Plan, wanted: string | undefined): Endpoint | undefined {
  if (wanted === undefined) return undefined;
  return selectSubjects(plan, wanted, { all: plan.hosts, nameOf: (h) => h.name, noun: 'hosts of this plan' })[0];
}
