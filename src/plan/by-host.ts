import type { Flow, Plan } from './types.js';
import { groupBy } from '../text/group.js';

/** A plan's flows by source name and by destination name, in plan order. */
interface FlowIndex {
  readonly from: ReadonlyMap<string, readonly Flow[]>;
  readonly into: ReadonlyMap<string, readonly Flow[]>;
}

const cache = new WeakMap<Plan, FlowIndex>();
const none: readonly Flow[] = Object.freeze([]);

/**
 * Built once per plan object (a plan is immutable): targets and probes that work host by host look their flows up
 * here instead of filtering every flow once per host, which made rendering quadratic (20,000 push-installed agents:
 * minutes per target).
 */
function indexOf(plan: Plan): FlowIndex {
  let index = cache.get(plan);
  if (!index) {
    index = { from: groupBy(plan.flows, (f) => f.source.name), into: groupBy(plan.flows, (f) => f.destination.name) };
    cache.set(plan, index);
  }
  return index;
}

/** The flows that start at the host or group of this name, in plan order. */
export function flowsFrom(plan: Plan, name: string): readonly Flow[] {
  return indexOf(plan).from.get(name) ?? none;
}

/** The flows that end at the host or group of this name, in plan order. */
export function flowsInto(plan: Plan, name: string): readonly Flow[] {
  return indexOf(plan).into.get(name) ?? none;
}
