import { describe, expect, it } from 'vitest';
import { iptablesImporter } from '../../src/audit/importers/iptables.js';
import { nftablesImporter } from '../../src/audit/importers/nftables.js';
import { importerFor } from '../../src/audit/importers/registry.js';
import type { FirewallModel } from '../../src/audit/model.js';
import { PacketSet } from '../../src/audit/space.js';
import { IpAddress } from '../../src/net/address.js';

/** The verdict, deciding line and reason a model gives one TCP (or other) packet. */
function ask(model: FirewallModel, source: string, destination: string, port: number, protocol = 6, hook: 'input' | 'forward' = 'input') {
  const s = IpAddress.parse(source);
  const d = IpAddress.parse(destination);
  const ds = model.decide(PacketSet.point({ family: s.family, source: s.value, destination: d.value, protocol, port }), hook);
  expect(ds).toHaveLength(1);
  return { verdict: ds[0]!.verdict, line: ds[0]!.rule?.line ?? null, reason: ds[0]!.reason, text: ds[0]!.rule?.text ?? null };
}

/** An nft -j ruleset from objects, pretty-printed so that each object starts on its own line. */
function nft(...objects: Record<string, unknown>[]): string {
  return JSON.stringify({ nftables: [{ metainfo: { version: '1.0.6', json_schema_version: 1 } }, ...objects] }, null, 2);
}
const table = (family: string, name: string) => ({ table: { family, name, handle: 1 } });
const base = (family: string, t: string, name: string, hook: string, prio: number, policy: 'accept' | 'drop') => ({ chain: { family, table: t, name, handle: 1, type: 'filter', hook, prio, policy } });
const chain = (family: string, t: string, name: string) => ({ chain: { family, table: t, name, handle: 2 } });
let nextHandle = 100;
const rule = (family: string, t: string, c: string, ...expr: unknown[]) => ({ rule: { family, table: t, chain: c, handle: nextHandle++, expr } });
/** The line where the rule object with this handle starts in pretty-printed JSON (five lines above its handle). */
const ruleLine = (text: string, handle: number) => text.split('\n').findIndex((l) => l.trim() === `"handle": ${handle},`) + 1 - 5;
const handleOf = (r: { rule: { handle: number } }) => r.rule.handle;
const m = (left: unknown, right: unknown, op = '==') => ({ match: { op, left, right } });
const p = (protocol: string, field: string) => ({ payload: { protocol, field } });

function nftModel(text: string): FirewallModel {
  return nftablesImporter.parse(text, 'x.json', {})[0]!;
}


describe('nftables importer', () => {
  it('a drop in an earlier base chain of another table is final; an accept ends only its own chain', () => {
    const accept = rule('inet', 'a', 'in', m(p('tcp', 'dport'), 5723), { accept: null });
    const drop = rule('ip', 'early', 'c', m(p('ip', 'saddr'), { prefix: { addr: '10.9.0.0', len: 16 } }), { drop: null });
    const text = nft(
      table('inet', 'a'),
      base('inet', 'a', 'in', 'input', 0, 'drop'),
      accept,
      table('ip', 'early'),
      base('ip', 'early', 'c', 'input', -10, 'accept'),
      drop,
      rule('ip', 'early', 'c', m(p('tcp', 'dport'), 22), { accept: null }),
    );
    const model = nftModel(text);
    expect(ask(model, '10.9.1.1', '10.0.0.1', 5723)).toMatchObject({ verdict: 'deny', line: ruleLine(text, handleOf(drop)), text: 'ip saddr 10.9.0.0/16 drop' });
    expect(ask(model, '10.1.1.1', '10.0.0.1', 5723)).toMatchObject({ verdict: 'allow', line: ruleLine(text, handleOf(accept)) });
    // Accepted by the early chain, then dropped by chain a's policy: accept ends only its chain.
    expect(ask(model, '10.1.1.1', '10.0.0.1', 22)).toMatchObject({ verdict: 'deny', reason: 'policy drop of chain inet a in' });
    // The ip table does not see IPv6.
    expect(ask(model, 'fd00::9', 'fd00::1', 5723)).toMatchObject({ verdict: 'allow' });
  });

  it('named and anonymous sets, ranges, prefixes, negation and comparisons', () => {
    const text = nft(
      table('inet', 't'),
      { set: { family: 'inet', name: 'src', table: 't', type: 'ipv4_addr', handle: 4, flags: ['interval'], elem: [{ prefix: { addr: '10.1.0.0', len: 24 } }, { range: ['10.2.0.1', '10.2.0.9'] }, '10.3.0.1', { elem: { val: '10.4.0.1', comment: 'x' } }] } },
      { set: { family: 'inet', name: 'ports', table: 't', type: 'inet_service', handle: 5, elem: [80, { range: [8000, 8080] }] } },
      base('inet', 't', 'in', 'input', 0, 'drop'),
      rule('inet', 't', 'in', m(p('ip', 'saddr'), '@src'), m(p('tcp', 'dport'), '@ports'), { accept: null }),
      rule('inet', 't', 'in', m(p('ip', 'saddr'), { set: ['10.8.0.1', { prefix: { addr: '10.9.0.0', len: 16 } }] }), m(p('tcp', 'dport'), { set: [22, { range: [100, 200] }] }), { accept: null }),
      rule('inet', 't', 'in', m(p('ip', 'saddr'), { prefix: { addr: '10.0.0.0', len: 8 } }, '!='), m(p('tcp', 'dport'), 1024, '<'), { accept: null }),
    );
    const model = nftModel(text);
    expect(ask(model, '10.1.0.77', '1.1.1.1', 8040).verdict).toBe('allow');
    expect(ask(model, '10.2.0.10', '1.1.1.1', 8040).verdict).toBe('deny');
    expect(ask(model, '10.4.0.1', '1.1.1.1', 80).verdict).toBe('allow');
    expect(ask(model, '10.9.3.3', '1.1.1.1', 150).verdict).toBe('allow');
    expect(ask(model, '10.9.3.3', '1.1.1.1', 201).verdict).toBe('deny');
    expect(ask(model, '192.0.2.1', '1.1.1.1', 1023).verdict).toBe('allow');
    expect(ask(model, '192.0.2.1', '1.1.1.1', 1024).verdict).toBe('deny');
    expect(ask(model, '10.5.5.5', '1.1.1.1', 1000).verdict).toBe('deny');
  });

  it('jump returns to the caller, goto does not, return in a base chain takes the policy; ct state is that of a new connection', () => {
    const dropNew = rule('inet', 't', 'in', m({ ct: { key: 'state' } }, 'new'), m(p('tcp', 'dport'), { range: [1, 3] }), { drop: null });
    const text = nft(
      table('inet', 't'),
      base('inet', 't', 'in', 'input', 0, 'accept'),
      chain('inet', 't', 'sub'),
      chain('inet', 't', 'gone'),
      rule('inet', 't', 'in', m({ ct: { key: 'state' } }, ['established', 'related'], 'in'), { drop: null }),
      rule('inet', 't', 'in', m(p('tcp', 'dport'), 1), { jump: { target: 'sub' } }),
      rule('inet', 't', 'in', m(p('tcp', 'dport'), 2), { goto: { target: 'gone' } }),
      rule('inet', 't', 'in', m(p('tcp', 'dport'), 3), { return: null }),
      dropNew,
      rule('inet', 't', 'sub', { counter: { packets: 0, bytes: 0 } }, { return: null }),
      rule('inet', 't', 'gone', m(p('tcp', 'dport'), 9), { drop: null }),
    );
    const model = nftModel(text);
    expect(ask(model, '10.0.0.1', '10.0.0.2', 1)).toMatchObject({ verdict: 'deny', line: ruleLine(text, handleOf(dropNew)) });
    expect(ask(model, '10.0.0.1', '10.0.0.2', 2)).toMatchObject({ verdict: 'allow', reason: 'policy accept of chain inet t in' });
    expect(ask(model, '10.0.0.1', '10.0.0.2', 3)).toMatchObject({ verdict: 'allow', reason: 'policy accept of chain inet t in' });
  });

  it('ICMP types live in the port dimension; loopback-only rules match nothing from other hosts', () => {
    const text = nft(
      table('inet', 't'),
      base('inet', 't', 'in', 'input', 0, 'drop'),
      rule('inet', 't', 'in', m({ meta: { key: 'iif' } }, 'lo'), { accept: null }),
      rule('inet', 't', 'in', m(p('icmp', 'type'), 'echo-request'), { accept: null }),
      rule('inet', 't', 'in', m(p('icmpv6', 'type'), { set: ['echo-request', 'nd-neighbor-solicit'] }), { accept: null }),
    );
    const model = nftModel(text);
    expect(ask(model, '10.0.0.1', '10.0.0.2', 8, 1).verdict).toBe('allow');
    expect(ask(model, '10.0.0.1', '10.0.0.2', 0, 1).verdict).toBe('deny');
    expect(ask(model, 'fd00::1', 'fd00::2', 128, 58).verdict).toBe('allow');
    expect(ask(model, '10.0.0.1', '10.0.0.2', 22).verdict).toBe('deny');
  });

  it('what it does not understand is undecidable with the rule and why, for exactly the packets it could touch', () => {
    const byInterface = rule('inet', 't', 'in', m(p('tcp', 'dport'), 22), m({ meta: { key: 'iifname' } }, 'eth0'), { accept: null });
    const text = nft(
      table('inet', 't'),
      base('inet', 't', 'in', 'input', 0, 'drop'),
      byInterface,
      rule('inet', 't', 'in', m(p('udp', 'dport'), 53), { limit: { rate: 10, per: 'second' } }, { accept: null }),
      rule('inet', 't', 'in', m(p('tcp', 'dport'), 5723), { accept: null }),
    );
    const model = nftModel(text);
    expect(ask(model, '10.0.0.1', '10.0.0.2', 22)).toMatchObject({ verdict: 'undecidable', line: ruleLine(text, handleOf(byInterface)) });
    expect(ask(model, '10.0.0.1', '10.0.0.2', 22).reason).toContain('interface');
    expect(ask(model, '10.0.0.1', '10.0.0.2', 53, 17).reason).toContain("'limit'");
    expect(ask(model, '10.0.0.1', '10.0.0.2', 5723).verdict).toBe('allow');
    expect(ask(model, '10.0.0.1', '10.0.0.2', 23).verdict).toBe('deny');
  });

  it('a netdev ingress chain bound to a device cannot be placed: its drops are undecidable', () => {
    const text = nft(table('netdev', 'n'), { chain: { family: 'netdev', table: 'n', name: 'ing', handle: 1, type: 'filter', hook: 'ingress', dev: 'eth0', prio: 0, policy: 'drop' } });
    expect(ask(nftModel(text), '10.0.0.1', '10.0.0.2', 22).verdict).toBe('undecidable');
  });

  it('the forward path has its own base chains', () => {
    const text = nft(table('inet', 'f'), base('inet', 'f', 'fwd', 'forward', 0, 'drop'), rule('inet', 'f', 'fwd', m(p('tcp', 'dport'), 5723), { accept: null }));
    const model = nftModel(text);
    expect(ask(model, '10.0.0.1', '10.0.0.2', 22, 6, 'forward').verdict).toBe('deny');
    expect(ask(model, '10.0.0.1', '10.0.0.2', 5723, 6, 'forward').verdict).toBe('allow');
    expect(ask(model, '10.0.0.1', '10.0.0.2', 22, 6, 'input').verdict).toBe('allow');
  });

  it('shadowed and redundant scomfw rules are warned about', () => {
    const text = nft(
      table('inet', 'scomfw'),
      base('inet', 'scomfw', 'input', 'input', 0, 'drop'),
      rule('inet', 'scomfw', 'input', m(p('tcp', 'dport'), { range: [5723, 5724] }), { accept: null }),
      rule('inet', 'scomfw', 'input', m(p('ip', 'saddr'), '10.0.0.1'), m(p('tcp', 'dport'), 5723), { accept: null }),
      rule('inet', 'scomfw', 'input', m(p('tcp', 'dport'), 9999), { drop: null }),
    );
    const warnings = nftModel(text).warnings.map((w) => w.kind);
    expect(warnings).toEqual(['shadowed', 'redundant']);
  });
});

describe('iptables importer', () => {
  const save = (...lines: string[]) => ['# Generated by iptables-save v1.8.9 (nf_tables)', ...lines].join('\n') + '\n';
  const model = (text: string) => iptablesImporter.parse(text, 'x.rules', {})[0]!;

  it('first match, user chains with RETURN, goto, policies, negation, multiport, iprange, lines', () => {
    const text = save(
      '*filter',
      ':INPUT DROP [0:0]',
      ':FORWARD ACCEPT [0:0]',
      ':OUTPUT ACCEPT [0:0]',
      ':A - [0:0]',
      ':B - [0:0]',
      '-A INPUT -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT',
      '-A INPUT -p tcp -m tcp --dport 1 -j A',
      '-A INPUT -p tcp -m tcp --dport 2 -g B',
      '-A INPUT ! -s 10.0.0.0/8 -p tcp -m multiport --dports 80,443,8000:8080 -j ACCEPT',
      '-A INPUT -p tcp -m iprange --src-range 10.1.0.1-10.1.0.9 -m tcp --dport 22 -j ACCEPT',
      '-A INPUT -s 10.0.0.0/255.255.0.0 -p udp -m udp --dport 53 -j REJECT --reject-with icmp-port-unreachable',
      '-A INPUT -p udp -j ACCEPT',
      '-A A -s 10.5.0.0/16 -j RETURN',
      '-A A -j ACCEPT',
      '-A B -j RETURN',
      'COMMIT',
    );
    const mdl = model(text);
    expect(mdl.families).toEqual([4]);
    expect(ask(mdl, '10.5.0.1', '10.0.0.1', 1)).toMatchObject({ verdict: 'deny', line: 3, reason: 'policy drop of chain filter INPUT' });
    expect(ask(mdl, '10.6.0.1', '10.0.0.1', 1)).toMatchObject({ verdict: 'allow', line: 16 });
    expect(ask(mdl, '10.6.0.1', '10.0.0.1', 2)).toMatchObject({ verdict: 'deny', line: 3 });
    expect(ask(mdl, '192.0.2.1', '10.0.0.1', 8080)).toMatchObject({ verdict: 'allow', line: 11 });
    expect(ask(mdl, '10.0.0.9', '10.0.0.1', 8080).verdict).toBe('deny');
    expect(ask(mdl, '10.1.0.5', '10.0.0.1', 22)).toMatchObject({ verdict: 'allow', line: 12 });
    expect(ask(mdl, '10.1.0.10', '10.0.0.1', 22).verdict).toBe('deny');
    expect(ask(mdl, '10.0.3.3', '10.0.0.1', 53, 17)).toMatchObject({ verdict: 'deny', line: 13 });
    expect(ask(mdl, '10.1.3.3', '10.0.0.1', 53, 17)).toMatchObject({ verdict: 'allow', line: 14 });
  });

  it('the raw and mangle tables run before filter; an ACCEPT there ends only that table', () => {
    const text = save('*raw', ':PREROUTING ACCEPT [0:0]', ':OUTPUT ACCEPT [0:0]', '-A PREROUTING -p tcp -m tcp --dport 9 -j ACCEPT', '-A PREROUTING -s 10.9.0.0/16 -j DROP', 'COMMIT', '*filter', ':INPUT DROP [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]', '-A INPUT -p tcp -m tcp --dport 5723 -j ACCEPT', 'COMMIT');
    const mdl = model(text);
    expect(ask(mdl, '10.9.0.1', '10.0.0.1', 5723)).toMatchObject({ verdict: 'deny', line: 6 });
    expect(ask(mdl, '10.8.0.1', '10.0.0.1', 5723)).toMatchObject({ verdict: 'allow', line: 12 });
    expect(ask(mdl, '10.9.0.1', '10.0.0.1', 9)).toMatchObject({ verdict: 'deny', line: 9 });
  });

  it('ip6tables-save speaks for IPv6 only', () => {
    const text = ['# Generated by ip6tables-save v1.8.9 (nf_tables)', '*filter', ':INPUT DROP [0:0]', '-A INPUT -s fd00::/64 -p tcp -m tcp --dport 5723 -j ACCEPT', '-A INPUT -p ipv6-icmp -m icmp6 --icmpv6-type 128 -j ACCEPT', 'COMMIT', ''].join('\n');
    const mdl = model(text);
    expect(mdl.families).toEqual([6]);
    expect(ask(mdl, 'fd00::5', 'fd00::1', 5723).verdict).toBe('allow');
    expect(ask(mdl, 'fd01::5', 'fd00::1', 5723).verdict).toBe('deny');
    expect(ask(mdl, 'fd01::5', 'fd00::1', 128, 58).verdict).toBe('allow');
  });
});

describe('format detection', () => {
  it('recognises each export from its content, with or without a BOM, and --input-format forces', () => {
    expect(importerFor('\ufeff  {"nftables": []}', 'a.txt').name).toBe('nftables');
    expect(importerFor('# Generated by iptables-save\r\n*filter\r\n:INPUT ACCEPT [0:0]\r\nCOMMIT\r\n', 'a.txt').name).toBe('iptables');
    expect(importerFor('anything', 'a.txt', 'iptables').name).toBe('iptables');
    expect(() => importerFor('anything', 'a.txt', 'pf')).toThrow(/unknown input format "pf"/);
  });
});
