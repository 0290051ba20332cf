import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { windowsPowerShell } from '../../src/targets/windows/powershell.js';
import { runCli } from '../support/cli.js';
import { pwshUnavailableReason, runSteps, storeText, type Step, type StepResult } from '../support/pwsh.js';
import { scenarioNames, scenarioPlan, scenarios, type ScenarioName } from '../support/scenarios.js';
import { declaredRules, type DeclaredRule } from '../support/windows-rules.js';

/**
 * The audit's Windows exporter (src/audit/exporters/windows-firewall.ps1) run in PowerShell 7 against the
 * NetSecurity double after `<host>.ps1` has applied the plan: `scomfw audit` finds nothing. Then with a planted
 * change on one host (its first rule disabled; a block rule added in front of an allowed source): the finding the
 * change causes.
 */
const unavailable = pwshUnavailableReason();
const repo = join(import.meta.dirname, '..', '..');
const exporter = join(repo, 'src', 'audit', 'exporters', 'windows-firewall.ps1');

interface Finding {
  readonly kind: string;
  readonly host?: string;
  readonly flow?: { id: string; protocol: string; ports: { from: number; to: number } | null };
  readonly witness?: { source: string; port: number | null };
  readonly message: string;
}

interface Exported {
  readonly scenario: ScenarioName;
  readonly host: string;
  readonly export: string;
}

let dir = '';
const exported: Exported[] = [];
const results = new Map<string, StepResult>();
let planted: { host: string; rule: DeclaredRule; disabled: string; blocked: string; blockedSource: string } | undefined;

describe.skipIf(unavailable !== undefined)('the audit\'s Windows exporter against the NetSecurity double', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scomfw-exporter-'));
    const steps: Step[] = [];
    for (const scenario of scenarioNames) {
      const out = join(dir, scenario);
      mkdirSync(out, { recursive: true });
      const files = windowsPowerShell.render(scenarioPlan(scenario), {});
      for (const f of files.filter((x) => !x.path.endsWith('.close-install.ps1') && !x.path.endsWith('.remove.ps1'))) {
        const host = f.path.replace(/\.ps1$/, '');
        const script = join(out, f.path);
        writeFileSync(script, f.content);
        const store = join(out, `${host}.store.json`);
        const exportFile = join(out, `${host}.json`);
        steps.push({ id: `${scenario}/${host}/apply`, script, store, seed: storeText({ PersistentStore: [] }) }, { id: `${scenario}/${host}/export`, script: exporter, parameters: { Path: exportFile }, store });
        exported.push({ scenario, host, export: exportFile });
        if (!planted && scenario === 'contoso') {
          const rule = (await declaredRules(f.content)).find((d) => d.protocol === 'TCP' && !d.group.endsWith('install'));
          if (rule) planted = { host, rule, ...(await plantSteps(steps, out, host, script, rule)) };
        }
      }
    }
    const t0 = Date.now();
    for (const r of await runSteps(steps)) results.set(r.id, r);
    console.log(`exporter: ${steps.length} script runs (${exported.length} hosts applied and exported, 2 planted changes) in ${Date.now() - t0} ms`);
  }, 900_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('runs without an error after every host\'s script', () => {
    for (const [id, r] of results) {
      expect(r.stopped, id).toBeNull();
      expect(r.errors, id).toEqual([]);
    }
  });

  it.each(scenarioNames)('%s: every host audits clean after <host>.ps1', async (scenario) => {
    const hosts = exported.filter((e) => e.scenario === scenario);
    expect(hosts.length).toBeGreaterThan(0);
    for (const e of hosts) {
      const { code, findings } = await audit(scenario, e.export);
      expect(findings.map((f) => f.message), `${scenario} ${e.host}`).toEqual([]);
      expect(code).toBe(0);
    }
  });

  it('a disabled rule: its flows are missing', async () => {
    if (!planted) throw new Error('no contoso host with an always-open TCP rule');
    const { code, findings } = await audit('contoso', planted.disabled);
    expect(code).toBe(1);
    const port = Number(planted.rule.localPort?.split('-')[0]);
    const missing = findings.filter((f) => f.kind === 'missing' && f.host === planted?.host);
    expect(missing.length, JSON.stringify(findings.map((f) => f.message))).toBeGreaterThan(0);
    expect(missing.every((f) => f.flow?.ports?.from === port)).toBe(true);
    expect(findings.filter((f) => f.kind !== 'missing')).toEqual([]);
  });

  it('a block rule in front of one source: that source\'s flow is reported, naming the blocked address', async () => {
    if (!planted) throw new Error('no contoso host with an always-open TCP rule');
    const { code, findings } = await audit('contoso', planted.blocked);
    expect(code).toBe(1);
    const port = Number(planted.rule.localPort?.split('-')[0]);
    const hit = findings.filter((f) => (f.kind === 'missing' || f.kind === 'partly-open') && f.flow?.ports?.from === port);
    expect(hit.length, JSON.stringify(findings.map((f) => f.message))).toBeGreaterThan(0);
    expect(hit.some((f) => f.witness?.source === planted?.blockedSource && /block/i.test(f.message))).toBe(true);
  });
});

if (unavailable !== undefined) {
  describe('the audit\'s Windows exporter against the NetSecurity double', () => {
    it.skip(`skipped: ${unavailable}`, () => undefined);
  });
}

/** Apply, change one thing with the NetSecurity cmdlets, export: once with the rule disabled, once with a block rule. */
async function plantSteps(steps: Step[], out: string, host: string, script: string, rule: DeclaredRule): Promise<{ disabled: string; blocked: string; blockedSource: string }> {
  const plant = join(out, 'plant.ps1');
  writeFileSync(
    plant,
    [
      'param([Parameter(Mandatory)] [string]$Rule, [string]$BlockFrom, [string]$Port)',
      "$ErrorActionPreference = 'Stop'",
      'if ($BlockFrom) {',
      "    New-NetFirewallRule -Name 'planted-block' -DisplayName 'Planted block' -Direction Inbound -Action Block -Protocol TCP -LocalPort $Port -RemoteAddress $BlockFrom -ErrorAction Stop | Out-Null",
      '}',
      'else {',
      '    Set-NetFirewallRule -Name $Rule -Enabled False -ErrorAction Stop',
      '}',
    ].join('\n'),
  );
  const blockedSource = (rule.remote[0] ?? '').split(/[-/]/)[0] ?? '';
  const disabled = join(out, `${host}.disabled`, `${host}.json`);
  const blocked = join(out, `${host}.blocked`, `${host}.json`);
  mkdirSync(join(out, `${host}.disabled`));
  mkdirSync(join(out, `${host}.blocked`));
  for (const [kind, exportFile, parameters] of [
    ['disabled', disabled, { Rule: rule.name }],
    ['blocked', blocked, { Rule: rule.name, BlockFrom: blockedSource, Port: rule.localPort ?? '' }],
  ] as const) {
    const store = join(out, `${host}.${kind}.store.json`);
    steps.push(
      { id: `plant/${kind}/apply`, script, store, seed: storeText({ PersistentStore: [] }) },
      { id: `plant/${kind}/change`, script: plant, parameters, store },
      { id: `plant/${kind}/export`, script: exporter, parameters: { Path: exportFile }, store },
    );
  }
  return Promise.resolve({ disabled, blocked, blockedSource });
}

async function audit(scenario: ScenarioName, exportFile: string): Promise<{ code: number; findings: Finding[] }> {
  const r = await runCli(['audit', join(repo, scenarios[scenario]), exportFile, '--format', 'json']);
  if (r.code !== 0 && r.code !== 1) throw new Error(`audit exited ${r.code}: ${r.stderr}`);
  return { code: r.code, findings: (JSON.parse(r.stdout) as { findings: Finding[] }).findings };
}
