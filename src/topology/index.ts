export { loadDeployment } from './load.js';
export { loadJsonFast, type ByteSource, type WindowSize } from './fast-json.js';
export { deploymentSchema, deploymentJsonSchema } from './schema.js';
export { UserError, UserErrors, type Position } from './errors.js';
export type { ConnectedGroup, Deployment, Host, PlanStage } from './types.js';
export { addressTextsOf } from './host-addresses.js';
