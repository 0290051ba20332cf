import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { auditFileSchema, auditJsonSchema } from '../../src/audit/format.js';
import { runCli } from '../support/cli.js';

/**
 * `scomfw audit` end to end, in-process, on exports captured from the real tools (test/fixtures/audit: nft -j and
 * iptables-save of the minimal example's rendered rulesets for sql01 and scom01).
 */

const repo = join(import.meta.dirname, '..', '..');
const fixtures = join(repo, 'test', 'fixtures', 'audit');
const dir = mkdtempSync(join(tmpdir(), 'scomfw-audit-cli-'));
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

/** A copy of a fixture under a new name, optionally edited. */
function exportFile(fixture: string, name: string, edit: (text: string) => string = (t) => t): string {
  const sub = mkdtempSync(join(dir, 'x-'));
  const path = join(sub, name);
  writeFileSync(path, edit(readFileSync(join(fixtures, fixture), 'utf8')));
  return path;
}

const withoutRule1433 = (text: string) =>
  text
    .split('\n')
    .filter((l) => !l.includes('--dport 1433'))
    .join('\n');

describe('scomfw audit', () => {
  it('exports named <host>.<ext> audit clean: exit 0, in words', async () => {
    const files = ['sql01.json', 'sql01.rules', 'sql01.rules6', 'scom01.json'].map((f) => {
      const path = join(dir, f);
      copyFileSync(join(fixtures, f), path);
      return path;
    });
    const r = await runCli(['audit', 'examples/minimal.yaml', ...files]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('6 planned flows and 6 ports checked on sql01, scom01 (phase install): no findings.\n');
  });

  it('a deleted rule: exit 1, the table names host, service, source, the deciding line and why', async () => {
    const path = exportFile('sql01.rules', 'sql01.rules', withoutRule1433);
    const r = await runCli(['audit', 'examples/minimal.yaml', path]);
    expect(r.code).toBe(1);
    const line = readFileSync(path, 'utf8').split('\n').findIndex((l) => l.includes('drop everything not planned')) + 1;
    expect(r.stdout).toContain(
      `ERROR missing         sql01 does not accept TCP 1433 from scom01 (10.1.0.10): blocked by ${path} line ${line} \`-A SCOMFW-IN -m comment --comment "scomfw: drop everything not planned" -j DROP\`, dropped in chain filter SCOMFW-IN; a drop is final`,
    );
  });

  it('JSON follows schema/audit.schema.json, generated from the zod schema (UPDATE_SCHEMA=1 rewrites it)', async () => {
    const schemaPath = join(repo, 'schema', 'audit.schema.json');
    const generated = `${JSON.stringify(auditJsonSchema(), null, 2)}\n`;
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(schemaPath, generated);
    expect(readFileSync(schemaPath, 'utf8')).toBe(generated);

    const path = exportFile('sql01.rules', 'sql01.rules', withoutRule1433);
    const r = await runCli(['audit', 'examples/minimal.yaml', path, '--phase', 'operate', '--format', 'json']);
    expect(r.code).toBe(1);
    const doc = auditFileSchema.parse(JSON.parse(r.stdout));
    expect(doc).toMatchObject({ format: 'scomfw-audit', version: 1, managementGroup: 'LAB', phase: 'operate' });
    const missing = doc.findings.find((f) => f.kind === 'missing')!;
    expect(missing).toMatchObject({
      severity: 'error',
      host: 'sql01',
      flow: { id: 'scom01>sql01:tcp/1433', source: { name: 'scom01' }, destination: { name: 'sql01' }, protocol: 'tcp', ports: { from: 1433, to: 1433 } },
      witness: { source: '10.1.0.10', destination: '10.1.0.20', protocol: 'tcp', port: 1433 },
      rule: { export: path },
    });
    expect(doc.summary.byKind).toMatchObject({ missing: 1, 'stale-install': 4 });
    expect(doc.summary.errors).toBe(5);
  });

  it('JUnit has one test case per planned flow and per port checked; SARIF 2.1.0 places findings at the lines', async () => {
    const path = exportFile('sql01.rules', 'sql01.rules', withoutRule1433);
    const junit = await runCli(['audit', 'examples/minimal.yaml', path, '--format', 'junit']);
    expect(junit.code).toBe(1);
    expect(junit.stdout.match(/<testcase /g)).toHaveLength(5 + 5);
    expect(junit.stdout).toContain('<testcase classname="audit.sql01" name="flow scom01&gt;sql01:tcp/1433">');
    expect(junit.stdout).toContain('<testcase classname="audit.sql01" name="port TCP 1433 on sql01"/>');
    expect(junit.stdout).toMatch(/<testsuites name="scomfw audit" tests="10" failures="1">/);

    const sarif = await runCli(['audit', 'examples/minimal.yaml', path, '--format', 'sarif']);
    const doc = JSON.parse(sarif.stdout) as { version: string; runs: { results: { ruleId: string; level: string; locations: { physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number } } }[] }[] }[] };
    expect(doc.version).toBe('2.1.0');
    const [result] = doc.runs[0]!.results;
    expect(result).toMatchObject({ ruleId: 'scomfw/missing', level: 'error' });
    expect(result!.locations[0]!.physicalLocation.artifactLocation.uri).toBe(path);
    expect(result!.locations[0]!.physicalLocation.region.startLine).toBe(readFileSync(path, 'utf8').split('\n').findIndex((l) => l.includes('drop everything not planned')) + 1);

    const md = await runCli(['audit', 'examples/minimal.yaml', path, '--format', 'markdown']);
    expect(md.stdout).toContain('| error | missing | sql01 | sql01 does not accept TCP 1433 from scom01 (10.1.0.10)');
  });

  it('--host places exports whose names say nothing; a compact nft export reports line and column', async () => {
    const path = exportFile('sql01.json', 'export.json', (t) => t.replace(/"right": 1433/, '"right": 1434'));
    const r = await runCli(['audit', 'examples/minimal.yaml', path, '--host', 'sql01', '--format', 'json']);
    expect(r.code).toBe(1);
    const doc = auditFileSchema.parse(JSON.parse(r.stdout));
    expect(doc.findings.map((f) => f.kind)).toEqual(['missing']);
    expect(doc.findings[0]!.rule).toMatchObject({ line: 1, column: expect.any(Number) as number });
    expect(readFileSync(path, 'utf8').slice(doc.findings[0]!.rule!.column! - 1)).toMatch(/^\{"chain": \{"family": "inet", "table": "scomfw", "name": "input"/);
  });

  it('bad usage is exit 2 with a hint: unknown host, unplaceable file, unknown zones, unknown format', async () => {
    const anon = exportFile('sql01.json', 'export.json');
    const cases: [string[], RegExp][] = [
      [['--host', 'nosuch'], /"nosuch" is not a host of this plan\. Hint: --host takes one of the hosts of this plan: scom01, servers, sql01/],
      [[], /which host is this export of\?.*Hint: name the file <host>\.<ext>/],
      [['--zones', 'dmz,nowhere'], /--zones names dmz, nowhere, which no host of the deployment is in/],
      [['--input-format', 'pf'], /unknown input format "pf"/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(['audit', 'examples/minimal.yaml', anon, ...args]);
      expect(r.code, r.stderr).toBe(2);
      expect(r.stderr).toMatch(message);
    }
  });

  it('--help lists the export formats and the exit codes', async () => {
    const r = await runCli(['audit', '--help']);
    expect(r.stdout).toMatch(/nftables +nftables: the JSON of `nft -j list ruleset`/);
    expect(r.stdout).toMatch(/iptables +iptables: the text of `iptables-save` or `ip6tables-save`/);
    expect(r.stdout).toContain('Exit codes: 0 no error finding; 1 an error finding');
  });
});
