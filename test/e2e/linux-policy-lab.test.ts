import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { Lab, labUnavailableReason } from '../support/netns.js';
import { untilOutput } from '../support/scomfw-lab.js';

/**
 * Issue 8 item 3 with real traffic: the nftables and iptables host rulesets of a UNIX/Linux agent, rendered by
 * the CLI and applied with the scripts beside them inside network namespaces this file makes, on a host that
 * already has a firewall of its own (policy drop, an accept for TCP 2222 from anyone).
 *
 * - open-only (the default for a unix-agent) opens the planned ports, and the host's own rules still decide the
 *   rest: its 2222 accept still works, its drop still drops what nobody planned;
 * - drop-unplanned drops what is not planned, and managementAccess or --keep is the only management access (the
 *   nftables case sets both in the deployment file, the iptables one on the command line);
 * - the iptables rollback restores exactly what iptables-save and ip6tables-save held before;
 * - two management groups' open-only rulesets on one host do not block each other.
 */

const skip = labUnavailableReason(['ip', 'nft', 'iptables-restore', 'ip6tables-restore', 'iptables-save']);
const titled = (title: string) => (skip ? `${title} (skipped: ${skip})` : title);

const address = { msa: '198.18.80.1', lnx: '198.18.80.2', msb: '198.18.80.3', adm: '198.18.80.4' } as const;
type Name = keyof typeof address;
/** Planned from each group's management server: SSH (22) and WS-Management (1270). 2222 is the host's own; 5999 nobody's. */
const ports = [22, 1270, 2222, 5999] as const;
const connectTimeoutMs = 1500;

const deployment = (group: string, server: 'msa' | 'msb') => `managementGroup: ${group}
hosts:
  - name: ${server}
    address: ${address[server]}
    roles: [management-server]
  - name: sql
    address: 198.18.80.9
    roles: [operational-database, data-warehouse]
  - name: lnx
    address: ${address.lnx}
    roles: [unix-agent]
    reportsTo: [${server}]
`;

/** The host's own firewall before scomfw: drop by default, replies, loopback, and TCP 2222 from anyone. */
const hostNft = `table inet filter {
	chain input {
		type filter hook input priority filter; policy drop;
		ct state established,related accept
		iif "lo" accept
		tcp dport 2222 accept
	}
}
`;
const hostIptables = `*filter
:INPUT DROP [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -m conntrack --ctstate ESTABLISHED,RELATED -j ACCEPT
-A INPUT -i lo -j ACCEPT
-A INPUT -p tcp -m tcp --dport 2222 -m comment --comment "host rule" -j ACCEPT
COMMIT
`;
const hostIp6tables = `*filter
:INPUT DROP [0:0]
:FORWARD ACCEPT [0:0]
:OUTPUT ACCEPT [0:0]
-A INPUT -i lo -j ACCEPT
COMMIT
`;

const listenerScript = `
const net = require('node:net');
let ready = 0;
const ports = process.argv.slice(1).map(Number);
for (const port of ports) {
  const server = net.createServer((c) => c.destroy());
  server.on('error', (e) => { console.error(port, e.message); process.exit(1); });
  server.listen({ port, host: '0.0.0.0' }, () => { if (++ready === ports.length) console.log('ready'); });
}
`;

/** Connects to each port of the address at once; prints {port: open | timeout | errno}. */
const clientScript = `
const net = require('node:net');
const [host, timeout, ...ports] = process.argv.slice(1);
const one = (port) => new Promise((resolve) => {
  const socket = net.connect({ host, port: Number(port) });
  const timer = setTimeout(() => { socket.destroy(); resolve('timeout'); }, Number(timeout));
  socket.once('connect', () => { clearTimeout(timer); socket.destroy(); resolve('open'); });
  socket.once('error', (e) => { clearTimeout(timer); resolve(e.code || e.message); });
});
Promise.all(ports.map(one)).then((r) => console.log(JSON.stringify(Object.fromEntries(ports.map((p, i) => [p, r[i]])))));
`;

type Outcome = Record<(typeof ports)[number], string>;

describe.skipIf(skip !== undefined)(titled('Linux host rulesets beside the host\'s own firewall (real nft, iptables, TCP)'), () => {
  let lab: Lab | undefined;
  let listener: ChildProcess | undefined;
  const work = mkdtempSync(join(tmpdir(), 'sfw-linux-policy-'));

  beforeAll(async () => {
    lab = new Lab('sfwlp');
    for (const name of Object.keys(address) as Name[]) lab.addHost(name, address[name]);
    listener = lab.start('lnx', process.execPath, ['-e', listenerScript, ...ports.map(String)]);
    await untilOutput(listener, /ready/, 10_000);
    for (const [group, server] of [['LPA', 'msa'], ['LPB', 'msb']] as const) writeFileSync(join(work, `${group}.yaml`), deployment(group, server));
    // The same choices made in the deployment file instead of on the command line.
    const keyed = deployment('LPA', 'msa').replace('    roles: [unix-agent]\n', '    roles: [unix-agent]\n    linuxPolicy: drop-unplanned\n');
    writeFileSync(join(work, 'LPA-keyed.yaml'), `${keyed}managementAccess: [tcp/2222@${address.adm}]\n`);
  }, 60_000);

  afterAll(() => {
    lab?.destroy();
    rmSync(work, { recursive: true, force: true });
  });

  /** Every test starts from an empty firewall on lnx (nft and both iptables back ends). */
  beforeEach(() => {
    run('sh', ['-c', 'nft flush ruleset; for t in iptables ip6tables; do "$t" -P INPUT ACCEPT; "$t" -F; "$t" -X; done']);
  });

  const run = (cmd: string, args: readonly string[], input?: string) => {
    if (!lab) throw new Error('no lab');
    return lab.exec('lnx', cmd, args, input);
  };

  async function probe(from: Name): Promise<Outcome> {
    if (!lab) throw new Error('no lab');
    const child = lab.start(from, process.execPath, ['-e', clientScript, address.lnx, String(connectTimeoutMs), ...ports.map(String)]);
    let out = '';
    child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((resolve) => child.once('exit', resolve));
    return JSON.parse(out) as Outcome;
  }

  /** Renders with the real CLI into a fresh directory and returns it. */
  async function render(group: 'LPA' | 'LPB' | 'LPA-keyed', target: 'nftables' | 'iptables', extra: readonly string[] = []): Promise<string> {
    const out = join(work, `${group}-${target}-${Math.random().toString(36).slice(2, 8)}`);
    mkdirSync(out);
    const r = await runCli(['render', join(work, `${group}.yaml`), '--target', target, '--host', 'lnx', '--out', out, ...extra]);
    expect(r.code, r.stderr).toBe(0);
    return out;
  }

  /** iptables-save without its comment lines and counters: what must come back exactly after a rollback. */
  const saved = (tool: 'iptables' | 'ip6tables') =>
    run(`${tool}-save`, [])
      .split('\n')
      .filter((l) => !l.startsWith('#'))
      .map((l) => l.replace(/\[\d+:\d+\]$/, '[0:0]'))
      .join('\n');

  const loadHostIptables = () => {
    run('iptables-restore', [], hostIptables);
    run('ip6tables-restore', [], hostIp6tables);
  };

  describe('nftables', () => {
    it('open-only by default: the planned ports open, the host\'s own accept and drop still decide the rest; remove leaves its ruleset as it was', async () => {
      run('nft', ['-f', '-'], hostNft);
      const before = run('nft', ['list', 'ruleset']);
      const dir = await render('LPA', 'nftables');
      const code = readFileSync(join(dir, 'lnx.nft'), 'utf8').replace(/^\s*#.*$/gm, '');
      expect(code).not.toMatch(/\bdrop\b|\bpolicy\b|\bhook\b/); // no base chain of its own, nothing dropped
      run('sh', [join(dir, 'lnx.sh'), 'apply']);
      run('sh', [join(dir, 'lnx.sh'), 'apply']); // a rerun adds no second jump
      const input = run('nft', ['list', 'chain', 'inet', 'filter', 'input']);
      expect(input.match(/jump scomfw_LPA\b/g)).toHaveLength(1);
      expect(input).toContain('policy drop;');
      expect(input).toContain('tcp dport 2222 accept');

      expect(await probe('msa')).toEqual({ 22: 'open', 1270: 'open', 2222: 'open', 5999: 'timeout' });
      expect(await probe('adm')).toEqual({ 22: 'timeout', 1270: 'timeout', 2222: 'open', 5999: 'timeout' });

      run('sh', [join(dir, 'lnx.sh'), 'remove']);
      expect(run('nft', ['list', 'ruleset'])).toBe(before);
      expect(await probe('msa')).toEqual({ 22: 'timeout', 1270: 'timeout', 2222: 'open', 5999: 'timeout' });
    }, 60_000);

    it('drop-unplanned (the host\'s linuxPolicy key): drops everything not planned; managementAccess is the only management access', async () => {
      const dir = await render('LPA-keyed', 'nftables');
      run('nft', ['-f', join(dir, 'lnx.nft')]);
      expect(await probe('adm')).toEqual({ 22: 'timeout', 1270: 'timeout', 2222: 'open', 5999: 'timeout' });
      // The management server gets what the plan gives it and nothing more: no SSH beyond row 20, no 2222.
      expect(await probe('msa')).toEqual({ 22: 'open', 1270: 'open', 2222: 'timeout', 5999: 'timeout' });
    }, 60_000);

    it('two management groups\' open-only rulesets on one host do not block each other', async () => {
      run('nft', ['-f', '-'], hostNft);
      const a = await render('LPA', 'nftables');
      const b = await render('LPB', 'nftables');
      run('sh', [join(a, 'lnx.sh'), 'apply']);
      run('sh', [join(b, 'lnx.sh'), 'apply']);
      expect(await probe('msa')).toMatchObject({ 22: 'open', 1270: 'open', 5999: 'timeout' });
      expect(await probe('msb')).toMatchObject({ 22: 'open', 1270: 'open', 5999: 'timeout' });
      expect(await probe('adm')).toMatchObject({ 1270: 'timeout', 2222: 'open' });
      // Removing one group's takes only its own openings away.
      run('sh', [join(a, 'lnx.sh'), 'remove']);
      expect(await probe('msa')).toMatchObject({ 1270: 'timeout' });
      expect(await probe('msb')).toMatchObject({ 1270: 'open' });
    }, 60_000);
  });

  describe('iptables', () => {
    it('open-only by default: the planned ports open beside the host\'s INPUT rules and policy; rollback restores iptables-save exactly', async () => {
      loadHostIptables();
      const before = { v4: saved('iptables'), v6: saved('ip6tables') };
      const dir = await render('LPA', 'iptables');
      const rules = readFileSync(join(dir, 'lnx.rules'), 'utf8');
      expect(rules).not.toMatch(/^-F INPUT|^-A INPUT|-j DROP/m);
      run('sh', [join(dir, 'lnx.sh'), 'apply']);
      run('sh', [join(dir, 'lnx.sh'), 'apply']); // a rerun adds no second jump and keeps the first saved state
      const during = saved('iptables');
      expect(during.match(/^-A INPUT -j SCOMFW-IN-LPA$/gm)).toHaveLength(1);
      expect(during).toContain(':INPUT DROP');
      expect(during).toContain('--dport 2222 -m comment --comment "host rule" -j ACCEPT');

      expect(await probe('msa')).toEqual({ 22: 'open', 1270: 'open', 2222: 'open', 5999: 'timeout' });
      expect(await probe('adm')).toEqual({ 22: 'timeout', 1270: 'timeout', 2222: 'open', 5999: 'timeout' });

      run('sh', [join(dir, 'lnx.sh'), 'rollback']);
      expect(saved('iptables')).toBe(before.v4);
      expect(saved('ip6tables')).toBe(before.v6);
      expect(await probe('msa')).toEqual({ 22: 'timeout', 1270: 'timeout', 2222: 'open', 5999: 'timeout' });
    }, 60_000);

    it('drop-unplanned: the file says it empties INPUT, --keep is the only management access, and rollback brings the host\'s INPUT rules back', async () => {
      loadHostIptables();
      const before = { v4: saved('iptables'), v6: saved('ip6tables') };
      const dir = await render('LPA', 'iptables', ['--linux-policy', 'drop-unplanned', '--keep', `tcp/2222@${address.adm}`]);
      expect(readFileSync(join(dir, 'lnx.rules'), 'utf8')).toMatch(/^# This file empties INPUT \(-F INPUT\): every rule already in INPUT is removed/m);
      run('sh', [join(dir, 'lnx.sh'), 'apply']);
      expect(saved('iptables')).not.toContain('host rule');
      expect(await probe('adm')).toEqual({ 22: 'timeout', 1270: 'timeout', 2222: 'open', 5999: 'timeout' });
      expect(await probe('msa')).toEqual({ 22: 'open', 1270: 'open', 2222: 'timeout', 5999: 'timeout' });
      run('sh', [join(dir, 'lnx.sh'), 'rollback']);
      expect(saved('iptables')).toBe(before.v4);
      expect(saved('ip6tables')).toBe(before.v6);
    }, 60_000);

    it('two management groups\' open-only rulesets on one host do not block each other', async () => {
      loadHostIptables();
      const a = await render('LPA', 'iptables');
      const b = await render('LPB', 'iptables');
      run('sh', [join(a, 'lnx.sh'), 'apply']);
      run('sh', [join(b, 'lnx.sh'), 'apply']);
      expect(await probe('msa')).toMatchObject({ 22: 'open', 1270: 'open', 5999: 'timeout' });
      expect(await probe('msb')).toMatchObject({ 22: 'open', 1270: 'open', 5999: 'timeout' });
      expect(await probe('adm')).toMatchObject({ 1270: 'timeout', 2222: 'open' });
      run('sh', [join(a, 'lnx.sh'), 'remove']);
      expect(await probe('msa')).toMatchObject({ 1270: 'timeout' });
      expect(await probe('msb')).toMatchObject({ 1270: 'open' });
      expect(saved('iptables')).not.toContain('SCOMFW-IN-LPA');
    }, 60_000);
  });

  /**
   * The audit read against the truth: an open-only ruleset leaves the host's own rules in charge, so whether the
   * planned ports are open to others depends on them. The audit must say what the traffic shows.
   */
  describe('the audit of an open-only host agrees with its traffic', () => {
    /** The host's export, as the administrator copies it off (docs/audit.md), in a fresh directory. */
    function exported(tool: 'nftables' | 'iptables'): string[] {
      const dir = mkdtempSync(join(work, 'export-'));
      const files: [string, string][] =
        tool === 'nftables'
          ? [['lnx.json', run('nft', ['-j', 'list', 'ruleset'])]]
          : [
              ['lnx.rules', run('iptables-save', [])],
              ['lnx.rules6', run('ip6tables-save', [])],
            ];
      return files.map(([name, text]) => {
        writeFileSync(join(dir, name), text);
        return join(dir, name);
      });
    }

    interface AuditJson {
      readonly findings: readonly { kind: string; severity: string; host: string; witness: { source: string; port: number | null } | null }[];
    }

    async function audit(tool: 'nftables' | 'iptables'): Promise<{ code: number; errors: AuditJson['findings'] }> {
      const r = await runCli(['audit', join(work, 'LPA.yaml'), ...exported(tool), '--format', 'json']);
      const json = JSON.parse(r.stdout) as AuditJson;
      return { code: r.code, errors: json.findings.filter((f) => f.severity === 'error') };
    }

    /** A firewall of the host's own that accepts everything: open-only adds its openings and closes nothing. */
    const acceptingNft = 'table inet filter {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t}\n}\n';

    for (const tool of ['nftables', 'iptables'] as const) {
      it(`${tool}: beside a host firewall that drops by default, the audit finds no error, and only the management server gets in`, async () => {
        if (tool === 'nftables') run('nft', ['-f', '-'], hostNft);
        else loadHostIptables();
        run('sh', [join(await render('LPA', tool), 'lnx.sh'), 'apply']);
        const r = await audit(tool);
        expect(r.errors).toEqual([]);
        expect(r.code).toBe(0);
        expect(await probe('msa')).toMatchObject({ 22: 'open', 1270: 'open' });
        expect(await probe('adm')).toMatchObject({ 22: 'timeout', 1270: 'timeout' });
      }, 60_000);

      it(`${tool}: on a host that accepts everything, the audit names both planned ports open to others, as traffic from an unplanned source shows`, async () => {
        if (tool === 'nftables') run('nft', ['-f', '-'], acceptingNft);
        run('sh', [join(await render('LPA', tool), 'lnx.sh'), 'apply']);
        const r = await audit(tool);
        expect(r.code).toBe(1);
        expect(r.errors.map((f) => [f.kind, f.host, f.witness?.port]).sort()).toEqual([
          ['over-permissive', 'lnx', 1270],
          ['over-permissive', 'lnx', 22],
        ]);
        expect(r.errors.every((f) => f.witness?.source !== address.msa)).toBe(true);
        expect(await probe('adm')).toMatchObject({ 22: 'open', 1270: 'open' });
      }, 60_000);
    }
  });
});
