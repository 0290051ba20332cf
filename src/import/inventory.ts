import { roles as allRoles, type HostOs, type Role } from '../catalog/roles.js';
import type { AddressSet } from '../net/address-set.js';

/**
 * What an importer knows about a management group, before it becomes a deployment file: one machine per
 * computer (or per CSV row), with what the source says and nothing guessed. Both importers (SCOM export, CSV)
 * produce this; src/import/write.ts groups it and writes the YAML.
 */

/** Deployment host keys an importer may set besides name, addresses, roles and reportsTo. */
export interface HostFields {
  description?: string;
  zone?: string;
  os?: HostOs;
  sqlPort?: number;
  sqlBrowser?: boolean;
  agentPort?: number;
  webConsolePort?: number;
  webConsoleTls?: boolean;
  reportingPort?: number;
  acsPort?: number;
  aemPort?: number;
  ceipPort?: number;
  sshPort?: number;
  install?: 'push' | 'manual';
  managementServers?: string[];
  acsCollectors?: string[];
  /** Never imported (the export does not name DCs); typed here because an update keeps and prunes it. */
  domainControllers?: string[];
}

export interface Machine {
  readonly name: string;
  readonly addresses: AddressSet;
  readonly roles: Role[];
  /** Primary first, then failovers; absent when the source does not say (the loader then defaults it, and says so). */
  reportsTo?: string[];
  readonly fields: HostFields;
  /** Agents, UNIX/Linux agents and network devices: written as group entries, many machines per entry. */
  readonly groupable: boolean;
  /** What the source could not say about this machine: TODO comments on its entry and lines on standard error. */
  readonly todos: string[];
}

export interface Inventory {
  readonly managementGroup: string;
  /** Lines for the top of the file: where the data came from and when. */
  readonly header: readonly string[];
  readonly machines: readonly Machine[];
  /** What the source cannot know: each becomes a TODO comment in the file and a line on standard error. */
  readonly todos: readonly string[];
  /** The catalog revision to write in a new file. */
  readonly catalog: '2016-08' | '2024-11';
}

/** The roles an import knows from its source; other roles in an existing file were added by hand and are kept. */
export const importedRoles: readonly Role[] = [
  'management-server',
  'gateway',
  'operational-database',
  'data-warehouse',
  'reporting-server',
  'web-console-server',
  'acs-collector',
  'agent',
  'unix-agent',
  'network-device',
];

/** Roles of machines written many to an entry. */
export const groupableRoles: readonly Role[] = ['agent', 'unix-agent', 'network-device'];

/** Roles in catalog order, each once. */
export function sortRoles(list: Iterable<Role>): Role[] {
  const set = new Set(list);
  return allRoles.filter((r) => set.has(r));
}

/** The order hosts are written in: servers first, then clients, groups last. */
export function roleRank(roles: readonly Role[]): number {
  const ranks: readonly Role[] = [
    'management-server',
    'gateway',
    'operational-database',
    'data-warehouse',
    'acs-database',
    'reporting-server',
    'web-console-server',
    'acs-collector',
    'domain-controller',
    'connector',
    'operations-console',
    'web-console-browser',
    'agent',
    'unix-agent',
    'network-device',
  ];
  const found = roles.map((r) => ranks.indexOf(r)).filter((i) => i >= 0);
  return found.length > 0 ? Math.min(...found) : ranks.length;
}
