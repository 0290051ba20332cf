export { derivePlan, flowId, settingOf } from './derive.js';
export type { Endpoint, Flow, Plan } from './types.js';
