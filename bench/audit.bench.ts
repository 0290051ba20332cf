import { audit } from '../src/audit/engine.js';
import { iptablesImporter } from '../src/audit/importers/iptables.js';
import { nftablesImporter } from '../src/audit/importers/nftables.js';
import { catalogRevision } from '../src/catalog/index.js';
import { openingsOf } from '../src/plan/openings.js';
import { derivePlan } from '../src/plan/derive.js';
import type { Plan } from '../src/plan/types.js';
import { loadDeployment } from '../src/topology/index.js';
import { generateDeployment, toJson } from './generate.js';
import type { BenchSection } from './harness.js';

/**
 * The audit of large exports against the 15,000-agent deployment: an iptables-save of 10,000 rules and an nft -j
 * ruleset whose agent set holds 10,000 elements, both for the management server with the most agents. Each export
 * opens exactly the plan (so the work is all of the evaluation, not the reporting of findings), padded to size the
 * way real rulesets grow: one rule (or one set element) per agent address, plus rules for other ports.
 */
const agents = 15_000;
const wantedRules = 10_000;
const wantedElements = 10_000;

export async function bench(): Promise<BenchSection[]> {
  const deployment = loadDeployment(toJson(generateDeployment({ agents })), 'bench.json');
  const plan = derivePlan({ ...deployment, phase: 'install' }, catalogRevision(deployment.catalog));
  const host = busiestDestination(plan);
  const rows: (string | number)[][] = [];

  const saved = iptablesSave(plan, host);
  rows.push(measure('iptables-save', `${saved.rules.toLocaleString('en')} rules`, () => iptablesImporter.parse(saved.text, `${host}.rules`, { host }), plan, host));
  const nft = nftJson(plan, host);
  rows.push(measure('nft -j list ruleset', `${nft.elements.toLocaleString('en')} set elements`, () => nftablesImporter.parse(nft.text, `${host}.json`, { host }), plan, host));

  return Promise.resolve([
    {
      title: `audit, ${agents.toLocaleString('en')} agents (${plan.flows.length.toLocaleString('en')} flows), host ${host}`,
      columns: ['export', 'size', 'RSS MiB', 'parse ms', 'audit ms', 'total ms', 'flows checked', 'ports checked', 'error findings'],
      rows,
      notes: [
        'best of 3 runs each; parse = text to model (JSON.parse or line split included); audit = engine over every planned flow into the host and every port it opens',
        'exports open the plan (one rule or set element per agent address), padded to size with sources outside the deployment for the busiest port: one over-permissive finding each is expected',
        'shadowed rules are looked for in every chain; redundant ones only in chains of at most 1,500 rules (src/audit/model.ts)',
      ],
    },
  ]);
}

/** The TCP opening into the host with the most source addresses. */
function busiestOpening(plan: Plan, host: string): ReturnType<typeof openingsOf>['all'][number] {
  return [...openingsOf(plan).into(host)].filter((o) => o.protocol === 'tcp').sort((a, b) => Number(b.sources.count(4) - a.sources.count(4)))[0]!;
}

export function busiestDestination(plan: Plan): string {
  const counts = new Map<string, number>();
  for (const f of plan.flows) counts.set(f.destination.name, (counts.get(f.destination.name) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}

function measure(name: string, size: string, parse: () => ReturnType<typeof iptablesImporter.parse>, plan: Plan, host: string): (string | number)[] {
  let best = { parse: Infinity, audit: Infinity };
  let last: ReturnType<typeof audit> | undefined;
  for (let run = 0; run < 3; run++) {
    const t0 = performance.now();
    const models = parse();
    const t1 = performance.now();
    last = audit(
      plan,
      models.map((model) => ({ model, scope: { kind: 'host' as const, host } })),
      { phase: 'install' },
    );
    const t2 = performance.now();
    if (t1 - t0 + (t2 - t1) < best.parse + best.audit) best = { parse: t1 - t0, audit: t2 - t1 };
  }
  return [name, size, (process.memoryUsage().rss / 2 ** 20).toFixed(0), Math.round(best.parse), Math.round(best.audit), Math.round(best.parse + best.audit), last!.summary.flowsChecked, last!.summary.portsChecked, last!.summary.errors];
}

/** An iptables-save text for `host`: one rule per source range of each opening, padded with rules for TCP 9999 (not planned), to `wantedRules`. */
export function iptablesSave(plan: Plan, host: string): { text: string; rules: number } {
  const lines: string[] = [];
  for (const o of openingsOf(plan).into(host)) {
    const proto = o.protocol === 'icmp' ? '-p icmp -m icmp --icmp-type 8' : `-p ${o.protocol} -m ${o.protocol} --dport ${o.ports!.from === o.ports!.to ? o.ports!.from : `${o.ports!.from}:${o.ports!.to}`}`;
    // One rule per agent address while the budget lasts (as hand-kept rulesets grow), then one per CIDR block.
    for (const cidr of o.sources.only(4).toCidrs()) {
      const [addr = '', len = '32'] = cidr.split('/');
      const size = 2 ** (32 - Number(len));
      if (lines.length + size <= wantedRules - 100) for (let n = 0; n < size; n++) lines.push(`-A SCOMFW-IN -s ${toText(toNumber(addr) + n)}/32 ${proto} -j ACCEPT`);
      else lines.push(`-A SCOMFW-IN -s ${addr}/${len} ${proto} -j ACCEPT`);
    }
  }
  // Padding: more sources for the busiest opening, outside the deployment (one over-permissive finding).
  const busiest = busiestOpening(plan, host);
  for (let k = 0; lines.length < wantedRules; k++) lines.push(`-A SCOMFW-IN -s 100.64.${(k >> 8) & 255}.${k & 255}/32 -p tcp -m tcp --dport ${busiest.ports!.from} -j ACCEPT`);
  const text = ['# Generated by iptables-save v1.8.9 (nf_tables)', '*filter', ':INPUT DROP [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]', ':SCOMFW-IN - [0:0]', '-A INPUT -j SCOMFW-IN', ...lines, 'COMMIT', ''].join('\n');
  return { text, rules: lines.length + 1 };
}

/** An nft -j ruleset for `host`: a set per opening (single addresses, as an export of `elements = { a, b, ... }` shows them), the largest padded to `wantedElements` by splitting ranges. */
export function nftJson(plan: Plan, host: string): { text: string; elements: number } {
  const objects: object[] = [{ metainfo: { version: '1.0.6', release_name: 'Lester Gooch #5', json_schema_version: 1 } }, { table: { family: 'inet', name: 'scomfw', handle: 1 } }];
  const rules: object[] = [];
  let elements = 0;
  let handle = 10;
  const busiest = busiestOpening(plan, host);
  openingsOf(plan)
    .into(host)
    .forEach((o, k) => {
      const name = `s${k}`;
      const elem = elementsOf(o.sources.only(4).toRangeEntries(), o === busiest ? wantedElements : 0);
      // Padding: more sources for the busiest opening, outside the deployment (one over-permissive finding).
      for (let n = 0; o === busiest && elem.length < wantedElements; n++) elem.push(`100.64.${(n >> 8) & 255}.${n & 255}`);
      elements += elem.length;
      objects.push({ set: { family: 'inet', name, table: 'scomfw', type: 'ipv4_addr', handle: handle++, flags: ['interval'], elem } });
      const service =
        o.protocol === 'icmp'
          ? { match: { op: '==', left: { payload: { protocol: 'icmp', field: 'type' } }, right: 'echo-request' } }
          : { match: { op: '==', left: { payload: { protocol: o.protocol, field: 'dport' } }, right: o.ports!.from === o.ports!.to ? o.ports!.from : { range: [o.ports!.from, o.ports!.to] } } };
      rules.push({ rule: { family: 'inet', table: 'scomfw', chain: 'input', handle: handle++, expr: [{ match: { op: '==', left: { payload: { protocol: 'ip', field: 'saddr' } }, right: `@${name}` } }, service, { accept: null }] } });
    });
  objects.push({ chain: { family: 'inet', table: 'scomfw', name: 'input', handle: 2, type: 'filter', hook: 'input', prio: 0, policy: 'drop' } }, ...rules);
  return { text: JSON.stringify({ nftables: objects }), elements };
}

/** Set elements for range entries: ranges split into single addresses while `budget` allows, the rest as nft writes ranges. */
function elementsOf(entries: readonly string[], budget: number): unknown[] {
  const out: unknown[] = [];
  for (const e of entries) {
    const [a, b] = e.split('-');
    if (e.includes('/')) {
      const [addr = '', len = '32'] = e.split('/');
      const lo = toNumber(addr);
      const hi = lo + 2 ** (32 - Number(len)) - 1;
      if (out.length + (hi - lo + 1) <= budget) for (let n = lo; n <= hi; n++) out.push(toText(n));
      else out.push({ prefix: { addr, len: Number(len) } });
    } else if (b === undefined) out.push(a);
    else {
      const lo = toNumber(a!);
      const hi = toNumber(b);
      if (out.length + (hi - lo + 1) <= budget) for (let n = lo; n <= hi; n++) out.push(toText(n));
      else out.push({ range: [a, b] });
    }
  }
  return out;
}

const toNumber = (t: string) => t.split('.').reduce((n, o) => n * 256 + Number(o), 0);
const toText = (n: number) => `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
