import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogRevision } from '../../src/catalog/index.js';
import { AddressSet } from '../../src/net/index.js';
import { derivePlan } from '../../src/plan/derive.js';
import { loadDeployment } from '../../src/topology/index.js';
import type { Deployment, Host } from '../../src/topology/types.js';
import { runCli } from '../support/cli.js';

/** Issue 8, "what a new user trips over": one describe per item, each test failing on the code before its fix. */

const dir = mkdtempSync(join(tmpdir(), 'scomfw-new-user-'));
let files = 0;
/** Writes a deployment into a fresh file and returns its path. */
function file(text: string, ext = 'yaml'): string {
  const path = join(dir, `d${files++}.${ext}`);
  writeFileSync(path, text);
  return path;
}

describe('item 2: nothing silently dropped', () => {
  it('refuses an agent with no management server or gateway, at the role, with a hint (exit 2)', async () => {
    const r = await runCli(['plan', file('managementGroup: X\nhosts:\n  - name: agents\n    addresses: [10.1.0.0/24]\n    roles: [agent]\n')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/d\d+\.yaml:5:13: hosts\[0\]\.roles\[0\]: expected a host that agent agents can talk to \(management-server or gateway\), found none/);
    expect(r.stderr).toContain('Hint: add a host with role management-server or gateway');
  });

  it('warns, on standard error and in the plan notes, where the counterpart is optional (reporting without a warehouse)', async () => {
    const text =
      'managementGroup: X\nhosts:\n  - name: ms01\n    address: 10.0.0.1\n    roles: [management-server]\n  - name: sql01\n    address: 10.0.0.2\n    roles: [operational-database]\n' +
      '  - name: rs01\n    address: 10.0.0.3\n    roles: [reporting-server]\n';
    const r = await runCli(['plan', file(text), '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/scomfw: warning: .*d\d+\.yaml:11:13: hosts\[2\]\.roles\[0\]: expected a host with role data-warehouse for reporting server to reach, found none/);
    const notes = (JSON.parse(r.stdout) as { notes: string[] }).notes;
    expect(notes.some((n) => n.startsWith('warning: line 11: hosts[2].roles[0]: expected a host with role data-warehouse'))).toBe(true);
  });

  it('has no note claiming "every management server used" when there is none', () => {
    const agent: Host = { name: 'a', addressTexts: ['10.0.0.1'], addresses: AddressSet.parse(['10.0.0.1']), zone: 'default', roles: ['agent'], os: 'windows', ports: {}, sqlBrowser: false, webConsoleTls: false };
    const d: Deployment = { managementGroup: 'X', catalog: '2024-11', phase: 'install', features: { omed: false, applicationDiagnostics: false, applicationAdvisor: false, managementPackCatalog: false, acsReporting: false, sdkConnectors: false, agentDomainServices: false }, hosts: [agent], connectedGroups: [] };
    const plan = derivePlan(d, catalogRevision('2024-11'));
    expect(plan.notes.join('\n')).not.toContain('every management server used');
    expect(plan.notes.join('\n')).toContain('reportsTo not set, no management-server in the deployment, nothing used for: a');
  });

  it('still loads a console on a management server (the counterpart on the same host counts)', () => {
    const d = loadDeployment('managementGroup: X\nhosts:\n  - name: ms01\n    address: 10.0.0.1\n    roles: [management-server, operations-console]\n  - name: sql\n    address: 10.0.0.2\n    roles: [operational-database]\n', 'd.yaml');
    expect(d.warnings).toBeUndefined();
  });
});

describe('item 8: a console, web console or reporting server on a management server', () => {
  const text = (list: string) =>
    'managementGroup: X\nhosts:\n  - name: ms01\n    address: 10.0.0.1\n    roles: [management-server, operations-console, web-console-server, reporting-server]\n' +
    `    managementServers: ${list}\n  - name: ms02\n    address: 10.0.0.2\n    roles: [management-server]\n  - name: sql\n    address: 10.0.0.3\n    roles: [operational-database, data-warehouse]\n`;

  it('may name that server in managementServers, and ms01 -> ms02 5724 stays install-only', () => {
    const d = loadDeployment(text('[ms01]'), 'd.yaml');
    const plan = derivePlan(d, catalogRevision('2024-11'));
    const flow = plan.flows.find((f) => f.id === 'ms01>ms02:tcp/5724');
    expect(flow?.phase).toBe('install');
    expect(flow?.sourceRoles).toEqual(['management-server']);
  });

  it('naming both servers makes the console reach ms02 as well (5724 always)', () => {
    const plan = derivePlan(loadDeployment(text('[ms01, ms02]'), 'd.yaml'), catalogRevision('2024-11'));
    expect(plan.flows.find((f) => f.id === 'ms01>ms02:tcp/5724')?.phase).toBe('always');
  });
});

describe('item 7: addresses that cannot work', () => {
  const ms = '  - name: ms01\n    address: 10.0.0.1\n    roles: [management-server]\n  - name: sql\n    address: 10.0.0.2\n    roles: [operational-database]\n';

  it('warns about two hosts with the same address, naming the first one\'s line', async () => {
    const r = await runCli(['validate', file(`managementGroup: X\nhosts:\n${ms}  - name: a1\n    address: 10.0.5.5\n    roles: [agent]\n  - name: a2\n    address: 10.0.5.5\n    roles: [agent]\n`)]);
    expect(r.code).toBe(0);
    expect(r.stderr).toMatch(/warning: .*:13:14: hosts\[3\]\.address: expected an address no other host has, found 10\.0\.5\.5, which a1 also has\. Hint: one machine with two names .*; the first is on line 10/);
  });

  it('warns about a host inside another entry\'s range, and a connected server at a local address', async () => {
    const text = `managementGroup: X\nhosts:\n${ms}  - name: agents\n    addresses: [10.0.0.0/16]\n    roles: [agent]\nconnectedGroups:\n  - name: Y\n    managementServers:\n      - name: msy\n        address: 10.0.0.1\n`;
    const r = await runCli(['validate', file(text)]);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain("found 10.0.0.1, which overlaps agents's 10.0.0.0/16");
    expect(r.stderr).toContain('a management server of connected group Y cannot be a machine of this group');
  });

  it('refuses an IPv4-only agent reporting to an IPv6-only management server (exit 2)', async () => {
    const r = await runCli(['plan', 'test/fixtures/bad/ipv4-agent-ipv6-server.yaml']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('no flow between them can connect');
  });

  it.each(['::ffff:10.0.0.5', '127.0.0.1', '0.0.0.0', '239.1.1.1', '255.255.255.255', '::1', '::', 'ff02::1'])('refuses %s as a host address', (address) => {
    const text = `managementGroup: X\nhosts:\n  - name: h\n    address: "${address}"\n    roles: [management-server]\n  - name: a\n    address: 10.0.0.9\n    roles: [agent]\n`;
    expect(() => loadDeployment(text, 'd.yaml')).toThrow(/expected an address a host can be reached at/);
  });

  it('accepts a deployment wholly on loopback (a lab on one machine), and refuses one loopback host among real ones', () => {
    const lab = 'managementGroup: X\nhosts:\n  - name: ms\n    address: 127.0.0.11\n    roles: [management-server]\n  - name: a\n    addresses: [127.0.0.128/25]\n    roles: [agent]\n';
    expect(loadDeployment(lab, 'd.yaml').hosts).toHaveLength(2);
    expect(() => loadDeployment(lab.replace('127.0.0.128/25', '10.0.0.0/24'), 'd.yaml')).toThrow(/a loopback address/);
  });
});

describe('item 15: contradictory os', () => {
  it.each([
    ['windows-unix-agent.yaml', '11:9', 'use role agent'],
    ['linux-push-agent.yaml', '10:9', 'push install uses SMB and RPC'],
  ])('%s is refused at os (exit 2)', async (name, at, words) => {
    const r = await runCli(['validate', `test/fixtures/bad/${name}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${name}:${at}: `);
    expect(r.stderr).toContain(words);
  });
});

describe('item 14: encodings and YAML hints', () => {
  const utf16 = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
  const deployment = 'managementGroup: X\r\nhosts:\r\n  - name: ms01\r\n    address: 10.0.0.1\r\n    roles: [management-server]\r\n';

  it('says "save it as UTF-8" with the exact commands for a UTF-16 file, and the iconv command works', async () => {
    const path = join(dir, 'from-powershell.yaml');
    writeFileSync(path, utf16(deployment));
    const r = await runCli(['validate', path]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${path}:1:1: expected a UTF-8 text file, found UTF-16`);
    expect(r.stderr).toContain(`Get-Content -Path '${path}' | Set-Content -Encoding utf8 -Path '${join(dir, 'from-powershell.utf8.yaml')}'`);
    const iconv = /on Linux or macOS, (iconv .*?); then/.exec(r.stderr)?.[1];
    expect(iconv).toBeDefined();
    const { execSync } = await import('node:child_process');
    try {
      execSync('command -v iconv', { stdio: 'ignore' });
    } catch {
      return; // no iconv here: the message is checked, the command cannot be
    }
    execSync(iconv ?? '', { shell: '/bin/sh' });
    const again = await runCli(['validate', join(dir, 'from-powershell.utf8.yaml')]);
    expect(again.stderr).not.toContain('UTF-16');
    expect(again.stdout).toContain('valid');
  });

  it.each([
    ['ipv6-unquoted-block.yaml', '5:14', 'put it in quotes: "fd00::"'],
    ['misindented-key.yaml', '9:1', 'line it up with them (4 spaces)'],
  ])('%s gets the right hint', async (name, at, words) => {
    const r = await runCli(['validate', `test/fixtures/bad/${name}`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${name}:${at}: `);
    expect(r.stderr).toContain(words);
    expect(r.stderr).not.toContain('close the quote');
  });
});

describe('item 5: output errors are the user\'s and leave nothing half-written', () => {
  const render = (out: string) => runCli(['render', 'examples/contoso.yaml', '--target', 'windows-powershell', '--out', out]);

  it('refuses --out naming a file, and a path under a file (exit 2, path and hint)', async () => {
    const afile = join(dir, 'a-file');
    writeFileSync(afile, 'x');
    const r1 = await render(afile);
    expect(r1.code).toBe(2);
    expect(r1.stderr).toContain(`cannot write into ${afile}: it is a file, not a directory. Hint: give --out a directory`);
    const r2 = await render(join(afile, 'sub'));
    expect(r2.code).toBe(2);
    expect(r2.stderr).toContain(`${afile} is a file, not a directory`);
  });

  it('refuses a target file that is a directory before writing any file', async () => {
    const out = join(dir, 'out-with-dir');
    mkdirSync(join(out, 'ms02.contoso.com.ps1'), { recursive: true });
    const r = await render(out);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot write ${join(out, 'ms02.contoso.com.ps1')}: a directory is in the way`);
    expect(readdirSync(out)).toEqual(['ms02.contoso.com.ps1']);
  });

  it('refuses a path under /proc at once, without spinning', async () => {
    const started = Date.now();
    const r = await render('/proc/scomfw-test');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('cannot write /proc/scomfw-test: it is under /proc');
    expect(Date.now() - started).toBeLessThan(20_000); // minutes before the fix; a hang fails here
  });

  it('says "wrote N files" of the files on disk', async () => {
    const out = join(dir, 'fresh');
    const r = await render(out);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain(`wrote ${readdirSync(out).length} files to ${out}`);
  });

  it('check --out is checked before probing (a loopback lab, so nothing leaves the machine)', async () => {
    const lab = file('managementGroup: L\nhosts:\n  - name: ms\n    address: 127.0.0.11\n    roles: [management-server]\n  - name: a\n    address: 127.0.0.12\n    roles: [agent]\n');
    const r = await runCli(['check', lab, '--from', 'a', '--out', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`cannot write ${dir}: a directory is in the way`);
    expect(r.stderr).not.toContain('probe');
  });
});

describe('item 6: check --dry-run and the count before probing (loopback lab only)', () => {
  const lab = () =>
    file('managementGroup: L\nhosts:\n  - name: ms\n    address: 127.0.0.11\n    roles: [management-server]\n  - name: sql\n    address: 127.0.0.12\n    roles: [operational-database]\n  - name: a\n    address: 127.0.0.13\n    roles: [agent]\n');

  it('--dry-run lists every probe with source, destination address, protocol and port, and sends nothing', async () => {
    const { createServer } = await import('node:net');
    let connections = 0;
    const server = createServer((s) => { connections++; s.end(); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.12', r));
    const port = (server.address() as { port: number }).port;
    try {
      const path = file(readFileSync(lab(), 'utf8').replace('roles: [operational-database]', `roles: [operational-database]\n    sqlPort: ${port}`));
      const r = await runCli(['check', path, '--from', 'ms', '--dry-run']);
      expect(r.code).toBe(0);
      expect(r.stderr).toMatch(/dry run, nothing sent: \d+ probes to 1 address on \d+ ports/);
      expect(r.stdout.split('\n')[0]).toBe('source\tdestination\taddress\tprotocol/port\tprobe');
      expect(r.stdout).toContain(`ms\tsql\t127.0.0.12\ttcp/${port}\tTCP connect`);
      expect(connections).toBe(0);
    } finally {
      await new Promise<void>((r) => server.close(() => { r(); }));
    }
  });

  it('a real run says how many addresses and ports it will probe before it starts', async () => {
    const r = await runCli(['check', lab(), '--from', 'a', '--timeout', '300', '--retries', '0']);
    expect(r.stderr).toMatch(/scomfw: 1 probe to 1 address on 1 port from a \(found by --from\)/);
  });
});

describe('item 11: render --host is case-insensitive', () => {
  it.each(['windows-powershell', 'netsh', 'verify-powershell', 'nftables', 'iptables', 'firewalld', 'markdown', 'mermaid', 'dot', 'aws', 'azure'])('%s: --host MS01.CONTOSO.COM renders what ms01.contoso.com does', async (target) => {
    const lower = await runCli(['render', 'examples/contoso.yaml', '--target', target, '--host', 'ms01.contoso.com']);
    const upper = await runCli(['render', 'examples/contoso.yaml', '--target', target, '--host', 'MS01.CONTOSO.COM']);
    expect(lower.code).toBe(0);
    expect(upper.code).toBe(0);
    expect(upper.stdout).toBe(lower.stdout);
  });

  it('nftables: a Linux host in capitals too', async () => {
    const lower = await runCli(['render', 'examples/contoso.yaml', '--target', 'nftables', '--host', 'linux-app-servers']);
    const upper = await runCli(['render', 'examples/contoso.yaml', '--target', 'nftables', '--host', 'LINUX-APP-SERVERS']);
    expect(lower.code).toBe(0);
    expect(upper.stdout).toBe(lower.stdout);
  });
});

describe('item 10: file name clashes in the Windows targets', () => {
  const text =
    'managementGroup: X\nhosts:\n  - name: ms01\n    address: 10.0.0.1\n    roles: [management-server]\n  - name: ms01.close-install\n    address: 10.0.0.2\n    roles: [management-server]\n' +
    '  - name: sql\n    address: 10.0.0.3\n    roles: [operational-database]\n';

  it.each(['windows-powershell', 'netsh'])('%s refuses a host whose script would overwrite another host\'s (exit 2, nothing written)', async (target) => {
    const out = join(dir, `clash-${target}`);
    const r = await runCli(['render', file(text), '--target', target, '--out', out]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/two .* files would both be written to ms01\.close-install\.(ps1|cmd)/);
    expect(r.stderr).toContain('Hint: rename the host');
    expect(() => readdirSync(out)).toThrow();
  });
});

describe('item 9: AWS security groups per network interface', () => {
  it('refuses a host whose rules need more than 16 security groups, with the reason and a hint', async () => {
    // 1,100 scattered single-address agents (every other address: no two aggregate) reporting to one server:
    // 1,100 IPv4 rules on ms01's 5723 need 19 groups of 60.
    const agents = Array.from({ length: 1100 }, (_, i) => `  - name: a${i}\n    address: 10.${8 + Math.floor(i / 120)}.${i % 120}.${(i % 2) * 2 + 1}\n    roles: [agent]\n`).join('');
    const r = await runCli(['render', file(`managementGroup: X\nhosts:\n  - name: ms01\n    address: 10.0.0.1\n    roles: [management-server]\n${agents}`), '--target', 'aws', '--host', 'ms01']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/the flows into ms01 need \d+ security groups of 60 rules on one network interface; AWS allows 5 by default and 16 at most/);
    expect(r.stderr).toContain('Hint: give the sources of ms01 as prefixes or ranges');
  });
});

describe('item 12: --phase operate closes what install opened', () => {
  const text =
    'managementGroup: X\nhosts:\n  - name: ms01\n    address: 10.0.0.1\n    roles: [management-server]\n  - name: sql\n    address: 10.0.0.3\n    roles: [operational-database]\n' +
    '  - name: web01\n    address: 10.0.1.5\n    roles: [agent]\n    install: push\n';

  it('still writes a Windows script for a host whose flows were all install-only, and it removes every scomfw rule there', async () => {
    const path = file(text);
    const r = await runCli(['render', path, '--target', 'windows-powershell', '--phase', 'operate', '--host', 'web01']);
    expect(r.code).toBe(0);
    expect(r.stdout).not.toContain('\nSet-ScomfwRule ');
    expect(r.stdout).toContain("Get-NetFirewallRule -Group 'scomfw:X', 'scomfw:X:install' -PolicyStore $PolicyStore -ErrorAction SilentlyContinue | Where-Object { $script:planned -notcontains $_.Name }");
    const plan = JSON.parse((await runCli(['plan', path, '--phase', 'operate', '--format', 'json'])).stdout) as { closedHosts?: string[]; notes: string[] };
    expect(plan.closedHosts).toEqual(['web01']);
    expect(plan.notes.some((n) => n.startsWith('phase operate: nothing is left to accept on web01'))).toBe(true);
  });
});
