import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PortRange } from '../../src/net/port.js';
import type { Endpoint, Flow, Plan } from '../../src/plan/types.js';
import type { RenderedFile } from '../../src/targets/types.js';
import { windowsPowerShell } from '../../src/targets/windows/powershell.js';
import { hostileStrings } from '../fixtures/hostile.js';
import { parseStore, pwshUnavailableReason, rulesOf, runSteps, storeText, type StepResult } from '../support/pwsh.js';
import { declaredRules, plannedSources, queriedGroups, sourceDifferences, storedSources, type DeclaredRule } from '../support/windows-rules.js';

/**
 * The hostile-name plans of the target tests (a management group, source, note, zone, address or catalog row
 * holding shell and PowerShell metacharacters, quotes, line breaks, lookalike Unicode), rendered and, where the
 * target does not refuse them, run in PowerShell 7 against the NetSecurity double: the rules hold the hostile text
 * verbatim as data and exactly the planned sources, and remove.ps1 takes them away again.
 */
const unavailable = pwshUnavailableReason();

/** PowerShell-specific strings on top of the shared corpus: quoting, sub-expressions, here-strings, stop-parsing. */
const powerShellHostile = [
  "'",
  "';Remove-Item C:\\;'",
  "' + (Remove-Item -Recurse C:\\) + '",
  '$(Remove-Item -Recurse C:\\)',
  '@(calc)',
  "@'\ncalc\n'@",
  '#> Remove-Item C:\\ <#',
  '-RemoteAddress Any',
  '--% calc',
  '[char]39',
  'a`nb',
  '{ calc }',
];

type Field = 'managementGroup' | 'sourceName' | 'note' | 'zone' | 'address' | 'row';
const fields: Field[] = ['managementGroup', 'sourceName', 'note', 'zone', 'address', 'row'];

const endpoint = (name: string, addresses: readonly string[], extra: Partial<Endpoint> = {}): Endpoint => ({ name, roles: ['agent'], addresses, zone: 'corp', os: 'windows', ...extra });

/** One source, one management server, TCP 5723 and ICMP echo; `field` holds the hostile value. */
function hostilePlan(field: Field, value: string): Plan {
  const pick = (f: Field, benign: string) => (f === field ? value : benign);
  const destination = endpoint('ms01.example', ['10.0.0.1'], { roles: ['management-server'], zone: pick('zone', 'corp') });
  const source = endpoint(pick('sourceName', 'agents'), [pick('address', '10.1.0.0/24')], { zone: pick('zone', 'corp') });
  const flow = (protocol: 'tcp' | 'icmp'): Flow => ({
    id: `${source.name}>${destination.name}:${protocol}`,
    source,
    destination,
    protocol,
    ports: protocol === 'tcp' ? PortRange.of(5723) : null,
    sourceRoles: source.roles,
    destinationRoles: destination.roles,
    phase: 'always',
    rows: [pick('row', '2024-11#16')],
    notes: [pick('note', 'reportsTo: primary')],
  });
  return { managementGroup: pick('managementGroup', 'HAND'), catalog: '2024-11', phase: 'install', hosts: [destination, source], flows: [flow('tcp'), flow('icmp')], notes: [] };
}

interface Case {
  readonly id: string;
  readonly field: Field;
  readonly value: string;
  readonly plan: Plan;
  readonly declared: DeclaredRule[];
  readonly groups: string[];
  readonly installGroups: string[];
}

let dir = '';
const cases: Case[] = [];
const results = new Map<string, StepResult>();
let refused = 0;

describe.skipIf(unavailable !== undefined)('hostile names: windows-powershell scripts run in PowerShell 7', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scomfw-hostile-'));
    // The benign render: a field that does not reach the script (zone) renders it again, and is not run again.
    const benign = windowsPowerShell.render(hostilePlan('note', 'reportsTo: primary'), {}).find((f) => f.path === 'ms01.example.ps1');
    const seen = new Set<string>([benign?.content ?? '']);
    for (const field of fields) {
      for (const value of [...new Set([...powerShellHostile, ...hostileStrings])]) {
        let files: RenderedFile[];
        try {
          files = windowsPowerShell.render(hostilePlan(field, value), {});
        } catch {
          refused++;
          continue;
        }
        const main = files.find((f) => f.path === 'ms01.example.ps1');
        const remove = files.find((f) => f.path === 'ms01.example.remove.ps1');
        const close = files.find((f) => f.path === 'ms01.example.close-install.ps1');
        if (!main || !remove || !close) throw new Error(`no scripts for ${field} = ${JSON.stringify(value)}`);
        // Fields that do not reach the script (zone) render the benign text: run each distinct script once.
        if (seen.has(main.content)) continue;
        seen.add(main.content);
        const id = `case${cases.length}`;
        writeFileSync(join(dir, `${id}.ps1`), main.content);
        writeFileSync(join(dir, `${id}.remove.ps1`), remove.content);
        cases.push({ id, field, value, plan: hostilePlan(field, value), declared: await declaredRules(main.content), groups: await queriedGroups(remove.content), installGroups: await queriedGroups(close.content) });
      }
    }
    const t0 = Date.now();
    const steps = cases.flatMap((c) => {
      const store = join(dir, `${c.id}.json`);
      return [
        { id: `${c.id}/apply`, script: join(dir, `${c.id}.ps1`), store, seed: storeText({ PersistentStore: [] }) },
        { id: `${c.id}/remove`, script: join(dir, `${c.id}.remove.ps1`), store },
      ];
    });
    for (const r of await runSteps(steps)) results.set(r.id, r);
    console.log(`hostile names: ${cases.length} distinct scripts run (${steps.length} script runs), ${refused} values refused at render, in ${Date.now() - t0} ms`);
  }, 900_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('renders and runs dozens of hostile values rather than refusing them all', () => {
    expect(cases.length).toBeGreaterThan(40);
    // Hostile management group names are refused when rendered (they become rule names and groups since issue 8
    // item 1; src/targets/group-tag.ts), so only the free-text fields reach the scripts.
    expect(new Set(cases.map((c) => c.field))).toEqual(new Set(['sourceName', 'note', 'row']));
  });

  it('each script runs without an error and writes exactly the planned rules, the hostile text kept verbatim', () => {
    for (const c of cases) {
      const what = `${c.field} = ${JSON.stringify(c.value)}`;
      const r = results.get(`${c.id}/apply`);
      expect(r?.stopped ?? null, what).toBeNull();
      expect(r?.errors, what).toEqual([]);
      const rules = rulesOf(parseStore(r?.store ?? null));
      expect(rules.map((x) => x.Name).sort(), what).toEqual(c.declared.map((d) => d.name).sort());
      for (const rule of rules) {
        const d = c.declared.find((x) => x.name === rule.Name);
        expect([rule.DisplayName, rule.Description, rule.Group], what).toEqual([d?.displayName, d?.description, d?.group]);
        expect(rule.Description, what).toContain(c.value);
      }
      expect(sourceDifferences(storedSources(rules, c.installGroups), plannedSources(c.plan, 'ms01.example')), what).toEqual([]);
      expect(r?.output.at(-1), what).toMatch(/^scomfw on ms01\.example: 2 created, 0 updated, 0 unchanged, 0 removed;/);
    }
  });

  it('each remove.ps1 leaves the store without a scomfw rule', () => {
    for (const c of cases) {
      const r = results.get(`${c.id}/remove`);
      expect(r?.stopped ?? null).toBeNull();
      expect(rulesOf(parseStore(r?.store ?? null)).filter((x) => c.groups.includes(x.Group ?? '')), `${c.field} = ${JSON.stringify(c.value)}`).toEqual([]);
    }
  });
});

if (unavailable !== undefined) {
  describe('hostile names: windows-powershell scripts run in PowerShell 7', () => {
    it.skip(`skipped: ${unavailable}`, () => undefined);
  });
}
