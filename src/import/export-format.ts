import { z } from 'zod';

/**
 * The inventory file written by `scomfw export-script scom` (src/import/exporters/scom-inventory.ps1) on a
 * management server and read by `scomfw import scom`. The zod schema is the single source: the types, the
 * validation of `import` and schema/scom-export.schema.json are derived from it. Field by field: docs/import.md.
 * Version rule: a change that an older importer would misread (a field renamed, a meaning changed) raises
 * `version`; the importer refuses versions it does not know rather than guess.
 */
export const scomExportFormat = 'scomfw-scom-export';
export const scomExportVersion = 1;

const name = z.string().min(1).max(253).describe('a computer name as SCOM holds it, normally the FQDN');
const addressEntry = z
  .string()
  .min(1)
  .describe('an IPv4 or IPv6 address; a hand-made or CMDB export may also give a CIDR prefix or an a-b range');
const addresses = z
  .array(addressEntry)
  .describe('the addresses the exporter found (from the SCOM object, else from DNS); empty when neither answered');
const addressSource = z
  .enum(['scom', 'dns', 'none', 'file'])
  .describe('where the addresses came from: scom (the object\'s IPAddress), dns (a lookup on the management server), none, file (written by hand)');

const computer = {
  name,
  addresses,
  addressSource: addressSource.optional(),
};

export const managementServerSchema = z.object({ ...computer }).strict().describe('a management server (not a gateway)');

export const gatewaySchema = z
  .object({
    ...computer,
    primary: name.describe('the management server this gateway reports to (GetPrimaryManagementServer)'),
    failover: z.array(name).describe('its failover management servers, in SCOM\'s order (GetFailoverManagementServers)'),
  })
  .strict()
  .describe('a gateway server');

export const agentSchema = z
  .object({
    ...computer,
    primary: name.describe('the primary management server or gateway (PrimaryManagementServerName)'),
    failover: z.array(name).describe('the failover management servers or gateways (GetFailoverManagementServers)'),
  })
  .strict()
  .describe('a Windows agent (Get-SCOMAgent)');

export const unixAgentSchema = z
  .object({
    ...computer,
    resourcePool: z.string().min(1).nullable().describe('the display name of the resource pool that manages it; null when not found'),
  })
  .strict()
  .describe('a UNIX/Linux agent (Get-SCXAgent)');

export const resourcePoolSchema = z
  .object({
    name: z.string().min(1).describe('the pool\'s display name'),
    members: z.array(name).describe('the management servers and gateways in the pool'),
  })
  .strict()
  .describe('a resource pool (Get-SCOMResourcePool)');

export const networkDeviceSchema = z
  .object({
    ...computer,
    resourcePool: z.string().min(1).nullable().describe('the resource pool that monitors the device; null when not found'),
  })
  .strict()
  .describe('an SNMP network device (class System.NetworkManagement.Node)');

export const databaseSchema = z
  .object({
    role: z.enum(['operational-database', 'data-warehouse']),
    server: name.describe('the SQL Server computer (the part before \\ and ,)'),
    instance: z.string().min(1).nullable().describe('the named instance; null for the default instance'),
    port: z.int().min(1).max(65535).nullable().describe('the port written after a comma in the server setting; null when not written'),
    database: z.string().nullable().describe('the database name'),
    setting: z.string().describe('the setting as SCOM holds it, e.g. sql01.contoso.com\\SCOM,1435'),
    addresses,
    addressSource: addressSource.optional(),
  })
  .strict()
  .describe('the SQL Server of the operational database or of the data warehouse');

export const webServerSchema = z
  .object({
    ...computer,
    url: z.string().describe('the URL SCOM holds for it (ReportingServerUrl, WebConsoleUrl)'),
  })
  .strict();

export const scomExportSchema = z
  .object({
    format: z.literal(scomExportFormat),
    version: z.literal(scomExportVersion),
    exportedAt: z.iso.datetime({ offset: true }).describe('when the exporter ran, ISO-8601'),
    exportedFrom: name.describe('the management server the exporter ran on'),
    exporter: z.string().describe('the exporter and its version, e.g. scom-inventory.ps1 1'),
    managementGroup: z.string().min(1).describe('Get-SCOMManagementGroup: Name'),
    managementServers: z.array(managementServerSchema).min(1),
    gateways: z.array(gatewaySchema),
    agents: z.array(agentSchema),
    unixAgents: z.array(unixAgentSchema),
    resourcePools: z.array(resourcePoolSchema),
    networkDevices: z.array(networkDeviceSchema),
    databases: z.array(databaseSchema),
    reportingServers: z.array(webServerSchema),
    webConsoleServers: z.array(webServerSchema),
    acsCollectors: z.array(z.object({ ...computer }).strict()),
    notes: z.array(z.string()).describe('what the exporter could not read, one sentence each (a cmdlet that failed, a name DNS did not know)'),
  })
  .strict()
  .describe('scomfw SCOM inventory export, version 1');

export type ScomExport = z.infer<typeof scomExportSchema>;

/** The JSON Schema (draft 2020-12) of the export, as committed in schema/scom-export.schema.json. */
export function scomExportJsonSchema(): Record<string, unknown> {
  const schema = z.toJSONSchema(scomExportSchema, { target: 'draft-2020-12' });
  return { $schema: schema.$schema, title: 'scomfw SCOM inventory export', ...schema };
}
