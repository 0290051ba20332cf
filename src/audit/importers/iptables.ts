import type { Family } from '../../net/address.js';
import { allMustAllow, ruleText, type Decision, type FirewallModel, type Importer, type RuleRef } from '../model.js';
import { maxPort, PacketSet, type Interval } from '../space.js';
import { and, chainDecider, chainWarnings, exactly, no, not, or, unknownWithin, yes, type Action, type ChainDef, type ChainRule, type Cond } from './chains.js';
import { addressInterval, icmpTypes, icmpv6Types, inputError, interval, protocolByName, withoutBom } from './common.js';

/**
 * iptables and ip6tables, from `iptables-save` / `ip6tables-save`. Each table's built-in chains on the packet's
 * path run in the kernel's order (raw, mangle, nat PREROUTING, then mangle, filter, security INPUT or FORWARD);
 * within a chain the first matching rule decides: ACCEPT ends that table's chain, DROP and REJECT are final,
 * RETURN goes back to the calling chain (from a built-in chain: its policy), user chains are entered by -j and -g.
 * The audit models the first packet of a new connection (conntrack state NEW, a TCP SYN). A match or target not
 * understood makes the packets the rule could touch undecidable, with the rule's line.
 */
export const iptablesImporter: Importer = {
  name: 'iptables',
  description: 'iptables: the text of `iptables-save` or `ip6tables-save`',
  detect(text) {
    const lines = withoutBom(text)
      .split(/\r?\n/)
      .map((l) => l.trim())
      .filter((l) => l !== '' && !l.startsWith('#'))
      .slice(0, 3);
    return lines.length > 0 && /^\*(filter|nat|mangle|raw|security)$/.test(lines[0]!);
  },
  parse(text, fileName, options) {
    return [parseSave(withoutBom(text), fileName, options.host)];
  },
};

interface Table {
  readonly name: string;
  readonly chains: Map<string, Chain>;
}

interface Chain extends ChainDef {
  readonly name: string;
  readonly builtin: boolean;
  readonly rules: ChainRule[];
}

const builtinChains: Readonly<Record<string, readonly string[]>> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
  security: ['INPUT', 'FORWARD', 'OUTPUT'],
};

/** The built-in chains a packet meets on its way in (or through), in the kernel's order. */
const pathChains: Readonly<Record<'input' | 'forward', readonly [string, string][]>> = {
  input: [
    ['raw', 'PREROUTING'],
    ['mangle', 'PREROUTING'],
    ['nat', 'PREROUTING'],
    ['mangle', 'INPUT'],
    ['filter', 'INPUT'],
    ['security', 'INPUT'],
  ],
  forward: [
    ['raw', 'PREROUTING'],
    ['mangle', 'PREROUTING'],
    ['nat', 'PREROUTING'],
    ['mangle', 'FORWARD'],
    ['filter', 'FORWARD'],
    ['security', 'FORWARD'],
    ['mangle', 'POSTROUTING'],
    ['nat', 'POSTROUTING'],
  ],
};

/** Targets that only log, count or mark: the packet goes on to the next rule. */
const passiveTargets = new Set(['LOG', 'NFLOG', 'ULOG', 'MARK', 'CONNMARK', 'TRACE', 'CLASSIFY', 'DSCP', 'TOS', 'TTL', 'HL', 'AUDIT', 'SECMARK', 'CONNSECMARK', 'IDLETIMER', 'LED']);

function familyOf(text: string, fileName: string): Family {
  if (/^#.*ip6tables-save/m.test(text.slice(0, 500))) return 6;
  if (/^#.*iptables-save/m.test(text.slice(0, 500))) return 4;
  if (/ (?:-s|-d|--source|--destination) !?\s*[0-9a-fA-F]*:[0-9a-fA-F:]*[/ ]/.test(text) || / -p (?:ipv6-icmp|icmpv6|58)\b/.test(text)) return 6;
  return /\.rules6$|\.v6$|ip6/.test(fileName) ? 6 : 4;
}

function parseSave(text: string, fileName: string, host: string | undefined): FirewallModel {
  const family = familyOf(text, fileName);
  const universe = PacketSet.family(family);
  const lines = text.split('\n');
  const tables = new Map<string, Table>();
  let current: Table | undefined;
  const pending: { table: Table; chain: string; tokens: string[]; ref: RuleRef; lineNo: number }[] = [];
  const at = (lineNo: number, column = 1) => ({ file: fileName, line: lineNo, column });
  const hint = `export it again with \`${family === 4 ? 'iptables-save' : 'ip6tables-save'} > FILE\` and copy the whole file`;

  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.replace(/\r$/, '');
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    if (trimmed.startsWith('*')) {
      if (current) throw inputError(`table ${trimmed.slice(1)} starts before table ${current.name} ends with COMMIT`, at(lineNo), hint);
      const name = trimmed.slice(1);
      if (!builtinChains[name]) throw inputError(`unknown table "${name}"`, at(lineNo, 2), 'iptables-save writes *filter, *nat, *mangle, *raw or *security');
      current = tables.get(name) ?? { name, chains: new Map() };
      tables.set(name, current);
      return;
    }
    if (!current) throw inputError(`"${trimmed.slice(0, 40)}" comes before any table (*filter)`, at(lineNo), hint);
    const table: Table = current;
    if (trimmed === 'COMMIT') {
      current = undefined;
      return;
    }
    if (trimmed.startsWith(':')) {
      const m = /^:(\S+)\s+(\S+)(?:\s+\[\d+:\d+\])?$/.exec(trimmed);
      if (!m) throw inputError(`expected a chain line ":NAME POLICY [packets:bytes]", found "${trimmed.slice(0, 60)}"`, at(lineNo), hint);
      const [, name, policy] = m as unknown as [string, string, string];
      const builtin = builtinChains[table.name]!.includes(name);
      if (builtin && policy !== 'ACCEPT' && policy !== 'DROP') throw inputError(`built-in chain ${name} has policy "${policy}"`, at(lineNo), 'a built-in chain\'s policy is ACCEPT or DROP');
      if (!builtin && policy !== '-') throw inputError(`user chain ${name} has a policy "${policy}"`, at(lineNo), 'user chains are declared with "-" (only built-in chains have policies)');
      table.chains.set(name, {
        name,
        builtin,
        label: `${table.name} ${name}`,
        ref: { export: fileName, line: lineNo, text: ruleText(trimmed) },
        ...(builtin ? { policy: policy === 'DROP' ? ('drop' as const) : ('accept' as const) } : {}),
        universe,
        rules: [],
      });
      return;
    }
    const counters = /^\[\d+:\d+\]\s+/.exec(trimmed);
    const body = counters ? trimmed.slice(counters[0].length) : trimmed;
    if (!body.startsWith('-A ')) throw inputError(`expected a rule "-A CHAIN ...", a chain line ":CHAIN POLICY" or COMMIT, found "${body.slice(0, 40)}"`, at(lineNo), hint);
    const tokens = tokenize(body, (message, column) => inputError(message, at(lineNo, column + (line.length - line.trimStart().length) + (counters?.[0].length ?? 0)), 'quotes in iptables-save output are double quotes, closed on the same line'));
    const chain = tokens[1];
    if (!chain) throw inputError('a rule without a chain name', at(lineNo), '-A CHAIN ...');
    pending.push({ table, chain, tokens: tokens.slice(2), ref: { export: fileName, line: lineNo, text: ruleText(body) }, lineNo });
  });
  if (current) throw inputError(`the export ends inside table ${current.name} without COMMIT: is it cut off?`, at(lines.length), hint);

  for (const p of pending) {
    const chain = p.table.chains.get(p.chain);
    if (!chain) throw inputError(`rule for chain ${p.chain}, which table ${p.table.name} does not declare`, at(p.lineNo), `a chain is declared by a line ":${p.chain} - [0:0]" before COMMIT`);
    chain.rules.push(compileRule(p.tokens, family, p.table, (message, h) => inputError(message, at(p.lineNo), h ?? hint), p.ref));
  }

  const decide = (query: PacketSet, hook: 'input' | 'forward' = 'input'): Decision[] => {
    const filters = pathChains[hook].flatMap(([t, c]) => {
      const table = tables.get(t);
      const chain = table?.chains.get(c);
      return table && chain ? [chainDecider(chain, (target) => table.chains.get(target)!)] : [];
    });
    if (filters.length === 0) return [{ space: query, verdict: 'allow', rule: null, reason: `no ${hook === 'input' ? 'INPUT' : 'FORWARD'} chain in the export, so iptables accepts` }];
    return allMustAllow(filters)(query);
  };
  const warnings = [...tables.values()].flatMap((t) =>
    [...t.chains.values()].flatMap((c) => chainWarnings(c, (r) => c.name.toUpperCase().startsWith('SCOMFW') || /scomfw/i.test(r.ref.text))),
  );
  return {
    platform: 'iptables',
    export: fileName,
    ...(host ? { host } : {}),
    families: [family],
    hooks: ['input', 'forward'],
    decide,
    warnings,
  };
}

/** Splits a rule line into words; double quotes group, a backslash escapes the next character inside them. */
function tokenize(line: string, fail: (message: string, column: number) => Error): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < line.length) {
    if (line[i] === ' ' || line[i] === '\t') {
      i++;
      continue;
    }
    let word = '';
    const start = i;
    while (i < line.length && line[i] !== ' ' && line[i] !== '\t') {
      if (line[i] === '"') {
        i++;
        while (i < line.length && line[i] !== '"') {
          if (line[i] === '\\' && i + 1 < line.length) i++;
          word += line.charAt(i);
          i++;
        }
        if (i >= line.length) throw fail('a quoted word is not closed', start + 1);
        i++;
      } else word += line.charAt(i++);
    }
    out.push(word);
  }
  return out;
}

type Fail = (message: string, hint?: string) => Error;

/** One rule's matches and target, as a condition and an action. */
function compileRule(tokens: readonly string[], family: Family, table: Table, fail: Fail, ref: RuleRef): ChainRule {
  let cond: Cond = yes;
  let protocol: number | undefined;
  let negate = false;
  let i = 0;
  const arg = (): string => {
    const v = tokens[++i];
    if (v === undefined) throw fail(`option ${tokens[i - 1]} needs a value`, 'the line is cut off or an option lost its value');
    return v;
  };
  const add = (c: Cond) => {
    cond = and(cond, negate ? not(c) : c);
    negate = false;
  };
  const protoScope = (): PacketSet => (protocol !== undefined ? PacketSet.product({ protocols: [interval(protocol)] }) : PacketSet.all);
  for (; i < tokens.length; i++) {
    const t = tokens[i]!;
    switch (t) {
      case '!':
        negate = true;
        break;
      case '-s':
      case '--source':
      case '-d':
      case '--destination': {
        let v = arg();
        if (v === '!') {
          negate = true;
          v = arg();
        }
        add(addressCond(v, family, t === '-s' || t === '--source' ? 'sources' : 'destinations', fail));
        break;
      }
      case '-p':
      case '--protocol': {
        const v = arg().toLowerCase();
        const n = /^\d+$/.test(v) ? Number(v) : protocolByName[v];
        if (n === undefined || n > 255) throw fail(`unknown protocol "${v}"`, 'iptables-save writes tcp, udp, icmp, ipv6-icmp or a number from 0 to 255');
        if (n === -1 || n === 0) {
          negate = false; // -p all: every protocol
          break;
        }
        if (!negate) protocol = n;
        add(exactly(PacketSet.product({ protocols: [interval(n)] })));
        break;
      }
      case '-i':
      case '--in-interface': {
        const v = arg();
        // Packets from other hosts never arrive on the loopback interface; other interfaces may or may not be theirs.
        add(v === 'lo' ? no : unknownWithin(PacketSet.all, `-i ${v}: the audit does not know which interface a packet arrives on`));
        break;
      }
      case '-o':
      case '--out-interface': {
        const v = arg();
        add(unknownWithin(PacketSet.all, `-o ${v}: the audit does not know which interface a packet leaves by`));
        break;
      }
      case '-m':
      case '--match':
        arg();
        break;
      case '--dport':
      case '--destination-port':
      case '--dports':
      case '--destination-ports': {
        const ports = portList(arg(), fail);
        if (protocol === undefined) throw fail(`${t} without -p tcp or -p udp`, 'iptables requires the protocol before a port match');
        add(exactly(PacketSet.product({ protocols: [interval(protocol)], ports })));
        break;
      }
      case '--sport':
      case '--source-port':
      case '--sports':
      case '--source-ports':
      case '--ports':
        add(unknownWithin(protoScope(), `${t} ${arg()}: source ports are not modelled`));
        break;
      case '--state':
      case '--ctstate': {
        const states = arg().toUpperCase().split(',');
        // The audit asks about the first packet of a connection: its state is NEW.
        add(states.includes('NEW') ? yes : no);
        break;
      }
      case '--syn':
        // The first packet of a TCP connection is a SYN.
        add(yes);
        break;
      case '--icmp-type':
      case '--icmpv6-type': {
        const v = arg();
        const [name = '', code] = v.split('/');
        const n = /^\d+$/.test(name) ? Number(name) : (t === '--icmp-type' ? icmpTypes : icmpv6Types)[name];
        const proto = t === '--icmp-type' ? 1 : 58;
        if (n === undefined || n > 255 || code !== undefined) add(unknownWithin(PacketSet.product({ protocols: [interval(proto)] }), `${t} ${v} not understood`));
        else add(exactly(PacketSet.product({ protocols: [interval(proto)], ports: [interval(n)] })));
        break;
      }
      case '--comment':
        arg();
        negate = false;
        break;
      case '--src-range':
      case '--dst-range': {
        const v = arg();
        add(addressCond(v, family, t === '--src-range' ? 'sources' : 'destinations', fail));
        break;
      }
      case '--tcp-flags': {
        const mask = arg();
        const comp = arg();
        add(unknownWithin(protoScope(), `--tcp-flags ${mask} ${comp} not modelled`));
        break;
      }
      case '-j':
      case '--jump':
      case '-g':
      case '--goto': {
        const target = arg();
        const action = actionOf(t, target, table, fail);
        // Targets the audit does not model (DNAT, CT, NFQUEUE, ...) leave the packets they touch undecidable.
        if (action === undefined) return { cond: and(cond, unknownWithin(PacketSet.all, `target ${target} not understood`)), action: { kind: 'continue' }, ref };
        return { cond, action, ref };
      }
      default: {
        // A match option the audit does not model: consume its values, and the rule becomes undecidable where it applies.
        const start = i;
        while (i + 1 < tokens.length && !tokens[i + 1]!.startsWith('-') && tokens[i + 1] !== '!') i++;
        const text = tokens.slice(start, i + 1).join(' ');
        add(unknownWithin(protoScope(), `match ${text} not understood`));
      }
    }
  }
  return { cond, action: { kind: 'continue' }, ref };
}

/** The action of a target; undefined for a target the audit does not model. Target options change nothing it models. */
function actionOf(option: string, target: string, table: Table, fail: Fail): Action | undefined {
  const go = option === '-g' || option === '--goto';
  if (go) {
    if (!table.chains.has(target)) throw fail(`-g to chain ${target}, which table ${table.name} does not declare`);
    return { kind: 'goto', target };
  }
  if (target === 'ACCEPT') return { kind: 'accept' };
  if (target === 'DROP' || target === 'REJECT') return { kind: 'drop' };
  if (target === 'RETURN') return { kind: 'return' };
  if (table.chains.has(target) && !builtinChains[table.name]!.includes(target)) return { kind: 'jump', target };
  if (passiveTargets.has(target)) return { kind: 'continue' };
  return undefined;
}

/** Address conditions: `10.0.0.0/8`, `10.0.0.0/255.0.0.0`, `a-b` ranges, comma lists; non-prefix masks are undecidable. */
function addressCond(text: string, family: Family, side: 'sources' | 'destinations', fail: Fail): Cond {
  let c: Cond = no;
  for (const part of text.split(',')) {
    const mask = /^([^/]+)\/(\d+\.\d+\.\d+\.\d+)$/.exec(part);
    let spec = part;
    if (mask) {
      const bits = mask[2]!.split('.').reduce((n, o) => n * 256 + Number(o), 0);
      const len = prefixLengthOfMask(bits);
      if (len === undefined) {
        c = or(c, unknownWithin(PacketSet.family(family), `the mask of ${part} is not a prefix`));
        continue;
      }
      spec = `${mask[1]}/${len}`;
    }
    let iv: { family: Family; interval: Interval };
    try {
      iv = addressInterval(spec);
    } catch {
      throw fail(`"${part}" is not an address, prefix or range`, 'iptables-save writes numeric addresses such as 10.0.0.0/8');
    }
    if (iv.family !== family) throw fail(`"${part}" is an IPv${iv.family} address in an IPv${family} export`, family === 4 ? 'give IPv6 rules as ip6tables-save output, in their own file' : 'give IPv4 rules as iptables-save output, in their own file');
    c = or(c, exactly(PacketSet.product({ family, [side]: [iv.interval] })));
  }
  return c;
}

function prefixLengthOfMask(mask: number): number | undefined {
  for (let len = 0; len <= 32; len++) {
    const m = len === 0 ? 0 : (0xffffffff << (32 - len)) >>> 0;
    if (m === mask) return len;
  }
  return undefined;
}

/** `22`, `49152:65535`, `135,445,5723:5724` as port intervals. */
function portList(text: string, fail: Fail): Interval[] {
  return text.split(',').map((part) => {
    const [a = '', b] = part.split(':');
    const lo = a === '' ? 0 : Number(a);
    const hi = b === undefined ? lo : b === '' ? maxPort : Number(b);
    if (!/^\d*$/.test(a) || (b !== undefined && !/^\d*$/.test(b)) || !Number.isInteger(lo) || !Number.isInteger(hi) || lo > maxPort || hi > maxPort || lo > hi) {
      throw fail(`"${part}" is not a port or port range`, 'ports are 0-65535, ranges written low:high');
    }
    return interval(lo, hi);
  });
}
