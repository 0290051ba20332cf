import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import type { RenderedFile } from '../../src/targets/types.js';
import { windowsPowerShell } from '../../src/targets/windows/powershell.js';
import type { Deployment } from '../../src/topology/types.js';
import { parseStore, pwshUnavailableReason, rulesOf, runSteps, storeText, type Step, type StepResult, type StoredRule } from '../support/pwsh.js';
import { loadScenario, planOf, scenarioNames, type ScenarioName } from '../support/scenarios.js';
import { declaredRules, plannedSources, queriedGroups, sourceDifferences, storedSources, type DeclaredRule } from '../support/windows-rules.js';

/**
 * Every scenario's windows-powershell scripts, rendered fresh as the golden tests render them, run in PowerShell 7
 * against the NetSecurity test double (test/pwsh/NetSecurity): apply on an empty store, rerun, -WhatIf, a plan
 * with a host removed, close-install, remove, and a GPO policy store. Expectations come from the plan's flows and
 * from what the scripts declare (their syntax tree), never from rule names written here.
 */
const unavailable = pwshUnavailableReason();
const gpo = 'contoso.com\\SCOM Firewall';

/** Rules of other groups (and none) that every store is seeded with: the scripts must never touch them. */
const foreign: Partial<StoredRule>[] = [
  { Name: 'RemoteDesktop-UserMode-In-TCP', DisplayName: 'Remote Desktop - User Mode (TCP-In)', Group: '@FirewallAPI.dll,-28752', Protocol: 'TCP', LocalPort: ['3389'] },
  { Name: 'other-app-5723', DisplayName: 'Another application on a SCOM port', Group: 'Other App', Protocol: 'TCP', LocalPort: ['5723'], RemoteAddress: ['10.9.9.9'] },
  { Name: 'ungrouped-block', DisplayName: 'A block rule without a group', Protocol: 'UDP', LocalPort: ['1434'], Action: 'Block' },
  { Name: 'lookalike-group', DisplayName: 'A group whose name starts like ours', Group: 'scomfw-legacy', Protocol: 'TCP', LocalPort: ['80'] },
];
const foreignNames = new Set(foreign.map((r) => r.Name));

interface HostCase {
  readonly host: string;
  readonly main: string;
  readonly closeInstall: string;
  readonly remove: string;
  readonly declared: DeclaredRule[];
  /** Every group the scripts manage (remove.ps1 queries them) and the install-only ones (close-install.ps1). */
  readonly groups: string[];
  readonly installGroups: string[];
}

interface ScenarioRun {
  readonly scenario: ScenarioName;
  readonly plan: Plan;
  readonly hosts: HostCase[];
  /** The plan with one source host left out, and the destinations whose main script that changes. */
  readonly reduced: { removed: string; plan: Plan; hosts: HostCase[] } | undefined;
  readonly results: Map<string, StepResult>;
  readonly steps: Step[];
}

let dir = '';
const runs = new Map<ScenarioName, ScenarioRun>();

describe.skipIf(unavailable !== undefined)('windows-powershell scripts run in PowerShell 7 against the NetSecurity double', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scomfw-winps-'));
    const prepared = await Promise.all(scenarioNames.map((s) => prepare(s)));
    const t0 = Date.now();
    // Two pwsh processes at a time: the machines this runs on have two cores.
    for (let i = 0; i < prepared.length; i += 2) {
      await Promise.all(prepared.slice(i, i + 2).map(async (p) => {
        const results = await runSteps(p.steps);
        runs.set(p.scenario, { ...p, results: new Map(results.map((r) => [r.id, r])) });
      }));
    }
    const steps = prepared.reduce((n, p) => n + p.steps.length, 0);
    const hosts = prepared.reduce((n, p) => n + p.hosts.length, 0);
    console.log(`windows-powershell: ${steps} script runs over ${hosts} hosts of ${prepared.length} scenarios in ${Date.now() - t0} ms`);
  }, 900_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  describe.each(scenarioNames)('%s', (scenario) => {
    const run = () => {
      const r = runs.get(scenario);
      if (!r) throw new Error(`no run for ${scenario}`);
      return r;
    };
    const result = (id: string): StepResult => {
      const r = run().results.get(id);
      if (!r) throw new Error(`no step ${id}`);
      expect(r.stopped, `${id} stopped`).toBeNull();
      expect(r.errors, `${id} errors`).toEqual([]);
      return r;
    };

    it('<host>.ps1 on an empty store: the store holds exactly the planned inbound rules of the host', () => {
      for (const h of run().hosts) {
        const r = result(`${h.host}/apply`);
        expectPlanned(rulesOf(parseStore(r.store)), h, run().plan, 'Any');
        expect(r.output.at(-1), h.host).toMatch(new RegExp(`: ${h.declared.length} created, 0 updated, 0 unchanged, 0 removed;`));
      }
    });

    it('a second run leaves the same store and says every rule is unchanged', () => {
      for (const h of run().hosts) {
        expect(parseStore(result(`${h.host}/rerun`).store), h.host).toEqual(parseStore(result(`${h.host}/apply`).store));
        expect(result(`${h.host}/rerun`).output.at(-1)).toMatch(new RegExp(`: 0 created, 0 updated, ${h.declared.length} unchanged, 0 removed;`));
      }
    });

    it('a rule changed by hand (its sources, or disabled) is set back by the next run, and only it is updated', () => {
      for (const h of run().hosts) {
        for (const change of ['drift-address', 'drift-disabled']) {
          const drifted = rulesOf(parseStore(result(`${h.host}/${change}`).store));
          expect(drifted, `${h.host} ${change}`).not.toEqual(rulesOf(parseStore(result(`${h.host}/apply`).store)));
          const repaired = result(`${h.host}/${change}-repaired`);
          expect(parseStore(repaired.store), `${h.host} ${change}`).toEqual(parseStore(result(`${h.host}/apply`).store));
          expect(repaired.output.at(-1)).toMatch(new RegExp(`: 0 created, 1 updated, ${h.declared.length - 1} unchanged, 0 removed;`));
        }
      }
    });

    it('-WhatIf changes nothing and prints one line per change', () => {
      for (const h of run().hosts) {
        const empty = result(`${h.host}/whatif-empty`);
        expect(rulesOf(parseStore(empty.store)), h.host).toEqual([]);
        expect(whatIfTargets(empty), h.host).toEqual(h.declared.map((d) => d.name).sort());
        expect(whatIf(empty).every((l) => l.includes('Create'))).toBe(true);

        const seeded = result(`${h.host}/whatif-seeded`);
        expect(seeded.store, h.host).toBe(result(`${h.host}/seed-stale`).store);
        // The planned rules are there already as planned: only the stale rule would change.
        expect(whatIfTargets(seeded), h.host).toEqual([staleName(h)]);
        expect(seeded.output.at(-1)).toContain('(-WhatIf: nothing was changed)');
      }
    });

    it('a rerun over a stale scomfw rule removes it, and rules of other groups are never touched', () => {
      for (const h of run().hosts) {
        const after = rulesOf(parseStore(result(`${h.host}/stale-removed`).store));
        expect(after.map((r) => r.Name)).not.toContain(staleName(h));
        expectPlanned(after, h, run().plan, 'Any');
        expectForeignUntouched(after);
      }
    });

    it('close-install.ps1 removes the install-only group and nothing else', () => {
      for (const h of run().hosts) {
        const before = rulesOf(parseStore(result(`${h.host}/stale-removed`).store));
        const after = rulesOf(parseStore(result(`${h.host}/close-install`).store));
        expect(after, h.host).toEqual(before.filter((r) => !h.installGroups.includes(r.Group ?? '')));
        expectForeignUntouched(after);
      }
      const closed = run().hosts.flatMap((h) => h.declared.filter((d) => h.installGroups.includes(d.group)));
      if (scenario === 'contoso') expect(closed.length, 'contoso has install-only rules to close').toBeGreaterThan(0);
    });

    it('remove.ps1 leaves no scomfw rule, and the rules of other groups', () => {
      for (const h of run().hosts) {
        const after = rulesOf(parseStore(result(`${h.host}/remove`).store));
        expect(after.filter((r) => h.groups.includes(r.Group ?? '')), h.host).toEqual([]);
        expect(after.map((r) => r.Name).sort()).toEqual([...foreignNames].sort());
        expectForeignUntouched(after);
      }
    });

    it('-PolicyStore of a GPO reaches every cmdlet call, and the local store stays as it was', () => {
      const h = run().hosts[0];
      if (!h) throw new Error('no host');
      const log = readCalls(join(dir, scenario, 'gpo.log'));
      expect(new Set(log.map((c) => c.command))).toEqual(
        new Set(['Get-NetFirewallRule', 'Get-NetFirewallPortFilter', 'Get-NetFirewallAddressFilter', 'New-NetFirewallRule', 'Set-NetFirewallRule', 'Remove-NetFirewallRule']),
      );
      expect(log.filter((c) => c.store !== gpo)).toEqual([]);
      const local = rulesOf(parseStore(result(`${h.host}/gpo-seed`).store));
      expect(local.length).toBe(foreign.length + h.declared.length);
      for (const step of ['gpo-apply', 'gpo-rerun', 'gpo-close-install', 'gpo-remove']) {
        expect(rulesOf(parseStore(result(`${h.host}/${step}`).store)), step).toEqual(local);
      }
      expectPlanned(rulesOf(parseStore(result(`${h.host}/gpo-apply`).store), gpo), h, run().plan, 'Domain, Private');
      expect(parseStore(result(`${h.host}/gpo-rerun`).store)).toEqual(parseStore(result(`${h.host}/gpo-apply`).store));
      expect(rulesOf(parseStore(result(`${h.host}/gpo-remove`).store), gpo)).toEqual([]);
    });

    it('a plan with a host removed: the rerun removes what only that host needed, and nothing else', () => {
      const reduced = run().reduced;
      // minimal: removing any one host leaves every other Windows host's script as it was, or none at all.
      if (scenario === 'minimal') expect(reduced).toBeUndefined();
      if (!reduced) return;
      expect(reduced.hosts.length, `destinations whose rules change without ${reduced.removed}`).toBeGreaterThan(0);
      for (const h of reduced.hosts) {
        const old = run().hosts.find((x) => x.host === h.host);
        if (!old) throw new Error(`no earlier run of ${h.host}`);
        const before = rulesOf(parseStore(result(`${h.host}/reduced-foreign`).store));
        const after = rulesOf(parseStore(result(`${h.host}/reduced`).store));
        expectPlanned(after, h, reduced.plan, 'Any');
        expectForeignUntouched(after);
        const kept = new Set(h.declared.map((d) => d.name));
        // Rules the reduced plan still declares the same way are not rewritten with other values.
        for (const r of before.filter((x) => kept.has(x.Name))) {
          const same = old.declared.find((d) => d.name === r.Name);
          const now = h.declared.find((d) => d.name === r.Name);
          if (JSON.stringify(same) === JSON.stringify(now)) expect(after.find((x) => x.Name === r.Name), r.Name).toEqual(r);
        }
        const gone = old.declared.filter((d) => !kept.has(d.name)).map((d) => d.name);
        expect(after.map((r) => r.Name).filter((n) => gone.includes(n))).toEqual([]);
        expect(result(`${h.host}/reduced`).output.at(-1)).toContain(`, ${gone.length} removed;`);
      }
    });
  });
});

if (unavailable !== undefined) {
  describe('windows-powershell scripts run in PowerShell 7', () => {
    it.skip(`skipped: ${unavailable}`, () => undefined);
  });
}

// ---------------------------------------------------------------------------------------------------------------

async function prepare(scenario: ScenarioName): Promise<Omit<ScenarioRun, 'results'>> {
  const deployment = loadScenario(scenario);
  const plan = planOf(deployment);
  const out = join(dir, scenario);
  mkdirSync(out, { recursive: true });
  const hosts = await hostCases(windowsPowerShell.render(plan, {}), join(out, 'scripts'));
  const reduced = await reducedPlan(deployment, plan, join(out, 'reduced'));
  const steps = [...hosts.flatMap((h, i) => hostSteps(h, out, i === 0)), ...(reduced?.hosts ?? []).flatMap((h) => reducedSteps(h, out))];
  return { scenario, plan, hosts, reduced, steps };
}

async function hostCases(files: readonly RenderedFile[], out: string): Promise<HostCase[]> {
  mkdirSync(out, { recursive: true });
  for (const f of files) writeFileSync(join(out, f.path), f.content);
  const text = (path: string) => {
    const f = files.find((x) => x.path === path);
    if (!f) throw new Error(`no ${path}`);
    return f.content;
  };
  const mains = files.filter((f) => !f.path.endsWith('.close-install.ps1') && !f.path.endsWith('.remove.ps1'));
  return Promise.all(
    mains.map(async (f) => {
      const host = f.path.replace(/\.ps1$/, '');
      return {
        host,
        main: join(out, f.path),
        closeInstall: join(out, `${host}.close-install.ps1`),
        remove: join(out, `${host}.remove.ps1`),
        declared: await declaredRules(f.content),
        groups: await queriedGroups(text(`${host}.remove.ps1`)),
        installGroups: await queriedGroups(text(`${host}.close-install.ps1`)),
      };
    }),
  );
}

const staleName = (h: HostCase) => `${h.declared[0]?.name ?? 'none'}-from-an-earlier-plan`;

function hostSteps(h: HostCase, out: string, withGpo: boolean): Step[] {
  const store = join(out, `${h.host}.store.json`);
  const empty = storeText({ PersistentStore: [] });
  const staleRule: Partial<StoredRule> = { Name: staleName(h), DisplayName: 'A rule an earlier plan wrote', Group: h.groups[0] ?? null, Protocol: 'TCP', LocalPort: ['1'], RemoteAddress: ['10.0.0.1'] };
  const steps: Step[] = [
    { id: `${h.host}/whatif-empty`, script: h.main, parameters: { WhatIf: true }, store, seed: empty },
    { id: `${h.host}/apply`, script: h.main, store, seed: empty },
    { id: `${h.host}/rerun`, script: h.main, store },
    // One rule changed by hand, then the script run again; twice, in two ways.
    { id: `${h.host}/drift-address`, script: setRuleScript(out), parameters: { Name: firstName(h), RemoteAddress: '198.18.9.9' }, store },
    { id: `${h.host}/drift-address-repaired`, script: h.main, store },
    { id: `${h.host}/drift-disabled`, script: setRuleScript(out), parameters: { Name: firstName(h), Enabled: 'False' }, store },
    { id: `${h.host}/drift-disabled-repaired`, script: h.main, store },
    // The applied store with foreign rules and a stale scomfw rule added (a script that does nothing but add them).
    { id: `${h.host}/seed-stale`, script: addRulesScript(out), parameters: { Rules: JSON.stringify([...foreign, staleRule]) }, store },
    { id: `${h.host}/whatif-seeded`, script: h.main, parameters: { WhatIf: true }, store },
    { id: `${h.host}/stale-removed`, script: h.main, store },
    { id: `${h.host}/close-install`, script: h.closeInstall, store },
    { id: `${h.host}/remove`, script: h.remove, store },
  ];
  if (!withGpo) return steps;
  const gpoStore = join(out, `${h.host}.gpo.json`);
  const log = join(out, 'gpo.log');
  const atGpo = { PolicyStore: gpo };
  return [
    ...steps,
    { id: `${h.host}/gpo-seed`, script: addRulesScript(out), parameters: { Rules: JSON.stringify(gpoDecoys(h)) }, store: gpoStore, seed: storeText({ PersistentStore: [], [gpo]: [] }) },
    { id: `${h.host}/gpo-apply`, script: h.main, parameters: { ...atGpo, Profile: ['Domain', 'Private'] }, store: gpoStore, log },
    // A rule of the GPO changed by hand (not logged), so that the rerun has one rule to set again there.
    { id: `${h.host}/gpo-drift`, script: setRuleScript(out), parameters: { ...atGpo, Name: firstName(h), RemoteAddress: '198.18.9.9' }, store: gpoStore },
    { id: `${h.host}/gpo-rerun`, script: h.main, parameters: { ...atGpo, Profile: ['Domain', 'Private'] }, store: gpoStore, log },
    { id: `${h.host}/gpo-close-install`, script: h.closeInstall, parameters: atGpo, store: gpoStore, log },
    { id: `${h.host}/gpo-remove`, script: h.remove, parameters: atGpo, store: gpoStore, log },
  ];
}

/**
 * The local store of the GPO runs: the foreign rules and a copy of every rule the script declares, so that a call
 * which missed -PolicyStore would find (and change) a local rule instead of the GPO's.
 */
function gpoDecoys(h: HostCase): Partial<StoredRule>[] {
  return [...foreign, ...h.declared.map((d) => ({ Name: d.name, DisplayName: d.displayName, Group: d.group, Protocol: 'TCP', LocalPort: ['1'], RemoteAddress: ['10.0.0.1'] }))];
}

const firstName = (h: HostCase) => h.declared[0]?.name ?? 'none';

/** A helper script for the tests: changes one rule by hand, as an administrator would, with Set-NetFirewallRule. */
function setRuleScript(out: string): string {
  return helperScript(out, 'set-rule.ps1', [
    "param([Parameter(Mandatory)] [string]$Name, [string]$RemoteAddress, [string]$Enabled, [string]$PolicyStore = 'PersistentStore')",
    '$settings = @{}',
    'if ($RemoteAddress) { $settings.RemoteAddress = $RemoteAddress }',
    'if ($Enabled) { $settings.Enabled = $Enabled }',
    'Set-NetFirewallRule -Name $Name -PolicyStore $PolicyStore @settings -ErrorAction Stop',
  ]);
}

/** A helper script for the tests: adds rules (JSON, the double's record form) to the store with New-NetFirewallRule. */
function addRulesScript(out: string): string {
  return helperScript(out, 'add-rules.ps1', [
    'param([Parameter(Mandatory)] [string]$Rules)',
    'foreach ($rule in ($Rules | ConvertFrom-Json)) {',
    '    $settings = @{}',
    '    foreach ($p in $rule.PSObject.Properties) { if ($null -ne $p.Value) { $settings[$p.Name] = $p.Value } }',
    '    New-NetFirewallRule @settings -ErrorAction Stop | Out-Null',
    '}',
  ]);
}

/** Writes a test's own script into `out`: its param block first, then stop on any error, then its body. */
function helperScript(out: string, name: string, [param, ...body]: readonly string[]): string {
  const path = join(out, name);
  writeFileSync(path, [param, "$ErrorActionPreference = 'Stop'", ...body].join('\n'));
  return path;
}

/**
 * The deployment without one host, re-planned; the destinations whose main script changes but still exists (a
 * host left with no inbound flow gets no script at all). A host whose removal takes a whole rule away is preferred.
 */
async function reducedPlan(deployment: Deployment, plan: Plan, out: string): Promise<{ removed: string; plan: Plan; hosts: HostCase[] } | undefined> {
  const before = new Map(windowsPowerShell.render(plan, {}).map((f) => [f.path, f.content]));
  let fallback: { removed: string; plan: Plan; changed: RenderedFile[] } | undefined;
  for (const candidate of deployment.hosts) {
    let reduced: Plan;
    try {
      reduced = planOf({ ...deployment, hosts: deployment.hosts.filter((h) => h !== candidate) });
    } catch {
      continue;
    }
    const after = windowsPowerShell.render(reduced, {});
    const changed = after.filter((f) => !f.path.endsWith('.close-install.ps1') && !f.path.endsWith('.remove.ps1') && before.has(f.path) && before.get(f.path) !== f.content);
    if (changed.length === 0) continue;
    const ruleGone = await Promise.all(changed.map(async (f) => (await declaredRules(f.content)).length < (await declaredRules(before.get(f.path) ?? '')).length));
    const found = { removed: candidate.name, plan: reduced, changed };
    if (ruleGone.some(Boolean)) return withCases(found, after, out);
    fallback ??= found;
  }
  return fallback && withCases(fallback, windowsPowerShell.render(fallback.plan, {}), out);
}

async function withCases(found: { removed: string; plan: Plan; changed: RenderedFile[] }, all: RenderedFile[], out: string) {
  const names = new Set(found.changed.map((f) => f.path.replace(/\.ps1$/, '')));
  const cases = await hostCases(all, out);
  return { removed: found.removed, plan: found.plan, hosts: cases.filter((c) => names.has(c.host)) };
}

/** The full plan's script on an empty store, foreign rules added, then the reduced plan's script over it. */
function reducedSteps(h: HostCase, out: string): Step[] {
  const store = join(out, `${h.host}.reduced.json`);
  return [
    { id: `${h.host}/reduced-before`, script: join(out, 'scripts', `${h.host}.ps1`), store, seed: storeText({ PersistentStore: [] }) },
    { id: `${h.host}/reduced-foreign`, script: addRulesScript(out), parameters: { Rules: JSON.stringify(foreign) }, store },
    { id: `${h.host}/reduced`, script: h.main, store },
  ];
}

// ---------------------------------------------------------------------------------------------------------------

function expectPlanned(rules: readonly StoredRule[], h: HostCase, plan: Plan, profile: string): void {
  const ours = rules.filter((r) => h.groups.includes(r.Group ?? ''));
  expect(ours.map((r) => r.Name).sort(), `rule names on ${h.host}`).toEqual(h.declared.map((d) => d.name).sort());
  for (const r of ours) {
    const d = h.declared.find((x) => x.name === r.Name);
    expect(
      { DisplayName: r.DisplayName, Description: r.Description, Group: r.Group, Protocol: r.Protocol, Enabled: r.Enabled, Direction: r.Direction, Action: r.Action, Profile: r.Profile },
      `${h.host} ${r.Name}`,
    ).toEqual({ DisplayName: d?.displayName, Description: d?.description, Group: d?.group, Protocol: d?.protocol, Enabled: 'True', Direction: 'Inbound', Action: 'Allow', Profile: profile });
    expect(r.Protocol.startsWith('ICMP') ? r.IcmpType : r.LocalPort).toEqual([d?.icmpType ?? d?.localPort]);
    expect(r.RemoteAddress.length, `${r.Name}: never Any`).toBeGreaterThan(0);
    expect(r.RemoteAddress).not.toContain('Any');
  }
  expect(sourceDifferences(storedSources(ours, h.installGroups), plannedSources(plan, h.host)), `sources on ${h.host}`).toEqual([]);
}

function expectForeignUntouched(rules: readonly StoredRule[]): void {
  const seeded = rules.filter((r) => foreignNames.has(r.Name));
  expect(seeded.map((r) => r.Name).sort()).toEqual([...foreignNames].sort());
  for (const f of foreign) {
    const r = seeded.find((x) => x.Name === f.Name);
    for (const [key, value] of Object.entries(f)) expect(r?.[key], `${f.Name}.${key}`).toEqual(value);
  }
}

const whatIf = (r: StepResult) => r.host.filter((l) => l.startsWith('What if: '));

/** The rule names the -WhatIf lines name, sorted. */
function whatIfTargets(r: StepResult): string[] {
  return whatIf(r)
    .map((l) => /on target "(.*)"\.$/.exec(l)?.[1] ?? `unreadable: ${l}`)
    .sort();
}

interface Call {
  readonly command: string;
  readonly store: string;
  readonly parameters: string[];
}

function readCalls(path: string): Call[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l) as Call);
}
