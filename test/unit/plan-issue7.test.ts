import { describe, expect, it } from 'vitest';
import { catalogRevision } from '../../src/catalog/index.js';
import { formatCatalog } from '../../src/catalog/format.js';
import { derivePlan } from '../../src/plan/derive.js';
import type { Plan } from '../../src/plan/types.js';
import { loadDeployment, UserErrors } from '../../src/topology/index.js';
import type { Host } from '../../src/topology/types.js';
import { deployment, host, type DeploymentOptions } from '../support/build.js';

/**
 * Issue 7, "Flows a SCOM engineer would correct": one block per item, each with the smallest deployment that shows
 * it and the exact flows expected, written `source>destination:protocol/ports phase`.
 */
function planOf(hosts: Host[], options: DeploymentOptions = {}): Plan {
  const d = deployment(hosts, options);
  return derivePlan(d, catalogRevision(d.catalog));
}

const flows = (plan: Plan, keep: (id: string) => boolean = () => true) =>
  plan.flows.filter((f) => keep(f.id)).map((f) => `${f.id} ${f.phase}`).sort();

const ms = (name = 'ms', extra: Partial<Host> & { address?: string } = {}) => host(name, ['management-server'], extra);
const dcPorts = (src: string, dc: string) => ['tcp/53', 'tcp/88', 'tcp/389', 'udp/53', 'udp/88', 'udp/389'].map((p) => `${src}>${dc}:${p} always`).sort();

function refusal(text: string): string {
  try {
    loadDeployment(text, 'd.yaml');
  } catch (e) {
    if (e instanceof UserErrors) return e.format();
    throw e;
  }
  throw new Error('the text loaded');
}

describe('item 1: a management server entry with several addresses is a pool', () => {
  it('plans the MS-to-MS rows between its members', () => {
    const plan = planOf([host('pool', ['management-server'], { addressTexts: ['10.0.0.1', '10.0.0.2'] })]);
    expect(flows(plan)).toEqual(['pool>pool:tcp/5723 always', 'pool>pool:tcp/5724 install']);
    expect(plan.flows[0]?.notes).toEqual(['pool: member to member']);
  });

  it('uses the pool\'s agentPort, and keeps the flows to other management servers', () => {
    const plan = planOf([host('pool', ['management-server'], { addressTexts: ['10.0.0.0/30'], ports: { agentPort: 15723 } }), ms('ms')]);
    expect(flows(plan)).toEqual([
      'ms>pool:tcp/15723 always', 'ms>pool:tcp/5724 install',
      'pool>ms:tcp/5723 always', 'pool>ms:tcp/5724 install',
      'pool>pool:tcp/15723 always', 'pool>pool:tcp/5724 install',
    ]);
  });

  it('a dual-stack machine (one address of each family) is not a pool, nor is a gateway entry a source of peer flows', () => {
    expect(planOf([host('one', ['management-server'], { addressTexts: ['10.0.0.1', 'fd00::1'] })]).flows).toEqual([]);
    expect(planOf([host('gws', ['gateway'], { addressTexts: ['10.0.0.1', '10.0.0.2'] })]).flows).toEqual([]);
  });
});

describe('item 2: domain controllers are paired within a domain, never across zones by default', () => {
  it('a gateway in another zone gets no DC flows; the management server in the DC\'s zone does', () => {
    const plan = planOf([ms('ms', { zone: 'corp' }), host('gw', ['gateway'], { zone: 'dmz', reportsTo: ['ms'] }), host('dc', ['domain-controller'], { zone: 'corp' })]);
    expect(flows(plan, (id) => id.includes('>dc:'))).toEqual(dcPorts('ms', 'dc'));
    expect(plan.notes.some((n) => n.startsWith('no domain controller paired with: gw (zone dmz)'))).toBe(true);
  });

  it('domain pairs across zones within one domain, and only within it', () => {
    const plan = planOf([
      host('gw', ['gateway'], { zone: 'dmz', domain: 'contoso.com', reportsTo: ['ms'] }),
      ms('ms', { zone: 'corp', domain: 'contoso.com' }),
      host('dc-corp', ['domain-controller'], { zone: 'corp', domain: 'contoso.com' }),
      host('dc-dmz', ['domain-controller'], { zone: 'dmz', domain: 'dmz.local' }),
    ]);
    expect(flows(plan, (id) => id.includes('>dc-'))).toEqual([...dcPorts('gw', 'dc-corp'), ...dcPorts('ms', 'dc-corp')].sort());
    expect(plan.flows.find((f) => f.id === 'gw>dc-corp:tcp/88')?.notes).toEqual(['domain contoso.com']);
  });

  it('domainControllers names the DCs exactly, for example those of an agent\'s other trusted domain', () => {
    const plan = planOf([ms('ms', { zone: 'corp', domainControllers: ['dc-b'] }), host('dc-a', ['domain-controller'], { zone: 'corp' }), host('dc-b', ['domain-controller'], { zone: 'far' })]);
    expect(flows(plan, (id) => id.includes('>dc-'))).toEqual(dcPorts('ms', 'dc-b'));
  });
});

describe('item 3: the reporting server uses the SDK at run time', () => {
  it('reporting server to management server 5724 is always', () => {
    const plan = planOf([ms(), host('rpt', ['reporting-server'])]);
    expect(flows(plan, (id) => id.startsWith('rpt>'))).toEqual(['rpt>ms:tcp/5723 always', 'rpt>ms:tcp/5724 always']);
  });
});

describe('item 4: chained gateways and reversed gateway connections', () => {
  it('a gateway may report to a gateway: gw2 -> gw1 -> ms', () => {
    const plan = planOf([ms(), host('gw1', ['gateway'], { reportsTo: ['ms'] }), host('gw2', ['gateway'], { reportsTo: ['gw1'] })]);
    expect(flows(plan)).toEqual(['gw1>ms:tcp/5723 always', 'gw2>gw1:tcp/5723 always']);
  });

  it('managementServerInitiatesConnection turns the connection round, to the gateway\'s agentPort', () => {
    const plan = planOf([ms(), host('gw', ['gateway'], { reportsTo: ['ms'], managementServerInitiatesConnection: true, ports: { agentPort: 15723 } })]);
    expect(flows(plan)).toEqual(['ms>gw:tcp/15723 always']);
    expect(plan.flows[0]?.rows).toEqual(['2024-11#5', '2024-11#22']);
    expect(plan.flows[0]?.notes).toContain('destination managementServerInitiatesConnection: true');
  });

  it('in a chain, the upstream gateway opens the connection to a reversed downstream gateway', () => {
    const plan = planOf([ms(), host('gw1', ['gateway'], { reportsTo: ['ms'] }), host('gw2', ['gateway'], { reportsTo: ['gw1'], managementServerInitiatesConnection: true })], { catalog: '2016-08' });
    expect(flows(plan)).toEqual(['gw1>gw2:tcp/5723 always', 'gw1>ms:tcp/5723 always']);
  });

  it('the loader takes reportsTo: [gw1] on a gateway and refuses a loop', () => {
    const base = 'managementGroup: X\nhosts:\n  - { name: ms, address: 10.0.0.1, roles: [management-server] }\n';
    const ok = loadDeployment(`${base}  - { name: gw1, address: 10.0.0.2, roles: [gateway], reportsTo: [ms] }\n  - { name: gw2, address: 10.0.0.3, roles: [gateway], reportsTo: [gw1], managementServerInitiatesConnection: true }\n`, 'd.yaml');
    expect(ok.hosts[2]).toMatchObject({ reportsTo: ['gw1'], managementServerInitiatesConnection: true });
    const loop = refusal(`${base}  - { name: gw1, address: 10.0.0.2, roles: [gateway], reportsTo: [gw2] }\n  - { name: gw2, address: 10.0.0.3, roles: [gateway], reportsTo: [gw1] }\n`);
    expect(loop).toMatch(/d\.yaml:4:\d+: hosts\[1\]\.reportsTo\[0\]: expected a chain of gateways that ends at a management server, found the loop gw1 -> gw2 -> gw1/);
    expect(refusal(`${base}  - { name: ag, address: 10.0.0.9, roles: [agent], managementServerInitiatesConnection: true }\n`)).toMatch(/managementServerInitiatesConnection only on a host with role gateway/);
  });
});

describe('item 5: network devices behind a gateway', () => {
  it('SNMP and ICMP go to the gateway the device names, and to no management server', () => {
    const plan = planOf([ms(), host('gw', ['gateway'], { reportsTo: ['ms'] }), host('dev', ['network-device'], { reportsTo: ['gw'] })]);
    expect(flows(plan, (id) => id.includes('dev'))).toEqual(['dev>gw:icmp/echo always', 'dev>gw:udp/162 always', 'gw>dev:icmp/echo always', 'gw>dev:udp/161 always']);
  });
});

describe('item 6: a named SQL instance must say its port', () => {
  it('sqlBrowser: true without sqlPort is refused at sqlBrowser, with a hint', () => {
    const text = 'managementGroup: X\nhosts:\n  - name: sql\n    address: 10.0.0.2\n    roles: [operational-database]\n    sqlBrowser: true\n';
    expect(refusal(text)).toMatch(/^d\.yaml:6:17: hosts\[0\]\.sqlBrowser: expected sqlPort beside sqlBrowser: true, found no sqlPort\. Hint: a named instance listens on a dynamic or set port, not 1433/);
    expect(loadDeployment(`${text}    sqlPort: 50123\n`, 'd.yaml').hosts[0]?.ports).toEqual({ sqlPort: 50123 });
  });
});

describe('item 7: push install comes from the primary only', () => {
  it('an agent with reportsTo: [gw, ms] gets push ports from gw, none from ms', () => {
    const plan = planOf([ms(), host('gw', ['gateway'], { reportsTo: ['ms'] }), host('ag', ['agent'], { reportsTo: ['gw', 'ms'], install: 'push' })]);
    expect(flows(plan, (id) => id.includes('>ag:'))).toEqual([
      'gw>ag:tcp/135 install', 'gw>ag:tcp/139 install', 'gw>ag:tcp/445 install', 'gw>ag:tcp/49152-65535 install', 'gw>ag:udp/137-138 install',
    ]);
  });
});

describe('item 8: the 2016-08 web console lives in an IIS site', () => {
  it('defaults to 80, keeps the doc\'s 51908 cell, and webConsolePort still rules', () => {
    const hosts = (port?: number) => [host('wcs', ['web-console-server'], port ? { ports: { webConsolePort: port } } : {}), host('br', ['web-console-browser'])];
    expect(flows(planOf(hosts(), { catalog: '2016-08' }))).toEqual(['br>wcs:tcp/80 always']);
    expect(flows(planOf(hosts(51908), { catalog: '2016-08' }))).toEqual(['br>wcs:tcp/51908 always']);
    expect(catalogRevision('2016-08').rows[8]?.doc.portAndDirection).toBe('51908 --->');
  });
});

describe('item 9: maintenance is not installation', () => {
  const hosts = () => [ms(), host('ag', ['agent'], { reportsTo: ['ms'], install: 'push' }), host('lx', ['unix-agent'], { reportsTo: ['ms'] })];

  it('an install plan says the push ports come back for repair and update, and that SSH stays open', () => {
    const notes = planOf(hosts()).notes;
    expect(notes).toContain('push install ports are needed again for every agent repair and update from the console, not only at installation: keep them open, or reopen them before a repair or update (1 agent entry with install: push)');
    expect(notes).toContain('SSH to UNIX/Linux agents stays open in every phase: agent upgrade, repair and removal use it, not only installation');
  });

  it('an operate plan names the console actions it breaks', () => {
    const plan = planOf(hosts(), { phase: 'operate' });
    expect(flows(plan)).toEqual(['ag>ms:tcp/5723 always', 'ms>lx:tcp/1270 always', 'ms>lx:tcp/22 always']);
    expect(plan.notes).toContain('phase operate breaks these console actions until the push install ports are reopened: push install from the Discovery Wizard, Repair and Update of agents (Pending Management, Agent Managed), for 1 agent entry with install: push');
  });
});

describe('item 10: connected groups follow the connected-groups page by default', () => {
  it('5723 and 5724 both ways by default; the table\'s 5724 one way on request', () => {
    const hosts = () => [ms('ms', { ports: { agentPort: 15723 } })];
    const page = planOf(hosts(), { connected: [host('msx', ['management-server'])] });
    expect(flows(page)).toEqual(['ms>msx:tcp/5723 always', 'ms>msx:tcp/5724 always', 'msx>ms:tcp/15723 always', 'msx>ms:tcp/5724 always']);
    const table = planOf(hosts(), { connected: [host('msx', ['management-server'])], connectedReading: 'firewall-table' });
    expect(flows(table)).toEqual(['ms>msx:tcp/5724 always']);
  });

  it('the loader reads reading: on a connected group and refuses other values', () => {
    const base = 'managementGroup: X\nhosts:\n  - { name: ms, address: 10.0.0.1, roles: [management-server] }\nconnectedGroups:\n  - name: Y\n';
    const d = loadDeployment(`${base}    reading: firewall-table\n    managementServers: [{ name: msy, address: 10.0.0.9 }]\n`, 'd.yaml');
    expect(d.connectedGroups[0]).toMatchObject({ reading: 'firewall-table', managementServers: [{ connectedReading: 'firewall-table' }] });
    expect(loadDeployment(`${base}    managementServers: [{ name: msy, address: 10.0.0.9 }]\n`, 'd.yaml').connectedGroups[0]?.reading).toBe('connected-groups-page');
    expect(refusal(`${base}    reading: both\n    managementServers: [{ name: msy, address: 10.0.0.9 }]\n`)).toMatch(/d\.yaml:6:14: connectedGroups\[0\]\.reading/);
  });
});

describe('item 11: flows the table forgets, as scomfw\'s own rows', () => {
  it('management servers deploy reports to SSRS, and reporting setup reads the operational database (install)', () => {
    const plan = planOf([ms(), host('rpt', ['reporting-server'], { ports: { reportingPort: 443 } }), host('db', ['operational-database'])]);
    expect(flows(plan, (id) => id.startsWith('ms>rpt') || id.startsWith('rpt>db'))).toEqual(['ms>rpt:tcp/443 always', 'rpt>db:tcp/1433 install']);
    expect(plan.flows.find((f) => f.id === 'ms>rpt:tcp/443')?.rows).toEqual(['scomfw#1']);
  });

  it('SSRS reads the ACS database only with acsReporting', () => {
    const hosts = () => [host('rpt', ['reporting-server']), host('adb', ['acs-database'])];
    expect(flows(planOf(hosts()))).toEqual([]);
    expect(flows(planOf(hosts(), { features: ['acsReporting'] }))).toEqual(['rpt>adb:tcp/1433 always']);
  });

  it('SDK connectors reach 5724 only with sdkConnectors', () => {
    const hosts = () => [ms(), host('cfs', ['connector'])];
    expect(flows(planOf(hosts()))).toEqual(['cfs>ms:tcp/51905 always']);
    expect(flows(planOf(hosts(), { features: ['sdkConnectors'] }))).toEqual(['cfs>ms:tcp/51905 always', 'cfs>ms:tcp/5724 always']);
  });

  it('AEM clients reach the file share on SMB', () => {
    expect(flows(planOf([host('share', ['aem-file-share']), host('cl', ['aem-client'])]))).toEqual(['cl>share:tcp/445 always', 'cl>share:tcp/51906 always']);
  });

  it('Kerberos agents reach their DCs only with agentDomainServices; certificate agents do not', () => {
    const hosts = () => [ms(), host('dc', ['domain-controller']), host('ag', ['agent']), host('wg', ['agent'], { authentication: 'certificate' })];
    expect(flows(planOf(hosts()), (id) => id.startsWith('ag>dc') || id.startsWith('wg>dc'))).toEqual([]);
    expect(flows(planOf(hosts(), { features: ['agentDomainServices'] }), (id) => id.startsWith('ag>dc') || id.startsWith('wg>dc'))).toEqual(dcPorts('ag', 'dc'));
  });

  it('gateways and certificate agents reach the DNS servers of their zone', () => {
    const plan = planOf([ms(), host('gw', ['gateway'], { zone: 'dmz', reportsTo: ['ms'] }), host('dns', ['dns-server'], { zone: 'dmz' }), host('wg', ['agent'], { zone: 'dmz', authentication: 'certificate', reportsTo: ['gw'] }), host('ag', ['agent'], { zone: 'dmz', reportsTo: ['gw'] })]);
    expect(flows(plan, (id) => id.includes('>dns:'))).toEqual(['gw>dns:tcp/53 always', 'gw>dns:udp/53 always', 'wg>dns:tcp/53 always', 'wg>dns:udp/53 always']);
  });

  it('scomfw catalog marks its own rows apart from Microsoft\'s, each with its source and switch', () => {
    const cat = catalogRevision('2024-11');
    expect(cat.rows).toHaveLength(28);
    expect(cat.ownRows.map((r) => `${r.id} ${r.feature ?? 'always'}`)).toEqual([
      'scomfw#1 always', 'scomfw#2 always', 'scomfw#3 acsReporting', 'scomfw#4 sdkConnectors', 'scomfw#5 always', 'scomfw#6 agentDomainServices', 'scomfw#7 always',
    ]);
    expect(cat.ownRows.every((r) => r.origin === 'scomfw' && r.source.length > 40)).toBe(true);
    expect(catalogRevision('2016-08').ownRows.map((r) => r.id)).toEqual(['scomfw#1', 'scomfw#2', 'scomfw#3', 'scomfw#4', 'scomfw#5']);
    const table = formatCatalog(cat, 'table');
    expect(table).toContain("scomfw#3  [scomfw's own row; optional feature: acsReporting]");
    expect(table.indexOf("scomfw's own rows")).toBeGreaterThan(table.indexOf('2024-11#28'));
    expect(formatCatalog(cat, 'markdown')).toContain("## scomfw's own rows");
    const json = JSON.parse(formatCatalog(cat, 'json')) as { ownRows: unknown[] };
    expect(json.ownRows[0]).toMatchObject({ origin: 'scomfw', id: 'scomfw#1' });
  });

  it('own features exist where their rows do: acsReporting under 2016-08 loads, agentDomainServices is refused there', () => {
    const base = (feature: string) => `managementGroup: X\ncatalog: "2016-08"\nfeatures:\n  ${feature}: true\nhosts:\n  - { name: ms, address: 10.0.0.1, roles: [management-server] }\n`;
    expect(loadDeployment(base('acsReporting'), 'd.yaml').features.acsReporting).toBe(true);
    expect(refusal(base('agentDomainServices'))).toMatch(/agentDomainServices false or left out under catalog 2016-08/);
  });
});

describe('new deployment keys: misuse is refused where it is written, with a hint', () => {
  const base = 'managementGroup: X\nhosts:\n  - { name: ms, address: 10.0.0.1, roles: [management-server] }\n  - { name: dc, address: 10.0.0.2, roles: [domain-controller] }\n';

  it.each([
    ['domain on a console', '  - { name: con, address: 10.0.0.3, roles: [operations-console], domain: contoso.com }\n', /d\.yaml:5:\d+: hosts\[2\]\.domain: expected domain only on a host with role management-server, gateway, agent, domain-controller or dns-server.*Hint: domain is read on/],
    ['a domain that is not a DNS name', '  - { name: ag, address: 10.0.0.3, roles: [agent], domain: "contoso com" }\n', /d\.yaml:5:\d+: hosts\[2\]\.domain: .*Hint:/],
    ['domainControllers naming a management server', '  - { name: ag, address: 10.0.0.3, roles: [agent], domainControllers: [ms] }\n', /hosts\[2\]\.domainControllers\[0\]: expected a host with role domain-controller, found ms.*Hint: name a domain-controller here/],
    ['authentication on a gateway', '  - { name: gw, address: 10.0.0.3, roles: [gateway], authentication: certificate }\n', /hosts\[2\]\.authentication: expected authentication only on a host with role agent.*Hint: authentication is read on agents only/],
  ])('%s', (_what, extra, message) => {
    expect(refusal(`${base}${extra}`)).toMatch(message);
  });

  it('domain and authentication: certificate are refused under catalog 2016-08', () => {
    const text = 'managementGroup: X\ncatalog: "2016-08"\nhosts:\n  - { name: ms, address: 10.0.0.1, roles: [management-server], domain: contoso.com }\n  - { name: ag, address: 10.0.0.3, roles: [agent], authentication: certificate }\n';
    const errors = refusal(text);
    expect(errors).toMatch(/hosts\[0\]\.domain: expected no domain under catalog 2016-08/);
    expect(errors).toMatch(/hosts\[1\]\.authentication: expected authentication kerberos or left out under catalog 2016-08/);
  });

  it('every new key is in the JSON Schema that scomfw schema prints', async () => {
    const { deploymentJsonSchema } = await import('../../src/topology/index.js');
    const text = JSON.stringify(deploymentJsonSchema());
    for (const key of ['"domain"', '"domainControllers"', '"authentication"', '"managementServerInitiatesConnection"', '"reading"', '"acsReporting"', '"sdkConnectors"', '"agentDomainServices"', '"dns-server"', '"firewall-table"']) {
      expect(text).toContain(key);
    }
  });
});
