import { port, readings, setting, tcp, udp } from './build.js';
import type { Role } from './roles.js';
import type { OwnRow, Reading } from './types.js';

/**
 * Flows a SCOM management group needs that Microsoft's firewall table does not list. They are scomfw's reading,
 * not Microsoft's: each cites the page that shows the need, and `scomfw catalog` prints them apart from the table.
 * Rows needed by every deployment that has their roles apply always; rows for a way of working that only some
 * deployments use apply only when a feature turns them on.
 */
const domainPorts = [tcp(port(53)), udp(port(53)), tcp(port(88)), udp(port(88)), tcp(port(389)), udp(port(389))] as const;
const dnsPorts = [tcp(port(53)), udp(port(53))] as const;

const own = (n: number, title: string, rowReadings: Reading[], source: string, configuredBy: string, feature?: OwnRow['feature']): OwnRow => ({
  origin: 'scomfw',
  id: `scomfw#${n}`,
  number: n,
  title,
  readings: rowReadings,
  source,
  configuredBy,
  ...(feature ? { feature } : {}),
});

export const ownRows: readonly OwnRow[] = [
  own(1, 'Management server deploys reports to SQL Server Reporting Services',
    readings({ from: 'management-server', to: 'reporting-server', pairing: 'all' }, tcp(setting('reportingPort'))),
    'Reports come in management packs and the management server deploys them to the SSRS web service whenever a pack with reports is imported; event 31567 on the management server when it cannot. SSRS listens on 80 by default and opens no port itself (reference/scom-ports.md §1.8; SCD scom/deploy-install-reporting-server.md).',
    'Reporting Services Configuration Manager (web service URL); deployment key reportingPort on the reporting server.'),
  own(2, 'Reporting setup reads the operational database',
    [
      ...readings({ from: 'reporting-server', to: 'operational-database', pairing: 'all', phase: 'install' }, tcp(setting('sqlPort'))),
      ...readings({ from: 'reporting-server', to: 'operational-database', pairing: 'all', phase: 'install', when: 'destination.sqlBrowser' }, udp(port(1434))),
    ],
    'The reporting setup account needs sysadmin on the operational database (OperationsManager) as well as on the ReportServer instance, so the installer deploys its logins and permissions there (SCD scom/deploy-install-reporting-server.md, Prerequisites).',
    'The operational database\'s sqlPort (and sqlBrowser).'),
  own(3, 'Audit Collection Services reports read the ACS database',
    [
      ...readings({ from: 'reporting-server', to: 'acs-database', pairing: 'all' }, tcp(setting('sqlPort'))),
      ...readings({ from: 'reporting-server', to: 'acs-database', pairing: 'all', when: 'destination.sqlBrowser' }, udp(port(1434))),
    ],
    'ACS reporting installs its reports and the "Db Audit" data source into SSRS; the reports query the ACS database (OperationsManagerAC) from the Reporting Services server at run time (SCD scom/manage-security-install-acs-reporting.md).',
    'The ACS database\'s sqlPort (and sqlBrowser).', 'acsReporting'),
  own(4, 'SDK connectors reach the SDK service',
    readings({ from: 'connector', to: 'management-server', pairing: 'managementServers' }, tcp(port(5724))),
    'Product connectors (Orchestrator, Service Manager, ticketing connectors) are clients of the System Center Data Access (SDK) service, which listens on TCP 5724 like the Operations console\'s row (reference/scom-ports.md §1.7, "Operations console 5724/TCP ---> Management server").',
    'Not configurable.', 'sdkConnectors'),
  own(5, 'AEM clients write to the AEM file share',
    readings({ from: 'aem-client', to: 'aem-file-share', pairing: 'all' }, tcp(port(445))),
    'Agentless Exception Monitoring stores the error reports in the file share named in the Client Monitoring Wizard; a file share is reached over SMB, TCP 445, which the table\'s 51906 row does not cover (reference/scom-ports.md §1.7 row 24, §2.1 445/TCP).',
    'Not configurable (SMB).'),
  own(6, 'Agents reach their domain controllers (Kerberos, AD integration)',
    readings({ from: 'agent', to: 'domain-controller', pairing: 'domain', when: 'source.kerberos' }, ...domainPorts),
    'A Windows agent authenticates to its management server with Kerberos, and AD integration assigns agents through LDAP: footnote 3 of the firewall page asks for TCP and UDP 389, 88 and 53 to the domain controllers, and the LDAP note says 389 is used for agent discovery and AD integration (reference/scom-ports.md §1.5, §1.6, §1.7).',
    'Not configurable.', 'agentDomainServices'),
  own(7, 'Gateways and certificate-based agents resolve names',
    [
      ...readings({ from: 'gateway', to: 'dns-server', pairing: 'domain' }, ...dnsPorts),
      ...readings({ from: 'agent', to: 'dns-server', pairing: 'domain', when: 'source.certificate' }, ...dnsPorts),
    ],
    'Certificate authentication (gateways always; agents in untrusted domains or workgroups) checks the peer\'s certificate subject against its fully qualified domain name, so the host resolves the management server\'s FQDN through DNS; Kerberos (port 88) is not needed, DNS is (reference/scom-ports.md §1.7 row 3 note; SCD scom/deploy-install-gateway-server.md, SCD scom/manage-security-authenticate-with-certs.md).',
    'Not configurable.'),
];

/** The own rows a revision can plan: those whose every role the revision has. */
export function ownRowsFor(roles: readonly Role[]): OwnRow[] {
  return ownRows.filter((row) => row.readings.every((r) => roles.includes(r.source) && roles.includes(r.destination)));
}
