import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { windowsPowerShell } from '../../src/targets/windows/powershell.js';
import { parseStore, pwshUnavailableReason, rulesOf, runSteps, storeText, type StepResult, type StoredRule } from '../support/pwsh.js';
import { scenarioNames, scenarioPlan } from '../support/scenarios.js';
import { declaredRules, queriedGroups } from '../support/windows-rules.js';

/**
 * A rule of another group that already has the name of a rule the plan writes (another tool's, or an
 * administrator's): Set-NetFirewallRule cannot move a rule to another group, so updating it in place would change
 * a rule scomfw does not own and leave it where close-install and remove never look. The script must stop before
 * changing anything, name the rule and its group, and leave the rule as it was.
 */
const unavailable = pwshUnavailableReason();

interface Case {
  readonly scenario: string;
  readonly host: string;
  readonly foreign: Partial<StoredRule>;
  readonly groups: string[];
}

let dir = '';
const cases: Case[] = [];
const results = new Map<string, StepResult>();

describe.skipIf(unavailable !== undefined)('windows-powershell: a rule of another group with a planned rule\'s name', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scomfw-collision-'));
    const steps = [];
    for (const scenario of scenarioNames) {
      const files = windowsPowerShell.render(scenarioPlan(scenario), {});
      const main = files.find((f) => !f.path.endsWith('.close-install.ps1') && !f.path.endsWith('.remove.ps1'));
      if (!main) throw new Error(`no script in ${scenario}`);
      const host = main.path.replace(/\.ps1$/, '');
      const removal = files.find((f) => f.path === `${host}.remove.ps1`)?.content ?? '';
      const first = (await declaredRules(main.content))[0];
      if (!first) throw new Error(`no rule on ${host}`);
      const foreign: Partial<StoredRule> = { Name: first.name, DisplayName: 'Another tool owns this rule', Group: 'Other Tool', Protocol: 'TCP', LocalPort: ['8443'], RemoteAddress: ['192.0.2.7'], Enabled: 'False' };
      const script = join(dir, `${scenario}-${main.path}`);
      writeFileSync(script, main.content);
      steps.push({ id: scenario, script, store: join(dir, `${scenario}.json`), seed: storeText({ PersistentStore: [foreign] }) });
      cases.push({ scenario, host, foreign, groups: await queriedGroups(removal) });
    }
    for (const r of await runSteps(steps)) results.set(r.id, r);
  }, 300_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it.each(scenarioNames)('%s: stops with the rule and its group named, and changes nothing', (scenario) => {
    const c = cases.find((x) => x.scenario === scenario);
    const r = results.get(scenario);
    if (!c || !r) throw new Error(`no run for ${scenario}`);
    expect(r.stopped, 'the script stops').not.toBeNull();
    expect(r.stopped).toContain(`'${c.foreign.Name ?? ''}'`);
    expect(r.stopped).toContain("'Other Tool'");
    const rules = rulesOf(parseStore(r.store));
    expect(rules).toHaveLength(1);
    for (const [key, value] of Object.entries(c.foreign)) expect(rules[0]?.[key], key).toEqual(value);
    expect(rules.filter((x) => c.groups.includes(x.Group ?? ''))).toEqual([]);
  });
});

if (unavailable !== undefined) {
  describe('windows-powershell: a rule of another group with a planned rule\'s name', () => {
    it.skip(`skipped: ${unavailable}`, () => undefined);
  });
}
