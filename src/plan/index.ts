export { derivePlan, flowId } from './derive.js';
export type { Endpoint, Flow, Plan } from './types.js';
