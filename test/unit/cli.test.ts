import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { expectGolden } from '../support/golden.js';
import { scenarioNames, scenarios } from '../support/scenarios.js';
import { targetNames } from '../../src/targets/registry.js';

describe('scomfw plan', () => {
  it.each(scenarioNames)('--format json of %s equals its golden file, byte for byte, twice', async (name) => {
    const first = await runCli(['plan', scenarios[name], '--format', 'json']);
    const second = await runCli(['plan', scenarios[name], '--format', 'json']);
    expect(first.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
    expectGolden('plan', name, [{ path: 'plan.json', content: first.stdout }]);
  });

  it('with no FILE uses the bundled example and says so on stderr', async () => {
    const r = await runCli(['plan']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/no FILE given, using the bundled example .*contoso\.yaml/);
    expect(r.stdout).toMatch(/^CONTOSO: \d+ flows/);
  });

  it('the table fits 100 columns', async () => {
    const r = await runCli(['plan', 'examples/contoso.yaml']);
    // Code points, not UTF-16 units: the table's ellipsis is one column.
    const widest = Math.max(...r.stdout.split('\n').map((l) => Array.from(l).length));
    expect(widest).toBeLessThanOrEqual(100);
  });

  it('--phase operate leaves install-only flows out', async () => {
    const install = JSON.parse((await runCli(['plan', 'examples/contoso.yaml', '-f', 'json'])).stdout) as { flows: { phase: string }[] };
    const operate = JSON.parse((await runCli(['plan', 'examples/contoso.yaml', '-f', 'json', '--phase', 'operate'])).stdout) as { flows: { phase: string }[] };
    expect(install.flows.some((f) => f.phase === 'install')).toBe(true);
    expect(operate.flows.every((f) => f.phase === 'always')).toBe(true);
    expect(operate.flows.length).toBe(install.flows.filter((f) => f.phase === 'always').length);
  });

  it('csv has a header and one line per flow', async () => {
    const json = JSON.parse((await runCli(['plan', 'examples/minimal.yaml', '-f', 'json'])).stdout) as { flows: unknown[] };
    const csv = (await runCli(['plan', 'examples/minimal.yaml', '-f', 'csv'])).stdout.trimEnd().split('\r\n');
    expect(csv[0]).toMatch(/^id,source,/);
    expect(csv).toHaveLength(json.flows.length + 1);
  });
});

describe('scomfw catalog', () => {
  it('2016-08 json holds exactly 19 rows, 2024-11 28', async () => {
    const a = JSON.parse((await runCli(['catalog', '--revision', '2016-08', '--format', 'json'])).stdout) as { rows: unknown[] };
    const b = JSON.parse((await runCli(['catalog', '--revision', '2024-11', '--format', 'json'])).stdout) as { rows: unknown[] };
    expect(a.rows).toHaveLength(19);
    expect(b.rows).toHaveLength(28);
  });

  it('the table shows doc cells, then the reading, then the erratum', async () => {
    const r = await runCli(['catalog', '-r', '2016-08']);
    const block = r.stdout.split('\n\n').find((b) => b.startsWith('2016-08#8'))!;
    expect(block.split('\n').map((l) => l.trim().split(':')[0])).toEqual(['2016-08#8', 'doc', 'reading', 'configured', 'erratum', 'evidence']);
    expect(block).toMatch(/Web site port/);
    expect(block).toMatch(/tcp\/5724/);
  });
});

describe('usage', () => {
  it.each(['plan', 'validate', 'catalog', 'schema', 'render'])('%s --help shows an example', async (cmd) => {
    const r = await runCli([cmd, '--help']);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/Examples?:\n {2}scomfw /);
  });

  it('render --help lists every target with its summary wrapped under itself, within 80 columns', async () => {
    const r = await runCli(['render', '--help']);
    const block = r.stdout.split('Targets:\n')[1]!.split('\n\n')[0]!.split('\n');
    expect(block.filter((l) => /^ {2}\S/.test(l)).map((l) => l.trim().split(' ')[0])).toEqual(targetNames());
    for (const line of block) {
      expect(line.length).toBeLessThanOrEqual(80);
      expect(line).toMatch(/^( {2}[a-z-]+ +\S| {23}\S)/);
    }
  });

  it.each([
    [['frobnicate']],
    [['plan', 'examples/contoso.yaml', '--format', 'xml']],
    [['render', 'examples/contoso.yaml']],
    [['catalog', '--revision', '2019']],
    [['plan', 'no-such-file.yaml']],
  ])('%j is bad usage: exit 2, one message, no stack trace', async (argv) => {
    const r = await runCli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(r.stderr.trim().length).toBeGreaterThan(0);
  });

  it.each([
    ['aws', ['--keep', 'tcp/22@10.0.0.0/24'], '--keep', /firewalld, iptables, nftables/],
    ['nftables', ['--profile', 'Domain'], '--profile', /netsh, windows-powershell/],
    ['markdown', ['--policy-store', 'PersistentStore'], '--policy-store', /netsh, windows-powershell/],
    // firewalld's zone never replaces the host's policy: there is nothing to choose
    ['firewalld', ['--linux-policy', 'open-only'], '--linux-policy', /--linux-policy is for iptables, nftables/],
    ['windows-powershell', ['--linux-policy', 'drop-unplanned'], '--linux-policy', /--linux-policy is for iptables, nftables/],
  ])('render --target %s refuses an option it has no use for (exit 2, with a hint)', async (target, extra, flag, users) => {
    const r = await runCli(['render', 'examples/contoso.yaml', '--target', target, ...extra]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain(`the ${target} target has no use for ${flag}`);
    expect(r.stderr).toMatch(/Hint: it takes --host/);
    expect(r.stderr).toMatch(users);
  });

  it('render --linux-policy takes open-only or drop-unplanned, nothing else (exit 2, with the choices)', async () => {
    const r = await runCli(['render', 'examples/contoso.yaml', '--target', 'nftables', '--linux-policy', 'drop']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/argument 'drop' is invalid\. Allowed choices are open-only, drop-unplanned/);
  });

  it('several targets render from one plan, each under its own directory, each file as its one-target render', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'scomfw-multi-'));
    try {
      const r = await runCli(['render', 'examples/contoso.yaml', '--target', 'nftables,windows-powershell', '--out', dir, '--keep', 'tcp/22@10.0.0.0/24', '--profile', 'Domain']);
      expect(r.code, r.stderr).toBe(0);
      for (const [target, extra] of [['nftables', ['--keep', 'tcp/22@10.0.0.0/24']], ['windows-powershell', ['--profile', 'Domain']]] as const) {
        const one = await runCli(['render', 'examples/contoso.yaml', '--target', target, ...extra]);
        const printed = one.stdout.split(/^==> (.+) <==\n/m).slice(1);
        expect(printed.length).toBeGreaterThan(0);
        for (let i = 0; i < printed.length; i += 2) {
          // The printed form joins files with one newline between them; the last file has none added.
          const content = i + 2 < printed.length ? printed[i + 1]!.slice(0, -1) : printed[i + 1]!;
          expect(readFileSync(join(dir, target, printed[i]!), 'utf8'), `${target}/${printed[i]!}`).toBe(content);
        }
      }
      expect(readdirSync(dir).sort()).toEqual(['nftables', 'windows-powershell']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('--target all renders every target, each file as its one-target render (targets share answers computed once per plan)', async () => {
    const { targetNames } = await import('../../src/targets/registry.js');
    const r = await runCli(['render', 'examples/contoso.yaml', '--target', 'all']);
    expect(r.code, r.stderr).toBe(0);
    const printed = filesOf(r.stdout);
    expect([...new Set([...printed.keys()].map((p) => p.split('/')[0]))].sort()).toEqual(targetNames().sort());
    for (const target of targetNames()) {
      const one = await runCli(['render', 'examples/contoso.yaml', '--target', target]);
      const alone = one.stdout.includes('==> ') ? filesOf(one.stdout) : new Map([[[...printed.keys()].find((p) => p.startsWith(`${target}/`))!.slice(target.length + 1), one.stdout]]);
      for (const [path, content] of alone) expect(printed.get(`${target}/${path}`), `${target}/${path}`).toBe(content);
      expect([...printed.keys()].filter((p) => p.startsWith(`${target}/`)).length).toBe(alone.size);
    }
  });

  it('several targets with --host: a target that cannot pick the host is skipped with the reason; one no target picks is refused', async () => {
    const { mkdtempSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const linux = 'linux-app-servers'; // a UNIX/Linux agent group: nftables writes for it, windows-powershell cannot
    const dir = mkdtempSync(join(tmpdir(), 'scomfw-multi-host-'));
    try {
      const r = await runCli(['render', 'examples/contoso.yaml', '--target', 'windows-powershell,nftables', '--host', linux, '--out', dir]);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toContain(`scomfw: windows-powershell: nothing to write for --host: "${linux}" is not a Windows host`);
      expect(readdirSync(dir)).toEqual(['nftables']);
      const none = await runCli(['render', 'examples/contoso.yaml', '--target', 'windows-powershell,nftables', '--host', 'nosuch']);
      expect(none.code).toBe(2);
      expect(none.stderr).toMatch(/"nosuch" is not a host( or zone pair)? of this plan/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each([
    [['--target', 'nftables,aws', '--profile', 'Domain'], /none of the targets nftables, aws has a use for --profile\. Hint: --profile is for netsh, windows-powershell/],
    [['--target', 'nftables,nosuch'], /--target: expected a target name, found "nosuch"\. Hint: choose one or more of aws, /],
    [['--target', 'all,nftables'], /found "all" beside other names/],
    [['--target', 'nftables,'], /found an empty name/],
  ])('render %j is refused before anything is rendered (exit 2)', async (extra, message) => {
    const r = await runCli(['render', 'examples/contoso.yaml', ...extra]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(message);
  });

  it('every target words an unknown --host the same way', async () => {
    const { targetNames } = await import('../../src/targets/registry.js');
    for (const target of targetNames()) {
      const r = await runCli(['render', 'examples/contoso.yaml', '--target', target, '--host', 'nosuch']);
      expect(r.code, target).toBe(2);
      expect(r.stderr, target).toMatch(/"nosuch" is not a host( or zone pair)? of this plan\. Hint: --host takes one of the /);
    }
  });

  it('schema prints the committed JSON Schema', async () => {
    const r = await runCli(['schema']);
    expect(r.stdout).toBe(readFileSync(join(import.meta.dirname, '..', '..', 'schema', 'deployment.schema.json'), 'utf8'));
  });
});

/** Every fixture under test/fixtures/bad: exit 2, the expected file:line:column, a hint, no stack trace. */
describe('user mistakes through the CLI', () => {
  const dir = join(import.meta.dirname, '..', 'fixtures', 'bad');
  let files: string[] = [];
  try {
    files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();
  } catch {
    files = [];
  }

  it('has at least 15 fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  it.each(files)('%s', async (file) => {
    const text = readFileSync(join(dir, file), 'utf8');
    const expectLine = file.endsWith('.json') ? readFileSync(join(dir, file.replace(/\.json$/, '.expect')), 'utf8') : text.split('\n')[0]!;
    const m = /expect:\s*(\d+):(\d+)\s+(.*)$/.exec(expectLine.trim());
    expect(m, `expectation line of ${file}`).not.toBeNull();
    const [, line, col, words] = m!;
    const r = await runCli(['validate', join('test/fixtures/bad', file)]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`test/fixtures/bad/${file}:${line}:${col}: `);
    expect(r.stderr).toContain(words!.trim());
    expect(r.stderr).toMatch(/Hint: /);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});

/** Printed files ("==> NAME <==" before each; one newline between files) by name. */
function filesOf(stdout: string): Map<string, string> {
  const parts = stdout.split(/^==> (.+) <==\n/m).slice(1);
  const files = new Map<string, string>();
  for (let i = 0; i < parts.length; i += 2) files.set(parts[i]!, i + 2 < parts.length ? parts[i + 1]!.slice(0, -1) : parts[i + 1]!);
  return files;
}

/**
 * The JSON fast lane reads a regular file through a window and the general path reads it again when the lane
 * declines; a pipe can be read only once, so its bytes are read whole for both (src/cli/context.ts).
 */
describe('deployment files that are not regular files', () => {
  const cidr = JSON.stringify({ managementGroup: 'X', hosts: [{ name: 'ms01', address: '10.0.0.1', roles: ['management-server'] }, { name: 'a1', address: '10.9.0.0/30', roles: ['agent'] }] }, null, 2);

  it('a named pipe with a file the fast lane declines: the general path reads the same bytes and places the problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scomfw-fifo-'));
    try {
      const fifo = join(dir, 'd.json');
      execFileSync('mkfifo', [fifo]);
      writeFileSync(join(dir, 'src.json'), cidr);
      // The writer opens the pipe in another process: opening it here blocks until it does.
      const writer = spawn('sh', ['-c', `cat "${join(dir, 'src.json')}" > "${fifo}"`]);
      const r = await runCli(['validate', fifo]);
      await new Promise((done) => writer.on('close', done));
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(`${fifo}:13:18: hosts[1].address: expected a single IP address, found "10.9.0.0/30"`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a directory or a missing file: exit 2, said in one sentence with a hint', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scomfw-dir-'));
    try {
      const asDir = await runCli(['validate', dir]);
      expect(asDir.code).toBe(2);
      expect(asDir.stderr).toBe(`cannot read ${dir}: it is a directory. Hint: give the path of a deployment file (YAML or JSON), e.g. examples/contoso.yaml\n`);
      const missing = await runCli(['validate', join(dir, 'none.json')]);
      expect(missing.code).toBe(2);
      expect(missing.stderr).toMatch(/^cannot read .*none\.json: no such file\. Hint: /);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
