import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importCsv, importScom, scomExportJsonSchema } from '../../src/import/index.js';
import { formatPlan } from '../../src/plan/format.js';
import { loadDeployment, type UserError } from '../../src/topology/index.js';
import { generateExport } from '../../bench/generate-export.js';
import { expectGolden } from '../support/golden.js';
import { runCli } from '../support/cli.js';
import { planOf, scenarioNames, scenarios } from '../support/scenarios.js';
import { flowFacts, syntheticExportText } from '../support/synthetic-export.js';

const repo = join(import.meta.dirname, '..', '..');
const fixtures = join(repo, 'test', 'fixtures', 'import');
const tmp = mkdtempSync(join(tmpdir(), 'scomfw-import-'));
afterAll(() => { rmSync(tmp, { recursive: true, force: true }); });

describe('the export format', () => {
  it('schema/scom-export.schema.json is generated from the zod schema (UPDATE_SCHEMA=1 rewrites it)', () => {
    const path = join(repo, 'schema', 'scom-export.schema.json');
    const generated = `${JSON.stringify(scomExportJsonSchema(), null, 2)}\n`;
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(path, generated);
    expect(readFileSync(path, 'utf8')).toBe(generated);
  });
});

describe('scomfw export-script scom', () => {
  it('prints the exporter: ASCII with CRLF, read-only (no Set-, New-, Remove- or Install- cmdlet)', async () => {
    const r = await runCli(['export-script', 'scom']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('scomfw-scom-export');
    expect(Buffer.from(r.stdout, 'utf8').every((b) => b < 0x80)).toBe(true);
    expect(r.stdout.split('\n').slice(0, -1).every((l) => l.endsWith('\r'))).toBe(true);
    expect(r.stdout).not.toMatch(/\b(Set|New|Remove|Install|Update|Add|Enable|Disable)-SC(OM|X)/);
  });

  it('refuses an unknown script name with exit 2', async () => {
    const r = await runCli(['export-script', 'nope']);
    expect(r.code).toBe(2);
  });
});

const pwsh = findPwsh();

describe.skipIf(!pwsh)('the exporter under PowerShell 7 with the OperationsManager test double', () => {
  const runExporter = (fixture: string, out: string) =>
    execFileSync(pwsh!, ['-NoProfile', '-NonInteractive', '-File', join(repo, 'src', 'import', 'exporters', 'scom-inventory.ps1'), '-OutFile', out, '-OperationalDatabase', 'sql01.contoso.com,1433'], {
      env: { ...process.env, SCOMFW_OM_FIXTURE: fixture, PSModulePath: [join(repo, 'test', 'pwsh'), process.env.PSModulePath ?? ''].join(delimiter) },
      stdio: 'pipe',
    });

  it('writes an export that imports to the golden deployment, which plans to the golden flows', () => {
    const out = join(tmp, 'double-export.json');
    runExporter(join(fixtures, 'om-double.json'), out);
    const exported = JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown>;
    expect(exported.notes).toEqual(['DNS has no address for lost01.contoso.com']);
    // The time and machine of the run are the only things that change between runs.
    const stable = JSON.stringify({ ...exported, exportedAt: '2026-11-30T09:15:00Z', exportedFrom: 'ms01.contoso.com' }, null, 2);
    const result = importScom(stable, 'scom-export.json');
    const plan = planOf(loadDeployment(result.yaml, 'deployment.yaml'));
    expectGolden('import', 'om-double', [
      { path: 'scom-export.json', content: `${stable}\n` },
      { path: 'deployment.yaml', content: result.yaml },
      { path: 'plan.csv', content: formatPlan(plan, 'csv') },
    ]);
  }, 60_000);

  it('a cmdlet that fails (no rights, not installed) becomes a note, then a TODO; the export goes on', () => {
    const fixture = JSON.parse(readFileSync(join(fixtures, 'om-double.json'), 'utf8')) as Record<string, unknown>;
    const failing = join(tmp, 'om-failing.json');
    writeFileSync(failing, JSON.stringify({ ...fixture, fail: ['Get-SCOMDataWarehouseSetting', 'Get-SCXAgent', 'Get-SCOMRelationship'] }));
    const out = join(tmp, 'failing-export.json');
    runExporter(failing, out);
    const exported = JSON.parse(readFileSync(out, 'utf8')) as { notes: string[]; unixAgents: unknown[]; databases: { role: string }[]; agents: unknown[] };
    expect(exported.notes).toContain('Get-SCOMDataWarehouseSetting: Access denied (Get-SCOMDataWarehouseSetting)');
    expect(exported.notes.some((n) => n.startsWith('Get-SCXAgent -ResourcePool Linux Pool: Access denied'))).toBe(true);
    expect(exported.unixAgents).toEqual([]);
    expect(exported.databases.map((d) => d.role)).toEqual(['operational-database']);
    expect(exported.agents).toHaveLength(8);
    const result = importScom(readFileSync(out, 'utf8'), 'failing-export.json');
    expect(result.todos).toContain('exporter: Get-SCOMDataWarehouseSetting: Access denied (Get-SCOMDataWarehouseSetting)');
    expect(() => loadDeployment(result.yaml, 'deployment.yaml')).not.toThrow();
  }, 60_000);
});

if (!pwsh) it.skip('the exporter test needs pwsh (export PATH="$PATH:$HOME/.dotnet/tools")', () => {});

describe('round trip: every example and scenario -> synthetic export -> import over the file -> the same flows', () => {
  it.each(scenarioNames)('%s', (name) => {
    const path = scenarios[name];
    const text = readFileSync(join(repo, path), 'utf8');
    const original = loadDeployment(text, path);
    const result = importScom(syntheticExportText(original), 'synthetic.json', { text, file: path });
    const imported = loadDeployment(result.yaml, 'imported.yaml');
    const [before, after] = flowFacts([planOf(original), planOf(imported)]);
    expect([...after!].filter((f) => !before!.has(f))).toEqual([]);
    expect([...before!].filter((f) => !after!.has(f))).toEqual([]);
    expect(result.changes).toEqual({ added: [], removed: [], moved: [], differs: [] });
  });

  it('a fresh import (no file to keep from) plans the flows of the SCOM-known hosts, with TODOs for the rest', () => {
    const text = readFileSync(join(repo, 'examples', 'contoso.yaml'), 'utf8');
    const result = importScom(syntheticExportText(loadDeployment(text, 'contoso.yaml')), 'synthetic.json');
    expect(() => loadDeployment(result.yaml, 'fresh.yaml')).not.toThrow();
    expect(result.todos.some((t) => t.startsWith('zones:'))).toBe(true);
    expect(result.todos.some((t) => t.startsWith('domain controllers:'))).toBe(true);
  });
});

describe('a named SQL instance whose port the export does not know', () => {
  it('gets neither sqlBrowser nor a guessed sqlPort, but a TODO in the file and on stderr that says what to set', () => {
    const result = importScom(readFileSync(join(fixtures, 'contoso-export.json'), 'utf8'), 'contoso-export.json');
    const d = loadDeployment(result.yaml, 'fresh.yaml');
    const dw = d.hosts.find((h) => h.name === 'sqldw.contoso.com');
    expect(dw?.sqlBrowser).toBe(false);
    expect(dw?.ports.sqlPort).toBeUndefined();
    const todo = 'sqlPort: named instance DW on sqldw.contoso.com: the SCOM setting "sqldw.contoso.com\\DW" names no port; set sqlPort to its static port (SQL Server Configuration Manager > TCP/IP > IP Addresses > IPAll > TCP Port) and sqlBrowser: true';
    expect(result.yaml).toContain(`  # TODO: ${todo}`);
    expect(result.todos.some((t) => t.startsWith(`sqldw.contoso.com: ${todo}`))).toBe(true);
    // Once the user writes both keys, the file validates with UDP 1434 and the TODO goes on the next import.
    const answered = result.yaml.replace('  - name: sqldw.contoso.com\n', '  - name: sqldw.contoso.com\n    sqlPort: 1533\n    sqlBrowser: true\n');
    const again = importScom(readFileSync(join(fixtures, 'contoso-export.json'), 'utf8'), 'contoso-export.json', { text: answered, file: 'answered.yaml' });
    expect(again.todos.some((t) => t.includes('named instance'))).toBe(false);
    expect(again.yaml).not.toContain('named instance');
    const plan = planOf(loadDeployment(again.yaml, 'answered.yaml'));
    expect(plan.flows.some((f) => f.id.endsWith('>sqldw.contoso.com:udp/1434'))).toBe(true);
  });
});

describe('a second import over an edited file', () => {
  const first = () => importScom(readFileSync(join(fixtures, 'contoso-export.json'), 'utf8'), 'contoso-export.json');

  it('keeps zones, port settings, features, hand-made hosts and comments, and reports what changed', () => {
    const edited = first()
      .yaml.replace('catalog: "2024-11"\n', 'catalog: "2024-11"\nfeatures:\n  omed: true\n')
      .replace('  - name: agents-ms01-ms02\n', '  # billing servers, see CHG-1234\n  - name: agents-ms01-ms02\n    zone: apps\n')
      .replace('  - name: sqldw.contoso.com\n', '  - name: sqldw.contoso.com\n    sqlPort: 1533\n    sqlBrowser: true\n')
      .replace('hosts:\n', 'hosts:\n  - name: dc01.contoso.com # hand-made\n    address: 10.0.0.5\n    roles: [domain-controller]\n\n');
    expect(() => loadDeployment(edited, 'edited.yaml')).not.toThrow();
    const next = JSON.parse(readFileSync(join(fixtures, 'contoso-export.json'), 'utf8')) as { agents: { name: string; addresses: string[]; primary: string; failover: string[] }[] };
    next.agents[0]!.primary = 'ms02.contoso.com';
    next.agents[0]!.failover = [];
    next.agents.splice(1, 1);
    next.agents.push({ name: 'app09.contoso.com', addresses: ['10.20.0.9'], primary: 'ms01.contoso.com', failover: ['ms02.contoso.com'] });
    const result = importScom(JSON.stringify(next), 'next.json', { text: edited, file: 'edited.yaml' });
    const d = loadDeployment(result.yaml, 'updated.yaml');
    expect(d.features.omed).toBe(true);
    expect(d.hosts.find((h) => h.name === 'dc01.contoso.com')?.roles).toEqual(['domain-controller']);
    expect(d.hosts.find((h) => h.name === 'sqldw.contoso.com')?.ports.sqlPort).toBe(1533);
    expect(d.hosts.find((h) => h.name === 'sqldw.contoso.com')?.sqlBrowser).toBe(true);
    const apps = d.hosts.find((h) => h.name === 'agents-ms01-ms02');
    expect(apps?.zone).toBe('apps');
    expect(apps?.addressTexts).toEqual(['10.20.0.3']);
    expect(result.yaml).toContain('# billing servers, see CHG-1234\n');
    expect(result.yaml).toContain('# hand-made');
    expect(result.changes?.added).toEqual(['app09.contoso.com']);
    expect(result.changes?.removed).toEqual(['app02.contoso.com (was in agents-ms01-ms02)']);
    expect(result.changes?.moved).toEqual(['app01.contoso.com: reportsTo ms01.contoso.com, ms02.contoso.com -> ms02.contoso.com']);
    // The TODOs the user answered are gone; the sqlPort TODO too, now that the file sets the port.
    expect(result.todos.some((t) => t.startsWith('features:') || t.startsWith('domain controllers:'))).toBe(false);
    expect(result.todos.some((t) => t.includes('sqlPort'))).toBe(false);
    expect(result.todos.some((t) => t.startsWith('zones:'))).toBe(false);
  });

  it('the CLI updates --out in place when it exists and says what changed on stderr', async () => {
    const out = join(tmp, 'update.yaml');
    const one = await runCli(['import', 'scom', join(fixtures, 'contoso-export.json'), '--out', out]);
    expect(one.code).toBe(0);
    expect(one.stderr).toContain('TODO: zones:');
    expect(one.stderr).toContain('TODO: sqldw.contoso.com: sqlPort: named instance DW on sqldw.contoso.com');
    const two = await runCli(['import', 'scom', join(fixtures, 'contoso-export.json'), '--out', out]);
    expect(two.code).toBe(0);
    expect(two.stderr).toContain('changes: 0 added, 0 removed, 0 moved');
    expect((await runCli(['validate', out])).code).toBe(0);
  });
});

describe('an update over a file with the Linux ruleset keys written by hand (issue 8 item 3)', () => {
  it('keeps managementAccess and the hosts\' linuxPolicy', () => {
    const exportText = readFileSync(join(fixtures, 'contoso-export.json'), 'utf8');
    const edited = importScom(exportText, 'e.json')
      .yaml.replace('catalog: "2024-11"\n', 'catalog: "2024-11"\nmanagementAccess: [tcp/22@10.9.0.0/24]\n')
      .replace('  - name: unix-agents-ms02\n', '  - name: unix-agents-ms02\n    linuxPolicy: drop-unplanned\n');
    const result = importScom(exportText, 'e.json', { text: edited, file: 'edited.yaml' });
    const d = loadDeployment(result.yaml, 'updated.yaml');
    expect(d.managementAccess).toEqual(['tcp/22@10.9.0.0/24']);
    expect(d.hosts.find((h) => h.name === 'unix-agents-ms02')?.linuxPolicy).toBe('drop-unplanned');
  });
});

describe('an update over a file with the issue 7 keys written by hand', () => {
  const exportText = readFileSync(join(fixtures, 'contoso-export.json'), 'utf8');
  const edited = () =>
    `$schema: ../schema/deployment.schema.json\n${importScom(exportText, 'e.json').yaml}`
      .replace('catalog: "2024-11"\n', 'catalog: "2024-11"\nfeatures:\n  agentDomainServices: true\n  sdkConnectors: true\n')
      .replace('  - name: ms01.contoso.com\n', '  - name: ms01.contoso.com\n    domain: contoso.com\n    domainControllers: [dc01.contoso.com]\n')
      .replace('  - name: gw01.dmz.contoso.com\n', '  - name: gw01.dmz.contoso.com\n    zone: dmz\n    managementServerInitiatesConnection: true\n')
      .replace('  - name: agents-gw01\n', '  - name: agents-gw01\n    zone: dmz\n    authentication: certificate\n')
      .replace('  - name: agents-ms01-ms02\n', '  - name: agents-ms01-ms02\n    domain: CONTOSO.com\n')
      .replace(
        'hosts:\n',
        'hosts:\n  - name: dc01.contoso.com\n    address: 10.0.0.5\n    roles: [domain-controller, dns-server]\n    domain: contoso.com\n\n  - name: dmz-dns\n    address: 192.168.50.2\n    zone: dmz\n    roles: [dns-server]\n\n  - name: connector01\n    address: 10.0.1.60\n    roles: [connector]\n    managementServers: [ms02.contoso.com]\n\n',
      )
      .concat('connectedGroups:\n  - name: FABRIKAM\n    reading: firewall-table\n    managementServers: [{ name: ms01.fabrikam.com, address: 10.80.0.5, zone: fabrikam }]\n');

  it('keeps domain, domainControllers, authentication, managementServerInitiatesConnection, features and the connected group reading', () => {
    const before = loadDeployment(edited(), 'edited.yaml');
    const result = importScom(exportText, 'e.json', { text: edited(), file: 'edited.yaml' });
    const d = loadDeployment(result.yaml, 'updated.yaml');
    const host = (name: string) => d.hosts.find((h) => h.name === name);
    expect(result.yaml).toMatch(/^\$schema: \.\.\/schema\/deployment\.schema\.json\nmanagementGroup: CONTOSO$/m);
    expect(d.features).toEqual(before.features);
    expect(d.features.agentDomainServices && d.features.sdkConnectors).toBe(true);
    expect(host('ms01.contoso.com')?.domain).toBe('contoso.com');
    expect(host('ms01.contoso.com')?.domainControllers).toEqual(['dc01.contoso.com']);
    expect(host('gw01.dmz.contoso.com')?.managementServerInitiatesConnection).toBe(true);
    expect(host('agents-gw01')?.authentication).toBe('certificate');
    expect(host('agents-ms01-ms02')?.domain).toBe('contoso.com');
    expect(host('dc01.contoso.com')?.roles).toEqual(['domain-controller', 'dns-server']);
    expect(host('connector01')?.managementServers).toEqual(['ms02.contoso.com']);
    expect(d.connectedGroups.map((g) => [g.name, g.reading])).toEqual([['FABRIKAM', 'firewall-table']]);
    expect(result.changes).toEqual({ added: [], removed: [], moved: [], differs: [] });
    // The strongest check: the same export over the edited file plans exactly the edited file's flows.
    const [was, is] = flowFacts([planOf(before), planOf(d)]);
    expect(is).toEqual(was);
  });

  it('drops domainControllers from a host whose new roles cannot carry it, and says so', () => {
    const text = edited().replace('  - name: sql01.contoso.com\n', '  - name: sql01.contoso.com\n    domainControllers: [dc01.contoso.com]\n');
    expect(loadDeployment(text, 'edited.yaml').hosts.find((h) => h.name === 'sql01.contoso.com')?.domainControllers).toEqual(['dc01.contoso.com']);
    const next = JSON.parse(exportText) as { agents: { name: string }[] };
    next.agents = next.agents.filter((a) => a.name !== 'sql01.contoso.com');
    const result = importScom(JSON.stringify(next), 'next.json', { text, file: 'edited.yaml' });
    const d = loadDeployment(result.yaml, 'updated.yaml');
    expect(d.hosts.find((h) => h.name === 'sql01.contoso.com')?.roles).toEqual(['operational-database']);
    expect(d.hosts.find((h) => h.name === 'sql01.contoso.com')?.domainControllers).toBeUndefined();
    expect(d.hosts.find((h) => h.name === 'ms01.contoso.com')?.domainControllers).toEqual(['dc01.contoso.com']);
    expect(result.changes?.differs).toContain('sql01.contoso.com: domainControllers dropped: no role of the host carries it any more');
    expect(result.changes?.differs).toContain('sql01.contoso.com: reportsTo dropped: no role of the host carries it any more');
  });

  it('keeps them on a group whose members change', () => {
    const next = JSON.parse(exportText) as { agents: { name: string; addresses: string[]; primary: string; failover: string[] }[] };
    next.agents = next.agents.filter((a) => a.name !== 'app02.contoso.com');
    const result = importScom(JSON.stringify(next), 'next.json', { text: edited(), file: 'edited.yaml' });
    const d = loadDeployment(result.yaml, 'updated.yaml');
    const group = d.hosts.find((h) => h.name === 'agents-ms01-ms02');
    expect(group?.addressTexts).toEqual(['10.20.0.1', '10.20.0.3']);
    expect(group?.domain).toBe('contoso.com');
    expect(d.hosts.find((h) => h.name === 'agents-gw01')?.authentication).toBe('certificate');
    expect(result.changes?.removed).toEqual(['app02.contoso.com (was in agents-ms01-ms02)']);
  });
});

describe('grouping', () => {
  it('15,000 agents behind 10 servers become a few dozen entries and a file of a few hundred lines', () => {
    const result = importScom(generateExport(15_000, 10), 'large.json');
    const lines = result.yaml.split('\n').length;
    expect(result.entries).toBeLessThan(120);
    expect(lines).toBeLessThan(800);
    const d = loadDeployment(result.yaml, 'large.yaml');
    const agents = d.hosts.filter((h) => h.roles.includes('agent'));
    expect(agents.reduce((n, h) => n + Number(h.addresses.count(4)), 0)).toBe(15_000);
  });
});

describe('bad exports: exit 2 with the JSON path and a hint, never a crash', () => {
  const dir = join(fixtures, 'bad');
  const expected: Record<string, string> = {
    'bad-address.json': 'agents[0].addresses[0]: expected an IPv4 or IPv6 address, found "10.20.0.300"',
    'bad-name.json': 'agents[0].name: expected a DNS-like name',
    'bad-url.json': 'webConsoleServers[0].url: expected a URL',
    'duplicate-name.json': 'agents[2].name: expected a name not used before, found "APP01.contoso.com" again',
    'gateway-to-gateway.json': 'gateways[0].primary: expected a management-server, found the gateway gw01.dmz.contoso.com',
    'missing-primary.json': 'agents[0].primary: Invalid input: expected string, received undefined',
    'newer-version.json': 'version: expected 1, found 2',
    'not-json.json': 'expected JSON',
    'server-without-address.json': 'managementServers[1].addresses: expected at least one address',
    'top-level-list.json': '(top level): expected a JSON object, found a list',
    'unknown-key.json': 'agents[0]: Unrecognized key: "extra"',
    'unknown-server.json': 'agents[1].primary: expected the name of a management-server or gateway of the export, found "ms09.contoso.com"',
    'wrong-format.json': 'format: expected "scomfw-scom-export", found "scom-export"',
    'wrong-type.json': 'databases[0].port: Invalid input: expected number, received string',
  };
  it('every fixture has an expectation', () => {
    expect(readdirSync(dir).sort()).toEqual(Object.keys(expected).sort());
  });
  it.each(Object.keys(expected))('%s', async (file) => {
    const r = await runCli(['import', 'scom', join(dir, file)]);
    expect(r.stderr).not.toContain('internal error');
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain(expected[file]!);
    expect(r.stderr).toContain('Hint:');
  });
});

describe('scomfw import csv', () => {
  it('groups agent rows and keeps servers one entry each', async () => {
    const r = await runCli(['import', 'csv', 'test/fixtures/import/hosts.csv', '--management-group', 'LAB']);
    expect(r.code, r.stderr).toBe(0);
    expectGolden('import', 'csv', [{ path: 'deployment.yaml', content: r.stdout }]);
  });

  it('refuses a new file without --management-group', async () => {
    const r = await runCli(['import', 'csv', join(fixtures, 'hosts.csv')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--management-group');
  });

  it('points at the line and column of a bad cell', () => {
    const text = 'name,addresses,roles,reportsTo\nms01,10.0.0.1,management-server,\nagents,10.1.0.0/16,agnet,ms1\n';
    let message = '';
    try {
      importCsv(text, 'h.csv', { managementGroup: 'LAB' });
    } catch (e) {
      message = (e as UserError).format();
    }
    expect(message).toContain('h.csv:3:20: column roles: expected a role, found "agnet". Hint: did you mean agent?');
    expect(message).toContain('h.csv:3:26: column reportsTo: expected the name of a row of this file, found "ms1". Hint: did you mean ms01?');
  });
});

function findPwsh(): string | undefined {
  const home = process.env.HOME ?? '';
  for (const candidate of [join(home, '.dotnet', 'tools', 'pwsh'), '/usr/bin/pwsh', '/usr/local/bin/pwsh']) if (existsSync(candidate)) return candidate;
  const which = spawnSync('sh', ['-c', 'command -v pwsh'], { encoding: 'utf8' });
  return which.status === 0 && which.stdout.trim() !== '' ? which.stdout.trim() : undefined;
}

describe('an update where the source dropped a server the file still names', () => {
  it('drops the name from kept relationships, drops settings the new roles cannot carry, and still validates', () => {
    const text = readFileSync(join(fixtures, 'contoso-export.json'), 'utf8');
    const first = importScom(text, 'e.json').yaml.replace(
      'hosts:\n',
      'hosts:\n  - name: consoles\n    addresses: [10.0.10.0/25]\n    roles: [operations-console]\n    managementServers: [ms02.contoso.com]\n\n  - name: helpdesk\n    addresses: [10.0.11.0/25]\n    roles: [operations-console]\n    managementServers: [ms01.contoso.com, ms02.contoso.com]\n\n',
    ).replace('  - name: sql01.contoso.com\n', '  - name: sql01.contoso.com\n    install: push\n');
    expect(() => loadDeployment(first, 'first.yaml')).not.toThrow();
    const next = JSON.parse(text) as { managementServers: { name: string }[]; agents: { name: string; primary: string; failover: string[] }[]; gateways: { primary: string; failover: string[] }[]; resourcePools: { members: string[] }[] };
    next.managementServers = next.managementServers.filter((m) => m.name !== 'ms02.contoso.com');
    for (const a of next.agents) {
      if (a.primary === 'ms02.contoso.com') a.primary = 'ms01.contoso.com';
      a.failover = a.failover.filter((f) => f !== 'ms02.contoso.com');
    }
    next.agents = next.agents.filter((a) => a.name !== 'sql01.contoso.com');
    next.gateways[0]!.primary = 'ms01.contoso.com';
    next.gateways[0]!.failover = [];
    for (const p of next.resourcePools) p.members = p.members.filter((m) => m !== 'ms02.contoso.com');
    const result = importScom(JSON.stringify(next), 'next.json', { text: first, file: 'first.yaml' });
    const d = loadDeployment(result.yaml, 'next.yaml');
    expect(d.hosts.find((h) => h.name === 'consoles')?.managementServers).toBeUndefined();
    expect(d.hosts.find((h) => h.name === 'helpdesk')?.managementServers).toEqual(['ms01.contoso.com']);
    expect(d.hosts.find((h) => h.name === 'sql01.contoso.com')?.install).toBeUndefined();
    expect(result.changes?.removed).toContain('ms02.contoso.com (no longer in the source)');
    expect(result.changes?.differs).toContain('consoles: managementServers no longer names ms02.contoso.com (gone from the source)');
    expect(result.changes?.differs).toContain('sql01.contoso.com: install dropped: no role of the host carries it any more');
    expect(result.todos).toContain('consoles: managementServers: every host it named is gone; the default (all) applies until you name others');
  });
});
