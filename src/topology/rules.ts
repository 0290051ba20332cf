import { catalogRevision, relationshipRoles, settingRoles, type PortSetting, type Revision, type Role } from '../catalog/index.js';

/**
 * Which roles may carry which keys of a host. The schema descriptions, the loader's checks and the
 * documentation all read these tables (the port settings and relationship carriers come from the
 * catalog), so they cannot drift apart.
 */

export type HostSetting = PortSetting | 'sqlBrowser' | 'webConsoleTls' | 'install' | 'domain' | 'authentication' | 'managementServerInitiatesConnection';

/** A setting describes how a host listens or is installed, so only roles that do so may carry it. */
export const settingCarriers: Readonly<Record<HostSetting, readonly Role[]>> = {
  ...settingRoles,
  sqlBrowser: settingRoles.sqlPort,
  webConsoleTls: settingRoles.webConsolePort,
  install: ['agent'],
  domain: ['management-server', 'gateway', 'agent', 'domain-controller', 'dns-server'],
  authentication: ['agent'],
  managementServerInitiatesConnection: ['gateway'],
};

export type Relationship = keyof typeof relationshipRoles;
export const relationships = Object.keys(relationshipRoles) as Relationship[];

/** What a host may name in each relationship, by the role through which it carries the relationship. */
const targetsByCarrier: { readonly [R in Relationship]: Readonly<Record<(typeof relationshipRoles)[R][number], readonly Role[]>> } = {
  reportsTo: {
    agent: ['management-server', 'gateway'],
    'unix-agent': ['management-server', 'gateway'],
    gateway: ['management-server', 'gateway'],
    'network-device': ['management-server', 'gateway'],
  },
  managementServers: {
    'operations-console': ['management-server'],
    'web-console-server': ['management-server'],
    'reporting-server': ['management-server'],
    connector: ['management-server'],
  },
  acsCollectors: { 'acs-forwarder': ['acs-collector'] },
  domainControllers: { 'management-server': ['domain-controller'], gateway: ['domain-controller'], agent: ['domain-controller'] },
};

export function carriersOf(relationship: Relationship): readonly Role[] {
  return relationshipRoles[relationship];
}

/**
 * The roles a target must have for a host with these roles. When a host carries the relationship
 * through several roles (an agent that is also a gateway), a target must suit every one of them.
 */
export function targetRolesFor(relationship: Relationship, hostRoles: readonly Role[]): Role[] {
  const table: Partial<Record<Role, readonly Role[]>> = targetsByCarrier[relationship];
  const lists = hostRoles.map((r) => table[r]).filter((list) => list !== undefined);
  const [first = [], ...rest] = lists;
  return first.filter((r) => rest.every((list) => list.includes(r)));
}

/** `agent: management-server or gateway; gateway: management-server`, for descriptions. */
export function targetsText(relationship: Relationship): string {
  return Object.entries(targetsByCarrier[relationship] as Record<string, readonly Role[]>)
    .map(([carrier, targets]) => `${carrier}: ${listOr(targets)}`)
    .join('; ');
}

export function roleExistsIn(role: Role, revision: Revision): boolean {
  return catalogRevision(revision).roles.includes(role);
}

/** `a, b or c`, for messages and descriptions. */
export function listOr(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} or ${items.slice(-1).join('')}`;
}
