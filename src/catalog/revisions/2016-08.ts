import { cells, connectedReadings, gatewayReadings, managementServerPeers, port, readings, rowsOf, setting, tcp, tcpAssumed } from '../build.js';
import { ownRowsFor } from '../own-rows.js';
import type { Role } from '../roles.js';
import type { CatalogRevision, CatalogRow, DocCells, Erratum, Reading } from '../types.js';

/**
 * "Configuring a Firewall for Operations Manager", System Center 2016, ms.date 2016-08-29: the 19 rows of the
 * page, cells verbatim (the seed page of this project). Row numbers count the table's rows from 1.
 */
const note5724 = 'Port 5724 must be open to install this feature and can be closed after this feature has been installed.';

const gatewayToManagementServer = gatewayReadings();
const gatewayChain =
  'A gateway may report to another gateway (chained gateways), and with /ManagementServerInitiatesConnection=True (deployment key managementServerInitiatesConnection) the management server or upstream gateway opens the connection to the gateway\'s agentPort instead (SCD scom/deploy-install-gateway-server.md).';

const roles2016: readonly Role[] = [
  'management-server', 'gateway', 'operational-database', 'data-warehouse', 'reporting-server', 'operations-console',
  'web-console-server', 'web-console-browser', 'connector', 'agent', 'acs-forwarder', 'acs-collector', 'acs-database',
  'aem-client', 'aem-file-share', 'ceip-client', 'ceip-endpoint',
];

const makeRow = rowsOf('2016-08');
const row = (n: number, doc: DocCells, reading: Reading[], configuredBy: string, erratum?: Erratum): CatalogRow =>
  makeRow(n, doc, reading, configuredBy, erratum ? { erratum } : {});

export const revision2016: CatalogRevision = {
  revision: '2016-08',
  title: 'Configuring a Firewall for Operations Manager (System Center 2016, ms.date 2016-08-29)',
  source: 'MicrosoftDocs/SystemCenterDocs, the 2016-08-29 text (shared/seed/configuring-a-firewall-for-operations-manager-2016.md)',
  portDefaults: { sqlPort: 1433, agentPort: 5723, webConsolePort: 80, reportingPort: 80, acsPort: 51909, aemPort: 51906, ceipPort: 51907, sshPort: 22 },
  webConsoleTlsPort: 443,
  roles: roles2016,
  ownRows: ownRowsFor(roles2016),
  rows: [
    row(
      1,
      cells('management server', '1433 --->', 'Operations Manager database', 'Yes (Setup)'),
      readings({ from: 'management-server', to: 'operational-database', pairing: 'all' }, tcp(setting('sqlPort'))),
      'Setup: /SqlServerInstance and /SqlInstancePort; deployment key sqlPort on the database host.',
    ),
    row(
      2,
      cells('management server', '5723, 5724 --->', 'management server', 'No', note5724),
      managementServerPeers(),
      '5723 follows the destination\'s /ManagementServicePort (deployment key agentPort); 5724 is fixed.',
    ),
    row(
      3,
      cells('gateway server', '5723 --->', 'management server', 'No'),
      gatewayToManagementServer,
      'Gateway setup: MOMGateway.msi ROOT_MANAGEMENT_SERVER_PORT (deployment key agentPort on the management server).',
      {
        text: `The same connection is listed again as row 13 with "Yes (Setup)". Both rows are read as one reading and every flow cites both; "Yes (Setup)" is the accurate one (the gateway installer takes ROOT_MANAGEMENT_SERVER_PORT). ${gatewayChain}`,
        evidence: 'reference/scom-ports.md §2.2 item 3 and §3 (gateway row)',
      },
    ),
    row(
      4,
      cells('management server', '1433 --->', 'Reporting data warehouse', 'No'),
      readings({ from: 'management-server', to: 'data-warehouse', pairing: 'all' }, tcp(setting('sqlPort'))),
      'Setup: /DWSqlServerInstance and /DWSqlInstancePort; deployment key sqlPort on the warehouse host.',
      {
        text: 'The row says the port is not configurable, yet setup takes /DWSqlInstancePort and row 18 says "Yes" for the same SQL listener. The reading uses the warehouse\'s real sqlPort.',
        evidence: 'reference/scom-ports.md §2.2 item 5 and §3 (MS → DW)',
      },
    ),
    row(
      5,
      cells('Reporting server', '5723, 5724 --->', 'management server', 'No', note5724),
      readings({ from: 'reporting-server', to: 'management-server', pairing: 'managementServers' }, tcp(setting('agentPort')), tcp(port(5724))),
      'Not configurable (5723 follows the management server\'s agentPort).',
      {
        text: 'The note says 5724 can be closed after installation, but SQL Server Reporting Services uses the SDK service on the management server at run time (the Operations Manager data source of every report): 5724 is read as always.',
        evidence: 'reference/scom-ports.md §2.2 item 9; SCD scom/deploy-install-reporting-server.md',
      },
    ),
    row(
      6,
      cells('Operations console', '5724 --->', 'management server', 'No'),
      readings({ from: 'operations-console', to: 'management-server', pairing: 'managementServers' }, tcp(port(5724))),
      'Not configurable.',
    ),
    row(
      7,
      cells('Connector framework source', '51905 --->', 'management server', 'No'),
      readings({ from: 'connector', to: 'management-server', pairing: 'managementServers' }, tcp(port(51905))),
      'Not configurable.',
      tcpAssumed('51905'),
    ),
    row(
      8,
      cells('web console server', 'Web site port --->', 'management server', 'No'),
      readings({ from: 'web-console-server', to: 'management-server', pairing: 'managementServers' }, tcp(port(5724))),
      'Not configurable.',
      {
        text: '"Web site port" is a documentation error: the web console server talks to the SDK service on the management server, TCP 5724, as the 2007 table and every revision from 2018 say.',
        evidence: 'reference/scom-ports.md §1.0 (2007 table), §1.4 (07/20/2018 revision), §2.2 item 1',
      },
    ),
    row(
      9,
      cells(
        'web console browser',
        '51908 --->',
        'web console server',
        'Yes (IIS Admin)',
        'Port 51908 is the default port used when selecting Windows Authentication. If you select Forms Authentication, you will need to install an SSL certificate and configure an available port for https functionality for the Operations Manager web console web site.',
      ),
      readings({ from: 'web-console-browser', to: 'web-console-server', pairing: 'all' }, tcp(setting('webConsolePort'))),
      'IIS Admin: the binding of the IIS site the web console is installed into; deployment key webConsolePort (webConsoleTls: true gives 443).',
      {
        text: '51908 was the default of the OpsMgr 2007 web console\'s own site; from 2012 on the console installs into an existing IIS site and uses its binding (80/443), as the 2024-11 revision reads it. The cell is kept verbatim, but the default of webConsolePort is 80 (443 with webConsoleTls: true); set webConsolePort: 51908 only if your site really binds it.',
        evidence: 'reference/scom-ports.md §1.0, §1.1 (2012 R2 Web Console Security page), §2.2 item 2',
      },
    ),
    row(
      10,
      cells('connected management server (Local)', '5724 --->', 'connected management server (Connected)', 'No'),
      connectedReadings(),
      'Not configurable.',
      {
        text: 'The connected management groups page says the management servers of both groups talk over TCP 5723 and 5724, both ways; this table lists 5724 one way only. The reading follows the connected-groups page by default; a connected group with reading: firewall-table keeps the table\'s 5724 one way.',
        evidence: 'reference/scom-ports.md §1.1 (connected groups) and §2.2 item 10; SCD scom/manage-connected-management-groups.md',
      },
    ),
    row(
      11,
      cells('Agent installed using MOMAgent.msi', '5723 --->', 'management server', 'Yes (Setup)'),
      readings({ from: 'agent', to: 'management-server', pairing: 'reportsTo' }, tcp(setting('agentPort'))),
      'MOMAgent.msi SECURE_PORT (wizard: "Management Server Port"); deployment key agentPort on the management server.',
    ),
    row(
      12,
      cells('Agent installed using MOMAgent.msi', '5723 --->', 'gateway server', 'Yes (Setup)'),
      readings({ from: 'agent', to: 'gateway', pairing: 'reportsTo' }, tcp(setting('agentPort'))),
      'MOMAgent.msi SECURE_PORT; deployment key agentPort on the gateway.',
    ),
    row(
      13,
      cells('gateway server', '5723 --->', 'management server', 'Yes (Setup)'),
      gatewayToManagementServer,
      'Gateway setup: MOMGateway.msi ROOT_MANAGEMENT_SERVER_PORT (deployment key agentPort on the management server).',
      {
        text: `Duplicate of row 3 (which says "No"). One reading serves both rows. ${gatewayChain}`,
        evidence: 'reference/scom-ports.md §2.2 item 3',
      },
    ),
    row(
      14,
      cells('Agent (Audit Collection Services forwarder)', '51909 --->', 'management server Audit Collection Services collector', 'Yes (Registry)'),
      readings({ from: 'acs-forwarder', to: 'acs-collector', pairing: 'acsCollectors' }, tcp(setting('acsPort'))),
      'Registry on forwarder and collector (key not documented by Microsoft); deployment key acsPort on the collector.',
      tcpAssumed('51909'),
    ),
    row(
      15,
      cells('Agentless Exception Monitoring data from client', '51906 --->', 'management server Agentless Exception Monitoring file share', 'Yes (Client Monitoring Wizard)'),
      readings({ from: 'aem-client', to: 'aem-file-share', pairing: 'all' }, tcp(setting('aemPort'))),
      'Client Monitoring Wizard; deployment key aemPort on the file share host.',
      tcpAssumed('51906'),
    ),
    row(
      16,
      cells('Customer Experience Improvement Program data from client', '51907 --->', 'management server (Customer Experience Improvement Program End) Point', 'Yes (Client Monitoring Wizard)'),
      readings({ from: 'ceip-client', to: 'ceip-endpoint', pairing: 'all' }, tcp(setting('ceipPort'))),
      'Client Monitoring Wizard; deployment key ceipPort on the endpoint host.',
      tcpAssumed('51907'),
    ),
    row(
      17,
      cells('Operations console (reports)', '80 --->', 'SQL Reporting Services', 'No', 'The Operations console uses Port 80 to connect to the SQL Reporting Services web site.'),
      readings({ from: 'operations-console', to: 'reporting-server', pairing: 'all' }, tcp(setting('reportingPort'))),
      'Reporting Services Configuration Manager (web service URL); deployment key reportingPort on the reporting server.',
      {
        text: 'The row says "No", but the Reporting Services web service URL port is set in Reporting Services Configuration Manager. The reading uses the reporting server\'s reportingPort (default 80).',
        evidence: 'reference/scom-ports.md §1.8 (SQL Server Reporting Services)',
      },
    ),
    row(
      18,
      cells('Reporting server', '1433 --->', 'Reporting data warehouse', 'Yes'),
      readings({ from: 'reporting-server', to: 'data-warehouse', pairing: 'all' }, tcp(setting('sqlPort'))),
      'SQL Server Configuration Manager on the warehouse; deployment key sqlPort.',
    ),
    row(
      19,
      cells('management server (Audit Collection Services collector)', '1433 --->', 'Audit Collection Services database', 'Yes'),
      readings({ from: 'acs-collector', to: 'acs-database', pairing: 'all' }, tcp(setting('sqlPort'))),
      'SQL Server Configuration Manager on the ACS database host; deployment key sqlPort.',
    ),
  ],
};
