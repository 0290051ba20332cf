import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { netshImporter, parseNetshText } from '../../src/audit/importers/netsh.js';
import { importerFor } from '../../src/audit/importers/registry.js';
import { windowsExportSchema, windowsJsonImporter } from '../../src/audit/importers/windows-json.js';
import { PacketSet } from '../../src/audit/space.js';
import { AddressSet } from '../../src/net/address-set.js';
import { runCli } from '../support/cli.js';
import { expectGolden } from '../support/golden.js';
import { parsePowerShell } from '../support/powershell-parser.js';

const repo = new URL('../..', import.meta.url).pathname;
const fixtures = join(repo, 'test/fixtures/audit/windows');
const exporterPath = join(repo, 'src/audit/exporters/windows-firewall.ps1');
const exporter = readFileSync(exporterPath, 'utf8');
const doublePath = join(repo, 'test/pwsh/FirewallExportDouble/FirewallExportDouble.psm1');

const pwshPath = [process.env.PATH ?? '', join(homedir(), '.dotnet/tools')].join(delimiter);
const hasPwsh = spawnSync('pwsh', ['-NoProfile', '-Command', '$PSVersionTable.PSVersion.Major'], { env: { ...process.env, PATH: pwshPath }, encoding: 'utf8' }).status === 0;
if (!hasPwsh) console.warn('pwsh is not installed: the Windows exporter is not run (install PowerShell 7 to run it against the NetSecurity test double)');

describe('the Windows Firewall exporter script', () => {
  it('parses with tree-sitter-powershell without an error node', async () => {
    const parsed = await parsePowerShell(exporter);
    expect(parsed.errors).toEqual([]);
  });

  it('only reads: every NetSecurity and NetConnection cmdlet it calls is a Get- cmdlet of the ActiveStore', async () => {
    const parsed = await parsePowerShell(exporter);
    const net = parsed.commands.filter((c) => /-Net/i.test(c.name));
    expect(net.map((c) => c.name).sort()).toEqual(
      [
        'Get-NetConnectionProfile',
        'Get-NetFirewallAddressFilter',
        'Get-NetFirewallApplicationFilter',
        'Get-NetFirewallInterfaceFilter',
        'Get-NetFirewallInterfaceTypeFilter',
        'Get-NetFirewallPortFilter',
        'Get-NetFirewallProfile',
        'Get-NetFirewallRule',
        'Get-NetFirewallSecurityFilter',
        'Get-NetFirewallServiceFilter',
      ].sort(),
    );
    for (const c of net.filter((c) => c.name !== 'Get-NetConnectionProfile')) {
      expect(c.arguments.find((a) => a.parameter === 'PolicyStore')?.text, c.name).toBe('$store');
    }
    expect(exporter).toContain("$store = 'ActiveStore'");
    expect(parsed.commands.map((c) => c.name).filter((n) => /^(Set|New|Remove|Enable|Disable|Rename|Copy)-Net/i.test(n))).toEqual([]);
  });

  it('is Windows PowerShell 5.1 code: ASCII, CRLF, no PowerShell 7 operators or parameters', () => {
    expect(/^[\x20-\x7e\r\n]*$/.test(exporter)).toBe(true);
    expect(exporter.split('\r\n').every((l) => !l.includes('\n'))).toBe(true);
    expect(exporter.endsWith('\r\n')).toBe(true);
    const code = exporter.replace(/<#[\s\S]*?#>/g, '').replace(/#.*$/gm, '');
    for (const pattern of [/\?\?/, /\?\./, /&&/, /\|\|/, / \? .* : /, /-Parallel\b/i, /-AsHashtable\b/i, /-EnumsAsStrings\b/i, /\bclean\s*\{/i]) {
      expect(code, String(pattern)).not.toMatch(pattern);
    }
  });

  it.skipIf(!hasPwsh)('writes, under pwsh with the NetSecurity double, exactly the committed sample, which the importer accepts', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scomfw-winexport-'));
    try {
      const out = join(dir, 'scom01.json');
      const calls = join(dir, 'calls.log');
      const runner = `Import-Module '${doublePath.replaceAll("'", "''")}' -Force; & '${exporterPath.replaceAll("'", "''")}' -Path '${out.replaceAll("'", "''")}'`;
      const r = spawnSync('pwsh', ['-NoProfile', '-NonInteractive', '-Command', runner], {
        env: { ...process.env, PATH: pwshPath, COMPUTERNAME: 'SCOM01', SCOMFW_FIREWALL_DOUBLE: join(fixtures, 'scom01.double.json'), SCOMFW_FIREWALL_CALLS: calls },
        encoding: 'utf8',
      });
      expect(r.stderr).toBe('');
      expect(r.status).toBe(0);
      const written = readFileSync(out, 'utf8');
      const sample = readFileSync(join(fixtures, 'scom01.json'), 'utf8');
      const stable = (t: string) => t.replace(/"exportedAt": "[^"]*"/, '"exportedAt": ""').replace(/\r\n/g, '\n');
      expect(stable(written)).toBe(stable(sample));
      // The output's every property is one the importer's schema names (it is strict), and the importer reads it.
      expect(windowsExportSchema.safeParse(JSON.parse(written)).success).toBe(true);
      expect(windowsJsonImporter.parse(written, 'scom01.json', {})).toHaveLength(1);
      // Only Get- cmdlets, each asked for the ActiveStore.
      const log = readFileSync(calls, 'utf8').trim().split('\n');
      expect(log.every((l) => /^Get-Net/.test(l))).toBe(true);
      expect(log.filter((l) => l.startsWith('Get-NetFirewall')).every((l) => l.includes('-PolicyStore ActiveStore'))).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is what `scomfw export-script windows` prints', async () => {
    const r = await runCli(['export-script', 'windows']);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(exporter);
  });
});

describe('Windows exports audited against the plan', () => {
  for (const [name, file] of [
    ['exporter-json', 'scom01.json'],
    ['netsh', 'scom01.netsh.txt'],
  ] as const) {
    it(`${name}: the golden findings`, async () => {
      const r = await runCli(['audit', 'test/fixtures/audit/lab.yaml', `test/fixtures/audit/windows/${file}`, '--format', 'json']);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(1);
      expectGolden('audit-platforms', `windows-${name}`, [{ path: 'findings.json', content: r.stdout }]);
    });
  }

  it('recognises both formats from their content', () => {
    expect(importerFor(readFileSync(join(fixtures, 'scom01.json'), 'utf8'), 'x').name).toBe('windows-json');
    expect(importerFor(readFileSync(join(fixtures, 'scom01.netsh.txt'), 'utf8'), 'x').name).toBe('netsh');
  });

  const agents = AddressSet.parse(['10.1.1.0/24']);
  const scom01 = AddressSet.parse(['10.1.0.10']);
  const tcp = (port: number, sources = agents) => PacketSet.product({ sources, destinations: scom01, protocols: [{ lo: 6n, hi: 6n }], ports: [{ lo: BigInt(port), hi: BigInt(port) }] });
  const json = windowsJsonImporter.parse(readFileSync(join(fixtures, 'scom01.json'), 'utf8'), 'scom01.json', {})[0]!;
  const netsh = netshImporter.parse(readFileSync(join(fixtures, 'scom01.netsh.txt'), 'utf8'), 'scom01.netsh.txt', {})[0]!;
  const verdictAt = (m: typeof json, q: PacketSet) => m.decide(q).map((d) => ({ verdict: d.verdict, line: d.rule?.line ?? null, sample: d.space.sample() }));

  it('block beats allow: the blocked gateway is denied although an allow rule names it (both formats)', () => {
    const gateway = AddressSet.parse(['10.1.1.5']);
    for (const m of [json, netsh]) {
      const [d] = m.decide(tcp(5723, gateway));
      expect(d?.verdict).toBe('deny');
      expect(d?.reason).toMatch(/block rule overrides/);
    }
  });

  it('a disabled rule is ignored, and a rule of an inactive profile does not apply when the exporter says which profile is active', () => {
    const upper = AddressSet.parse(['10.1.1.128/25']);
    const d = json.decide(tcp(5723, upper));
    expect(d.map((x) => x.verdict)).toEqual(['deny']);
    expect(d[0]!.reason).toMatch(/domain profile's default inbound action is Block/);
  });

  it('netsh does not say the active profile: a rule of one profile only is undecidable', () => {
    const upper = AddressSet.parse(['10.1.1.128/25']);
    const d = netsh.decide(tcp(5723, upper));
    expect(d.map((x) => x.verdict)).toEqual(['undecidable']);
    expect(d[0]!.reason).toMatch(/applies only in the private profile/);
  });

  it('a/mask, ranges and LocalSubnet: the mask and range are exact, the keyword undecidable unless a sure rule covers it', () => {
    // 255.255.255.128: .0-.127 allowed (except the blocked gateway); 5724 from 10.9/16 (a keyword rule's known part)
    expect(verdictAt(json, tcp(5723, AddressSet.parse(['10.1.1.0/25']))).map((d) => d.verdict).sort()).toEqual(['allow', 'deny']);
    const elsewhere = AddressSet.parse(['172.16.0.1']);
    const d = json.decide(tcp(5724, elsewhere));
    expect(d[0]!.verdict).toBe('undecidable');
    expect(d[0]!.reason).toMatch(/LocalSubnet/);
    const known = json.decide(tcp(5724, AddressSet.parse(['10.9.0.1'])));
    expect(known[0]!.verdict).toBe('allow');
    expect(known[0]!.flags).toContain('program-scoped');
  });

  it('ICMP type 8 rules allow echo requests only', () => {
    const icmp = (type: number) => PacketSet.product({ family: 4, sources: agents, destinations: scom01, protocols: [{ lo: 1n, hi: 1n }], ports: [{ lo: BigInt(type), hi: BigInt(type) }] });
    expect(json.decide(icmp(8))[0]!.verdict).toBe('allow');
    expect(json.decide(icmp(13))[0]!.verdict).toBe('deny');
    expect(netsh.decide(icmp(8))[0]!.verdict).toBe('undecidable'); // Domain-only rule, profile unknown
  });

  it('netsh blocks keep their lines: the parser reports where each rule and field is', () => {
    const blocks = parseNetshText(readFileSync(join(fixtures, 'scom01.netsh.txt'), 'utf8'), 'x');
    expect(blocks.filter((b) => b.kind === 'rule')).toHaveLength(10);
    expect(blocks.filter((b) => b.kind === 'profile').map((b) => b.title)).toEqual(['Domain', 'Private', 'Public']);
    const first = blocks[0]!;
    expect(first.line).toBe(2);
    expect(first.fields.find((f) => f.name === 'RemoteIP')).toEqual({ name: 'RemoteIP', value: '10.1.1.0/255.255.255.128', line: 10 });
  });

  it('profiles: the firewall off in the active profile allows everything; AllowInbound allows what no rule blocks', () => {
    const data = JSON.parse(readFileSync(join(fixtures, 'scom01.json'), 'utf8')) as { profiles: { Name: string; Enabled: string; DefaultInboundAction: string }[] };
    data.profiles[0]!.Enabled = 'False';
    const off = windowsJsonImporter.parse(JSON.stringify(data, null, 2), 'x.json', {})[0]!;
    expect(off.decide(tcp(1433)).map((d) => d.verdict)).toEqual(['allow']);
    expect(off.decide(tcp(5723, AddressSet.parse(['10.1.1.5']))).map((d) => d.verdict)).toEqual(['allow']);
    data.profiles[0]!.Enabled = 'True';
    data.profiles[0]!.DefaultInboundAction = 'Allow';
    const open = windowsJsonImporter.parse(JSON.stringify(data, null, 2), 'x.json', {})[0]!;
    expect(open.decide(tcp(1433)).map((d) => d.verdict)).toEqual(['allow']);
    expect(open.decide(tcp(5723, AddressSet.parse(['10.1.1.5']))).map((d) => d.verdict)).toEqual(['deny']);
  });

  it('netsh CRLF and a byte order mark read the same as LF', () => {
    const text = readFileSync(join(fixtures, 'scom01.netsh.txt'), 'utf8');
    const crlf = netshImporter.parse(`\uFEFF${text.replace(/\n/g, '\r\n')}`, 'x', {})[0]!;
    for (const port of [5723, 5724, 3389, 1433]) {
      expect(crlf.decide(tcp(port)).map((d) => [d.verdict, d.rule?.line])).toEqual(netsh.decide(tcp(port)).map((d) => [d.verdict, d.rule?.line]));
    }
  });
});
