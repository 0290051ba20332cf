import type { Family } from '../../net/address.js';
import { scanJson } from '../../topology/json-scan.js';
import { allMustAllow, ruleText, type Decision, type FirewallModel, type Importer, type ModelWarning, type RuleRef } from '../model.js';
import { maxPort, maxProtocol, PacketSet, type Interval } from '../space.js';
import { and, chainDecider, chainWarnings, no, not, unknownWithin, yes, type Action, type ChainDef, type ChainRule, type Cond } from './chains.js';
import { addressInterval, icmpTypes, icmpv6Types, inputError, interval, LineIndex, portProtocols, positionAt, protocolByName, withoutBom } from './common.js';

/**
 * nftables, from `nft -j list ruleset` (libnftables-json(5)). Every base chain on the packet's path (ingress,
 * prerouting, then input, or forward) is evaluated in hook and priority order: a drop or reject anywhere is final,
 * an accept ends only its own chain, and a packet must pass every base chain (or its policy) to be accepted.
 * jump/goto/return, named and anonymous sets, ct state and policies are followed. The audit models the first packet
 * of a new connection: `ct state established,related` matches nothing, `ct state new` matches everything.
 * Any expression not understood makes the packets the rule could touch undecidable, with the rule's position.
 */
export const nftablesImporter: Importer = {
  name: 'nftables',
  description: 'nftables: the JSON of `nft -j list ruleset`',
  detect(text) {
    const head = withoutBom(text).trimStart().slice(0, 400);
    return head.startsWith('{') && /"nftables"\s*:/.test(head);
  },
  parse(text, fileName, options) {
    return [parseRuleset(withoutBom(text), fileName, options.host)];
  },
};

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
type Obj = { [k: string]: Json };

interface Chain extends ChainDef {
  readonly key: string;
  readonly family: string;
  readonly table: string;
  readonly name: string;
  readonly hook?: string;
  readonly prio?: number;
  readonly rules: ChainRule[];
}

interface NamedSet {
  readonly type: Json;
  readonly elem: Json[];
}

const all = PacketSet.all;
const none = PacketSet.empty;

/** Families the kernel passes through a table of each family; bridge and arp tables never see routed IP packets. */
const tableUniverse: Readonly<Record<string, PacketSet | undefined>> = {
  ip: PacketSet.family(4),
  ip6: PacketSet.family(6),
  inet: all,
  netdev: all,
};

/** The base-chain hooks on each path, in the order the kernel runs them. */
const pathHooks: Readonly<Record<'input' | 'forward', readonly string[]>> = {
  input: ['ingress', 'prerouting', 'input'],
  forward: ['ingress', 'prerouting', 'forward', 'postrouting'],
};


function parseRuleset(text: string, fileName: string, host: string | undefined): FirewallModel {
  const lines = new LineIndex(text);
  const offsets: number[] = [];
  let document: Json;
  try {
    document = JSON.parse(text) as Json;
  } catch {
    const { error } = scanJson(text);
    const at = error ? positionAt(fileName, lines, error.offset) : { file: fileName, line: 1, column: 1 };
    throw inputError(`the nftables export is not valid JSON${error ? `: expected ${error.expected}` : ''}`, at, 'export it again with `nft -j list ruleset > FILE` and copy the whole file');
  }
  scanJson(text, (path, o) => {
    if (path.length === 2 && path[0] === 'nftables' && typeof path[1] === 'number') {
      offsets[path[1]] = o.value;
      return false;
    }
    return path.length < 2;
  });
  if (!isObj(document) || !Array.isArray(document['nftables'])) {
    throw inputError('expected an object with an "nftables" list', { file: fileName, line: 1, column: 1 }, 'this is what `nft -j list ruleset` prints; `nft list ruleset` without -j is not supported');
  }
  const items = document['nftables'];
  const at = (i: number) => ({ file: fileName, ...lines.at(offsets[i] ?? 0) });
  const refAt = (i: number, textOf: string): RuleRef => ({ export: fileName, ...lines.at(offsets[i] ?? 0), text: ruleText(textOf) });

  const sets = new Map<string, NamedSet>();
  const chains = new Map<string, Chain>();
  const tables = new Set<string>();
  const pendingRules: { i: number; rule: Obj }[] = [];
  items.forEach((item, i) => {
    if (!isObj(item)) throw inputError(`item ${i} of the "nftables" list is not an object`, at(i), 'each item is one object such as {"rule": {...}}');
    const [kind] = Object.keys(item);
    const body = kind !== undefined ? item[kind] : undefined;
    if (kind === 'metainfo' || kind === undefined) return;
    if (!isObj(body)) throw inputError(`"${kind}" must hold an object`, at(i), 'compare with the output of `nft -j list ruleset`');
    const family = str(body['family']);
    const table = kind === 'table' ? str(body['name']) : str(body['table']);
    if (kind === 'table') {
      if (!family || !table) throw inputError('a table needs "family" and "name"', at(i), 'compare with the output of `nft -j list ruleset`');
      tables.add(`${family} ${table}`);
    } else if (kind === 'set' || kind === 'map') {
      const name = str(body['name']);
      if (!family || !table || !name) throw inputError(`a ${kind} needs "family", "table" and "name"`, at(i), 'compare with the output of `nft -j list ruleset`');
      const elem = body['elem'];
      if (elem !== undefined && !Array.isArray(elem)) throw inputError(`the elements of set ${name} must be a list`, at(i), '"elem": [ ... ]');
      // A map used as a plain set is not a filter the audit reads; keep its type so that a lookup of it is undecidable.
      sets.set(`${family} ${table} ${name}`, { type: kind === 'map' ? 'map' : (body['type'] ?? null), elem: elem ?? [] });
    } else if (kind === 'chain') {
      chains.set(...chainOf(body, family, table, i));
    } else if (kind === 'rule') {
      pendingRules.push({ i, rule: body });
    }
  });

  function chainOf(body: Obj, family: string | undefined, table: string | undefined, i: number): [string, Chain] {
    const name = str(body['name']);
    if (!family || !table || !name) throw inputError('a chain needs "family", "table" and "name"', at(i), 'compare with the output of `nft -j list ruleset`');
    const hook = str(body['hook']);
    const prio = body['prio'];
    const policy = body['policy'] ?? 'accept';
    if (hook !== undefined && (typeof prio !== 'number' || !Number.isSafeInteger(prio))) {
      throw inputError(`base chain ${name} has no integer "prio"`, at(i), 'nft -j prints the priority as a number, e.g. "prio": 0');
    }
    if (policy !== 'accept' && policy !== 'drop') throw inputError(`chain ${name} has policy ${JSON.stringify(policy)}`, at(i), 'a policy is "accept" or "drop"');
    const key = `${family} ${table} ${name}`;
    const text = hook ? `chain ${family} ${table} ${name} { type ${str(body['type']) ?? 'filter'} hook ${hook} priority ${prio as number}; policy ${policy}; }` : `chain ${family} ${table} ${name}`;
    const device = str(body['dev']);
    return [
      key,
      {
        key,
        family,
        table,
        name,
        label: `${family} ${table} ${name}`,
        universe: tableUniverse[family] ?? PacketSet.empty,
        ref: refAt(i, text),
        ...(hook ? { hook, prio: prio as number, policy } : {}),
        ...(device ? { device } : {}),
        rules: [],
      },
    ];
  }

  for (const { i, rule } of pendingRules) {
    const family = str(rule['family']);
    const table = str(rule['table']);
    const chainName = str(rule['chain']);
    const expr = rule['expr'];
    if (!family || !table || !chainName || !Array.isArray(expr)) {
      throw inputError('a rule needs "family", "table", "chain" and an "expr" list', at(i), 'compare with the output of `nft -j list ruleset`');
    }
    const chain = chains.get(`${family} ${table} ${chainName}`);
    if (!chain) throw inputError(`rule for chain ${chainName}, which the export does not declare`, at(i), 'export the whole ruleset (`nft -j list ruleset`), not one table or chain');
    const comment = str(rule['comment']);
    const ref = refAt(i, `${expr.map(formatExpr).join(' ')}${comment ? ` comment "${comment}"` : ''}`);
    const ctx: Ctx = { family, table, sets, fail: (message, hint) => inputError(message, at(i), hint) };
    chain.rules.push(compileRule(expr, ctx, ref));
  }
  for (const chain of chains.values()) {
    for (const r of chain.rules) {
      if ((r.action.kind === 'jump' || r.action.kind === 'goto') && !chains.has(`${chain.family} ${chain.table} ${r.action.target}`)) {
        throw inputError(`${r.action.kind} to chain ${r.action.target}, which table ${chain.table} does not have`, { file: fileName, line: r.ref.line, column: r.ref.column ?? 1 }, 'export the whole ruleset with `nft -j list ruleset`');
      }
    }
  }
  const decide = (query: PacketSet, hook: 'input' | 'forward' = 'input'): Decision[] => {
    const filters = baseChainsOn(chains, hook).map((c) => chainDecider(c, (target) => chains.get(`${c.family} ${c.table} ${target}`)!));
    if (filters.length === 0) return [{ space: query, verdict: 'allow', rule: null, reason: `no base chain on the ${hook} path, so nftables accepts` }];
    return allMustAllow(filters)(query);
  };
  return {
    platform: 'nftables',
    export: fileName,
    ...(host ? { host } : {}),
    families: [4, 6],
    hooks: ['input', 'forward'],
    decide,
    warnings: warningsOf(chains),
  };
}

function baseChainsOn(chains: ReadonlyMap<string, Chain>, hook: 'input' | 'forward'): Chain[] {
  const order = pathHooks[hook];
  return [...chains.values()]
    .filter((c) => c.hook !== undefined && order.includes(c.hook) && tableUniverse[c.family] !== undefined)
    .sort((a, b) => order.indexOf(a.hook!) - order.indexOf(b.hook!) || a.prio! - b.prio!);
}

/** Shadowed and redundant rules of scomfw's own tables (named scomfw…). */
function warningsOf(chains: ReadonlyMap<string, Chain>): ModelWarning[] {
  return [...chains.values()].filter((c) => c.table.startsWith('scomfw')).flatMap((c) => chainWarnings(c, () => true));
}

// ------------------------------------------------------------------------------------------------------------------
// Rules and expressions

interface Ctx {
  readonly family: string;
  readonly table: string;
  readonly sets: ReadonlyMap<string, NamedSet>;
  fail(message: string, hint: string): Error;
}

/** Statements that neither match nor decide: the packet goes on. */
const passiveStatements = new Set(['counter', 'log', 'mangle', 'meta', 'comment']);

function compileRule(expr: Json[], ctx: Ctx, ref: RuleRef): ChainRule {
  let cond: Cond = yes;
  for (const item of expr) {
    if (!isObj(item)) throw ctx.fail('an expression of the rule is not an object', 'each "expr" item is an object such as {"accept": null}');
    const [key] = Object.keys(item);
    if (key === undefined) throw ctx.fail('an expression of the rule is empty', 'each "expr" item is an object such as {"accept": null}');
    const body = item[key]!;
    switch (key) {
      case 'match':
        cond = and(cond, matchCond(body, ctx));
        break;
      case 'accept':
        return { cond, action: { kind: 'accept' }, ref };
      case 'drop':
      case 'reject':
        return { cond, action: { kind: 'drop' }, ref };
      case 'return':
        return { cond, action: { kind: 'return' }, ref };
      case 'continue':
        return { cond, action: { kind: 'continue' }, ref };
      case 'jump':
      case 'goto': {
        const target = isObj(body) ? str(body['target']) : undefined;
        if (!target) throw ctx.fail(`${key} without a "target" chain`, `write {"${key}": {"target": "CHAIN"}}`);
        const action: Action = { kind: key, target };
        return { cond, action, ref };
      }
      default:
        if (passiveStatements.has(key)) break;
        // limit, quota, queue, nat, notrack, vmap, xt and anything newer: the rule's effect is not known.
        cond = and(cond, unknownWithin(all, `expression '${key}' not understood`));
    }
  }
  return { cond, action: { kind: 'continue' }, ref };
}

function matchCond(body: Json, ctx: Ctx): Cond {
  if (!isObj(body) || !('left' in body) || !('right' in body)) throw ctx.fail('a "match" needs "left", "right" and "op"', 'e.g. {"match": {"op": "==", "left": {...}, "right": ...}}');
  const op = str(body['op']) ?? '==';
  const positive = positiveCond(body['left'], body['right'], op, ctx);
  if (op === '!=') return not(positive);
  return positive;
}

/** What `left op right` matches, with != handled by the caller; comparisons (<, >) on numbers become intervals. */
function positiveCond(left: Json, right: Json, op: string, ctx: Ctx): Cond {
  if (!['==', '!=', 'in', '<', '>', '<=', '>='].includes(op)) return unknownWithin(all, `operator '${op}' not understood`);
  if (isObj(left) && isObj(left['payload'])) return payloadCond(left['payload'], right, op, ctx);
  if (isObj(left) && isObj(left['meta'])) return metaCond(str(left['meta']['key']) ?? '', right, op, ctx);
  if (isObj(left) && isObj(left['ct'])) return ctCond(str(left['ct']['key']) ?? '', right, op);
  const name = isObj(left) ? (Object.keys(left)[0] ?? 'expression') : 'expression';
  return unknownWithin(all, `match on '${name}' not understood`);
}

function payloadCond(p: Obj, right: Json, op: string, ctx: Ctx): Cond {
  const protocol = str(p['protocol']);
  const field = str(p['field']);
  if (!protocol || !field) return unknownWithin(all, 'raw payload match not understood');
  if ((protocol === 'ip' || protocol === 'ip6') && (field === 'saddr' || field === 'daddr')) {
    const family: Family = protocol === 'ip' ? 4 : 6;
    const side = field === 'saddr' ? 'sources' : 'destinations';
    const values = valuesOf(right, `ipv${family}_addr`, ctx);
    if (values === undefined || op.startsWith('<') || op.startsWith('>')) return unknownWithin(PacketSet.family(family), `${protocol} ${field} ${formatValue(right)} not understood`);
    return { match: PacketSet.product({ family, [side]: values }), unknown: none };
  }
  if ((protocol === 'ip' && field === 'protocol') || (protocol === 'ip6' && field === 'nexthdr')) {
    const family: Family = protocol === 'ip' ? 4 : 6;
    const values = numeric(right, 'inet_proto', op, maxProtocol, ctx);
    if (values === undefined) return unknownWithin(PacketSet.family(family), `${protocol} ${field} ${formatValue(right)} not understood`);
    return { match: PacketSet.product({ family, protocols: values }), unknown: none };
  }
  const l4 = protocol === 'th' ? portProtocols : protocolByName[protocol] !== undefined ? [protocolByName[protocol]] : undefined;
  if (l4 && field === 'dport') {
    const values = numeric(right, 'inet_service', op, maxPort, ctx);
    const scope = PacketSet.product({ protocols: l4.map((n) => interval(n)) });
    if (values === undefined) return unknownWithin(scope, `${protocol} dport ${formatValue(right)} not understood`);
    return { match: PacketSet.product({ protocols: l4.map((n) => interval(n)), ports: values }), unknown: none };
  }
  if ((protocol === 'icmp' || protocol === 'icmpv6') && field === 'type') {
    const n = protocol === 'icmp' ? 1 : 58;
    const values = numeric(right, protocol === 'icmp' ? 'icmp_type' : 'icmpv6_type', op, 255, ctx);
    const scope = PacketSet.product({ protocols: [interval(n)] });
    if (values === undefined) return unknownWithin(scope, `${protocol} type ${formatValue(right)} not understood`);
    return { match: PacketSet.product({ protocols: [interval(n)], ports: values }), unknown: none };
  }
  // Any other header field: not modelled, so undecidable for the packets that have that header.
  if (protocol === 'ip' || protocol === 'ip6') return unknownWithin(PacketSet.family(protocol === 'ip' ? 4 : 6), `${protocol} ${field} not understood`);
  if (l4) return unknownWithin(PacketSet.product({ protocols: l4.map((n) => interval(n)) }), `${protocol} ${field} not understood`);
  return unknownWithin(all, `${protocol} ${field} not understood`);
}

function metaCond(key: string, right: Json, op: string, ctx: Ctx): Cond {
  if (key === 'l4proto') {
    const values = numeric(right, 'inet_proto', op, maxProtocol, ctx);
    if (values === undefined) return unknownWithin(all, `meta l4proto ${formatValue(right)} not understood`);
    return { match: PacketSet.product({ protocols: values }), unknown: none };
  }
  if (key === 'nfproto') {
    const names = flatStrings(right);
    if (!names) return unknownWithin(all, `meta nfproto ${formatValue(right)} not understood`);
    return { match: PacketSet.unionAll(names.map((n) => (n === 'ipv4' ? PacketSet.family(4) : n === 'ipv6' ? PacketSet.family(6) : none))), unknown: none };
  }
  if (key === 'iif' || key === 'iifname') {
    // Packets from other hosts never arrive on the loopback interface; any other interface may or may not be theirs.
    const names = flatStrings(right);
    if (names && names.length > 0 && names.every((n) => n === 'lo') && op !== '<' && op !== '>') return no;
    return unknownWithin(all, `meta ${key} ${formatValue(right)}: the audit does not know which interface a packet arrives on`);
  }
  return unknownWithin(all, `meta ${key} not understood`);
}

function ctCond(key: string, right: Json, op: string): Cond {
  if (key !== 'state' || op.startsWith('<') || op.startsWith('>')) return unknownWithin(all, `ct ${key} not understood`);
  const states = flatStrings(right);
  if (!states) return unknownWithin(all, `ct state ${formatValue(right)} not understood`);
  // The audit asks about the first packet of a connection, whose state is new.
  return states.includes('new') ? yes : no;
}

/** Strings of a value, a list or an anonymous set; undefined when anything else is in it. */
function flatStrings(v: Json): string[] | undefined {
  if (typeof v === 'string') return [v];
  const list = Array.isArray(v) ? v : isObj(v) && Array.isArray(v['set']) ? v['set'] : undefined;
  if (!list) return undefined;
  const out: string[] = [];
  for (const x of list) {
    if (typeof x !== 'string') return undefined;
    out.push(x);
  }
  return out;
}

/** Address intervals of a right-hand side (address, prefix, range, set, @named set); undefined = not understood. */
function valuesOf(v: Json, type: 'ipv4_addr' | 'ipv6_addr', ctx: Ctx): Interval[] | undefined {
  const family: Family = type === 'ipv4_addr' ? 4 : 6;
  const out: Interval[] = [];
  const add = (x: Json): boolean => {
    if (typeof x === 'string') {
      if (x.startsWith('@')) {
        const set = ctx.sets.get(`${ctx.family} ${ctx.table} ${x.slice(1)}`);
        if (!set) throw ctx.fail(`the rule uses set ${x}, which the export does not declare`, 'export the whole ruleset with `nft -j list ruleset`');
        if (set.type !== type) return false;
        return set.elem.every(add);
      }
      try {
        const a = addressInterval(x);
        if (a.family !== family) throw ctx.fail(`"${x}" is not an IPv${family} address`, 'an address of the family the match names');
        out.push(a.interval);
        return true;
      } catch (e) {
        if (e instanceof Error && e.name === 'UserError') throw e;
        throw ctx.fail(`"${x}" is not an address`, 'nft -j writes addresses as "10.0.0.1", prefixes as {"prefix": {...}} and ranges as {"range": [a, b]}');
      }
    }
    if (Array.isArray(x)) return x.every(add);
    if (!isObj(x)) return false;
    if (isObj(x['prefix'])) {
      const addr = str(x['prefix']['addr']);
      const len = x['prefix']['len'];
      if (!addr || typeof len !== 'number' || !Number.isInteger(len) || len < 0 || len > (family === 4 ? 32 : 128)) {
        throw ctx.fail(`a prefix needs "addr" and a "len" from 0 to ${family === 4 ? 32 : 128}`, 'e.g. {"prefix": {"addr": "10.0.0.0", "len": 8}}');
      }
      const lo = addressInterval(addr);
      if (lo.family !== family) throw ctx.fail(`"${addr}" is not an IPv${family} address`, 'an address of the family the match names');
      const host = BigInt((family === 4 ? 32 : 128) - len);
      const base = (lo.interval.lo >> host) << host;
      out.push({ lo: base, hi: base + (1n << host) - 1n });
      return true;
    }
    if (Array.isArray(x['range']) && x['range'].length === 2) {
      const [a, b] = x['range'].map((e) => (typeof e === 'string' ? addressInterval(e) : undefined));
      if (!a || !b || a.family !== family || b.family !== family || a.interval.lo > b.interval.hi) throw ctx.fail('an address range needs two addresses of one family, low first', 'e.g. {"range": ["10.0.0.1", "10.0.0.9"]}');
      out.push({ lo: a.interval.lo, hi: b.interval.hi });
      return true;
    }
    if (Array.isArray(x['set'])) return x['set'].every(add);
    if (isObj(x['elem'])) return add(x['elem']['val'] ?? null);
    return false;
  };
  return add(v) ? out : undefined;
}

const serviceNames: Readonly<Record<string, number>> = { ssh: 22, http: 80, https: 443, domain: 53, smtp: 25, 'ms-sql-s': 1433, 'microsoft-ds': 445, 'netbios-ns': 137, epmap: 135, snmp: 161, 'snmp-trap': 162, syslog: 514 };

/** Numeric intervals (ports, protocols, ICMP types) of a right-hand side, comparisons included. */
function numeric(v: Json, type: string, op: string, max: number, ctx: Ctx): Interval[] | undefined {
  const out: Interval[] = [];
  const one = (x: Json): number | undefined => {
    if (typeof x === 'number') {
      if (!Number.isInteger(x) || x < 0 || x > max) throw ctx.fail(`${x} is not a value from 0 to ${max}`, 'ports are 0-65535, protocols and ICMP types 0-255');
      return x;
    }
    if (typeof x !== 'string') return undefined;
    if (/^\d+$/.test(x)) return one(Number(x));
    if (type === 'inet_proto') return protocolByName[x] !== undefined && protocolByName[x] >= 0 ? protocolByName[x] : undefined;
    if (type === 'inet_service') return serviceNames[x];
    if (type === 'icmp_type') return icmpTypes[x];
    if (type === 'icmpv6_type') return icmpv6Types[x];
    return undefined;
  };
  const add = (x: Json): boolean => {
    if (typeof x === 'string' && x.startsWith('@')) {
      const set = ctx.sets.get(`${ctx.family} ${ctx.table} ${x.slice(1)}`);
      if (!set) throw ctx.fail(`the rule uses set ${x}, which the export does not declare`, 'export the whole ruleset with `nft -j list ruleset`');
      if (set.type !== type) return false;
      return set.elem.every(add);
    }
    if (Array.isArray(x)) return x.every(add);
    if (isObj(x) && Array.isArray(x['range']) && x['range'].length === 2) {
      const a = one(x['range'][0]!);
      const b = one(x['range'][1]!);
      if (a === undefined || b === undefined) return false;
      if (a > b) throw ctx.fail(`the range ${a}-${b} runs backwards`, 'write the low end first');
      out.push(interval(a, b));
      return true;
    }
    if (isObj(x) && Array.isArray(x['set'])) return x['set'].every(add);
    if (isObj(x) && isObj(x['elem'])) return add(x['elem']['val'] ?? null);
    const n = one(x);
    if (n === undefined) return false;
    out.push(interval(n));
    return true;
  };
  if (!add(v)) return undefined;
  if (op === '<' || op === '<=' || op === '>' || op === '>=') {
    if (out.length !== 1 || out[0]!.lo !== out[0]!.hi) return undefined;
    const n = out[0]!.lo;
    if (op === '<') return n === 0n ? [] : [{ lo: 0n, hi: n - 1n }];
    if (op === '<=') return [{ lo: 0n, hi: n }];
    if (op === '>') return n >= BigInt(max) ? [] : [{ lo: n + 1n, hi: BigInt(max) }];
    return [{ lo: n, hi: BigInt(max) }];
  }
  return out;
}

// ------------------------------------------------------------------------------------------------------------------
// Text of a rule, close to what `nft list ruleset` prints, for findings.

function formatExpr(e: Json): string {
  if (!isObj(e)) return JSON.stringify(e);
  const [key] = Object.keys(e);
  if (key === undefined) return '{}';
  const body = e[key]!;
  if (key === 'match' && isObj(body)) {
    const op = str(body['op']) ?? '==';
    return `${formatValue(body['left'] ?? null)} ${op === '==' || op === 'in' ? '' : `${op} `}${formatValue(body['right'] ?? null)}`;
  }
  if ((key === 'jump' || key === 'goto') && isObj(body)) return `${key} ${str(body['target']) ?? '?'}`;
  if (body === null) return key;
  if (key === 'counter' || key === 'log') return key;
  return `${key} ${formatValue(body)}`;
}

function formatValue(v: Json): string {
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v === null) return String(v);
  if (Array.isArray(v)) return v.map(formatValue).join(',');
  if (isObj(v['payload'])) return `${str(v['payload']['protocol']) ?? '?'} ${str(v['payload']['field']) ?? '?'}`;
  if (isObj(v['meta'])) return `meta ${str(v['meta']['key']) ?? '?'}`;
  if (isObj(v['ct'])) return `ct ${str(v['ct']['key']) ?? '?'}`;
  if (isObj(v['prefix'])) return `${formatValue(v['prefix']['addr'] ?? null)}/${formatValue(v['prefix']['len'] ?? null)}`;
  if (Array.isArray(v['range'])) return v['range'].map(formatValue).join('-');
  if (Array.isArray(v['set'])) return `{ ${v['set'].map(formatValue).join(', ')} }`;
  const s = JSON.stringify(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

function isObj(v: Json | undefined): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function str(v: Json | undefined): string | undefined {
  return typeof v === 'string' ? v : undefined;
}
