import type { ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { listenSpec } from '../../src/probe/listen-spec.js';
import { resultsFileSchema, type ProbeResult, type ResultsFile } from '../../src/probe/results.js';
import { listeningHosts } from '../../src/targets/rules.js';
import { verifyPowerShell } from '../../src/targets/windows/verify.js';
import { loadDeployment } from '../../src/topology/index.js';
import { runCli } from '../support/cli.js';
import { Lab, labUnavailableReason } from '../support/netns.js';
import { pwshPath, pwshUnavailableReason } from '../support/pwsh.js';
import { loadScenario, planOf, remapForLab } from '../support/scenarios.js';
import { deleteRule, deploymentYaml, loadRuleset, runCheck, runIn, transpileCli, untilOutput } from '../support/scomfw-lab.js';

/**
 * The contoso example in a namespace lab (one namespace per host at a 198.18.0.0/15 address, each destination
 * behind its nftables ruleset, `scomfw listen` standing in for its services), with one rule deleted (sql01's
 * TCP 1433: filtered) and one listener stopped (ms02: closed). From every Windows source, `<host>.verify.ps1`
 * runs under PowerShell 7 and `scomfw check` runs too; the script's result file must validate against
 * schema/results.schema.json, `scomfw report` must take it, and every (flow, address) must have the state the Node
 * prober found. Namespaces are named with a random suffix and removed at the end, also on failure.
 */
const unavailable = labUnavailableReason(['ip', 'nft']) ?? pwshUnavailableReason();
const repo = join(import.meta.dirname, '..', '..');
const timeoutMs = 2000;

interface SourceRun {
  readonly name: string;
  readonly node: ResultsFile;
  readonly powershell: unknown;
  readonly powershellPath: string;
  readonly exitCode: number;
}

describe.skipIf(unavailable !== undefined)('verify-powershell in a namespace lab (contoso): pwsh agrees with scomfw check', () => {
  let lab: Lab | undefined;
  let dir = '';
  let file = '';
  let plan: Plan;
  const runs: SourceRun[] = [];

  beforeAll(async () => {
    process.env.POWERSHELL_TELEMETRY_OPTOUT = '1';
    process.env.POWERSHELL_UPDATECHECK = 'Off';
    const pwsh = pwshPath();
    if (!pwsh) throw new Error('no pwsh');
    dir = mkdtempSync(join(tmpdir(), 'scomfw-verify-lab-'));
    const cli = transpileCli(join(dir, 'js'));
    const remapped = remapForLab(loadScenario('contoso'));
    file = join(dir, 'lab.yaml');
    writeFileSync(file, deploymentYaml(remapped.deployment));
    plan = planOf(loadDeployment(readFileSync(file, 'utf8'), file));
    const theLab = new Lab(`pv${randomBytes(2).toString('hex')}`);
    lab = theLab;
    for (const [name, a] of remapped.addresses) theLab.addHost(name, a.v4);
    const listeners = new Map<string, ChildProcess>();
    for (const host of listeningHosts(plan)) {
      loadRuleset(theLab, plan, host.name, dir);
      const spec = listenSpec(plan, host.name);
      if (spec && (spec.tcp.length > 0 || spec.ssrp)) listeners.set(host.name, theLab.start(host.name, process.execPath, [cli, 'listen', file, '--as', host.name, '--duration', '10m']));
    }
    await Promise.all([...listeners.values()].map((child) => untilOutput(child, /^ready:/m, 120_000)));
    // Closed and filtered next to open: one rule gone, one listener stopped.
    deleteRule(theLab, 'sql01.contoso.com', 'tcp dport 1433');
    const ms02 = listeners.get('ms02.contoso.com');
    if (!ms02) throw new Error('no listener on ms02');
    const stopped = untilOutput(ms02, /every port released/, 20_000);
    ms02.kill('SIGTERM');
    await stopped;

    const scripts = verifyPowerShell.render(plan, {});
    const t0 = Date.now();
    const one = async (path: string, content: string): Promise<SourceRun> => {
      const name = path.replace(/\.verify\.ps1$/, '');
      const script = join(dir, path);
      writeFileSync(script, content);
      const node = await runCheck(theLab, cli, name, file, timeoutMs);
      const out = join(dir, `${name}.results.json`);
      const r = await runIn(theLab, name, pwsh, ['-NoProfile', '-NonInteractive', '-File', script, '-TimeoutMs', String(timeoutMs), '-OutFile', out]);
      if (r.code !== 0 && r.code !== 1) throw new Error(`${path} exited ${r.code}: ${r.stderr}\n${r.stdout}`);
      return { name, node: node.results, powershell: JSON.parse(readFileSync(out, 'utf8')) as unknown, powershellPath: out, exitCode: r.code };
    };
    // Two sources at a time: two cores, and each source's probes should not wait on another's.
    for (let i = 0; i < scripts.length; i += 2) runs.push(...(await Promise.all(scripts.slice(i, i + 2).map((s) => one(s.path, s.content)))));
    const rows = runs.reduce((n, r) => n + resultsFileSchema.parse(r.powershell).results.length, 0);
    console.log(`verify-powershell: ${runs.length} scripts run under pwsh in the lab, ${rows} probes compared with scomfw check, in ${Date.now() - t0} ms`);
  }, 600_000);

  afterAll(() => {
    lab?.destroy();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs the script of every Windows host that starts flows', () => {
    expect(runs.map((r) => r.name).sort()).toEqual(verifyPowerShell.render(plan, {}).map((f) => f.path.replace(/\.verify\.ps1$/, '')).sort());
    expect(runs.length).toBeGreaterThan(5);
  });

  it('every result file validates against schema/results.schema.json', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addFormat('date-time', (s: string) => !Number.isNaN(Date.parse(s)));
    const validate = ajv.compile(JSON.parse(readFileSync(join(repo, 'schema', 'results.schema.json'), 'utf8')) as object);
    for (const r of runs) {
      expect(validate(r.powershell), `${r.name}: ${JSON.stringify(validate.errors)}`).toBe(true);
      expect(resultsFileSchema.parse(r.powershell)).toMatchObject({ prober: 'powershell', source: { name: r.name } });
    }
  });

  it('every (flow, address) has the state scomfw check found from the same namespace', () => {
    const disagree: string[] = [];
    for (const r of runs) {
      const node = new Map(r.node.results.map((x) => [`${x.flow}@${x.address}`, x]));
      const ps = resultsFileSchema.parse(r.powershell).results;
      expect(ps.map((x) => `${x.flow}@${x.address}`).sort(), r.name).toEqual([...node.keys()].sort());
      for (const x of ps) {
        const n = node.get(`${x.flow}@${x.address}`);
        if (n?.state !== x.state || n.reason !== x.reason) disagree.push(`${describe1(x)} / node: ${n ? `${n.state} (${n.reason})` : 'none'}`);
      }
    }
    expect(disagree).toEqual([]);
  });

  it('the comparison covers open, closed and filtered, and UDP 1434 through the SQL Server Browser stand-in', () => {
    const rows = runs.flatMap((r) => resultsFileSchema.parse(r.powershell).results);
    expect(new Set(rows.map((x) => x.state))).toEqual(new Set(['open', 'closed', 'filtered', 'unprovable']));
    const ssrp = rows.filter((x) => x.protocol === 'udp' && x.port === 1434);
    expect(ssrp.length).toBeGreaterThan(0);
    for (const x of ssrp) expect([x.state, x.reason, x.detail]).toEqual(['open', 'ssrp-response', 'SQL Server Browser answered: SCOMFW (tcp 1435)']);
    expect(rows.filter((x) => x.destination === 'sql01.contoso.com' && x.port === 1433).every((x) => x.state === 'filtered' && x.attempts === 2)).toBe(true);
    expect(rows.filter((x) => x.destination === 'ms02.contoso.com' && x.protocol === 'tcp').every((x) => x.state === 'closed' && x.reason === 'refused')).toBe(true);
  });

  it('exits 1 where a required flow is closed or filtered, 0 elsewhere', () => {
    for (const r of runs) {
      const failing = resultsFileSchema.parse(r.powershell).results.some((x) => x.phase === 'always' && (x.state === 'closed' || x.state === 'filtered'));
      expect(r.exitCode, r.name).toBe(failing ? 1 : 0);
    }
  });

  it('scomfw report takes the result files of every source and covers their flows', async () => {
    const result = await runCli(['report', ...runs.map((r) => r.powershellPath), '--plan', file, '--format', 'json']);
    expect([0, 1], result.stderr).toContain(result.code);
    const report = JSON.parse(result.stdout) as { rows: { flow: string; state: string }[]; failing: number };
    const probed = new Set(runs.flatMap((r) => resultsFileSchema.parse(r.powershell).results.map((x) => x.flow)));
    expect(new Set(report.rows.map((row) => row.flow).filter((f) => probed.has(f)))).toEqual(probed);
    expect(report.failing).toBeGreaterThan(0);
  });
});

if (unavailable !== undefined) {
  describe('verify-powershell in a namespace lab', () => {
    it.skip(`skipped: ${unavailable}`, () => undefined);
  });
}

function describe1(r: ProbeResult): string {
  return `${r.flow} @${r.address}: ${r.state} (${r.reason}) ${r.detail}`;
}
