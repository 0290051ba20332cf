import * as z from 'zod';
import { hostOses, linuxPolicies, roles } from '../catalog/roles.js';
import { features, revisions, defaultRevision, type PortSetting } from '../catalog/types.js';
import { connectedReadings } from './types.js';
import { carriersOf, listOr, settingCarriers, targetsText, type HostSetting, type Relationship } from './rules.js';
import { descriptionRule, groupNameRule, hostNameRule, zoneRule } from './text.js';

/**
 * The shape of the deployment file: types, enums, patterns and which keys exist. Rules that relate
 * keys to each other (a port setting needs a role that listens on it, a name in `reportsTo` must be
 * defined) are checked by the loader and written into the descriptions here so that editors show them.
 */

const onlyOn = (setting: HostSetting): string => `Only on hosts with role ${listOr(settingCarriers[setting])}.`;

const portNumber = (setting: PortSetting, title: string, listens: string, byDefault: string) =>
  z
    .int()
    .min(1)
    .max(65535)
    .optional()
    .meta({ title, description: `The port ${listens} listens on (1 to 65535). Default: ${byDefault}. ${onlyOn(setting)}` });

const hostName = z.string().regex(hostNameRule.pattern);

const hostNameList = (relationship: Relationship, title: string, what: string, byDefault: string) =>
  z
    .array(hostName.meta({ title: 'Host name', description: `The name of a host defined under hosts.` }))
    .min(1)
    .optional()
    .meta({
      title,
      description: `${what} Only on hosts with role ${listOr(carriersOf(relationship))}. Left out: ${byDefault}, and the plan notes that it was defaulted.`,
    });

const zone = z
  .string()
  .regex(zoneRule.pattern)
  .optional()
  .meta({
    title: 'Network zone',
    description: 'The network zone the host sits in (letters, digits, "_" and "-", no "--"); rule files are grouped by zone pair.',
    default: 'default',
  });

const address = z
  .string()
  .optional()
  .meta({ title: 'Address', description: 'The one IPv4 or IPv6 address of this host. Give either address or addresses.' });

const addresses = z
  .array(z.string().meta({ title: 'Address entry', description: 'An IP address (10.0.0.5), a CIDR prefix with zero host bits (10.0.0.0/24) or a range (10.0.0.5-10.0.0.9); IPv4 or IPv6.' }))
  .min(1)
  .optional()
  .meta({ title: 'Addresses', description: 'The addresses of a group of machines that play the same roles. Give either address or addresses.' });

export const hostSchema = z
  .strictObject({
    name: hostName.meta({ title: 'Name', description: 'The host (DNS-like) or group name, unique in the file regardless of case.' }),
    description: z
      .string()
      .regex(descriptionRule.pattern)
      .optional()
      .meta({ title: 'Description', description: 'A note written into generated scripts as a comment: letters, digits, spaces and . , : _ ( ) / + - only, at most 200 characters.' }),
    address,
    addresses,
    zone,
    roles: z
      .array(z.enum(roles).meta({ title: 'Role', description: 'A SCOM role. domain-controller, network-device, unix-agent, management-pack-catalog and dns-server (scomfw\'s own) need catalog 2024-11.' }))
      .min(1)
      .meta({ title: 'Roles', description: 'The SCOM roles this host plays, each once.' }),
    os: z
      .enum(hostOses)
      .optional()
      .meta({ title: 'Operating system', description: 'Decides which targets write rules for the host. Default: linux for UNIX/Linux agents, other for network devices and the Management Pack Catalog, else windows.' }),
    linuxPolicy: z
      .enum(linuxPolicies)
      .optional()
      .meta({
        title: 'Linux ruleset policy',
        description:
          'What the nftables and iptables rulesets for this host do with what the plan does not name. open-only: add the planned openings and leave the host\'s own firewall in charge of the rest. drop-unplanned: drop it (for a host scomfw may own; give admin access with render --keep). render --linux-policy overrides it for every host. Default: open-only on os linux, drop-unplanned on the Linux stand-ins of other hosts.',
      }),
    sqlPort: portNumber('sqlPort', 'SQL Server port', 'this SQL Server instance', '1433'),
    agentPort: portNumber('agentPort', 'Agent port', 'the management server or gateway', '5723'),
    webConsolePort: portNumber('webConsolePort', 'Web console port', 'the web console (its IIS site binding)', '80, 443 with webConsoleTls'),
    reportingPort: portNumber('reportingPort', 'Reporting port', 'SQL Server Reporting Services', '80'),
    acsPort: portNumber('acsPort', 'ACS collector port', 'the ACS collector', '51909'),
    aemPort: portNumber('aemPort', 'AEM port', 'the AEM file share', '51906'),
    ceipPort: portNumber('ceipPort', 'CEIP port', 'the CEIP endpoint', '51907'),
    sshPort: portNumber('sshPort', 'SSH port', 'the UNIX/Linux agent SSH daemon', '22'),
    sqlBrowser: z
      .boolean()
      .optional()
      .meta({ title: 'SQL Server Browser', description: `true for a named instance: adds UDP 1434, and needs sqlPort (a named instance listens on a dynamic or set port, not 1433). Not under catalog 2016-08. ${onlyOn('sqlBrowser')}`, default: false }),
    webConsoleTls: z
      .boolean()
      .optional()
      .meta({ title: 'Web console over TLS', description: `true when the web console is served over HTTPS (default port 443). ${onlyOn('webConsoleTls')}`, default: false }),
    install: z
      .enum(['push', 'manual'])
      .optional()
      .meta({ title: 'Agent installation', description: `push: the management server installs the agent (adds the push-install ports, phase install; not under catalog 2016-08). manual: installed by hand. ${onlyOn('install')}` }),
    domain: z
      .string()
      .regex(hostNameRule.pattern)
      .optional()
      .meta({
        title: 'Active Directory domain',
        description: `The DNS name of the host's domain (contoso.com). Management servers, gateways and agents are paired with the domain controllers and DNS servers of their domain; without it (and without domainControllers), with those of their own zone, never across zones. Compared regardless of case. Needs catalog 2024-11. ${onlyOn('domain')}`,
      }),
    authentication: z
      .enum(['kerberos', 'certificate'])
      .optional()
      .meta({
        title: 'Agent authentication',
        description: `How the agent authenticates to its management server or gateway. certificate (untrusted domain, workgroup): the agent resolves names through DNS servers of its domain or zone and needs no Kerberos. Needs catalog 2024-11. ${onlyOn('authentication')}`,
        default: 'kerberos',
      }),
    managementServerInitiatesConnection: z
      .boolean()
      .optional()
      .meta({
        title: 'Management server initiates connection',
        description: `true for a gateway installed with /ManagementServerInitiatesConnection=True: the management server (or upstream gateway) it reports to opens TCP to this gateway's agentPort, instead of the gateway opening TCP to theirs. ${onlyOn('managementServerInitiatesConnection')}`,
        default: false,
      }),
    reportsTo: hostNameList('reportsTo', 'Reports to', `The hosts this one reports to, primary first, then failovers (${targetsText('reportsTo')}).`, 'every management server'),
    managementServers: hostNameList('managementServers', 'Management servers', 'The management servers this host connects to.', 'every management server'),
    acsCollectors: hostNameList('acsCollectors', 'ACS collectors', 'The ACS collectors this forwarder sends events to.', 'every ACS collector'),
    domainControllers: hostNameList(
      'domainControllers',
      'Domain controllers',
      'The domain controllers this host uses (Kerberos, LDAP, DNS), for example those of an agent\'s other trusted domain.',
      'the domain controllers of the host\'s domain, or without domain those of its zone',
    ),
  })
  .meta({ title: 'Host', description: 'One machine, or a group of machines that play the same roles.' });

export const connectedServerSchema = z
  .strictObject({
    name: hostName.meta({ title: 'Name', description: 'The management server name, unique together with the host names.' }),
    address,
    addresses,
    zone,
  })
  .meta({ title: 'Connected management server', description: 'A management server of the connected management group.' });

export const connectedGroupSchema = z
  .strictObject({
    name: z.string().regex(groupNameRule.pattern).meta({ title: 'Management group name', description: 'The name of the connected management group.' }),
    managementServers: z
      .array(connectedServerSchema)
      .min(1)
      .meta({ title: 'Management servers', description: 'The management servers of the connected group that this group\'s management servers talk to.' }),
    reading: z
      .enum(connectedReadings)
      .default('connected-groups-page')
      .meta({
        title: 'Which page the ports follow',
        description: 'connected-groups-page (default): TCP 5723 and 5724 between the management servers of both groups, both ways, as the connected management groups page says. firewall-table: TCP 5724 from this group\'s management servers to the connected ones only, as the firewall table\'s row says.',
      }),
  })
  .meta({ title: 'Connected management group', description: 'Another management group connected to this one (connected management groups).' });

const featureTitles: Readonly<Record<(typeof features)[number], string>> = {
  omed: 'OMED',
  applicationDiagnostics: 'Application Diagnostics',
  applicationAdvisor: 'Application Advisor',
  managementPackCatalog: 'Management Pack Catalog',
  acsReporting: 'ACS reporting',
  sdkConnectors: 'SDK connectors',
  agentDomainServices: 'Agent domain services',
};

const featureDescriptions: Readonly<Record<(typeof features)[number], string>> = {
  omed: 'Operations Manager Enhanced Diagnostics (OMED): TCP 8886 from UNIX/Linux agents to their management servers or gateways. Needs catalog 2024-11.',
  applicationDiagnostics: 'Application Diagnostics: the web console server reads the operational database and data warehouse. Needs catalog 2024-11.',
  applicationAdvisor: 'Application Advisor: the web console server reads the operational database and data warehouse. Needs catalog 2024-11.',
  managementPackCatalog: 'Management Pack Catalog: consoles reach the catalog web service; needs a host with role management-pack-catalog. Needs catalog 2024-11.',
  acsReporting: 'scomfw row scomfw#3: ACS reports are installed in SQL Server Reporting Services, which reads the ACS database.',
  sdkConnectors: 'scomfw row scomfw#4: connectors are SDK clients and reach their management servers on TCP 5724.',
  agentDomainServices: 'scomfw row scomfw#6: Kerberos agents reach their domain controllers (TCP and UDP 53, 88, 389). Needs catalog 2024-11.',
};

export const featuresSchema = z
  .strictObject(
    Object.fromEntries(
      features.map((f) => [f, z.boolean().default(false).meta({ title: featureTitles[f], description: featureDescriptions[f] })]),
    ) as Record<(typeof features)[number], z.ZodDefault<z.ZodBoolean>>,
  )
  .prefault({})
  .meta({ title: 'Optional features', description: 'Features few deployments use; their catalog rows apply only when turned on here.' });

export const deploymentSchema = z
  .strictObject({
    $schema: z.string().optional().meta({ title: 'JSON Schema', description: 'The schema this file follows, for editors. scomfw does not read it.' }),
    managementGroup: z
      .string()
      .regex(groupNameRule.pattern)
      .meta({ title: 'Management group', description: 'The name of the SCOM management group: letters, digits, ".", "_" and "-", 1 to 64 characters.' }),
    catalog: z
      .enum(revisions)
      .default(defaultRevision)
      .meta({ title: 'Catalog revision', description: 'Which revision of Microsoft\'s port table to plan from: 2016-08 or 2024-11 (current).' }),
    phase: z
      .enum(['install', 'operate'])
      .default('install')
      .meta({ title: 'Phase', description: 'install: every flow, install-only ones marked. operate: the steady state, install-only flows left out.' }),
    features: featuresSchema,
    hosts: z.array(hostSchema).min(1).meta({ title: 'Hosts', description: 'Every machine or group of machines in the management group.' }),
    managementAccess: z
      .array(z.string().meta({ title: 'Management access entry', description: 'PROTOCOL/PORT[-PORT]@ADDRESS: tcp/22@10.0.0.0/24, udp/161@192.0.2.7, tcp/8000-8010@10.1.0.5-10.1.0.9.' }))
      .optional()
      .meta({
        title: 'Management access',
        description:
          'What the nftables, iptables and firewalld rulesets of Linux hosts keep open beside the planned flows: your admin SSH, monitoring, backup. No SCOM server gets SSH by assumption. render --keep adds more.',
      }),
    connectedGroups: z
      .array(connectedGroupSchema)
      .optional()
      .meta({ title: 'Connected management groups', description: 'Other management groups whose management servers this group\'s management servers talk to.' }),
  })
  .meta({ title: 'scomfw deployment', description: 'A SCOM deployment for scomfw: hosts, roles, ports and zones, from which the firewall flow plan is derived.' });

export type DeploymentInput = z.input<typeof deploymentSchema>;
export type HostData = z.output<typeof hostSchema>;
export type ConnectedServerData = z.output<typeof connectedServerSchema>;

/** Either key may carry a host's addresses, but exactly one of them must. */
const oneAddressKey = { oneOf: [{ required: ['address'] }, { required: ['addresses'] }] };

/** The JSON Schema (draft 2020-12) of the deployment file, for editors and `scomfw schema`. */
export function deploymentJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(deploymentSchema, {
    target: 'draft-2020-12',
    io: 'input',
    override: (ctx) => {
      if (ctx.zodSchema === hostSchema || ctx.zodSchema === connectedServerSchema) Object.assign(ctx.jsonSchema, oneAddressKey);
    },
  });
}
