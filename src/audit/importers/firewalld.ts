import { AddressSyntaxError, type Family } from '../../net/address.js';
import { AddressSet } from '../../net/address-set.js';
import { AddressRange } from '../../net/range.js';
import { UserError } from '../../topology/errors.js';
import { ruleText, type Decider, type Decision, type FirewallModel, type ImportOptions, type RuleRef } from '../model.js';
import { PacketSet, type Interval } from '../space.js';
import type { ExportFile, MultiFileImporter } from './aws.js';
import { icmpTypes, icmpv6Types } from './common.js';
import { firstMatchFollowing, type DoubtfulRule } from './ordered.js';
import { parseXml, type XmlElement } from './xml-lite.js';

/**
 * firewalld: the zone XML files (/etc/firewalld/zones/*.xml; firewalld.zone(5)), optionally with service XML files
 * (firewalld.service(5)) and /etc/firewalld/firewalld.conf for the default zone. Evaluation
 * (firewalld.org/documentation/zone/, firewalld.richlanguage(5) "Rule ordering", firewalld 0.9 and later):
 * a packet goes to the zone bound to its source address, else to the zone of the interface it arrives on, else to
 * the default zone. Inside a zone: rich rules with a negative priority (lowest first); then, at priority 0,
 * the deny part (ICMP blocks, rich rules that reject or drop) before the allow part (services, ports, protocols,
 * rich rules that accept); then rich rules with a positive priority; then the zone's target (default and
 * %%REJECT%% reject, DROP drops, ACCEPT accepts; the default target lets ICMP through).
 */

const hint = 'give the zone files of /etc/firewalld/zones/ (with /etc/firewalld/firewalld.conf for the default zone, and any custom service files of /etc/firewalld/services/)';

interface Service {
  readonly ports: readonly { protocol: number; ports?: Interval }[];
  readonly ref?: RuleRef;
}

/** The few stock services (/usr/lib/firewalld/services) a SCOM host is likely to name; others need their file. */
const stockServices: Readonly<Record<string, string[]>> = {
  ssh: ['tcp/22'],
  http: ['tcp/80'],
  https: ['tcp/443'],
  'dhcpv6-client': ['udp/546'],
  dhcp: ['udp/67'],
  cockpit: ['tcp/9090'],
  mdns: ['udp/5353'],
  dns: ['tcp/53', 'udp/53'],
  ntp: ['udp/123'],
  snmp: ['tcp/161', 'udp/161'],
  snmptrap: ['tcp/162', 'udp/162'],
  syslog: ['udp/514'],
  rdp: ['tcp/3389'],
  'ms-wbt': ['tcp/3389'],
  mssql: ['tcp/1433'],
  kerberos: ['tcp/88', 'udp/88'],
  ldap: ['tcp/389'],
  ldaps: ['tcp/636'],
  samba: ['udp/137', 'udp/138', 'tcp/139', 'tcp/445'],
  'samba-client': ['udp/137', 'udp/138'],
  wsman: ['tcp/5985'],
  wsmans: ['tcp/5986'],
  'rpc-bind': ['tcp/111', 'udp/111'],
  nfs: ['tcp/2049'],
  mysql: ['tcp/3306'],
  postgresql: ['tcp/5432'],
  smtp: ['tcp/25'],
};

const protocolIds: Record<string, number> = { tcp: 6, udp: 17, sctp: 132, dccp: 33 };

interface Zone {
  readonly name: string;
  readonly file: string;
  readonly root: XmlElement;
  readonly sources: AddressSet;
  readonly sourceDoubts: string[];
  readonly interfaces: string[];
  readonly line: number;
}

function ref(file: string, e: XmlElement, text: string): RuleRef {
  return { export: file, line: e.line, column: e.column, text: ruleText(text) };
}

function describe(e: XmlElement): string {
  const attrs = [...e.attributes].map(([k, v]) => `${k}="${v}"`).join(' ');
  const inner = e.children.map(describe).join('');
  return inner ? `<${e.name}${attrs ? ` ${attrs}` : ''}>${inner}</${e.name}>` : `<${e.name}${attrs ? ` ${attrs}` : ''}/>`;
}

function stem(fileName: string): string {
  return (fileName.split(/[\\/]/).pop() ?? fileName).replace(/\.xml$/i, '');
}

function addresses(text: string, file: string, e: XmlElement): AddressSet {
  try {
    return AddressSet.of(text.split(/[\s,]+/).filter(Boolean).map((t) => lenientRange(t)));
  } catch (err) {
    if (err instanceof AddressSyntaxError) throw new UserError(`<${e.name}>: ${err.message}`, { file, line: e.line, column: e.column }, hint);
    throw err;
  }
}

/** firewalld accepts prefixes with host bits set (it masks them, as nft does). */
function lenientRange(t: string): AddressRange {
  const slash = t.indexOf('/');
  if (slash < 0) return AddressRange.parse(t);
  const base = AddressRange.parse(t.slice(0, slash));
  const len = Number(t.slice(slash + 1));
  const bits = base.family === 4 ? 32 : 128;
  if (!/^\d{1,3}$/.test(t.slice(slash + 1)) || len > bits) throw new AddressSyntaxError(t, `an address with a prefix length from 0 to ${bits}`);
  const size = 1n << BigInt(bits - len);
  const first = base.first - (base.first % size);
  return AddressRange.of(base.family, first, first + size - 1n);
}

function portsOf(text: string | undefined, file: string, e: XmlElement): Interval | undefined {
  if (text === undefined || text === '') return undefined;
  const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(text.trim());
  const from = m ? Number(m[1]) : NaN;
  const to = m ? Number(m[2] ?? m[1]) : NaN;
  if (!m || from > 65535 || to > 65535 || from > to) throw new UserError(`<${e.name}>: expected a port or a range such as 1000-2000, found ${JSON.stringify(text)}`, { file, line: e.line, column: e.column }, hint);
  return { lo: BigInt(from), hi: BigInt(to) };
}

function serviceFromXml(root: XmlElement, file: string): Service {
  const ports = root.children
    .filter((c) => c.name === 'port')
    .map((c) => {
      const protocol = protocolIds[(c.attributes.get('protocol') ?? '').toLowerCase()];
      if (protocol === undefined) throw new UserError(`<port>: expected protocol tcp, udp, sctp or dccp, found ${JSON.stringify(c.attributes.get('protocol') ?? '')}`, { file, line: c.line, column: c.column }, hint);
      const range = portsOf(c.attributes.get('port'), file, c);
      return range ? { protocol, ports: range } : { protocol };
    });
  return { ports, ref: ref(file, root, `service ${stem(file)}`) };
}

interface Parsed {
  readonly zones: Zone[];
  readonly services: Map<string, Service>;
  defaultZone?: { name: string; ref: RuleRef };
}

export function readFirewalldFiles(files: readonly ExportFile[]): Parsed {
  const out: Parsed = { zones: [], services: new Map() };
  for (const f of files) {
    const text = f.text.replace(/^\uFEFF/, '');
    if (!text.trimStart().startsWith('<')) {
      const lines = text.split(/\r\n|\n|\r/);
      const at = lines.findIndex((l) => /^\s*DefaultZone\s*=/.test(l));
      if (at < 0) throw new UserError(`${f.fileName} is neither a firewalld zone or service file (XML) nor firewalld.conf with a DefaultZone= line`, { file: f.fileName, line: 1, column: 1 }, hint);
      const name = lines[at]!.split('=')[1]!.trim();
      out.defaultZone = { name, ref: { export: f.fileName, line: at + 1, text: ruleText(lines[at]!) } };
      continue;
    }
    const root = parseXml(text, f.fileName, hint);
    if (root.name === 'service') {
      out.services.set(stem(f.fileName), serviceFromXml(root, f.fileName));
      continue;
    }
    if (root.name !== 'zone') throw new UserError(`expected a <zone> (or <service>) root element, found <${root.name}>`, { file: f.fileName, line: root.line, column: root.column }, hint);
    const sources = root.children.filter((c) => c.name === 'source');
    const sourceDoubts = sources.filter((s) => !s.attributes.has('address')).map((s) => describe(s));
    out.zones.push({
      name: stem(f.fileName),
      file: f.fileName,
      root,
      sources: AddressSet.unionAll(sources.filter((s) => s.attributes.has('address')).map((s) => addresses(s.attributes.get('address')!, f.fileName, s))),
      sourceDoubts,
      interfaces: root.children.filter((c) => c.name === 'interface').map((c) => c.attributes.get('name') ?? ''),
      line: root.line,
    });
  }
  if (out.zones.length === 0) throw new UserError(`${files.map((f) => f.fileName).join(', ')}: no zone file`, { file: files[0]!.fileName, line: 1, column: 1 }, hint);
  return out;
}

// ---------------------------------------------------------------------------------------------------------------

interface ZoneRule extends DoubtfulRule {
  /** 0: priority < 0; 1: deny part; 2: allow part; 3: priority > 0. Then the rich rule priority. */
  readonly stage: number;
  readonly priority: number;
}

const allTcpUdp = (ports?: Interval): PacketSet => PacketSet.product({ protocols: [{ lo: 6n, hi: 6n }, { lo: 17n, hi: 17n }], ...(ports ? { ports: [ports] } : {}) });

function icmpTypeSpace(name: string): PacketSet | undefined {
  const v4 = icmpTypes[name];
  const v6 = icmpv6Types[name];
  if (v4 === undefined && v6 === undefined) return undefined;
  return PacketSet.unionAll([
    ...(v4 !== undefined ? [PacketSet.product({ family: 4, protocols: [{ lo: 1n, hi: 1n }], ports: [{ lo: BigInt(v4), hi: BigInt(v4) }] })] : []),
    ...(v6 !== undefined ? [PacketSet.product({ family: 6, protocols: [{ lo: 58n, hi: 58n }], ports: [{ lo: BigInt(v6), hi: BigInt(v6) }] })] : []),
  ]);
}

const icmpAll = PacketSet.unionAll([PacketSet.product({ family: 4, protocols: [{ lo: 1n, hi: 1n }] }), PacketSet.product({ family: 6, protocols: [{ lo: 58n, hi: 58n }] })]);

/** The packets a service (by name) covers, or a reason it cannot be known. */
function serviceSpace(name: string, services: Map<string, Service>): PacketSet | string {
  const own = services.get(name);
  const specs = own ? own.ports : stockServices[name]?.map((s) => ({ protocol: protocolIds[s.split('/')[0]!]!, ports: { lo: BigInt(s.split('/')[1]!), hi: BigInt(s.split('/')[1]!) } }));
  if (!specs) return `service "${name}" is not one the audit knows (give its file from /etc/firewalld/services/ or /usr/lib/firewalld/services/)`;
  return PacketSet.unionAll(specs.map((p) => PacketSet.product({ protocols: [{ lo: BigInt(p.protocol), hi: BigInt(p.protocol) }], ...(p.ports ? { ports: [p.ports] } : {}) })));
}

/** One zone's rules in evaluation order, and its target. */
function zoneRules(zone: Zone, parsed: Parsed): { rules: ZoneRule[]; target: { verdict: 'allow' | 'deny'; icmp: 'allow' | 'deny'; ref: RuleRef; reason: string } } {
  const rules: ZoneRule[] = [];
  const file = zone.file;
  const inversion = zone.root.children.some((c) => c.name === 'icmp-block-inversion');
  for (const c of zone.root.children) {
    const r = ref(file, c, describe(c));
    const push = (stage: number, space: PacketSet, verdict: 'allow' | 'deny' | 'undecidable', reason: string, action?: 'allow' | 'deny'): void => {
      rules.push({ stage, priority: 0, space, verdict, rule: r, reason, ...(action ? { action } : {}) });
    };
    switch (c.name) {
      case 'service': {
        const s = serviceSpace(c.attributes.get('name') ?? '', parsed.services);
        if (typeof s === 'string') push(2, allTcpUdp(), 'undecidable', s, 'allow');
        else push(2, s, 'allow', `allowed by service ${c.attributes.get('name')} of zone ${zone.name}`);
        break;
      }
      case 'port': {
        const protocol = protocolIds[(c.attributes.get('protocol') ?? '').toLowerCase()];
        if (protocol === undefined) throw new UserError(`<port>: expected protocol tcp, udp, sctp or dccp, found ${JSON.stringify(c.attributes.get('protocol') ?? '')}`, { file, line: c.line, column: c.column }, hint);
        const ports = portsOf(c.attributes.get('port'), file, c);
        push(2, PacketSet.product({ protocols: [{ lo: BigInt(protocol), hi: BigInt(protocol) }], ...(ports ? { ports: [ports] } : {}) }), 'allow', `allowed by port ${c.attributes.get('port')}/${c.attributes.get('protocol')} of zone ${zone.name}`);
        break;
      }
      case 'protocol': {
        const v = (c.attributes.get('value') ?? '').toLowerCase();
        const n = protocolIds[v] ?? (v === 'icmp' ? 1 : v === 'ipv6-icmp' || v === 'icmpv6' ? 58 : /^\d{1,3}$/.test(v) && Number(v) <= 255 ? Number(v) : undefined);
        if (n === undefined) push(2, PacketSet.all, 'undecidable', `protocol "${v}" not understood`, 'allow');
        else push(2, PacketSet.product({ protocols: [{ lo: BigInt(n), hi: BigInt(n) }] }), 'allow', `allowed by protocol ${v} of zone ${zone.name}`);
        break;
      }
      case 'icmp-block': {
        const s = icmpTypeSpace(c.attributes.get('name') ?? '');
        // With icmp-block-inversion the listed types are the ones let through.
        if (!s) push(1, icmpAll, 'undecidable', `ICMP type "${c.attributes.get('name')}" not understood`, inversion ? 'allow' : 'deny');
        else push(inversion ? 2 : 1, s, inversion ? 'allow' : 'deny', `${inversion ? 'allowed' : 'rejected'} by icmp-block ${c.attributes.get('name')} of zone ${zone.name}${inversion ? ' (icmp-block-inversion)' : ''}`);
        break;
      }
      case 'source-port':
        push(2, allTcpUdp(), 'undecidable', 'the zone allows by source port, which the audit does not model', 'allow');
        break;
      case 'forward-port': {
        const ports = portsOf(c.attributes.get('port'), file, c);
        push(0, allTcpUdp(ports), 'undecidable', 'a forward-port redirects these packets; where they go is not audited', undefined);
        break;
      }
      case 'rule':
        rules.push(...richRule(c, zone, parsed));
        break;
      default:
        break; // short, description, source, interface, masquerade, forward, icmp-block-inversion: no input filtering here
    }
  }
  rules.sort((a, b) => a.stage - b.stage || a.priority - b.priority);
  const target = (zone.root.attributes.get('target') ?? 'default').toUpperCase();
  const tref = ref(file, zone.root, `<zone target="${zone.root.attributes.get('target') ?? 'default'}"> ${zone.name}`);
  if (!['DEFAULT', 'ACCEPT', 'DROP', '%%REJECT%%'].includes(target)) {
    throw new UserError(`<zone>: expected target default, ACCEPT, DROP or %%REJECT%%, found ${JSON.stringify(zone.root.attributes.get('target'))}`, { file, line: zone.root.line, column: zone.root.column }, hint);
  }
  const verdict = target === 'ACCEPT' ? 'allow' : 'deny';
  const icmp = target === 'ACCEPT' || (target === 'DEFAULT' && !inversion) ? 'allow' : 'deny';
  return { rules, target: { verdict, icmp, ref: tref, reason: `no rule of zone ${zone.name} matches; its target is ${zone.root.attributes.get('target') ?? 'default'}` } };
}

function richRule(e: XmlElement, zone: Zone, parsed: Parsed): ZoneRule[] {
  const file = zone.file;
  const r = ref(file, e, describe(e));
  const priority = Number(e.attributes.get('priority') ?? '0');
  if (!Number.isInteger(priority) || Math.abs(priority) > 32767) throw new UserError(`<rule>: expected a priority from -32768 to 32767, found ${JSON.stringify(e.attributes.get('priority'))}`, { file, line: e.line, column: e.column }, hint);
  const familyText = e.attributes.get('family');
  const family: Family | undefined = familyText === 'ipv4' ? 4 : familyText === 'ipv6' ? 6 : undefined;
  if (familyText !== undefined && family === undefined) throw new UserError(`<rule>: expected family ipv4 or ipv6, found ${JSON.stringify(familyText)}`, { file, line: e.line, column: e.column }, hint);
  let space = family ? PacketSet.family(family) : PacketSet.all;
  const doubts: string[] = [];
  let action: 'allow' | 'deny' | undefined;
  let icmpBlock = false;
  for (const c of e.children) {
    const side = (key: 'sources' | 'destinations'): void => {
      if (!c.attributes.has('address')) {
        doubts.push(`${describe(c)} (ipset or MAC) not modelled`);
        return;
      }
      const set = addresses(c.attributes.get('address')!, file, c);
      const box = PacketSet.product({ [key]: set });
      space = c.attributes.get('invert') === 'true' || c.attributes.get('invert') === 'yes' ? space.subtract(box) : space.intersect(box);
    };
    switch (c.name) {
      case 'source':
        side('sources');
        break;
      case 'destination':
        side('destinations');
        break;
      case 'service': {
        const s = serviceSpace(c.attributes.get('name') ?? '', parsed.services);
        if (typeof s === 'string') {
          doubts.push(s);
          space = space.intersect(allTcpUdp());
        } else space = space.intersect(s);
        break;
      }
      case 'port': {
        const protocol = protocolIds[(c.attributes.get('protocol') ?? '').toLowerCase()];
        if (protocol === undefined) throw new UserError(`<port>: expected protocol tcp, udp, sctp or dccp, found ${JSON.stringify(c.attributes.get('protocol') ?? '')}`, { file, line: c.line, column: c.column }, hint);
        const ports = portsOf(c.attributes.get('port'), file, c);
        space = space.intersect(PacketSet.product({ protocols: [{ lo: BigInt(protocol), hi: BigInt(protocol) }], ...(ports ? { ports: [ports] } : {}) }));
        break;
      }
      case 'protocol': {
        const v = (c.attributes.get('value') ?? '').toLowerCase();
        const n = protocolIds[v] ?? (v === 'icmp' ? 1 : v === 'ipv6-icmp' || v === 'icmpv6' ? 58 : /^\d{1,3}$/.test(v) ? Number(v) : undefined);
        if (n === undefined) doubts.push(`protocol "${v}" not understood`);
        else space = space.intersect(PacketSet.product({ protocols: [{ lo: BigInt(n), hi: BigInt(n) }] }));
        break;
      }
      case 'icmp-block':
      case 'icmp-type': {
        icmpBlock = c.name === 'icmp-block';
        const s = icmpTypeSpace(c.attributes.get('name') ?? '');
        if (!s) {
          doubts.push(`ICMP type "${c.attributes.get('name')}" not understood`);
          space = space.intersect(icmpAll);
        } else space = space.intersect(s);
        break;
      }
      case 'accept':
        action = 'allow';
        if (c.children.some((x) => x.name === 'limit')) doubts.push('the accept is rate-limited');
        break;
      case 'reject':
      case 'drop':
        action = 'deny';
        break;
      case 'log':
      case 'audit':
      case 'nflog':
        break;
      case 'masquerade':
      case 'tcp-mss-clamp':
        return []; // no input filtering
      default:
        doubts.push(`<${c.name}> not understood`);
    }
  }
  if (icmpBlock) action = 'deny';
  if (action === undefined && doubts.length === 0) return []; // a rule that only logs or marks decides nothing
  const stage = priority < 0 ? 0 : priority > 0 ? 3 : action === 'deny' || action === undefined ? 1 : 2;
  if (doubts.length > 0 || action === undefined) {
    return [{ stage, priority, space, verdict: 'undecidable', ...(action ? { action } : {}), rule: r, reason: `rich rule of zone ${zone.name}: ${doubts.join('; ') || 'no action understood'}` }];
  }
  return [{ stage, priority, space, verdict: action, rule: r, reason: `${action === 'allow' ? 'accepted' : 'rejected or dropped'} by a rich rule of zone ${zone.name}` }];
}

function zoneDecider(zone: Zone, parsed: Parsed): Decider {
  const { rules, target } = zoneRules(zone, parsed);
  const withTarget: DoubtfulRule[] = [...rules, ...(target.icmp !== target.verdict ? [{ space: icmpAll, verdict: target.icmp, rule: target.ref, reason: `${target.reason}, which lets ICMP through` }] : [])];
  return firstMatchFollowing(withTarget, { verdict: target.verdict, rule: target.ref, reason: target.reason });
}

export function firewalldModels(files: readonly ExportFile[], options: ImportOptions): FirewallModel[] {
  const parsed = readFirewalldFiles(files);
  const deciders = new Map(parsed.zones.map((z) => [z.name, zoneDecider(z, parsed)] as const));
  const stock: Record<string, Decision['verdict']> = { drop: 'deny', block: 'deny', trusted: 'allow' };
  const sourceZones = parsed.zones.filter((z) => !z.sources.isEmpty);
  const doubtfulSources = parsed.zones.filter((z) => z.sourceDoubts.length > 0);
  const interfaceZones = parsed.zones.filter((z) => z.interfaces.length > 0).map((z) => z.name);
  const defaultName = parsed.defaultZone?.name ?? (parsed.zones.length === 1 && sourceZones.length === 0 ? parsed.zones[0]!.name : undefined);
  const candidates = [...new Set([...interfaceZones, ...(defaultName !== undefined ? [defaultName] : [])])];
  const first = files[0]!;

  const byZoneName = (name: string, query: PacketSet): Decision[] => {
    const d = deciders.get(name);
    if (d) return d(query);
    const verdict = stock[name];
    if (verdict) return [{ space: query, verdict, rule: parsed.defaultZone?.ref ?? null, reason: `firewalld's stock zone ${name} ${verdict === 'allow' ? 'accepts' : 'rejects or drops'} everything` }];
    return [{ space: query, verdict: 'undecidable', rule: parsed.defaultZone?.ref ?? null, reason: `zone ${name} applies, but its file is not among the exports` }];
  };

  const decide: Decider = (query) => {
    const out: Decision[] = [];
    let rest = query;
    // Packets whose source is bound to a zone: that zone decides (two zones binding overlapping sources: undecidable).
    for (const z of sourceZones) {
      const mine = rest.intersect(PacketSet.product({ sources: z.sources }));
      if (mine.isEmpty) continue;
      const others = sourceZones.filter((o) => o !== z && !o.sources.isEmpty);
      const clash = PacketSet.unionAll(others.map((o) => PacketSet.product({ sources: o.sources }))).intersect(mine);
      if (!clash.isEmpty) out.push({ space: clash, verdict: 'undecidable', rule: ref(z.file, z.root, `zone ${z.name}`), reason: 'more than one zone binds these source addresses' });
      out.push(...byZoneName(z.name, mine.subtract(clash)).filter((d) => !d.space.isEmpty));
      rest = rest.subtract(mine);
    }
    if (rest.isEmpty) return out;
    if (doubtfulSources.length > 0) {
      const z = doubtfulSources[0]!;
      out.push({ space: rest, verdict: 'undecidable', rule: ref(z.file, z.root, `zone ${z.name}`), reason: `zone ${z.name} binds sources the audit cannot resolve (${z.sourceDoubts.join(', ')})` });
      return out;
    }
    if (candidates.length === 0) {
      out.push({ space: rest, verdict: 'undecidable', rule: null, reason: 'no zone binds these sources and the default zone is not known (give /etc/firewalld/firewalld.conf)' });
      return out;
    }
    if (candidates.length === 1) return [...out, ...byZoneName(candidates[0]!, rest)];
    // The packet's interface is not known: decided only where every candidate zone agrees.
    const results = candidates.map((n) => byZoneName(n, rest));
    for (const d of results[0]!) {
      let agreed = [d];
      for (const other of results.slice(1)) {
        agreed = agreed.flatMap((a) => other.filter((o) => o.space.overlaps(a.space)).map((o) => ({ ...a, space: a.space.intersect(o.space), verdict: a.verdict === o.verdict ? a.verdict : ('undecidable' as const), reason: a.verdict === o.verdict ? a.reason : `the zones of the interfaces (${candidates.join(', ')}) disagree and the packet's interface is not known` })));
      }
      out.push(...agreed);
    }
    return out;
  };
  return [
    {
      platform: 'firewalld',
      export: first.fileName,
      ...(options.host !== undefined ? { host: options.host } : {}),
      families: [4, 6],
      hooks: ['input'],
      decide,
      warnings: [],
    },
  ];
}

export const firewalldImporter: MultiFileImporter = {
  name: 'firewalld',
  description: 'firewalld: zone XML files of /etc/firewalld/zones (with firewalld.conf and service files when needed)',
  detect(text: string): boolean {
    const head = text.replace(/^\uFEFF/, '').slice(0, 4000);
    return /<zone[\s/>]/.test(head) || /<!DOCTYPE\s+(zone|service)\b/.test(head) || (/<service[\s>]/.test(head) && /<port\s/.test(head)) || /^\s*DefaultZone\s*=/m.test(head);
  },
  parse(text: string, fileName: string, options: ImportOptions): FirewallModel[] {
    return firewalldModels([{ text, fileName }], options);
  },
  parseAll(exports: readonly ExportFile[], options: ImportOptions): FirewallModel[] {
    return firewalldModels(exports, options);
  },
};
