import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { targets } from '../../src/targets/registry.js';
import { powerShell7Findings } from '../support/powershell-51.js';
import { scenarioNames, scenarioPlan } from '../support/scenarios.js';

/**
 * Every PowerShell script scomfw writes or ships must run on Windows PowerShell 5.1: the generated
 * windows-powershell and verify-powershell scripts of every scenario, and every .ps1 asset under src/ (the
 * audit's exporter, the verify program). The list of what 5.1 lacks, with sources, is in
 * test/support/powershell-51.ts; the first block shows that the check finds each item.
 */
const repo = join(import.meta.dirname, '..', '..');

describe('the PowerShell 5.1 check finds each PowerShell 7 construct', () => {
  const samples: [string, string][] = [
    ['$b = $a ? 1 : 2', 'ternary operator'],
    ['$b = $a ?? 1', 'null-coalescing operator'],
    ['$x ??= 2', 'null-coalescing assignment'],
    ['${a}?.Name', 'null-conditional'],
    ['Get-Item x && Write-Output ok', 'pipeline chain'],
    ['Get-Item x || exit 1', 'pipeline chain'],
    ['1..3 | ForEach-Object -Parallel { $_ }', 'ForEach-Object -Parallel'],
    ['1..3 | % -Parallel { $_ }', 'ForEach-Object -Parallel'],
    ['$h = Get-Content x -Raw | ConvertFrom-Json -AsHashtable', 'ConvertFrom-Json -AsHashtable'],
    ['$h = ConvertFrom-Json $t -AsHash', 'ConvertFrom-Json -AsHashtable'],
    ['$h = ConvertFrom-Json $t -Depth 5', 'ConvertFrom-Json -Depth'],
    ['$o | ConvertTo-Json -AsArray', 'ConvertTo-Json -AsArray'],
    ["1..3 | Join-String -Separator ','", 'command Join-String'],
    ['Get-Error', 'command Get-Error'],
    ['Test-Json -Json $t', 'command Test-Json'],
    ['Get-Content x -AsByteStream', 'Get-Content -AsByteStream'],
    ['$x | Out-File y -Encoding utf8NoBOM', 'Out-File -Encoding utf8NoBOM'],
    ['$x | Sort-Object -Top 3', 'Sort-Object -Top'],
    ['if ($IsWindows) { 1 }', 'automatic variable $IsWindows'],
    ['$PSStyle.Reset', 'automatic variable $PSStyle'],
    ["$s -replace 'a', { $_.Value.ToUpper() }", '-replace with a script block'],
    ["$t.Split('ab')", 'String.Split'],
    ['[Math]::Clamp(5, 1, 3)', '.NET API'],
    ['Invoke-WebRequest u -SkipCertificateCheck', 'Invoke-WebRequest -SkipCertificateCheck'],
  ];

  it.each(samples)('%s', async (script, rule) => {
    const findings = await powerShell7Findings(`${script}\r\n`);
    expect(findings.map((f) => f.rule).join('; ')).toContain(rule);
  });

  it('passes what 5.1 has: classes, ::new(), [ordered], -replace with a string, Split on one character, ConvertTo-Json -Depth', async () => {
    const fine = [
      'class Probe { [string]$Address }',
      '$l = [System.Collections.Generic.List[object]]::new()',
      '$h = [ordered]@{ a = 1 }',
      "$s = 'a;b' -replace ';', ','",
      "$p = $s.Split(';')",
      "$p = $s.Split([string[]]@(';;'), [System.StringSplitOptions]::RemoveEmptyEntries)",
      '$j = $o | ConvertTo-Json -Depth 4 -Compress',
      '$n = $null -eq $x',
      "Where-Object { $_ -notlike 'x*' }",
      '$m = 1..3 | Sort-Object -Descending',
    ];
    for (const line of fine) expect(await powerShell7Findings(`${line}\r\n`), line).toEqual([]);
  });
});

describe('generated and shipped PowerShell runs on Windows PowerShell 5.1', () => {
  const powerShellTargets = [...targets.values()].filter((t) => t.name === 'windows-powershell' || t.name === 'verify-powershell');

  it('finds both PowerShell targets in the registry', () => {
    expect(powerShellTargets.map((t) => t.name).sort()).toEqual(['verify-powershell', 'windows-powershell']);
  });

  it.each(scenarioNames)('%s: every generated script', async (scenario) => {
    const plan = scenarioPlan(scenario);
    let checked = 0;
    for (const target of powerShellTargets) {
      const options = target.name === 'windows-powershell' ? [{}, { profile: 'Domain,Private', policyStore: 'contoso.com\\SCOM Firewall' }] : [{}];
      for (const o of options) {
        for (const f of target.render(plan, o).filter((x) => x.path.endsWith('.ps1'))) {
          expect(await powerShell7Findings(f.content), `${target.name} ${f.path}`).toEqual([]);
          checked++;
        }
      }
    }
    expect(checked).toBeGreaterThan(0);
  });

  it('every .ps1 asset under src/', async () => {
    const assets = listPs1(join(repo, 'src'));
    expect(assets.map((p) => relative(repo, p))).toContain(join('src', 'targets', 'windows', 'verify.ps1'));
    for (const path of assets) expect(await powerShell7Findings(readFileSync(path, 'utf8')), relative(repo, path)).toEqual([]);
  });
});

function listPs1(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listPs1(join(dir, e.name)) : e.name.endsWith('.ps1') ? [join(dir, e.name)] : []));
}
