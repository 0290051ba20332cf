import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { firewalld } from '../../src/targets/linux/firewalld.js';
import { iptables } from '../../src/targets/linux/iptables.js';
import { safeText } from '../../src/targets/linux/text.js';
import { nftables } from '../../src/targets/linux/nftables.js';
import { targets } from '../../src/targets/registry.js';
import type { LinuxPolicy, RenderedFile } from '../../src/targets/types.js';
import { UserError } from '../../src/topology/errors.js';
import { loadDeployment } from '../../src/topology/index.js';
import { planOf, scenarioPlan } from '../support/scenarios.js';

const linuxTargets = [nftables, iptables, firewalld] as const;

const planFrom = (yaml: string): Plan => planOf(loadDeployment(yaml, 'test.yaml'));
const paths = (files: readonly RenderedFile[]) => files.map((f) => f.path);
const fileNamed = (files: readonly RenderedFile[], path: string): string => {
  const f = files.find((x) => x.path === path);
  if (!f) throw new Error(`no ${path} among ${paths(files).join(', ')}`);
  return f.content;
};

/** Three zones, a Linux agent, push-installed Windows agents: every shape the Linux targets write. */
const lab = `
managementGroup: LINUXTEST
hosts:
  - name: ms01
    addresses: [10.0.1.11, "fd00:1::11"]
    zone: corp
    roles: [management-server]
  - name: sql01
    address: 10.0.2.10
    zone: data
    roles: [operational-database, data-warehouse]
  - name: gw01
    address: 192.168.50.5
    zone: dmz
    roles: [gateway]
    reportsTo: [ms01]
  - name: dmz-agents
    addresses: [192.168.50.16/28]
    zone: dmz
    roles: [agent]
    reportsTo: [gw01]
    install: push
  - name: linux01
    addresses: [10.30.0.5, "fd00:30::5"]
    zone: corp
    roles: [unix-agent]
    reportsTo: [ms01]
`;

describe('Linux targets', () => {
  it('are in the registry under their names', () => {
    for (const t of linuxTargets) expect(targets.get(t.name)).toBe(t);
  });
});

describe('which rulesets are written', () => {
  const plan = planFrom(lab);

  it('nftables writes every host that accepts flows, each zone pair, and all-zones when there are several pairs', () => {
    expect(paths(nftables.render(plan, {}))).toEqual([
      'all-zones.close-install.nft',
      'all-zones.nft',
      'corp--data.close-install.nft',
      'corp--data.nft',
      'corp--dmz.nft',
      'dmz-agents.close-install.nft',
      'dmz-agents.nft',
      'gw01.nft',
      'linux01.nft',
      'linux01.sh',
      'ms01.nft',
      'sql01.close-install.nft',
      'sql01.nft',
    ]);
  });

  it('iptables writes both families of every ruleset, close-install files and the removal files', () => {
    const written = paths(iptables.render(plan, {}));
    expect(written).toContain('linux01.rules');
    expect(written).toContain('linux01.rules6');
    expect(written).toContain('sql01.rules6'); // IPv4-only host: its IPv6 file closes IPv6 instead of leaving it open
    expect(written).toContain('dmz-agents.close-install.rules6');
    expect(written.filter((p) => p.startsWith('scomfw-remove-'))).toEqual([
      'scomfw-remove-forward.rules',
      'scomfw-remove-forward.rules6',
      'scomfw-remove-host.rules',
      'scomfw-remove-host.rules6',
    ]);
  });

  it('firewalld writes only Linux hosts by default, any listening host on request', () => {
    expect(paths(firewalld.render(plan, {}))).toEqual(['linux01.sh', 'linux01.xml']);
    expect(paths(firewalld.render(plan, { host: 'dmz-agents' }))).toEqual(['dmz-agents.close-install.xml', 'dmz-agents.sh', 'dmz-agents.xml']);
  });

  it('--host picks one host or one zone pair', () => {
    expect(paths(nftables.render(plan, { host: 'linux01' }))).toEqual(['linux01.nft', 'linux01.sh']);
    expect(paths(nftables.render(plan, { host: 'linux01', linuxPolicy: 'drop-unplanned' }))).toEqual(['linux01.nft']);
    expect(paths(nftables.render(plan, { host: 'corp--dmz' }))).toEqual(['corp--dmz.nft']);
    expect(paths(iptables.render(plan, { host: 'sql01' }))).toEqual([
      'scomfw-remove-host.rules',
      'scomfw-remove-host.rules6',
      'sql01.close-install.rules',
      'sql01.close-install.rules6',
      'sql01.rules',
      'sql01.rules6',
      'sql01.sh',
    ]);
  });

  it('an unknown --host is a UserError that lists the choices', () => {
    for (const t of linuxTargets) {
      const run = () => t.render(plan, { host: 'nosuch' });
      expect(run).toThrow(UserError);
      expect(run).toThrow(/^"nosuch" is not a host( or zone pair)? of this plan$/);
      try {
        run();
      } catch (e) {
        expect((e as UserError).hint).toMatch(/^--host takes one of the .*: .*linux01/);
      }
    }
  });

  it('a host that accepts no flow is named as such', () => {
    const tiny = planFrom('managementGroup: T\nhosts:\n  - {name: ms, address: 10.0.0.1, roles: [management-server]}\n  - {name: a, address: 10.0.0.2, roles: [agent]}\n');
    expect(() => nftables.render(tiny, { host: 'a' })).toThrow(/"a" accepts no flow in this plan/);
  });

  it('a host named like a zone pair is refused, not overwritten', () => {
    const clash = planFrom(`
managementGroup: T
hosts:
  - {name: ms, address: 10.0.0.1, zone: a, roles: [management-server]}
  - {name: a--b, address: 10.0.0.9, zone: b, roles: [unix-agent], reportsTo: [ms]}
`);
    expect(() => nftables.render(clash, {})).toThrow(/two rulesets would both be written to a--b.nft/);
  });
});

describe('--linux-policy', () => {
  const plan = planFrom(lab);

  it('defaults to open-only for a Linux host and drop-unplanned for a stand-in of a Windows host and for zone pairs', () => {
    const nft = nftables.render(plan, {});
    expect(fileNamed(nft, 'linux01.nft')).toMatch(/Policy open-only/);
    expect(fileNamed(nft, 'linux01.nft')).not.toMatch(/^\s*type filter hook/m);
    expect(fileNamed(nft, 'sql01.nft')).toMatch(/Policy drop-unplanned/);
    expect(fileNamed(nft, 'corp--dmz.nft')).toContain('type filter hook forward priority filter; policy drop;');
    const ipt = iptables.render(plan, {});
    expect(fileNamed(ipt, 'linux01.rules')).not.toMatch(/^-F INPUT|^-A INPUT/m);
    expect(fileNamed(ipt, 'sql01.rules')).toMatch(/^-F INPUT$/m);
  });

  it('applies the asked policy to every host ruleset, and never to zone pairs', () => {
    const open = nftables.render(plan, { linuxPolicy: 'open-only' });
    expect(fileNamed(open, 'sql01.nft')).toMatch(/Policy open-only/);
    expect(paths(open)).toContain('sql01.sh');
    expect(fileNamed(open, 'corp--dmz.nft')).toContain('policy drop;');
    const drop = iptables.render(plan, { linuxPolicy: 'drop-unplanned' });
    expect(fileNamed(drop, 'linux01.rules')).toMatch(/^-A SCOMFW-IN-LINUXTEST -m comment --comment "scomfw: drop everything not planned" -j DROP$/m);
  });

  it('a host\'s linuxPolicy in the deployment file sets its default; --linux-policy overrides it', () => {
    const keyed = planFrom(lab.replace('    roles: [unix-agent]\n', '    roles: [unix-agent]\n    linuxPolicy: drop-unplanned\n').replace('    roles: [operational-database, data-warehouse]\n', '    roles: [operational-database, data-warehouse]\n    linuxPolicy: open-only\n'));
    expect(keyed.hosts.find((h) => h.name === 'linux01')?.linuxPolicy).toBe('drop-unplanned');
    const nft = nftables.render(keyed, {});
    expect(fileNamed(nft, 'linux01.nft')).toMatch(/Policy drop-unplanned/);
    expect(fileNamed(nft, 'sql01.nft')).toMatch(/Policy open-only/);
    expect(fileNamed(nft, 'ms01.nft')).toMatch(/Policy drop-unplanned/); // no key: the default for a Windows host
    expect(fileNamed(nftables.render(keyed, { linuxPolicy: 'open-only' }), 'linux01.nft')).toMatch(/Policy open-only/);
  });

  it('a policy the library is handed that is not one of the two is a UserError', () => {
    const bad = { linuxPolicy: 'open' } as unknown as { linuxPolicy: LinuxPolicy };
    for (const t of [nftables, iptables]) expect(() => t.render(plan, bad)).toThrow(/unknown --linux-policy "open"/);
  });
});

describe('what a host ruleset holds', () => {
  const plan = planFrom(lab);
  const nft = nftables.render(plan, {});

  it('lets no SCOM server in on SSH by assumption: TCP 22 only where the plan, managementAccess or --keep opens it', () => {
    for (const target of [nftables, iptables, firewalld]) {
      const files = target.render(plan, { host: 'sql01', linuxPolicy: target === firewalld ? undefined : 'drop-unplanned' });
      for (const f of files) expect(f.content, `${target.name} ${f.path}`).not.toMatch(/mgmt_ssh|dport 22\b|--dport 22 |port="22"/);
    }
    const agents = fileNamed(nft, 'dmz-agents.nft');
    expect(agents).not.toMatch(/dport 22\b/); // the gateway that manages them gets no SSH either
    expect(fileNamed(nft, 'sql01.nft')).toMatch(/No management access is kept: no managementAccess or --keep entry was given/);
  });

  it('UNIX/Linux agents keep the SSH the plan opens (management server to UNIX/Linux agent)', () => {
    const linux = fileNamed(nftables.render(plan, { host: 'linux01', linuxPolicy: 'drop-unplanned' }), 'linux01.nft');
    expect(linux).toContain('ip saddr @tcp_22_v4 tcp dport 22 accept');
    expect(linux).toContain('ip6 saddr @tcp_22_v6 tcp dport 22 accept');
  });

  it('writes a family only where the host has addresses in it', () => {
    expect(fileNamed(nft, 'sql01.nft')).not.toMatch(/ip6 saddr|ipv6_addr/);
  });

  it('starts with replies, loopback and neighbour discovery, under a drop policy', () => {
    const lines = fileNamed(nft, 'sql01.nft').split('\n');
    const start = lines.findIndex((l) => l.includes('type filter hook input priority filter; policy drop;'));
    expect(lines.slice(start + 1, start + 5).map((l) => l.trim())).toEqual([
      'ct state established,related accept',
      'ct state invalid drop',
      'iif "lo" accept',
      'icmpv6 type { nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert } ip6 hoplimit 255 accept',
    ]);
  });

  it('puts install-only rules in their own chain, and the close-install file empties only that chain and its sets', () => {
    const agents = fileNamed(nft, 'dmz-agents.nft');
    const installChain = agents.slice(agents.indexOf('chain install {'));
    expect(installChain).toContain('tcp dport 445 accept');
    expect(agents.slice(0, agents.indexOf('chain install {'))).not.toMatch(/dport 445/);
    const close = fileNamed(nft, 'dmz-agents.close-install.nft');
    const statements = close.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(statements[0]).toBe('flush chain inet scomfw_LINUXTEST install');
    expect(statements.slice(1).every((s) => /^flush set inet scomfw_LINUXTEST install_\w+_v4$/.test(s))).toBe(true);
  });

  it('a plan in phase operate has no install rules and no close-install files', () => {
    const operate = planFrom(lab.replace('managementGroup: LINUXTEST', 'managementGroup: LINUXTEST\nphase: operate'));
    for (const t of linuxTargets) {
      const written = paths(t.render(operate, { host: 'sql01' }));
      expect(written.length).toBeGreaterThan(0);
      expect(written.some((p) => p.includes('close-install'))).toBe(false);
    }
  });

  it('carries the catalog rows in rule comments', () => {
    expect(fileNamed(nft, 'linux01.nft')).toMatch(/tcp dport 1270 accept comment "2024-11#\d+: management server to UNIX\/Linux agent \(TCP 1270\)"/);
  });

  it('says when a file is meant for a Linux stand-in of a Windows host', () => {
    expect(fileNamed(nft, 'sql01.nft')).toContain('# The plan says sql01 runs windows: use this file on a Linux stand-in');
    expect(fileNamed(nft, 'linux01.nft')).not.toContain('stand-in');
  });
});

describe('forward rulesets', () => {
  const plan = planFrom(lab);
  const nft = nftables.render(plan, {});

  it('hold both directions of a zone pair, with source and destination sets', () => {
    const pair = fileNamed(nft, 'corp--dmz.nft');
    expect(pair).toContain('table inet scomfw_fw_LINUXTEST {');
    expect(pair).toContain('type filter hook forward priority filter; policy drop;');
    expect(pair).toContain('ip saddr @tcp_5723_src_v4 ip daddr @tcp_5723_dst_v4 tcp dport 5723 accept'); // gw01 to ms01
    expect(pair).toMatch(/set tcp_5723_src_v4 \{[^}]*192\.168\.50\.5/);
    expect(pair).not.toContain('10.0.2.10'); // sql01 is in zone data
  });

  it('all-zones holds every cross-zone flow, and no flow inside one zone', () => {
    const all = fileNamed(nft, 'all-zones.nft');
    expect(all).toContain('10.0.2.10');
    expect(all).toContain('192.168.50.5');
    expect(all).not.toContain('10.30.0.5'); // linux01 talks only to ms01, in its own zone
  });

  it('iptables writes a rule group once, its source and destination CIDRs as comma lists (one CIDR: no comma)', () => {
    const rules = fileNamed(iptables.render(plan, { host: 'corp--dmz' }), 'corp--dmz.rules');
    expect(rules).toMatch(/^-A SCOMFW-FWD-LINUXTEST -s 192\.168\.50\.5\/32 -d 10\.0\.1\.11\/32 -p tcp -m tcp --dport 5723 /m);
    expect(rules).toContain('-F FORWARD\n-A FORWARD -j SCOMFW-FWD-LINUXTEST\n');
    // Contoso's consoles reach both management servers of corp: one line, both destinations in its -d list.
    const contoso = fileNamed(iptables.render(scenarioPlan('contoso'), { host: 'admin--corp' }), 'admin--corp.rules');
    const lines = contoso.split('\n').filter((l) => l.startsWith('-A SCOMFW-FWD-CONTOSO -s 10.0.10.0/25 ') && l.includes(' --dport 5724 '));
    expect(lines).toEqual([expect.stringMatching(/^-A SCOMFW-FWD-CONTOSO -s 10\.0\.10\.0\/25 -d 10\.0\.1\.11\/32,10\.0\.1\.12\/32 -p tcp -m tcp --dport 5724 -m comment /)]);
  });
});

describe('--keep', () => {
  const plan = planFrom(lab);

  it('adds management access from the given addresses, merged per port', () => {
    const files = nftables.render(plan, { host: 'sql01', keep: ['tcp/22@10.9.0.0/24', 'tcp/22@10.9.1.7', 'tcp/8000-8010@192.0.2.1-192.0.2.9'] });
    const sql = fileNamed(files, 'sql01.nft');
    expect(sql).toMatch(/set keep_tcp_22_v4 \{[^}]*10\.9\.0\.0\/24,\s*10\.9\.1\.7\s*\}/);
    expect(sql).toContain('ip saddr @keep_tcp_8000_8010_v4 tcp dport 8000-8010 accept');
    const rules = fileNamed(iptables.render(plan, { host: 'sql01', keep: ['udp/161@10.9.0.1'] }), 'sql01.rules');
    expect(rules).toContain('-A SCOMFW-IN-LINUXTEST -s 10.9.0.1/32 -p udp -m udp --dport 161');
  });

  it('refuses a bad entry with a UserError and a hint', () => {
    for (const bad of ['ssh@10.0.0.1', 'tcp/22', 'tcp/0@10.0.0.1', 'tcp/22-21@10.0.0.1', 'tcp/70000@10.0.0.1', 'icmp/8@10.0.0.1', 'tcp/22@10.0.0.300', 'tcp/22@any', 'tcp/22@10.0.0.1;reboot']) {
      for (const t of linuxTargets) {
        expect(() => t.render(plan, { keep: [bad] }), bad).toThrow(UserError);
      }
    }
    expect(() => nftables.render(plan, { keep: ['tcp/22'] })).toThrow(/bad --keep entry "tcp\/22"/);
    // A hand-built plan (the loader checks the deployment file's entries) is refused the same way.
    expect(() => nftables.render({ ...plan, managementAccess: ['tcp/22@any'] }, {})).toThrow(/bad managementAccess entry "tcp\/22@any": bad address/);
  });

  it('takes the deployment file\'s managementAccess entries, merged with --keep per port', () => {
    const keyed = planFrom(`${lab}managementAccess: [tcp/22@10.9.0.0/24]\n`);
    expect(keyed.managementAccess).toEqual(['tcp/22@10.9.0.0/24']);
    const sql = fileNamed(nftables.render(keyed, { host: 'sql01', keep: ['tcp/22@10.9.1.7'] }), 'sql01.nft');
    expect(sql).toMatch(/set keep_tcp_22_v4 \{[^}]*10\.9\.0\.0\/24,\s*10\.9\.1\.7\s*\}/);
    expect(sql).not.toMatch(/No management access is kept/);
    const xml = fileNamed(firewalld.render(keyed, { host: 'linux01' }), 'linux01.xml');
    expect(xml).toContain('<rule family="ipv4"><source address="10.9.0.0/24"/><port port="22" protocol="tcp"/><accept/></rule>');
  });
});

describe('safe text', () => {
  it('keeps only characters without meaning in nft, iptables-restore, XML and sh', () => {
    expect(safeText('a"b\'c$(d)`e`;f&g|h\ni#j\\k<l>m{n}o')).toBe('a_b_c_(d)_e_f_g_h_i#j_k_l_m_n_o');
    expect(safeText('x'.repeat(200), 128)).toHaveLength(128);
  });
});

describe('firewalld install script', () => {
  const plan = planFrom(lab);
  const dir = mkdtempSync(join(tmpdir(), 'sfw-fwd-'));
  afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

  /** Runs the script against a stand-in firewall-cmd that logs its arguments and remembers the permanent zones. */
  function runScript(files: readonly RenderedFile[], script: string, args: string[]): string[] {
    for (const f of files) writeFileSync(join(dir, f.path), f.content);
    const bin = join(dir, 'bin');
    execFileSync('mkdir', ['-p', bin]);
    const fake = join(bin, 'firewall-cmd');
    writeFileSync(
      fake,
      [
        '#!/bin/sh',
        // The zone file is a copy in a temporary directory: logged by its own name, its text and path kept.
        `echo "$*" | sed 's#=[^ ]*/\\([^/ ]*\\.xml\\)#=\\1#' >> ${dir}/calls`,
        `case "$*" in`,
        `  "--permanent --get-zones") cat ${dir}/zones 2>/dev/null || echo "public" ;;`,
        `  --permanent\\ --new-zone-from-file=*) echo "public scomfw" > ${dir}/zones; f=\${2#--new-zone-from-file=}; cp "$f" ${dir}/loaded.xml; echo "$f" > ${dir}/loaded-from ;;`,
        `  --permanent\\ --delete-zone=*) echo "public" > ${dir}/zones ;;`,
        'esac',
      ].join('\n'),
    );
    chmodSync(fake, 0o755);
    rmSync(join(dir, 'calls'), { force: true });
    execFileSync('sh', [join(dir, script), ...args], { env: { ...process.env, PATH: `${bin}:${process.env.PATH ?? ''}` } });
    return readFileSync(join(dir, 'calls'), 'utf8').trim().split('\n');
  }

  it('passes sh -n', () => {
    const files = firewalld.render(plan, { host: 'dmz-agents' });
    writeFileSync(join(dir, 'check.sh'), fileNamed(files, 'dmz-agents.sh'));
    execFileSync('sh', ['-n', join(dir, 'check.sh')]);
  });

  it('installs, reinstalls, closes the install-only rules and removes the zone', () => {
    const files = firewalld.render(plan, { host: 'dmz-agents' });
    rmSync(join(dir, 'zones'), { force: true });
    // firewalld refuses a zone file whose own name has a dot (INVALID_NAME): the script loads a copy named scomfw.xml
    // from a temporary directory it removes afterwards.
    const loaded = () => ({ text: readFileSync(join(dir, 'loaded.xml'), 'utf8'), copyLeft: existsSync(readFileSync(join(dir, 'loaded-from'), 'utf8').trim()) });
    expect(runScript(files, 'dmz-agents.sh', [])).toEqual(['--permanent --get-zones', '--permanent --new-zone-from-file=scomfw.xml --name=scomfw', '--reload']);
    expect(loaded()).toEqual({ text: fileNamed(files, 'dmz-agents.xml'), copyLeft: false });
    expect(runScript(files, 'dmz-agents.sh', ['apply'])).toEqual([
      '--permanent --get-zones',
      '--permanent --delete-zone=scomfw',
      '--permanent --new-zone-from-file=scomfw.xml --name=scomfw',
      '--reload',
    ]);
    expect(runScript(files, 'dmz-agents.sh', ['close-install'])).toContain('--permanent --new-zone-from-file=scomfw.xml --name=scomfw');
    expect(loaded()).toEqual({ text: fileNamed(files, 'dmz-agents.close-install.xml'), copyLeft: false });
    expect(runScript(files, 'dmz-agents.sh', ['remove'])).toEqual(['--permanent --get-zones', '--permanent --delete-zone=scomfw', '--reload']);
  });

  it('the zone binds every planned source and drops the rest of what they send', () => {
    const xml = fileNamed(firewalld.render(plan, {}), 'linux01.xml');
    expect(xml).toContain('<zone target="DROP">');
    expect(xml).toContain('<source address="10.0.1.11/32"/>');
    expect(xml).toContain('<source address="fd00:1::11/128"/>');
    expect(xml).toContain('<rule family="ipv6"><source address="fd00:1::11/128"/><port port="1270" protocol="tcp"/><accept/></rule>');
    expect(xml).toContain('<rule family="ipv6"><icmp-type name="neighbour-solicitation"/><accept/></rule>');
  });
});

// Both groups' files for the same host, in one file: nft -c and iptables-restore --test read them as one load.
const asRoot = process.getuid?.() === 0;
const hasTool = (tool: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${tool}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

describe('several management groups on one Linux host', () => {
  const groups = ['LINUXTEST', 'OTHER'];
  const rendered = (target: typeof nftables, mg: string, linuxPolicy: LinuxPolicy = 'drop-unplanned') =>
    target.render(planFrom(lab.replace('managementGroup: LINUXTEST', `managementGroup: ${mg}`)), { host: 'linux01', linuxPolicy });

  it('nftables open-only: each group has its own chains in the host table, and the two files load together', () => {
    const texts = groups.map((mg) => fileNamed(rendered(nftables, mg, 'open-only'), 'linux01.nft'));
    expect(texts.map((t) => [...new Set([...t.matchAll(/^\tchain (\w+) \{$/gm)].map((m) => m[1]))])).toEqual([
      ['scomfw_LINUXTEST', 'scomfw_LINUXTEST_install'],
      ['scomfw_OTHER', 'scomfw_OTHER_install'],
    ]);
    expect(texts[0]).not.toContain('scomfw_OTHER');
    expect(texts[1]).not.toContain('scomfw_LINUXTEST');
    if (!asRoot || !hasTool('nft')) return;
    const dir = mkdtempSync(join(tmpdir(), 'scomfw-mg-'));
    try {
      writeFileSync(join(dir, 'both.nft'), texts.join('\n'));
      execFileSync('nft', ['-c', '-f', join(dir, 'both.nft')], { stdio: 'pipe' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('nftables: each group has its own table, and the two files load together', () => {
    const texts = groups.map((mg) => fileNamed(rendered(nftables, mg), 'linux01.nft'));
    expect(texts.map((t) => /^table inet (\w+) \{$/m.exec(t)?.[1])).toEqual(['scomfw_LINUXTEST', 'scomfw_OTHER']);
    // Neither file names the other's table, so loading one never deletes the other.
    expect(texts[0]).not.toContain('scomfw_OTHER');
    expect(texts[1]).not.toContain('scomfw_LINUXTEST');
    if (!asRoot || !hasTool('nft')) {
      console.warn('skipped the nft -c check: needs root and nft');
      return;
    }
    const dir = mkdtempSync(join(tmpdir(), 'scomfw-mg-'));
    try {
      writeFileSync(join(dir, 'both.nft'), texts.join('\n'));
      execFileSync('nft', ['-c', '-f', join(dir, 'both.nft')], { stdio: 'pipe' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('iptables: each group has its own chains, and each file passes iptables-restore --test', () => {
    const texts = groups.map((mg) => fileNamed(rendered(iptables, mg), 'linux01.rules'));
    expect(texts.map((t) => [...t.matchAll(/^:(SCOMFW\S+)/gm)].map((m) => m[1]))).toEqual([
      ['SCOMFW-IN-LINUXTEST', 'SCOMFW-INST-LINUXTEST'],
      ['SCOMFW-IN-OTHER', 'SCOMFW-INST-OTHER'],
    ]);
    if (!asRoot || !hasTool('iptables-restore')) {
      console.warn('skipped the iptables-restore check: needs root and iptables');
      return;
    }
    for (const text of texts) execFileSync('iptables-restore', ['--test', '--noflush'], { input: text, stdio: ['pipe', 'pipe', 'pipe'] });
  });

  it('a long or dotted management group becomes a short tag with a hash, still a valid chain name', () => {
    const text = fileNamed(rendered(iptables, 'Contoso.Operations-Manager.Production'), 'linux01.rules');
    const chains = [...text.matchAll(/^:(SCOMFW\S+)/gm)].map((m) => m[1] ?? '');
    for (const c of chains) expect(c.length).toBeLessThanOrEqual(28);
    if (!asRoot || !hasTool('iptables-restore')) return;
    execFileSync('iptables-restore', ['--test', '--noflush'], { input: text, stdio: ['pipe', 'pipe', 'pipe'] });
  });
});

describe('phase operate: a host whose flows were all install-only', () => {
  const operate = planFrom(
    'managementGroup: X\nphase: operate\nhosts:\n  - name: ms01\n    address: 10.0.0.1\n    roles: [management-server]\n' +
      '  - name: sql\n    address: 10.0.0.3\n    roles: [operational-database]\n  - name: web01\n    address: 10.0.1.5\n    roles: [agent]\n    install: push\n',
  );

  it('is a closed host of the plan', () => {
    expect(operate.closedHosts).toEqual(['web01']);
  });

  it('nftables: gets a file that deletes the table the install ruleset made, and nothing else', () => {
    const text = fileNamed(nftables.render(operate, { host: 'web01' }), 'web01.nft');
    const statements = text.split('\n').filter((l) => l && !l.startsWith('#'));
    expect(statements).toEqual(['table inet scomfw_X {}', 'delete table inet scomfw_X']);
    if (!asRoot || !hasTool('nft')) return;
    const dir = mkdtempSync(join(tmpdir(), 'scomfw-closed-'));
    try {
      writeFileSync(join(dir, 'web01.nft'), text);
      execFileSync('nft', ['-c', '-f', join(dir, 'web01.nft')], { stdio: 'pipe' });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('open-only: the nft and iptables files empty scomfw\'s chains and leave the host\'s own rules alone', () => {
    const nft = fileNamed(nftables.render(operate, { host: 'web01', linuxPolicy: 'open-only' }), 'web01.nft');
    expect(nft.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual([
      'table inet filter {',
      '\tchain scomfw_X {',
      '\t}',
      '\tchain scomfw_X_install {',
      '\t}',
      '}',
      'flush chain inet filter scomfw_X',
      'flush chain inet filter scomfw_X_install',
    ]);
    const files = iptables.render(operate, { host: 'web01', linuxPolicy: 'open-only' });
    expect(fileNamed(files, 'web01.rules').split('\n').filter((l) => l && !l.startsWith('#'))).toEqual(['*filter', ':SCOMFW-IN-X - [0:0]', ':SCOMFW-INST-X - [0:0]', '-A SCOMFW-IN-X -j RETURN', 'COMMIT']);
    expect(fileNamed(files, 'web01.sh')).toContain('  apply) unhook ;;');
    expect(paths(files)).not.toContain('scomfw-remove-host.rules'); // it would empty INPUT
  });

  it('firewalld close-install carries the maintenance reminder the nftables and iptables close-install files carry', () => {
    const files = firewalld.render(planFrom(lab), { host: 'dmz-agents' });
    const nft = fileNamed(nftables.render(planFrom(lab), { host: 'dmz-agents' }), 'dmz-agents.close-install.nft');
    expect(nft).toContain('Maintenance is not installation');
    expect(fileNamed(files, 'dmz-agents.close-install.xml')).toContain('Maintenance is not installation');
    expect(fileNamed(files, 'dmz-agents.sh')).toContain('# Maintenance is not installation');
    expect(fileNamed(files, 'dmz-agents.xml')).not.toContain('Maintenance is not installation');
  });

  it('firewalld: gets a script that deletes zone scomfw, and no zone file', () => {
    const files = firewalld.render(operate, { host: 'web01' });
    expect(paths(files)).toEqual(['web01.sh']);
    const script = fileNamed(files, 'web01.sh');
    expect(script).toContain('apply|remove) if has_zone; then firewall-cmd --permanent --delete-zone="$zone"; fi; firewall-cmd --reload ;;');
    execFileSync('sh', ['-n'], { input: script });
  });

  it('iptables: gets files that take its chains and their jump away', () => {
    const files = iptables.render(operate, { host: 'web01' });
    for (const path of ['web01.rules', 'web01.rules6']) {
      const text = fileNamed(files, path);
      expect(text.split('\n').filter((l) => l && !l.startsWith('#'))).toEqual(['*filter', ':SCOMFW-IN-X - [0:0]', ':SCOMFW-INST-X - [0:0]', '-F INPUT', '-X SCOMFW-IN-X', '-X SCOMFW-INST-X', 'COMMIT']);
      if (asRoot && hasTool('iptables-restore')) execFileSync(path.endsWith('6') ? 'ip6tables-restore' : 'iptables-restore', ['--test', '--noflush'], { input: text, stdio: ['pipe', 'pipe', 'pipe'] });
    }
  });
});
