import type { Role } from './roles.js';
import type { PortSetting } from './types.js';

/** Which roles listen on each port setting: a setting is only meaningful on a host with one of them. */
export const settingRoles: Readonly<Record<PortSetting, readonly Role[]>> = {
  sqlPort: ['operational-database', 'data-warehouse', 'acs-database'],
  agentPort: ['management-server', 'gateway'],
  webConsolePort: ['web-console-server'],
  reportingPort: ['reporting-server'],
  acsPort: ['acs-collector'],
  aemPort: ['aem-file-share'],
  ceipPort: ['ceip-endpoint'],
  sshPort: ['unix-agent'],
};

/** Which roles may carry each relationship list. */
export const relationshipRoles = {
  reportsTo: ['agent', 'gateway', 'unix-agent', 'network-device'],
  managementServers: ['operations-console', 'web-console-server', 'reporting-server', 'connector'],
  acsCollectors: ['acs-forwarder'],
  domainControllers: ['management-server', 'gateway', 'agent'],
} as const satisfies Record<string, readonly Role[]>;
