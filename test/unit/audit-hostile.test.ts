import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

/**
 * Hostile and broken nftables and iptables exports: each must end in exit 2 with file:line and a hint, or in an
 * undecidable finding (exit 1) — never a crash (exit 3) and never a clean audit.
 */

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'audit');
const nftJson = readFileSync(join(fixtures, 'sql01.json'), 'utf8');
const nftPretty = readFileSync(join(fixtures, 'sql01.pretty.json'), 'utf8');
const saved = readFileSync(join(fixtures, 'sql01.rules'), 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'scomfw-audit-hostile-'));
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

/** The fixture with its first rule object's expression list replaced (a rule of chain input). */
function nftWithFirstRule(expr: string): string {
  const doc = JSON.parse(nftJson) as { nftables: Record<string, { chain?: string; expr?: unknown }>[] };
  const rule = doc.nftables.find((o) => o['rule']?.chain === 'input')!['rule']!;
  rule.expr = JSON.parse(expr);
  return JSON.stringify(doc, null, 2);
}

function nftEdit(edit: (doc: { nftables: Record<string, Record<string, unknown>>[] }) => void): string {
  const doc = JSON.parse(nftJson) as { nftables: Record<string, Record<string, unknown>>[] };
  edit(doc);
  return JSON.stringify(doc, null, 2);
}

const firstChainRule = (doc: { nftables: Record<string, Record<string, unknown>>[] }) => doc.nftables.find((o) => o['rule']?.['chain'] === 'input')!['rule']!;

interface Case {
  readonly name: string;
  readonly file: string;
  readonly text: string;
  /** 'input': exit 2 with this line (file:LINE:) and a hint; 'undecidable': exit 1 with an undecidable finding at this line. */
  readonly expect: { readonly kind: 'input'; readonly line: number; readonly says?: RegExp } | { readonly kind: 'undecidable'; readonly line?: number };
}

const cases: Case[] = [
  { name: 'nft: truncated JSON', file: 'sql01.json', text: nftPretty.slice(0, 3000), expect: { kind: 'input', line: nftPretty.slice(0, 3000).split('\n').length, says: /not valid JSON/ } },
  { name: 'nft: compact JSON cut mid-rule', file: 'sql01.json', text: nftJson.slice(0, 2800), expect: { kind: 'input', line: 1, says: /not valid JSON/ } },
  { name: 'nft: "nftables" is not a list', file: 'sql01.json', text: '{"nftables": 5}', expect: { kind: 'input', line: 1, says: /"nftables" list/ } },
  { name: 'nft: an item is a string', file: 'sql01.json', text: '{"nftables": [\n"table"\n]}', expect: { kind: 'input', line: 2, says: /not an object/ } },
  { name: 'nft: the text form (nft list ruleset without -j)', file: 'sql01.nft', text: 'table inet scomfw {\n\tchain input {\n\t}\n}\n', expect: { kind: 'input', line: 1, says: /not recognised/ } },
  {
    name: 'nft: an unknown expression (osf)',
    file: 'sql01.json',
    text: nftWithFirstRule('[{"match": {"op": "==", "left": {"osf": {"key": "name"}}, "right": "Linux"}}, {"accept": null}]'),
    expect: { kind: 'undecidable' },
  },
  { name: 'nft: an unknown statement (queue)', file: 'sql01.json', text: nftWithFirstRule('[{"queue": {"num": 1}}]'), expect: { kind: 'undecidable' } },
  {
    name: 'nft: a huge port number',
    file: 'sql01.json',
    text: nftWithFirstRule('[{"match": {"op": "==", "left": {"payload": {"protocol": "tcp", "field": "dport"}}, "right": 1e300}}, {"accept": null}]'),
    expect: { kind: 'input', line: 0, says: /not a value from 0 to 65535/ },
  },
  {
    name: 'nft: a prefix length of 99',
    file: 'sql01.json',
    text: nftWithFirstRule('[{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": {"prefix": {"addr": "10.0.0.0", "len": 99}}}}, {"accept": null}]'),
    expect: { kind: 'input', line: 0, says: /prefix/ },
  },
  { name: 'nft: a jump to a chain that does not exist', file: 'sql01.json', text: nftWithFirstRule('[{"jump": {"target": "nowhere"}}]'), expect: { kind: 'input', line: 0, says: /nowhere/ } },
  { name: 'nft: a set that is not declared', file: 'sql01.json', text: nftWithFirstRule('[{"match": {"op": "==", "left": {"payload": {"protocol": "ip", "field": "saddr"}}, "right": "@ghost"}}, {"accept": null}]'), expect: { kind: 'input', line: 0, says: /@ghost/ } },
  {
    name: 'nft: a rule of an undeclared chain',
    file: 'sql01.json',
    text: nftEdit((doc) => {
      firstChainRule(doc)['chain'] = 'ghost';
    }),
    expect: { kind: 'input', line: 0, says: /ghost/ },
  },
  {
    name: 'nft: a policy that is neither accept nor drop',
    file: 'sql01.json',
    text: nftEdit((doc) => {
      doc.nftables.find((o) => o['chain']?.['name'] === 'input')!['chain']!['policy'] = 'maybe';
    }),
    expect: { kind: 'input', line: 0, says: /policy/ },
  },
  {
    name: 'nft: a priority that is a string',
    file: 'sql01.json',
    text: nftEdit((doc) => {
      doc.nftables.find((o) => o['chain']?.['name'] === 'input')!['chain']!['prio'] = 'filter';
    }),
    expect: { kind: 'input', line: 0, says: /prio/ },
  },
  { name: 'nft: BOM and CRLF around an unknown expression', file: 'sql01.json', text: `\ufeff${nftWithFirstRule('[{"match": {"op": "==", "left": {"rt": {"key": "mtu"}}, "right": 1500}}, {"accept": null}]').replace(/\n/g, '\r\n')}`, expect: { kind: 'undecidable' } },
  { name: 'nft: BOM, CRLF and truncated', file: 'sql01.json', text: `\ufeff${nftPretty.replace(/\n/g, '\r\n').slice(0, 900)}`, expect: { kind: 'input', line: nftPretty.replace(/\n/g, '\r\n').slice(0, 900).split('\n').length, says: /not valid JSON/ } },
  { name: 'nft: 100,000 nested lists', file: 'sql01.json', text: `{"nftables": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`, expect: { kind: 'input', line: 1 } },
  { name: 'empty file', file: 'sql01.json', text: '', expect: { kind: 'input', line: 1, says: /not recognised/ } },
  { name: 'binary garbage', file: 'sql01.rules', text: '\u0000\u0001\u0002\u00ff\ufffd'.repeat(50), expect: { kind: 'input', line: 1, says: /not recognised/ } },
  { name: 'iptables: cut off before COMMIT', file: 'sql01.rules', text: saved.split('COMMIT')[0]!, expect: { kind: 'input', line: saved.split('COMMIT')[0]!.split('\n').length, says: /without COMMIT/ } },
  { name: 'iptables: an unknown table', file: 'sql01.rules', text: saved.replace('*filter', '*filter\nCOMMIT\n*bogus'), expect: { kind: 'input', line: 0, says: /unknown table "bogus"/ } },
  { name: 'iptables: a quote never closed', file: 'sql01.rules', text: saved.replace('manage this host" -j ACCEPT', 'manage this host -j ACCEPT'), expect: { kind: 'input', line: 0, says: /quoted word is not closed/ } },
  { name: 'iptables: a port of 70000', file: 'sql01.rules', text: saved.replace('--dport 1433', '--dport 70000'), expect: { kind: 'input', line: 0, says: /70000/ } },
  { name: 'iptables: a rule for an undeclared chain', file: 'sql01.rules', text: saved.replace('-A SCOMFW-IN -m conntrack', '-A GHOST -m conntrack'), expect: { kind: 'input', line: 0, says: /GHOST/ } },
  { name: 'iptables: an unknown match module (osf)', file: 'sql01.rules', text: saved.replace('-A SCOMFW-IN -m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', '-A SCOMFW-IN -m osf --genre Linux -j ACCEPT'), expect: { kind: 'undecidable' } },
  { name: 'iptables: a DNAT in nat PREROUTING', file: 'sql01.rules', text: `*nat\n:PREROUTING ACCEPT [0:0]\n:INPUT ACCEPT [0:0]\n:OUTPUT ACCEPT [0:0]\n:POSTROUTING ACCEPT [0:0]\n-A PREROUTING -p tcp -m tcp --dport 1433 -j DNAT --to-destination 10.9.9.9:1433\nCOMMIT\n${saved}`, expect: { kind: 'undecidable', line: 6 } },
  { name: 'iptables: an IPv6 address in an iptables-save file', file: 'sql01.rules', text: saved.replace('-s 10.1.0.10/32 -p tcp -m tcp --dport 1433', '-s fd00::1/128 -p tcp -m tcp --dport 1433'), expect: { kind: 'input', line: 0, says: /IPv6 address in an IPv4 export/ } },
  { name: 'iptables: an unknown protocol', file: 'sql01.rules', text: saved.replace('-p tcp -m tcp --dport 1433', '-p foo --dport 1433'), expect: { kind: 'input', line: 0, says: /unknown protocol/ } },
  { name: 'iptables: a mask that is not a prefix', file: 'sql01.rules', text: saved.replace('-s 10.1.0.10/32 -p tcp -m tcp --dport 1433', '-s 10.1.0.0/255.0.255.0 -p tcp -m tcp --dport 1433'), expect: { kind: 'undecidable' } },
  { name: 'iptables: CRLF and BOM with a chain line in another language', file: 'sql01.rules', text: `\ufeff${saved.replace(':INPUT ACCEPT [0:0]', ':INPUT AKZEPTIEREN [0:0]').replace(/\n/g, '\r\n')}`, expect: { kind: 'input', line: 3, says: /policy "AKZEPTIEREN"/ } },
  { name: 'iptables: an interface match that cannot be placed', file: 'sql01.rules', text: saved.replace('-A SCOMFW-IN -i lo -j ACCEPT', '-A SCOMFW-IN -i eth0 -j ACCEPT'), expect: { kind: 'undecidable' } },
];

/** The line the case's change is on, for expectations written as line 0 ("wherever the broken part is"). */
function brokenLine(c: Case, stderr: string): number {
  const m = new RegExp(`${c.file.replace('.', '\\.')}:(\\d+):\\d+:`).exec(stderr);
  return m ? Number(m[1]) : -1;
}

describe('hostile and broken exports', () => {
  it(`has at least 25 cases (${cases.length})`, () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  for (const c of cases) {
    it(c.name, async () => {
      const sub = mkdtempSync(join(dir, 'case-'));
      const path = join(sub, c.file);
      writeFileSync(path, c.text);
      const r = await runCli(['audit', 'examples/minimal.yaml', path, '--format', 'json']);
      expect(r.code, r.stderr).not.toBe(3);
      expect(r.code, `${r.stdout}${r.stderr}`).not.toBe(0);
      if (c.expect.kind === 'input') {
        expect(r.code, r.stdout).toBe(2);
        const line = brokenLine(c, r.stderr);
        expect(line, r.stderr).toBeGreaterThan(0);
        if (c.expect.line > 0) expect(line, r.stderr).toBe(c.expect.line);
        expect(r.stderr).toContain('Hint:');
        if (c.expect.says) expect(r.stderr).toMatch(c.expect.says);
      } else {
        expect(r.code, r.stderr).toBe(1);
        const doc = JSON.parse(r.stdout) as { findings: { kind: string; rule: { line: number } | null }[] };
        const undecidable = doc.findings.filter((f) => f.kind === 'undecidable');
        expect(undecidable.length, r.stdout).toBeGreaterThan(0);
        expect(undecidable.every((f) => f.rule !== null)).toBe(true);
        if (c.expect.line) expect(undecidable.map((f) => f.rule!.line)).toContain(c.expect.line);
      }
    });
  }
});
