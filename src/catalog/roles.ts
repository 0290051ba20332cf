/**
 * Every role a host can play. domain-controller, network-device, unix-agent and management-pack-catalog exist only in
 * catalog revisions from 2017 on; dns-server is scomfw's own (its rows are scomfw's, not Microsoft's).
 */
export const roles = [
  'management-server',
  'gateway',
  'operational-database',
  'data-warehouse',
  'reporting-server',
  'operations-console',
  'web-console-server',
  'web-console-browser',
  'connector',
  'agent',
  'acs-forwarder',
  'acs-collector',
  'acs-database',
  'aem-client',
  'aem-file-share',
  'ceip-client',
  'ceip-endpoint',
  'domain-controller',
  'network-device',
  'unix-agent',
  'management-pack-catalog',
  'dns-server',
] as const;

export type Role = (typeof roles)[number];

/** Short plural-free names used in rule display names and documents. */
export const roleLabels: Record<Role, string> = {
  'management-server': 'management server',
  gateway: 'gateway',
  'operational-database': 'operational database',
  'data-warehouse': 'data warehouse',
  'reporting-server': 'reporting server',
  'operations-console': 'operations console',
  'web-console-server': 'web console server',
  'web-console-browser': 'web console browser',
  connector: 'connector',
  agent: 'agent',
  'acs-forwarder': 'ACS forwarder',
  'acs-collector': 'ACS collector',
  'acs-database': 'ACS database',
  'aem-client': 'AEM client',
  'aem-file-share': 'AEM file share',
  'ceip-client': 'CEIP client',
  'ceip-endpoint': 'CEIP endpoint',
  'domain-controller': 'domain controller',
  'network-device': 'network device',
  'unix-agent': 'UNIX/Linux agent',
  'management-pack-catalog': 'Management Pack Catalog',
  'dns-server': 'DNS server',
};

/** The operating system a role implies when the host does not say; decides which targets write for it. */
export type HostOs = 'windows' | 'linux' | 'other';
export const hostOses: readonly HostOs[] = ['windows', 'linux', 'other'];

/**
 * What a Linux host ruleset does with what the plan does not name: `open-only` adds the planned openings and leaves
 * the host's own firewall in charge of the rest; `drop-unplanned` drops it.
 */
export const linuxPolicies = ['open-only', 'drop-unplanned'] as const;
export type LinuxPolicy = (typeof linuxPolicies)[number];

export function defaultOsFor(hostRoles: readonly Role[]): HostOs {
  if (hostRoles.includes('unix-agent')) return 'linux';
  if (hostRoles.length > 0 && hostRoles.every((r) => r === 'network-device' || r === 'management-pack-catalog')) return 'other';
  return 'windows';
}
