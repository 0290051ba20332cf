import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

/**
 * Hostile and broken exports of the Windows, AWS, Azure and firewalld formats. Each must end in exit 2 with
 * `file:line:column: ... Hint: ...`, or in an undecidable finding (exit 1): never a crash (exit 3), never clean.
 */

const repo = new URL('../..', import.meta.url).pathname;
const read = (p: string) => readFileSync(join(repo, 'test/fixtures/audit', p), 'utf8');
const deployment = join(repo, 'test/fixtures/audit/lab.yaml');
const dir = mkdtempSync(join(tmpdir(), 'scomfw-hostile-audit-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const winJson = read('windows/scom01.json');
const netsh = read('windows/scom01.netsh.txt');
const sg = read('aws/sg.json');
const eni = read('aws/eni.json');
const nsg = read('azure/nsg.json');
const nic = read('azure/nic.json');

/** The exporter JSON with the first rule's properties replaced. */
function winRule(patch: Record<string, unknown>): string {
  const data = JSON.parse(winJson) as { rules: Record<string, unknown>[] };
  Object.assign(data.rules[0]!, patch);
  return JSON.stringify(data, null, 2);
}
function netshRule(field: string, value: string): string {
  return netsh.replace(new RegExp(`^(${field}:\\s+).*$`, 'm'), `$1${value}`);
}
function awsPermission(patch: Record<string, unknown>, group = 1, index = 0): string {
  const data = JSON.parse(sg) as { SecurityGroups: { IpPermissions: Record<string, unknown>[] }[] };
  Object.assign(data.SecurityGroups[group]!.IpPermissions[index]!, patch);
  return JSON.stringify(data, null, 4);
}
function azureRule(patch: Record<string, unknown>, group = 1, index = 0): string {
  const data = JSON.parse(nsg) as { securityRules: Record<string, unknown>[] }[];
  Object.assign(data[group]!.securityRules[index]!, patch);
  return JSON.stringify(data, null, 2);
}
const zone = (body: string, target = 'DROP') => `<?xml version="1.0" encoding="utf-8"?>\n<zone target="${target}">\n  <short>scom</short>\n  <source address="10.1.1.0/24"/>\n${body}\n</zone>\n`;

type Expect = 'error' | 'undecidable';
interface Case {
  readonly name: string;
  readonly files: Readonly<Record<string, string>>;
  readonly expect: Expect;
  /** For errors: what the message must say (besides file:line:column and a hint). */
  readonly says?: RegExp;
  /** For errors: the line the message must point at. */
  readonly line?: number;
}

const cases: Case[] = [
  // Windows, exporter JSON
  { name: 'windows-json truncated', files: { 'scom01.json': winJson.slice(0, 3000) }, expect: 'error', says: /truncated/ },
  { name: 'windows-json rules not a list', files: { 'scom01.json': winJson.replace('"rules": [', '"rules": {"x": [').replace(/\]\s*}\s*$/, ']}}') }, expect: 'error', says: /rules/ },
  { name: 'windows-json huge port', files: { 'scom01.json': winRule({ LocalPort: ['99999999999999999999'] }) }, expect: 'error', says: /port/ },
  { name: 'windows-json bad address', files: { 'scom01.json': winRule({ RemoteAddress: ['10.1.1.300'] }) }, expect: 'error', says: /10\.1\.1\.300/ },
  { name: 'windows-json non-contiguous mask', files: { 'scom01.json': winRule({ RemoteAddress: ['10.1.0.0/255.0.255.0'] }) }, expect: 'error', says: /mask/ },
  { name: 'windows-json unknown enum value', files: { 'scom01.json': winRule({ Action: 'Maybe' }) }, expect: 'error', says: /Action/ },
  { name: 'windows-json a property the exporter never writes', files: { 'scom01.json': winRule({ Extra: 1 }) }, expect: 'error', says: /Extra/ },
  { name: 'windows-json UTF-16 (Out-File on Windows PowerShell 5.1)', files: { 'scom01.json': Buffer.from(`\uFEFF${winJson}`, 'utf16le').toString('latin1') }, expect: 'error', says: /UTF-16/ },
  { name: 'windows-json unknown protocol', files: { 'scom01.json': winRule({ Protocol: 'GRE-ish', RemoteAddress: ['Any'] }) }, expect: 'undecidable' },
  { name: 'windows-json interface-scoped block', files: { 'scom01.json': winRule({ Action: 'Block', InterfaceAlias: ['Ethernet 2'], RemoteAddress: ['Any'] }) }, expect: 'undecidable' },
  // Windows, netsh text
  { name: 'netsh in German', files: { 'scom01.txt': netsh.replaceAll('Rule Name:', 'Regelname:').replaceAll('Enabled:', 'Aktiviert:') }, expect: 'error', says: /language other than English/, line: 2 },
  { name: 'netsh in French', files: { 'scom01.txt': netsh.replaceAll('Rule Name:                           ', 'Nom de la règle :                    ') }, expect: 'error', says: /language other than English/ },
  { name: 'netsh in Japanese (full-width colon)', files: { 'scom01.txt': netsh.replaceAll('Rule Name:                           ', '規則名：                               ') }, expect: 'error', says: /language other than English/ },
  { name: 'netsh truncated inside a rule', files: { 'scom01.txt': netsh.slice(0, netsh.indexOf('Action:')) }, expect: 'error', says: /action expected Allow, Block or Bypass/ },
  { name: 'netsh garbage line', files: { 'scom01.txt': netsh.replace('Edge traversal:', '%%%% garbage\nEdge traversal:') }, expect: 'error', says: /Field: {3}value/ },
  { name: 'netsh prefix length 33', files: { 'scom01.txt': netshRule('RemoteIP', '10.1.1.0/33') }, expect: 'error', says: /remoteip/, line: 10 },
  { name: 'netsh Enabled neither Yes nor No', files: { 'scom01.txt': netshRule('Enabled', 'Maybe') }, expect: 'error', says: /Yes or No/, line: 5 },
  { name: 'netsh remote port limited', files: { 'scom01.txt': netshRule('RemotePort', '1024-65535') }, expect: 'undecidable' },
  { name: 'netsh IPsec-authenticated allow', files: { 'scom01.txt': netshRule('Security', 'Authenticate') }, expect: 'undecidable' },
  // AWS
  { name: 'aws truncated', files: { 'sg.json': sg.slice(0, 500), 'eni.json': eni }, expect: 'error', says: /truncated/ },
  { name: 'aws huge port', files: { 'sg.json': awsPermission({ FromPort: 1e20, ToPort: 1e20 }), 'eni.json': eni }, expect: 'error', says: /FromPort/ },
  { name: 'aws unknown protocol', files: { 'sg.json': awsPermission({ IpProtocol: 'banana' }), 'eni.json': eni }, expect: 'error', says: /IpProtocol/ },
  { name: 'aws security groups without interfaces', files: { 'sg.json': sg }, expect: 'error', says: /no network interfaces/ },
  { name: 'aws wrong shape (a list of groups)', files: { 'sg.json': JSON.stringify((JSON.parse(sg) as { SecurityGroups: unknown }).SecurityGroups), 'eni.json': eni }, expect: 'error', says: /describe-security-groups/ },
  { name: 'aws group of another account', files: { 'sg.json': awsPermission({ IpRanges: [], UserIdGroupPairs: [{ GroupId: 'sg-0foreign', UserId: '999999999999' }] }), 'eni.json': eni }, expect: 'undecidable' },
  // Azure
  { name: 'azure priority out of range', files: { 'nsg.json': azureRule({ priority: 70000 }), 'nic.json': nic }, expect: 'error', says: /priority/ },
  { name: 'azure unknown protocol', files: { 'nsg.json': azureRule({ protocol: 'Gre' }), 'nic.json': nic }, expect: 'error', says: /protocol/ },
  { name: 'azure bad prefix', files: { 'nsg.json': azureRule({ sourceAddressPrefix: '10.1.0.10/40' }), 'nic.json': nic }, expect: 'error', says: /10\.1\.0\.10\/40/ },
  { name: 'azure source ports limited', files: { 'nsg.json': azureRule({ sourcePortRange: '1024-65535' }), 'nic.json': nic }, expect: 'undecidable' },
  { name: 'azure application security group source', files: { 'nsg.json': azureRule({ sourceAddressPrefix: null, sourceApplicationSecurityGroups: [{ id: '/x/asg-ms' }] }), 'nic.json': nic }, expect: 'undecidable' },
  { name: 'azure NSG missing from the export', files: { 'nsg.json': JSON.stringify((JSON.parse(nsg) as unknown[]).slice(0, 1)), 'nic.json': nic }, expect: 'undecidable' },
  { name: 'azure CRLF and BOM are read', files: { 'nsg.json': `\uFEFF${azureRule({ sourceApplicationSecurityGroups: [{ id: '/x/asg' }] }).replace(/\n/g, '\r\n')}`, 'nic.json': nic.replace(/\n/g, '\r\n') }, expect: 'undecidable' },
  // firewalld
  { name: 'firewalld truncated XML', files: { 'scom01.xml': zone('  <rule family="ipv4"><port port="5723" protocol="tcp"/><accept/></rule>').slice(0, 150) }, expect: 'error', says: /truncated|expected/ },
  { name: 'firewalld unknown service', files: { 'scom01.xml': zone('  <service name="scom-agents"/>') }, expect: 'undecidable' },
  { name: 'firewalld bad target', files: { 'scom01.xml': zone('', 'MAYBE') }, expect: 'error', says: /target/ },
  { name: 'firewalld DTD (entity expansion)', files: { 'scom01.xml': `<?xml version="1.0"?>\n<!DOCTYPE zone [<!ENTITY a "aaaa">]>\n<zone/>` }, expect: 'error', says: /DTD/, line: 2 },
  { name: 'firewalld port out of range', files: { 'scom01.xml': zone('  <port port="70000" protocol="tcp"/>') }, expect: 'error', says: /port/, line: 5 },
  { name: 'firewalld ipset source', files: { 'scom01.xml': zone('  <rule><source ipset="agents"/><port port="5723" protocol="tcp"/><accept/></rule>') }, expect: 'undecidable' },
];

describe('hostile and broken exports of the Windows, cloud and firewalld formats', () => {
  it('there are at least 15 of them', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const sub = mkdtempSync(join(dir, 'case-'));
    const paths = Object.entries(c.files).map(([name, content]) => {
      const p = join(sub, name);
      writeFileSync(p, content, c.name.includes('UTF-16') ? 'latin1' : 'utf8');
      return p;
    });
    const r = await runCli(['audit', deployment, ...paths, '--format', 'json']);
    expect(r.code, r.stderr).not.toBe(3);
    expect(r.code, `${r.stderr}${r.stdout.slice(0, 400)}`).not.toBe(0);
    if (c.expect === 'error') {
      expect(r.code, r.stdout.slice(0, 400)).toBe(2);
      const m = /^(\/[^:]+):(\d+):(\d+): (.*)$/m.exec(r.stderr);
      expect(m, r.stderr).not.toBeNull();
      expect(paths).toContain(m![1]);
      expect(r.stderr).toMatch(/Hint: \S/);
      if (c.says) expect(r.stderr).toMatch(c.says);
      if (c.line !== undefined) expect(Number(m![2]), r.stderr).toBe(c.line);
    } else {
      expect(r.code, r.stderr).toBe(1);
      const out = JSON.parse(r.stdout) as { findings: { kind: string; rule: { export: string; line: number } | null }[] };
      const undecidable = out.findings.filter((f) => f.kind === 'undecidable' || /undecidable/.test(JSON.stringify(f)));
      expect(undecidable.length, r.stdout.slice(0, 600)).toBeGreaterThan(0);
    }
  });
});
