import { describe, expect, it } from 'vitest';
import { catalogRevision } from '../../src/catalog/index.js';
import { roles, type Role } from '../../src/catalog/roles.js';
import { revisions, type Revision } from '../../src/catalog/types.js';
import { derivePlan } from '../../src/plan/derive.js';
import type { Plan } from '../../src/plan/types.js';
import { deployment, host, type DeploymentOptions } from '../support/build.js';
import type { Host } from '../../src/topology/types.js';

/** The flows that cite a row, as `id phase`, sorted. */
function flowsOf(plan: Plan, rowId: string): string[] {
  return plan.flows.filter((f) => f.rows.includes(rowId)).map((f) => `${f.id} ${f.phase}`).sort();
}

function planOf(hosts: Host[], options: DeploymentOptions = {}): Plan {
  const d = deployment(hosts, options);
  return derivePlan(d, catalogRevision(d.catalog));
}

const ms = (name = 'ms', extra = {}) => host(name, ['management-server'], extra);

interface RowCase {
  readonly hosts: () => Host[];
  readonly options?: DeploymentOptions;
  readonly expected: string[];
}

const sqlInstall = (src: string, dst: string) => [
  `${src}>${dst}:tcp/135 install`,
  `${src}>${dst}:udp/137 install`,
  `${src}>${dst}:tcp/445 install`,
  `${src}>${dst}:tcp/49152-65535 install`,
];

const connectedBothWays = ['ms>msx:tcp/5723 always', 'ms>msx:tcp/5724 always', 'msx>ms:tcp/5723 always', 'msx>ms:tcp/5724 always'];

const cases2016: Record<number, RowCase> = {
  1: { hosts: () => [ms(), host('db', ['operational-database'])], expected: ['ms>db:tcp/1433 always'] },
  2: { hosts: () => [ms('ms1'), ms('ms2')], expected: ['ms1>ms2:tcp/5723 always', 'ms1>ms2:tcp/5724 install', 'ms2>ms1:tcp/5723 always', 'ms2>ms1:tcp/5724 install'] },
  3: { hosts: () => [ms(), host('gw', ['gateway'], { reportsTo: ['ms'] })], expected: ['gw>ms:tcp/5723 always'] },
  4: { hosts: () => [ms(), host('dw', ['data-warehouse'], { ports: { sqlPort: 1500 } })], expected: ['ms>dw:tcp/1500 always'] },
  // Item 3 of issue 7: SSRS uses the SDK (5724) at run time, so it is always, not install-only.
  5: { hosts: () => [ms(), host('rpt', ['reporting-server'])], expected: ['rpt>ms:tcp/5723 always', 'rpt>ms:tcp/5724 always'] },
  6: { hosts: () => [ms(), host('con', ['operations-console'])], expected: ['con>ms:tcp/5724 always'] },
  7: { hosts: () => [ms(), host('cfs', ['connector'])], expected: ['cfs>ms:tcp/51905 always'] },
  8: { hosts: () => [ms(), host('wcs', ['web-console-server'])], expected: ['wcs>ms:tcp/5724 always'] },
  // Item 8: the web console lives in an IIS site on 80 (443 with TLS); 51908 was OpsMgr 2007's own site.
  9: { hosts: () => [host('wcs', ['web-console-server']), host('br', ['web-console-browser'])], expected: ['br>wcs:tcp/80 always'] },
  // Item 10: by default the connected-groups page's reading, 5723 and 5724 both ways.
  10: { hosts: () => [ms()], options: { connected: [host('msx', ['management-server'])] }, expected: connectedBothWays },
  11: { hosts: () => [ms(), host('ag', ['agent'])], expected: ['ag>ms:tcp/5723 always'] },
  12: { hosts: () => [host('gw', ['gateway']), host('ag', ['agent'], { reportsTo: ['gw'] })], expected: ['ag>gw:tcp/5723 always'] },
  13: { hosts: () => [ms(), host('gw', ['gateway'], { reportsTo: ['ms'] })], expected: ['gw>ms:tcp/5723 always'] },
  14: { hosts: () => [host('col', ['acs-collector']), host('fwd', ['acs-forwarder'])], expected: ['fwd>col:tcp/51909 always'] },
  15: { hosts: () => [host('share', ['aem-file-share']), host('cl', ['aem-client'])], expected: ['cl>share:tcp/51906 always'] },
  16: { hosts: () => [host('end', ['ceip-endpoint']), host('cl', ['ceip-client'])], expected: ['cl>end:tcp/51907 always'] },
  17: { hosts: () => [host('con', ['operations-console']), host('rpt', ['reporting-server'])], expected: ['con>rpt:tcp/80 always'] },
  18: { hosts: () => [host('rpt', ['reporting-server']), host('dw', ['data-warehouse'])], expected: ['rpt>dw:tcp/1433 always'] },
  19: { hosts: () => [host('col', ['acs-collector']), host('adb', ['acs-database'])], expected: ['col>adb:tcp/1433 always'] },
};

const dcPorts = (src: string) => ['tcp/53', 'udp/53', 'tcp/88', 'udp/88', 'tcp/389', 'udp/389'].map((p) => `${src}>dc:${p} always`);

const cases2024: Record<number, RowCase> = {
  1: { hosts: () => [ms(), host('db', ['operational-database'], { sqlBrowser: true })], expected: ['ms>db:tcp/1433 always', 'ms>db:udp/1434 always', ...sqlInstall('ms', 'db')] },
  2: { hosts: () => [ms('ms1'), ms('ms2')], expected: ['ms1>ms2:tcp/5723 always', 'ms1>ms2:tcp/5724 install', 'ms2>ms1:tcp/5723 always', 'ms2>ms1:tcp/5724 install'] },
  3: { hosts: () => [ms(), host('gw', ['gateway'], { reportsTo: ['ms'] }), host('dc', ['domain-controller'])], expected: [...dcPorts('ms'), ...dcPorts('gw')] },
  4: { hosts: () => [ms(), host('dev', ['network-device'])], expected: ['dev>ms:icmp/echo always', 'dev>ms:udp/162 always', 'ms>dev:icmp/echo always', 'ms>dev:udp/161 always'] },
  5: { hosts: () => [ms(), host('gw', ['gateway'], { reportsTo: ['ms'] })], expected: ['gw>ms:tcp/5723 always'] },
  6: { hosts: () => [ms(), host('dw', ['data-warehouse'], { ports: { sqlPort: 1500 } })], expected: ['ms>dw:tcp/1500 always', ...sqlInstall('ms', 'dw')] },
  // Item 3 of issue 7: SSRS uses the SDK (5724) at run time.
  7: { hosts: () => [ms(), host('rpt', ['reporting-server'])], expected: ['rpt>ms:tcp/5723 always', 'rpt>ms:tcp/5724 always'] },
  8: { hosts: () => [ms(), host('con', ['operations-console'])], expected: ['con>ms:tcp/5724 always'] },
  9: { hosts: () => [host('con', ['operations-console']), host('cat', ['management-pack-catalog'])], options: { features: ['managementPackCatalog'] }, expected: ['con>cat:tcp/443 always', 'con>cat:tcp/80 always'] },
  10: { hosts: () => [ms(), host('cfs', ['connector'])], expected: ['cfs>ms:tcp/51905 always'] },
  11: { hosts: () => [ms(), host('wcs', ['web-console-server'])], expected: ['wcs>ms:tcp/5724 always'] },
  12: { hosts: () => [host('wcs', ['web-console-server']), host('br', ['web-console-browser'])], expected: ['br>wcs:tcp/80 always'] },
  13: { hosts: () => [host('wcs', ['web-console-server']), host('db', ['operational-database'], { sqlBrowser: true })], options: { features: ['applicationDiagnostics'] }, expected: ['wcs>db:tcp/1433 always', 'wcs>db:udp/1434 always'] },
  14: { hosts: () => [host('wcs', ['web-console-server']), host('dw', ['data-warehouse'])], options: { features: ['applicationAdvisor'] }, expected: ['wcs>dw:tcp/1433 always'] },
  // Item 10 of issue 7: the connected-groups page's reading by default.
  15: { hosts: () => [ms()], options: { connected: [host('msx', ['management-server'])] }, expected: connectedBothWays },
  16: { hosts: () => [ms(), host('ag', ['agent'])], expected: ['ag>ms:tcp/5723 always'] },
  17: { hosts: () => [host('gw', ['gateway']), host('ag', ['agent'], { reportsTo: ['gw'] })], expected: ['ag>gw:tcp/5723 always'] },
  18: {
    hosts: () => [ms(), host('ag', ['agent'], { reportsTo: ['ms'], install: 'push' })],
    expected: ['ms>ag:tcp/135 install', 'ms>ag:udp/137-138 install', 'ms>ag:tcp/139 install', 'ms>ag:tcp/445 install', 'ms>ag:tcp/49152-65535 install'],
  },
  19: { hosts: () => [ms(), host('lx', ['unix-agent'], { reportsTo: ['ms'] })], expected: ['ms>lx:tcp/1270 always'] },
  20: { hosts: () => [host('gw', ['gateway']), host('lx', ['unix-agent'], { reportsTo: ['gw'], ports: { sshPort: 2222 } })], expected: ['gw>lx:tcp/2222 always'] },
  21: { hosts: () => [ms(), host('lx', ['unix-agent'], { reportsTo: ['ms'] })], options: { features: ['omed'] }, expected: ['lx>ms:tcp/8886 always'] },
  22: { hosts: () => [ms(), host('gw', ['gateway'], { reportsTo: ['ms'] })], expected: ['gw>ms:tcp/5723 always'] },
  23: { hosts: () => [host('col', ['acs-collector']), host('fwd', ['acs-forwarder'])], expected: ['fwd>col:tcp/51909 always'] },
  24: { hosts: () => [host('share', ['aem-file-share']), host('cl', ['aem-client'])], expected: ['cl>share:tcp/51906 always'] },
  25: { hosts: () => [host('end', ['ceip-endpoint']), host('cl', ['ceip-client'])], expected: ['cl>end:tcp/51907 always'] },
  26: { hosts: () => [host('con', ['operations-console']), host('rpt', ['reporting-server'], { ports: { reportingPort: 8080 } })], expected: ['con>rpt:tcp/8080 always'] },
  27: { hosts: () => [host('rpt', ['reporting-server']), host('dw', ['data-warehouse'], { sqlBrowser: true })], expected: ['rpt>dw:tcp/1433 always', 'rpt>dw:udp/1434 always'] },
  28: { hosts: () => [host('col', ['acs-collector']), host('adb', ['acs-database'])], expected: ['col>adb:tcp/1433 always'] },
};

const casesByRevision: Record<Revision, Record<number, RowCase>> = { '2016-08': cases2016, '2024-11': cases2024 };

describe.each(revisions)('catalog %s: every row, in the smallest deployment that needs it', (revision) => {
  const catalog = catalogRevision(revision);

  it('has a case for every row', () => {
    expect(Object.keys(casesByRevision[revision]).map(Number)).toEqual(catalog.rows.map((r) => r.number));
  });

  it.each(catalog.rows.map((r) => [r.id, r] as const))('%s yields exactly its flows', (id, row) => {
    const c = casesByRevision[revision][row.number]!;
    const plan = planOf(c.hosts(), { catalog: revision, ...c.options });
    expect(flowsOf(plan, id)).toEqual([...c.expected].sort());
  });

  it.each(catalog.rows.map((r) => [r.id, r] as const))('%s yields nothing without its source roles', (id, row) => {
    const sourceRoles = new Set(row.readings.map((r) => r.source));
    const others = catalog.roles.filter((r) => !sourceRoles.has(r));
    const plan = planOf(others.map((r) => host(`h-${r}`, [r])), {
      catalog: revision,
      features: revision === '2024-11' ? ['omed', 'applicationDiagnostics', 'applicationAdvisor', 'managementPackCatalog'] : [],
    });
    expect(flowsOf(plan, id)).toEqual([]);
  });
});

describe('row conditions and settings', () => {
  it('UDP 1434 goes only to a SQL host with sqlBrowser: true', () => {
    const plan = planOf([ms(), host('db', ['operational-database'])]);
    expect(plan.flows.some((f) => f.protocol === 'udp' && f.ports?.from === 1434)).toBe(false);
  });

  it('optional feature rows yield nothing while the feature is off', () => {
    const hosts = [ms(), host('lx', ['unix-agent'], { reportsTo: ['ms'] }), host('wcs', ['web-console-server']), host('db', ['operational-database'])];
    const plan = planOf(hosts);
    for (const row of ['2024-11#9', '2024-11#13', '2024-11#14', '2024-11#21']) expect(flowsOf(plan, row)).toEqual([]);
  });

  it('push-install ports only for agents with install: push', () => {
    const plan = planOf([ms(), host('ag', ['agent'], { install: 'manual' })]);
    expect(flowsOf(plan, '2024-11#18')).toEqual([]);
  });

  it('webConsoleTls: true moves the browser flow to 443', () => {
    const plan = planOf([host('wcs', ['web-console-server'], { webConsoleTls: true }), host('br', ['web-console-browser'])]);
    expect(flowsOf(plan, '2024-11#12')).toEqual(['br>wcs:tcp/443 always']);
  });

  it('agentPort of the destination is used by agents, gateways and peers', () => {
    const plan = planOf([ms('ms1', { ports: { agentPort: 15723 } }), host('gw', ['gateway'], { reportsTo: ['ms1'] }), host('ag', ['agent'])]);
    expect(plan.flows.filter((f) => f.destination.name === 'ms1').map((f) => f.id)).toEqual(['ag>ms1:tcp/15723', 'gw>ms1:tcp/15723']);
  });

  it('reportsTo names primary and failovers, and a missing reportsTo defaults to every management server and says so', () => {
    const plan = planOf([ms('ms1'), ms('ms2'), host('a', ['agent'], { reportsTo: ['ms2', 'ms1'] }), host('b', ['agent'])]);
    const notes = (id: string) => plan.flows.find((f) => f.id === id)?.notes;
    expect(notes('a>ms2:tcp/5723')).toEqual(['reportsTo: primary']);
    expect(notes('a>ms1:tcp/5723')).toEqual(['reportsTo: failover']);
    expect(notes('b>ms1:tcp/5723')).toEqual(['reportsTo defaulted: every management server']);
    expect(plan.notes.some((n) => n.startsWith('reportsTo not set') && n.includes('b'))).toBe(true);
  });

  it('an agent reporting to a gateway does not also get flows to every management server', () => {
    const plan = planOf([ms(), host('gw', ['gateway'], { reportsTo: ['ms'] }), host('ag', ['agent'], { reportsTo: ['gw'] })]);
    expect(plan.flows.filter((f) => f.source.name === 'ag').map((f) => f.id)).toEqual(['ag>gw:tcp/5723']);
  });

  it('a row that asks for an existing flow adds itself to its rows, and always wins over install', () => {
    const plan = planOf([host('ms1', ['management-server', 'web-console-server']), ms('ms2')]);
    const flow = plan.flows.find((f) => f.id === 'ms1>ms2:tcp/5724');
    expect(flow?.rows).toEqual(['2024-11#2', '2024-11#11']);
    expect(flow?.phase).toBe('always');
    expect(flow?.sourceRoles).toEqual(['management-server', 'web-console-server']);
  });

  it('a host playing both ends of a row gets no flow to itself', () => {
    const plan = planOf([host('all', ['management-server', 'operational-database'])]);
    expect(plan.flows).toEqual([]);
  });

  it('phase operate leaves every install-only flow out and keeps the rest', () => {
    const hosts = () => [ms('ms1'), ms('ms2'), host('db', ['operational-database']), host('ag', ['agent'], { install: 'push' })];
    const install = planOf(hosts());
    const operate = planOf(hosts(), { phase: 'operate' });
    expect(operate.flows.map((f) => f.id)).toEqual(install.flows.filter((f) => f.phase === 'always').map((f) => f.id));
    expect(install.flows.some((f) => f.phase === 'install')).toBe(true);
  });

  it('every role is known to at least one revision row', () => {
    const used = new Set<Role>(revisions.flatMap((r) => [...catalogRevision(r).rows, ...catalogRevision(r).ownRows].flatMap((row) => row.readings.flatMap((x) => [x.source, x.destination]))));
    expect(roles.filter((r) => !used.has(r))).toEqual([]);
  });
});
