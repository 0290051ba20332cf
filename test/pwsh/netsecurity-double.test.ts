import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pwshUnavailableReason, runPwshScript } from '../support/pwsh.js';

/**
 * The NetSecurity test double behaves as Windows does where the scripts under test could go wrong: wrong
 * parameter names and values fail in binding, parameter sets do not mix, a missing rule is a non-terminating error
 * that -ErrorAction governs, -WhatIf changes nothing, rules pipe into the filter cmdlets, a GPO store must exist
 * and ActiveStore is read-only. One pwsh process runs every probe below and reports each outcome as JSON.
 */
const unavailable = pwshUnavailableReason();

const probes: Record<string, string> = {
  create: "New-NetFirewallRule -Name r1 -DisplayName 'R 1' -Group g -Protocol TCP -LocalPort 5723 -RemoteAddress @('10.0.0.0/24', '10.1.0.1-10.1.0.9', 'fd00::/64') -Profile @('Domain', 'Private') | Select-Object -ExpandProperty Name",
  unknownParameter: "New-NetFirewallRule -Name x -DisplayName x -RemoteAddresses 10.0.0.1",
  badProfile: "New-NetFirewallRule -Name x -DisplayName x -Profile Work",
  badEnabled: "New-NetFirewallRule -Name x -DisplayName x -Enabled Yes",
  badAction: "Set-NetFirewallRule -Name r1 -Action Permit",
  missingDisplayName: "New-NetFirewallRule -Name x -Protocol TCP -ErrorAction Stop -Confirm:$false",
  mixedSets: "Get-NetFirewallRule -Name r1 -Group g",
  groupOnSetIsASelector: "Set-NetFirewallRule -Group g -Description 'set by group'; (Get-NetFirewallRule -Name r1).Description",
  duplicate: "New-NetFirewallRule -Name r1 -DisplayName again -ErrorAction Stop",
  notFoundDefault: "Get-NetFirewallRule -Name nosuch 2>&1 | ForEach-Object { $_.FullyQualifiedErrorId + ' | ' + $_.Exception.Message }; 'continued'",
  notFoundStop: "Get-NetFirewallRule -Name nosuch -ErrorAction Stop; 'not reached'",
  notFoundSilent: "$r = Get-NetFirewallRule -Name nosuch -ErrorAction SilentlyContinue; 'count ' + @($r).Count",
  notFoundWildcard: "$r = Get-NetFirewallRule -Name 'nosuch*' -ErrorAction Stop; 'count ' + @($r).Count",
  callerPreferenceDoesNotReach: "$ErrorActionPreference = 'Stop'; Remove-NetFirewallRule -Name nosuch 2>$null; 'continued'",
  portWithoutTcp: "New-NetFirewallRule -Name x -DisplayName x -Protocol ICMPv4 -LocalPort 80 -ErrorAction Stop",
  icmpWithTcp: "New-NetFirewallRule -Name x -DisplayName x -Protocol TCP -IcmpType 8 -ErrorAction Stop",
  badAddress: "New-NetFirewallRule -Name x -DisplayName x -RemoteAddress '10.0.0.300' -ErrorAction Stop",
  reversedRange: "New-NetFirewallRule -Name x -DisplayName x -RemoteAddress '10.0.0.9-10.0.0.1' -ErrorAction Stop",
  whatIf: "Set-NetFirewallRule -Name r1 -Enabled False -WhatIf; Remove-NetFirewallRule -Name r1 -WhatIf; [string](Get-NetFirewallRule -Name r1).Enabled",
  addressFilter: "(Get-NetFirewallRule -Name r1 | Get-NetFirewallAddressFilter).RemoteAddress -join ','",
  portFilter: "$f = Get-NetFirewallRule -Group g | Get-NetFirewallPortFilter; $f.Protocol + ' ' + ($f.LocalPort -join ',')",
  filterToRule: "(Get-NetFirewallPortFilter -All | Where-Object LocalPort -eq '5723' | Get-NetFirewallRule).Name",
  profileOfRule: "(Get-NetFirewallRule -Name r1 | Get-NetFirewallProfile).Name -join ','",
  enumProperties: "$r = Get-NetFirewallRule -Name r1; $r.Profile.GetType().FullName + ' ' + [string]$r.Profile + ' ' + ($r.Enabled -eq 'True')",
  typeNames: "(Get-NetFirewallRule -Name r1).PSObject.TypeNames[0]",
  gpoMissing: "Get-NetFirewallRule -PolicyStore 'contoso.com\\No Such GPO' -ErrorAction Stop",
  activeStoreReadOnly: "New-NetFirewallRule -Name x -DisplayName x -PolicyStore ActiveStore",
  gpoStore: "New-NetFirewallRule -Name r9 -DisplayName 'in the GPO' -PolicyStore 'contoso.com\\SCOM Firewall' | Out-Null; (Get-NetFirewallRule -Name r9 -ErrorAction SilentlyContinue) -eq $null",
  activeStoreMerges: "(Get-NetFirewallRule -PolicyStore ActiveStore | Sort-Object Name | ForEach-Object { $_.Name + '@' + $_.PolicyStoreSource }) -join ','",
  cimSessionRefused: "Get-NetFirewallRule -CimSession $null",
  remove: "Remove-NetFirewallRule -Name r1; @(Get-NetFirewallRule -All).Count",
};

let dir = '';
let outcomes: Record<string, { ok: boolean; output: string }> = {};

describe.skipIf(unavailable !== undefined)('the NetSecurity test double', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'scomfw-double-'));
    const store = join(dir, 'store.json');
    const out = join(dir, 'out.json');
    const lines = [
      "$ErrorActionPreference = 'Continue'",
      `[System.IO.File]::WriteAllText('${store}', '{"stores": {"PersistentStore": {"rules": [], "profiles": {}}, "contoso.com\\\\SCOM Firewall": {"rules": [], "profiles": {}}}}')`,
      `$env:NETSECURITY_DOUBLE_STORE = '${store}'`,
      'Import-Module NetSecurity',
      '$results = [ordered]@{}',
      ...Object.entries(probes).map(([name, code]) =>
        [
          `try { $o = & { ${code} } 2>&1 | ForEach-Object { [string]$_ }; $results['${name}'] = @{ ok = $true; output = ($o -join [char]10) } }`,
          `catch { $results['${name}'] = @{ ok = $false; output = $_.FullyQualifiedErrorId + ' | ' + $_.Exception.Message } }`,
        ].join('\n'),
      ),
      `[System.IO.File]::WriteAllText('${out}', ($results | ConvertTo-Json -Depth 3))`,
    ];
    const r = await runPwshScript(dir, lines.join('\n'));
    if (r.code !== 0) throw new Error(`pwsh exited ${r.code}: ${r.stderr}\n${r.stdout}`);
    outcomes = JSON.parse(readFileSync(out, 'utf8')) as typeof outcomes;
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const outcome = (name: string) => {
    const o = outcomes[name];
    if (!o) throw new Error(`no outcome for ${name}`);
    return o;
  };
  const fails = (name: string, pattern: RegExp) => {
    expect(outcome(name).ok, `${name}: ${outcome(name).output}`).toBe(false);
    expect(outcome(name).output).toMatch(pattern);
  };

  it('creates a rule with Microsoft\'s parameter names; [string[]] profiles bind to the flags enum', () => {
    expect(outcome('create')).toEqual({ ok: true, output: 'r1' });
    expect(outcome('enumProperties').output).toBe('Microsoft.PowerShell.Cmdletization.GeneratedTypes.NetSecurity.Profile Domain, Private True');
    expect(outcome('typeNames').output).toBe('Microsoft.Management.Infrastructure.CimInstance#root/standardcimv2/MSFT_NetFirewallRule');
  });

  it('fails in parameter binding on an unknown parameter or a value outside the accepted ones, as Windows does', () => {
    fails('unknownParameter', /NamedParameterNotFound.*A parameter cannot be found that matches parameter name 'RemoteAddresses'/);
    fails('badProfile', /Cannot convert value "Work" to type "Microsoft\.PowerShell\.Cmdletization\.GeneratedTypes\.NetSecurity\.Profile".*Any, Domain, Private, Public, NotApplicable/s);
    fails('badEnabled', /Cannot convert value "Yes" to type ".*NetSecurity\.Enabled"/);
    fails('badAction', /Cannot convert value "Permit" to type ".*NetSecurity\.Action"/);
    fails('mixedSets', /AmbiguousParameterSet|Parameter set cannot be resolved/);
    fails('missingDisplayName', /missing mandatory parameters: DisplayName/);
  });

  it('Set-NetFirewallRule -Group selects the rules of the group (it does not move a rule)', () => {
    expect(outcome('groupOnSetIsASelector').output).toBe('set by group');
  });

  it('refuses a second rule of the same name with Windows\' error 183', () => {
    fails('duplicate', /Cannot create a file when that file already exists/);
  });

  it('a missing rule is a non-terminating ObjectNotFound error that -ErrorAction governs; wildcards that match nothing are no error', () => {
    expect(outcome('notFoundDefault')).toEqual({ ok: true, output: "CmdletizationQuery_NotFound_InstanceID,Get-NetFirewallRule | No MSFT_NetFirewallRule objects found with property 'InstanceID' equal to 'nosuch'.  Verify the value of the property and retry.\ncontinued" });
    fails('notFoundStop', /No MSFT_NetFirewallRule objects found with property 'InstanceID' equal to 'nosuch'/);
    expect(outcome('notFoundSilent').output).toBe('count 0');
    expect(outcome('notFoundWildcard').output).toBe('count 0');
  });

  it('a caller\'s $ErrorActionPreference does not reach the module\'s cmdlets (only -ErrorAction does), as with the CDXML module', () => {
    expect(outcome('callerPreferenceDoesNotReach')).toEqual({ ok: true, output: 'continued' });
  });

  it('refuses ports without TCP or UDP, ICMP types without ICMP, bad addresses and reversed ranges', () => {
    fails('portWithoutTcp', /LocalPort can only be given when the protocol is TCP or UDP/);
    fails('icmpWithTcp', /IcmpType can only be given when the protocol is ICMPv4 or ICMPv6/);
    fails('badAddress', /The address is invalid/);
    fails('reversedRange', /The address is invalid/);
  });

  it('-WhatIf changes nothing', () => {
    // The What if lines go to the host, not to the output stream.
    expect(outcome('whatIf').output).toBe('True');
  });

  it('rules pipe into the filter cmdlets and back; IPv4 subnets read back with a mask, as Windows shows them', () => {
    expect(outcome('addressFilter').output).toBe('10.0.0.0/255.255.255.0,10.1.0.1-10.1.0.9,fd00::/64');
    expect(outcome('portFilter').output).toBe('TCP 5723');
    expect(outcome('filterToRule').output).toBe('r1');
    expect(outcome('profileOfRule').output).toBe('Domain,Private');
  });

  it('policy stores: a GPO must exist, ActiveStore is read-only and merges the local store with the GPOs', () => {
    fails('gpoMissing', /policy store 'contoso\.com\\No Such GPO' was not found/);
    fails('activeStoreReadOnly', /ActiveStore is read-only/);
    expect(outcome('gpoStore').output).toBe('True');
    expect(outcome('activeStoreMerges').output).toBe('r1@PersistentStore,r9@contoso.com\\SCOM Firewall');
  });

  it('refuses what it does not implement instead of ignoring it', () => {
    fails('cimSessionRefused', /not supported|CimSession/);
  });

  it('removes (the GPO\'s rule is not in the local store)', () => {
    expect(outcome('remove').output).toBe('0');
  });
});

if (unavailable !== undefined) {
  describe('the NetSecurity test double', () => {
    it.skip(`skipped: ${unavailable}`, () => undefined);
  });
}
