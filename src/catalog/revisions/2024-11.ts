import { cells, connectedReadings, gatewayReadings, icmpEcho, managementServerPeers, port, readings, rowsOf, setting, tcp, tcpAssumed, udp } from '../build.js';
import { ownRowsFor } from '../own-rows.js';
import type { Role } from '../roles.js';
import type { CatalogRevision, Erratum, Reading } from '../types.js';

/**
 * "Configure a firewall for Operations Manager", ms.date 11/01/2024: the 28 rows of the current page (the view of
 * SCOM 2016, 2022 and 2025), cells as quoted in reference/scom-ports.md §1.7. Where §1.7 shortens a note with "…",
 * the full sentence is taken from the revision that introduced it (§1.4, §1.5).
 */
const sqlInstallNote =
  'WMI Port 135 (DCOM/RPC) for the initial connection and then a dynamically assigned port above 1024. Ports 135,137,445,49152-65535 are only required to be open during the initial Management Server installation to allow the setup process to validate the state of the SQL services on the target machine.';
const note5724 = 'Port 5724/TCP must be open to install this feature and can be closed after installation.';
const sqlCell = '1433/TCP ---> 1434/UDP ---> 135/TCP (DCOM/RPC) ---> 137/UDP ---> 445/TCP ---> 49152-65535 --->';

const sqlErratum: Erratum = {
  text: 'UDP 1434 (SQL Server Browser) is needed only by a named instance on a dynamic port: it is opened only to a SQL host with sqlBrowser: true. "49152-65535" has no protocol: it is the TCP RPC dynamic range (the note\'s "above 1024" is the pre-2008 range). 1433 is the host\'s real sqlPort.',
  evidence: 'reference/scom-ports.md §2.1 (1434 row), §1.3 (SQL port paragraph), §3 (SQL named instance)',
};

/** The management server's rows to a SQL host: the listener always, the setup-time WMI/SMB/RPC ports at install. */
function managementServerToSql(to: 'operational-database' | 'data-warehouse'): Reading[] {
  const spec = { from: 'management-server', to, pairing: 'all' } as const;
  return [
    ...readings(spec, tcp(setting('sqlPort'))),
    ...readings({ ...spec, when: 'destination.sqlBrowser' }, udp(port(1434))),
    ...readings({ ...spec, phase: 'install' }, tcp(port(135)), udp(port(137)), tcp(port(445)), tcp(port(49152, 65535))),
  ];
}

/** A SQL client's rows: the listener, and the Browser where the instance is named. */
function sqlClient(from: 'reporting-server' | 'acs-collector' | 'web-console-server', to: 'data-warehouse' | 'acs-database' | 'operational-database'): Reading[] {
  return [
    ...readings({ from, to, pairing: 'all' }, tcp(setting('sqlPort'))),
    ...readings({ from, to, pairing: 'all', when: 'destination.sqlBrowser' }, udp(port(1434))),
  ];
}

const gatewayToManagementServer = gatewayReadings();

const roles2024: readonly Role[] = [
  'management-server', 'gateway', 'operational-database', 'data-warehouse', 'reporting-server', 'operations-console',
  'web-console-server', 'web-console-browser', 'connector', 'agent', 'acs-forwarder', 'acs-collector', 'acs-database',
  'aem-client', 'aem-file-share', 'ceip-client', 'ceip-endpoint', 'domain-controller', 'network-device', 'unix-agent',
  'management-pack-catalog', 'dns-server',
];

const row = rowsOf('2024-11');

const gatewayChainText = 'A gateway may report to another gateway (reportsTo: [gw1]; chained gateways), and with /ManagementServerInitiatesConnection=True (deployment key managementServerInitiatesConnection) the management server or upstream gateway opens the connection to the gateway\'s agentPort instead.';
const gatewayChainEvidence = 'SCD scom/deploy-install-gateway-server.md ("Chain multiple gateway servers", /ManagementServerInitiatesConnection)';

export const reportingSdkErratum: Erratum = {
  text: 'The note says 5724 can be closed after installation, but SQL Server Reporting Services uses the SDK service on the management server at run time (the Operations Manager data source of every report): 5724 is read as always.',
  evidence: 'reference/scom-ports.md §2.2 item 9; SCD scom/deploy-install-reporting-server.md',
};

export const connectedErratum: Erratum = {
  text: 'The connected management groups page says the management servers of both groups talk over TCP 5723 and 5724, both ways; this table lists 5724 one way only. The reading follows the connected-groups page by default; a connected group with reading: firewall-table keeps the table\'s 5724 one way.',
  evidence: 'reference/scom-ports.md §1.1 (connected groups), §2.2 item 10; SCD scom/manage-connected-management-groups.md',
};

export const revision2024: CatalogRevision = {
  revision: '2024-11',
  title: 'Configure a firewall for Operations Manager (ms.date 11/01/2024; SCOM 2016, 2019, 2022 and 2025 views)',
  source: 'MicrosoftDocs/SystemCenterDocs scom/plan-security-config-firewall.md, ms.date 11/01/2024 (reference/scom-ports.md §1.7)',
  portDefaults: { sqlPort: 1433, agentPort: 5723, webConsolePort: 80, reportingPort: 80, acsPort: 51909, aemPort: 51906, ceipPort: 51907, sshPort: 22 },
  webConsoleTlsPort: 443,
  roles: roles2024,
  ownRows: ownRowsFor(roles2024),
  rows: [
    row(1, cells('Management server', sqlCell, 'Operations Manager database', 'Yes (Setup)', sqlInstallNote), managementServerToSql('operational-database'),
      'Setup: /SqlServerInstance and /SqlInstancePort; deployment key sqlPort (and sqlBrowser for a named instance) on the database host.', { erratum: sqlErratum }),
    row(2, cells('Management server', '5723/TCP, 5724/TCP --->', 'Management server', 'No', note5724), managementServerPeers(),
      '5723 follows the destination\'s /ManagementServicePort (deployment key agentPort); 5724 is fixed.'),
    row(3, cells('Management server, Gateway Server', '53 (DNS) ---> 88 (Kerberos) ---> 389 (LDAP) --->', 'Domain Controllers', 'No',
      'Port 88 is used for Kerberos authentication, and isn\'t required if only using certificate authentication.'),
      readings({ from: ['management-server', 'gateway'], to: 'domain-controller', pairing: 'domain' },
        tcp(port(53)), udp(port(53)), tcp(port(88)), udp(port(88)), tcp(port(389)), udp(port(389))),
      'Not configurable.',
      { erratum: { text: 'The row gives no protocol; footnote 3 of the same page asks for TCP and UDP on 389, 88 and 53, so both are read. The row pairs no host with "Domain Controllers": a server reaches the domain controllers of its own domain, and a gateway in a DMZ or an untrusted domain authenticates with certificates and uses its own domain\'s DCs. So a host is paired with the DCs it names (domainControllers), else those of its domain, else those of its own zone, never across zones by default.', evidence: 'reference/scom-ports.md §1.6 (footnote 3), §1.7 (row note on certificate authentication), §2.1; SCD scom/plan-gateway-server.md ("About Gateway Servers")' } }),
    row(4, cells('Management server', '161,162 <--->', 'Network device', 'No',
      'All firewalls between the management server and the network devices need to allow SNMP (UDP) and ICMP bi-directionally.'),
      [
        ...readings({ from: ['management-server', 'gateway'], to: 'network-device', pairing: 'managedBy' }, udp(port(161)), icmpEcho),
        ...readings({ from: 'network-device', to: ['management-server', 'gateway'], pairing: 'reportsTo' }, udp(port(162)), icmpEcho),
      ],
      'Not configurable.',
      { erratum: { text: '"161,162 <--->" does not split ports by direction. Read as SNMP convention: the management server polls the device on UDP 161, the device sends traps to the management server on UDP 162, and ICMP echo both ways. The server is the one the device\'s reportsTo names, a management server or a gateway: discovery rules and the monitoring pool may run on gateways, and the flows go there only.', evidence: 'reference/scom-ports.md §2.2 item 12; SCD scom/manage-monitor-networkdevice-discover.md (discovery server: a management server or gateway)' } }),
    row(5, cells('Gateway server', '5723/TCP --->', 'Management server', 'No'), gatewayToManagementServer,
      'Gateway setup: MOMGateway.msi ROOT_MANAGEMENT_SERVER_PORT (deployment key agentPort on the management server).',
      { erratum: { text: `The same connection is listed again as row 22 with "Yes (Setup)". Both rows are read as one reading and every flow cites both; "Yes (Setup)" is the accurate one. ${gatewayChainText}`, evidence: `reference/scom-ports.md §2.2 item 3, §3 (gateway row); ${gatewayChainEvidence}` } }),
    row(6, cells('Management server', sqlCell, 'Reporting data warehouse', 'No', sqlInstallNote), managementServerToSql('data-warehouse'),
      'Setup: /DWSqlServerInstance and /DWSqlInstancePort; deployment key sqlPort (and sqlBrowser) on the warehouse host.',
      { erratum: { text: `The row says the port is not configurable, yet setup takes /DWSqlInstancePort and row 27 says "Yes" for the same listener: the reading uses the warehouse's real sqlPort. ${sqlErratum.text}`, evidence: 'reference/scom-ports.md §2.2 item 5, §3' } }),
    row(7, cells('Reporting server', '5723/TCP, 5724/TCP --->', 'Management server', 'No', note5724),
      readings({ from: 'reporting-server', to: 'management-server', pairing: 'managementServers' }, tcp(setting('agentPort')), tcp(port(5724))),
      'Not configurable (5723 follows the management server\'s agentPort).',
      { erratum: reportingSdkErratum }),
    row(8, cells('Operations console', '5724/TCP --->', 'Management server', 'No'),
      readings({ from: 'operations-console', to: 'management-server', pairing: 'managementServers' }, tcp(port(5724))), 'Not configurable.'),
    row(9, cells('Operations console', '80, 443 ---> 49152-65535 TCP <--->', 'Management Pack Catalog web service', 'No'),
      readings({ from: 'operations-console', to: 'management-pack-catalog', pairing: 'all' }, tcp(port(80)), tcp(port(443))),
      'Not configurable.',
      { feature: 'managementPackCatalog', erratum: { text: 'The footnote asks only for HTTP and HTTPS to the catalog URLs; "49152-65535 TCP <--->" to an Internet web service is not read (a stateful firewall lets the replies back).', evidence: 'reference/scom-ports.md §1.5, §2.2 item 13' } }),
    row(10, cells('Connector framework source', '51905 --->', 'Management server', 'No'),
      readings({ from: 'connector', to: 'management-server', pairing: 'managementServers' }, tcp(port(51905))), 'Not configurable.', { erratum: tcpAssumed('51905') }),
    row(11, cells('Web console server', '5724/TCP --->', 'Management server', 'No'),
      readings({ from: 'web-console-server', to: 'management-server', pairing: 'managementServers' }, tcp(port(5724))), 'Not configurable.'),
    row(12, cells('Web console browser', '80, 443 --->', 'Web console server', 'Yes (IIS Admin)', 'Default ports for HTTP or SSL enabled.'),
      readings({ from: 'web-console-browser', to: 'web-console-server', pairing: 'all' }, tcp(setting('webConsolePort'))),
      'IIS Admin: the binding of the IIS site (setup /WebSiteName, /WebConsoleUseSSL); deployment key webConsolePort, or webConsoleTls: true for 443.',
      { erratum: { text: 'The row lists 80 and 443; a site serves one of them. The reading opens the one the web console server uses: 80, or 443 with webConsoleTls: true, or webConsolePort.', evidence: 'reference/scom-ports.md §1.4, §1.8 (web console installs into an existing IIS site)' } }),
    row(13, cells('Web console for Application Diagnostics', '1433/TCP ---> 1434 --->', 'Operations Manager database', 'Yes (Setup)'),
      sqlClient('web-console-server', 'operational-database'), 'Setup (the database\'s sqlPort).',
      { feature: 'applicationDiagnostics', erratum: { text: '"1434" has no protocol: it is the SQL Server Browser, UDP, opened only to a host with sqlBrowser: true (TCP 1434 would be the dedicated admin connection).', evidence: 'reference/scom-ports.md §2.1, §2.2 item 11' } }),
    row(14, cells('Web console for Application Advisor', '1433/TCP ---> 1434 --->', 'Reporting data warehouse', 'Yes (Setup)'),
      sqlClient('web-console-server', 'data-warehouse'), 'Setup (the warehouse\'s sqlPort).',
      { feature: 'applicationAdvisor', erratum: { text: '"1434" has no protocol: it is the SQL Server Browser, UDP, opened only to a host with sqlBrowser: true.', evidence: 'reference/scom-ports.md §2.1, §2.2 item 11' } }),
    row(15, cells('Connected management server (Local)', '5724/TCP --->', 'Connected management server (Connected)', 'No'),
      connectedReadings(), 'Not configurable.',
      { erratum: connectedErratum }),
    row(16, cells('Windows agent installed using MOMAgent.msi', '5723/TCP --->', 'Management server', 'Yes (Setup)'),
      readings({ from: 'agent', to: 'management-server', pairing: 'reportsTo' }, tcp(setting('agentPort'))),
      'MOMAgent.msi SECURE_PORT (wizard: "Management Server Port"); deployment key agentPort on the management server.'),
    row(17, cells('Windows agent installed using MOMAgent.msi', '5723/TCP --->', 'Gateway server', 'Yes (Setup)'),
      readings({ from: 'agent', to: 'gateway', pairing: 'reportsTo' }, tcp(setting('agentPort'))),
      'MOMAgent.msi SECURE_PORT; deployment key agentPort on the gateway.'),
    row(18, cells('Windows agent push installation, pending repair, pending update',
      '5723/TCP 135/TCP 137/UDP 138/UDP 139/TCP 445/TCP *RPC/DCOM High ports (2008 OS and later) Ports 49152-65535 TCP', '', 'No',
      'Communication is initiated from MS/GW to an Active Directory domain controller and the target computer.'),
      readings({ from: ['management-server', 'gateway'], to: 'agent', pairing: 'managedByPrimary', phase: 'install', when: 'destination.installPush' },
        tcp(port(135)), udp(port(137, 138)), tcp(port(139)), tcp(port(445)), tcp(port(49152, 65535))),
      'Not configurable.',
      { erratum: { text: 'The row has no Feature B and mixes three things: 5723/TCP is the agent\'s own connection (rows 16 and 17), the domain controller traffic is row 3, and the rest is the agent\'s primary management server or gateway (the one chosen in the Discovery Wizard, first in reportsTo; never its failovers) to an agent with install: push, needed to push, repair or update (phase install: reopen for every repair and update).', evidence: 'reference/scom-ports.md §1.3, §2.2 item 8; SCD scom/manage-deploy-windows-agent-console.md (the Discovery Wizard names the management server or gateway that installs and manages the agent)' } }),
    row(19, cells('UNIX/Linux agent discovery and monitoring of agent', 'TCP 1270 <---', 'Management server or Gateway server', 'No'),
      readings({ from: ['management-server', 'gateway'], to: 'unix-agent', pairing: 'managedBy' }, tcp(port(1270))),
      'Not configurable on the management server (the agent\'s OMI httpsport).',
      { erratum: { text: 'The arrow points from Feature B to Feature A: the management server or gateway connects to the agent\'s WS-Management listener on 1270.', evidence: 'reference/scom-ports.md §2.2 item 7, §1.8 (agent communication)' } }),
    row(20, cells('UNIX/Linux agent for installing, upgrading, and removing agent using SSH', 'TCP 22 <---', 'Management server or Gateway server', 'Yes'),
      readings({ from: ['management-server', 'gateway'], to: 'unix-agent', pairing: 'managedBy' }, tcp(setting('sshPort'))),
      'Discovery wizard SSH port; deployment key sshPort on the agent.',
      { erratum: { text: 'The arrow points from Feature B to Feature A: the management server or gateway connects to the agent\'s SSH port.', evidence: 'reference/scom-ports.md §2.2 item 7' } }),
    row(21, cells('OMED Service', 'TCP 8886 <---', 'Management server or Gateway server', 'Yes'),
      readings({ from: 'unix-agent', to: ['management-server', 'gateway'], pairing: 'reportsTo' }, tcp(port(8886))),
      'The agent\'s omsadmin.conf endpoint; the management server side is not documented.',
      { feature: 'omed', erratum: { text: 'Written as "OMED Service <--- MS/GW", but the listener is the OMED service on the management server or gateway (https://<MS>:8886); the UNIX/Linux agent connects to it.', evidence: 'reference/scom-ports.md §1.8 (OMED), §2.2 item 7' } }),
    row(22, cells('Gateway server', '5723/TCP --->', 'Management server', 'Yes (Setup)'), gatewayToManagementServer,
      'Gateway setup: MOMGateway.msi ROOT_MANAGEMENT_SERVER_PORT (deployment key agentPort on the management server).',
      { erratum: { text: `Duplicate of row 5 (which says "No"). One reading serves both rows. ${gatewayChainText}`, evidence: `reference/scom-ports.md §2.2 item 3; ${gatewayChainEvidence}` } }),
    row(23, cells('Agent (Audit Collection Services forwarder)', '51909 --->', 'Management server ACS collector', 'Yes (Registry)'),
      readings({ from: 'acs-forwarder', to: 'acs-collector', pairing: 'acsCollectors' }, tcp(setting('acsPort'))),
      'Registry on forwarder and collector (key not documented by Microsoft); deployment key acsPort on the collector.', { erratum: tcpAssumed('51909') }),
    row(24, cells('Agentless Exception Monitoring data from client', '51906 --->', 'MS AEM file share', 'Yes (Client Monitoring Wizard)'),
      readings({ from: 'aem-client', to: 'aem-file-share', pairing: 'all' }, tcp(setting('aemPort'))),
      'Client Monitoring Wizard; deployment key aemPort on the file share host.', { erratum: tcpAssumed('51906') }),
    row(25, cells('CEIP data from client', '51907 --->', 'MS (CEIP End) Point', 'Yes (Client Monitoring Wizard)'),
      readings({ from: 'ceip-client', to: 'ceip-endpoint', pairing: 'all' }, tcp(setting('ceipPort'))),
      'Client Monitoring Wizard; deployment key ceipPort on the endpoint host.', { erratum: tcpAssumed('51907') }),
    row(26, cells('Operations console (reports)', '80 --->', 'SQL Reporting Services', 'No', 'The Operations console uses Port 80 to connect to the SQL Reporting Services web site.'),
      readings({ from: 'operations-console', to: 'reporting-server', pairing: 'all' }, tcp(setting('reportingPort'))),
      'Reporting Services Configuration Manager (web service URL); deployment key reportingPort on the reporting server.',
      { erratum: { text: 'The row says "No", but the Reporting Services URL port is set in Reporting Services Configuration Manager; the reading uses the reporting server\'s reportingPort (default 80).', evidence: 'reference/scom-ports.md §1.8 (SQL Server Reporting Services)' } }),
    row(27, cells('Reporting server', '1433/TCP ---> 1434/UDP --->', 'Reporting data warehouse', 'Yes'), sqlClient('reporting-server', 'data-warehouse'),
      'SQL Server Configuration Manager on the warehouse; deployment keys sqlPort and sqlBrowser.'),
    row(28, cells('Management server (ACS collector)', '1433/TCP <--- 1434/UDP <---', 'Audit Collection Services database', 'Yes'), sqlClient('acs-collector', 'acs-database'),
      'SQL Server Configuration Manager on the ACS database host; deployment keys sqlPort and sqlBrowser.',
      { erratum: { text: 'The arrows point from the database to the collector, but the collector is the SQL client: the connection goes collector → ACS database (as the 2016 text and the 2007 table\'s intent show).', evidence: 'reference/scom-ports.md §1.4, §2.2 item 6' } }),
  ],
};
