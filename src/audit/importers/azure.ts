import { z } from 'zod';
import { AddressSyntaxError, type Family } from '../../net/address.js';
import { AddressSet } from '../../net/address-set.js';
import { AddressRange } from '../../net/range.js';
import { UserError } from '../../topology/errors.js';
import { allMustAllow, ruleText, type Decider, type FirewallModel, type ImportOptions, type RuleRef } from '../model.js';
import { PacketSet, protocolNumbers, type Interval } from '../space.js';
import type { ExportFile, MultiFileImporter } from './aws.js';
import { errorAt, exportText, lineIndex, parseJsonText, pathKey, validated, type JsonPath } from './json-source.js';
import { firstMatchFollowing, type DoubtfulRule } from './ordered.js';

/**
 * Azure network security groups: `az network nsg show` (or `list`) with `az network nic list`, and optionally
 * `az network vnet show` for the VirtualNetwork service tag. Field names are those of the Network REST API as the
 * az CLI prints them, the `properties` level flattened (learn.microsoft.com/rest/api/virtualnetwork/
 * network-security-groups/get, network-interfaces/list); the ARM shape with `properties` is read too.
 *
 * Evaluation (learn.microsoft.com/azure/virtual-network/network-security-groups-overview, "How network security
 * groups filter network traffic"): an NSG's inbound rules, custom and default, are taken by priority, lowest number
 * first, and the first that matches decides. Inbound traffic passes the subnet's NSG first, then the network
 * interface's; both must allow it. Without any NSG, traffic is allowed. Service tags
 * (learn.microsoft.com/azure/virtual-network/service-tags-overview): VirtualNetwork is the virtual network's address
 * space with its peered networks (from --vnet or the vnet export; undecidable without); every other tag's
 * addresses (AzureLoadBalancer, Internet, the service tags) are not in these exports, so what they match is undecidable.
 */

const hint =
  'export with `az network nsg list -o json > nsg.json` and `az network nic list -o json > nic.json` (and `az network vnet show -g RG -n VNET -o json > vnet.json` for the VirtualNetwork tag, or --vnet CIDR), and give the files together';

const str = z.string();
const optList = z.array(str).nullish();
const idRef = z.object({ id: str }).loose();

const ruleSchema = z
  .object({
    name: str,
    priority: z.number().int().min(100).max(65500),
    direction: z.enum(['Inbound', 'Outbound']),
    access: z.enum(['Allow', 'Deny']),
    protocol: str,
    sourceAddressPrefix: str.nullish(),
    sourceAddressPrefixes: optList,
    destinationAddressPrefix: str.nullish(),
    destinationAddressPrefixes: optList,
    sourcePortRange: str.nullish(),
    sourcePortRanges: optList,
    destinationPortRange: str.nullish(),
    destinationPortRanges: optList,
    sourceApplicationSecurityGroups: z.array(idRef).nullish(),
    destinationApplicationSecurityGroups: z.array(idRef).nullish(),
    description: str.nullish(),
  })
  .loose();

const nsgSchema = z
  .object({
    id: str,
    name: str,
    securityRules: z.array(ruleSchema).nullish(),
    defaultSecurityRules: z.array(ruleSchema).nullish(),
    networkInterfaces: z.array(idRef).nullish(),
    subnets: z.array(idRef).nullish(),
  })
  .loose();

const nicSchema = z
  .object({
    id: str,
    name: str,
    networkSecurityGroup: idRef.nullish(),
    ipConfigurations: z.array(
      z
        .object({
          name: str.optional(),
          privateIPAddress: str.nullish(),
          privateIPAddressVersion: str.nullish(),
          subnet: idRef.nullish(),
        })
        .loose(),
    ),
  })
  .loose();

const vnetSchema = z
  .object({
    id: str.optional(),
    name: str.optional(),
    addressSpace: z.object({ addressPrefixes: z.array(str) }).loose(),
    subnets: z.array(z.object({ id: str, networkSecurityGroup: idRef.nullish() }).loose()).nullish(),
    virtualNetworkPeerings: z.array(z.object({ remoteAddressSpace: z.object({ addressPrefixes: z.array(str) }).loose().nullish() }).loose()).nullish(),
  })
  .loose();

type Nsg = z.infer<typeof nsgSchema>;
type Nic = z.infer<typeof nicSchema>;
type Rule = z.infer<typeof ruleSchema>;

interface Located<T> {
  readonly value: T;
  readonly file: ExportFile;
  readonly path: JsonPath;
  readonly lines: ReadonlyMap<string, number>;
}

interface AzureExport {
  readonly nsgs: Located<Nsg>[];
  readonly nics: Located<Nic>[];
  readonly vnets: Located<z.infer<typeof vnetSchema>>[];
}

/** Lifts the ARM `properties` level into the object, as the az CLI prints it; recursively for rules and configs. */
function flatten(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(flatten);
  if (typeof v !== 'object' || v === null) return v;
  const o = v as Record<string, unknown>;
  const props = typeof o.properties === 'object' && o.properties !== null && !Array.isArray(o.properties) ? (o.properties as Record<string, unknown>) : undefined;
  const merged: Record<string, unknown> = {};
  for (const [k, val] of Object.entries(o)) if (k !== 'properties' || !props) merged[k] = flatten(val);
  if (props) for (const [k, val] of Object.entries(props)) if (!(k in merged)) merged[k] = flatten(val);
  return merged;
}

function kindOf(v: unknown): 'nsg' | 'nic' | 'vnet' | undefined {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  const p = (typeof o.properties === 'object' && o.properties !== null ? o.properties : {}) as Record<string, unknown>;
  const has = (k: string): boolean => k in o || k in p;
  if (has('securityRules') || has('defaultSecurityRules')) return 'nsg';
  if (has('ipConfigurations')) return 'nic';
  if (has('addressSpace')) return 'vnet';
  return undefined;
}

export function readAzureFile(file: ExportFile, out: AzureExport): void {
  const text = exportText(file.text, file.fileName, 'the az CLI writes UTF-8');
  const located: ExportFile = { text, fileName: file.fileName };
  const root = parseJsonText(text, file.fileName, hint);
  const lines = lineIndex(text, (p) => {
    const parent = p[p.length - 2];
    return p.length <= 3 || parent === 'securityRules' || parent === 'defaultSecurityRules';
  }, 5);
  const visit = (v: unknown, path: JsonPath, depth: number): void => {
    if (Array.isArray(v) && depth < 2) {
      v.forEach((item, i) => {
        visit(item, [...path, i], depth + 1);
      });
      return;
    }
    const kind = kindOf(v);
    if (!kind) {
      throw errorAt(text, file.fileName, path, 'expected the JSON of `az network nsg show|list` (an object with "securityRules"), `az network nic list` (with "ipConfigurations") or `az network vnet show` (with "addressSpace")', hint);
    }
    const flat = flatten(v);
    const check = <T>(schema: z.ZodType<T>): T => {
      return validated(schema, flat, text, file.fileName, hint, path);
    };
    if (kind === 'nsg') out.nsgs.push({ value: check(nsgSchema), file: located, path, lines });
    else if (kind === 'nic') out.nics.push({ value: check(nicSchema), file: located, path, lines });
    else out.vnets.push({ value: check(vnetSchema), file: located, path, lines });
  };
  visit(root, [], 0);
}

const sameId = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase();

export function azureModels(files: readonly ExportFile[], options: ImportOptions): FirewallModel[] {
  const all: AzureExport = { nsgs: [], nics: [], vnets: [] };
  for (const f of files) readAzureFile(f, all);
  const first = files[0]!;
  if (all.nics.length === 0) {
    throw new UserError(`${files.map((f) => f.fileName).join(', ')}: no network interfaces, so no address can be placed behind the network security groups`, { file: first.fileName, line: 1, column: 1 }, hint);
  }
  const vnet = options.vnet ?? vnetAddresses(all);
  const models: FirewallModel[] = [];
  for (const nic of all.nics) {
    const bySubnet = new Map<string, AddressSet>();
    nic.value.ipConfigurations.forEach((c, i) => {
      if (!c.privateIPAddress) return;
      const subnet = c.subnet?.id ?? '';
      let a: AddressSet;
      try {
        a = AddressSet.parse([c.privateIPAddress]);
      } catch (e) {
        if (e instanceof AddressSyntaxError) throw errorAt(nic.file.text, nic.file.fileName, [...nic.path, 'ipConfigurations', i, 'privateIPAddress'], e.message, hint);
        throw e;
      }
      bySubnet.set(subnet, (bySubnet.get(subnet) ?? AddressSet.empty).union(a));
    });
    for (const [subnet, protects] of bySubnet) {
      const label = bySubnet.size > 1 ? `${nic.value.name} (${subnet.split('/').pop() ?? subnet})` : nic.value.name;
      models.push(nicModel(nic, subnet, label, protects, all, vnet));
    }
  }
  return models;
}

function vnetAddresses(all: AzureExport): AddressSet | undefined {
  if (all.vnets.length === 0) return undefined;
  const prefixes = all.vnets.flatMap((v) => [...v.value.addressSpace.addressPrefixes, ...(v.value.virtualNetworkPeerings ?? []).flatMap((p) => p.remoteAddressSpace?.addressPrefixes ?? [])]);
  try {
    return AddressSet.parse(prefixes);
  } catch (e) {
    if (e instanceof AddressSyntaxError) {
      const v = all.vnets[0]!;
      throw errorAt(v.file.text, v.file.fileName, [...v.path, 'addressSpace'], e.message, hint);
    }
    throw e;
  }
}

function nicModel(nic: Located<Nic>, subnet: string, label: string, protects: AddressSet, all: AzureExport, vnet: AddressSet | undefined): FirewallModel {
  const parts: Decider[] = [];
  const subnetNsgId =
    all.nsgs.find((n) => (n.value.subnets ?? []).some((s) => sameId(s.id, subnet)))?.value.id ??
    all.vnets.flatMap((v) => v.value.subnets ?? []).find((s) => sameId(s.id, subnet))?.networkSecurityGroup?.id;
  const nicNsgId = nic.value.networkSecurityGroup?.id ?? all.nsgs.find((n) => (n.value.networkInterfaces ?? []).some((r) => sameId(r.id, nic.value.id)))?.value.id;
  const ref: RuleRef = { export: nic.file.fileName, line: nic.lines.get(pathKey(nic.path)) ?? 1, text: ruleText(`network interface ${nic.value.name}`) };
  for (const [id, where] of [
    [subnetNsgId, 'subnet'],
    [nicNsgId, 'network interface'],
  ] as const) {
    if (id === undefined) continue;
    const nsg = all.nsgs.find((n) => sameId(n.value.id, id));
    if (!nsg) {
      parts.push((query) => [{ space: query, verdict: 'undecidable' as const, rule: ref, reason: `the ${where} is associated with network security group ${id}, which the exports do not contain` }]);
      continue;
    }
    parts.push(nsgDecider(nsg, protects, vnet, where));
  }
  const open: Decider = (query) => [{ space: query, verdict: 'allow', rule: null, reason: 'no network security group is associated with the network interface or its subnet, so Azure allows all traffic' }];
  const decide: Decider = parts.length === 0 ? open : allMustAllow(parts);
  return {
    platform: 'azure',
    export: nic.file.fileName,
    // Cloud models are placed by their addresses; the name tells the findings which interface they are about.
    host: label,
    protects,
    families: [4, 6],
    hooks: ['input'],
    decide,
    warnings: [],
  };
}

/** Azure's own inbound defaults, for an export that leaves them out (an ARM template or `--query securityRules`). */
const azureDefaults: Rule[] = [
  { name: 'AllowVnetInBound', priority: 65000, direction: 'Inbound', access: 'Allow', protocol: '*', sourceAddressPrefix: 'VirtualNetwork', destinationAddressPrefix: 'VirtualNetwork', sourcePortRange: '*', destinationPortRange: '*' },
  { name: 'AllowAzureLoadBalancerInBound', priority: 65001, direction: 'Inbound', access: 'Allow', protocol: '*', sourceAddressPrefix: 'AzureLoadBalancer', destinationAddressPrefix: '*', sourcePortRange: '*', destinationPortRange: '*' },
  { name: 'DenyAllInBound', priority: 65500, direction: 'Inbound', access: 'Deny', protocol: '*', sourceAddressPrefix: '*', destinationAddressPrefix: '*', sourcePortRange: '*', destinationPortRange: '*' },
];

function nsgDecider(nsg: Located<Nsg>, protects: AddressSet, vnet: AddressSet | undefined, where: string): Decider {
  const listed = [
    ...(nsg.value.securityRules ?? []).map((r, i) => ({ r, path: [...nsg.path, 'securityRules', i] as JsonPath, implicit: false })),
    ...(nsg.value.defaultSecurityRules ?? []).map((r, i) => ({ r, path: [...nsg.path, 'defaultSecurityRules', i] as JsonPath, implicit: false })),
  ];
  if (nsg.value.defaultSecurityRules == null) listed.push(...azureDefaults.map((r) => ({ r, path: [] as JsonPath, implicit: true })));
  const inbound = listed.filter((x) => x.r.direction === 'Inbound').sort((a, b) => a.r.priority - b.r.priority);
  const rules: DoubtfulRule[] = [];
  for (const { r, path, implicit } of inbound) {
    const ref: RuleRef | null = implicit
      ? null
      : { export: nsg.file.fileName, line: nsg.lines.get(pathKey(path)) ?? 1, text: ruleText(`${nsg.value.name}/${r.name} (priority ${r.priority}): ${r.access} ${r.protocol} ${portsText(r)} from ${sourcesOf(r).join(',')}`) };
    const label = `${implicit ? "Azure's default rule " : ''}${r.name} (priority ${r.priority}) of the ${where} NSG ${nsg.value.name}`;
    rules.push(...ruleEntries(r, ref, label, protects, vnet, nsg, path));
  }
  // Every NSG ends with DenyAllInBound, so the fallback is only reached by a query outside the NSG's own addresses.
  return firstMatchFollowing(rules, { verdict: 'deny', rule: null, reason: `no rule of the ${where} NSG ${nsg.value.name} matches (DenyAllInBound)` });
}

function sourcesOf(r: Rule): string[] {
  return r.sourceAddressPrefixes && r.sourceAddressPrefixes.length > 0 ? r.sourceAddressPrefixes : [r.sourceAddressPrefix ?? '*'];
}
function destinationsOf(r: Rule): string[] {
  return r.destinationAddressPrefixes && r.destinationAddressPrefixes.length > 0 ? r.destinationAddressPrefixes : [r.destinationAddressPrefix ?? '*'];
}
function portsOf(r: Rule, source: boolean): string[] {
  const list = source ? r.sourcePortRanges : r.destinationPortRanges;
  const one = source ? r.sourcePortRange : r.destinationPortRange;
  return list && list.length > 0 ? list : [one ?? '*'];
}
function portsText(r: Rule): string {
  return portsOf(r, false).join(',');
}

interface Prefixes {
  readonly any: boolean;
  readonly set: AddressSet;
  readonly unresolved: string[];
}

function prefixesOf(texts: readonly string[], vnet: AddressSet | undefined, fail: (e: AddressSyntaxError) => UserError): Prefixes {
  const ranges: AddressRange[] = [];
  const unresolved: string[] = [];
  let set = AddressSet.empty;
  let any = false;
  for (const t of texts.map((x) => x.trim())) {
    if (t === '*' || /^any$/i.test(t) || t === '0.0.0.0/0' || t === '::/0') {
      if (t === '0.0.0.0/0' || t === '::/0') ranges.push(AddressRange.parse(t));
      else any = true;
    } else if (/^virtualnetwork$/i.test(t)) {
      if (vnet) set = set.union(vnet);
      else unresolved.push('VirtualNetwork (give --vnet CIDR or the `az network vnet show` JSON)');
    } else if (/^[A-Za-z]/.test(t) && !t.includes(':')) unresolved.push(`service tag ${t}`);
    else {
      try {
        ranges.push(AddressRange.parse(t));
      } catch (e) {
        if (e instanceof AddressSyntaxError) throw fail(e);
        throw e;
      }
    }
  }
  return { any, set: any ? AddressSet.empty : set.union(AddressSet.of(ranges)), unresolved: any ? [] : unresolved };
}

function portIntervals(texts: readonly string[], fail: (m: string) => UserError): Interval[] | undefined {
  const out: Interval[] = [];
  for (const t of texts.map((x) => x.trim())) {
    if (t === '*' || /^any$/i.test(t)) return undefined;
    const m = /^(\d{1,5})(?:-(\d{1,5}))?$/.exec(t);
    const from = m ? Number(m[1]) : NaN;
    const to = m ? Number(m[2] ?? m[1]) : NaN;
    if (!m || from > 65535 || to > 65535 || from > to) throw fail(`expected a port, a range such as 49152-65535, or *, found ${JSON.stringify(t)}`);
    out.push({ lo: BigInt(from), hi: BigInt(to) });
  }
  return out;
}

const azureProtocols: Record<string, number[] | undefined> = {
  '*': undefined,
  any: undefined,
  tcp: [protocolNumbers.tcp],
  udp: [protocolNumbers.udp],
  icmp: [protocolNumbers.icmp, protocolNumbers.ipv6Icmp],
  esp: [50],
  ah: [51],
};

function ruleEntries(r: Rule, ref: RuleRef | null, label: string, protects: AddressSet, vnet: AddressSet | undefined, nsg: Located<Nsg>, path: JsonPath): DoubtfulRule[] {
  const fail = (key: string) => (m: string) => errorAt(nsg.file.text, nsg.file.fileName, path.length > 0 ? [...path, key] : nsg.path, m, hint);
  const proto = r.protocol.toLowerCase();
  if (!(proto in azureProtocols)) throw fail('protocol')(`expected Tcp, Udp, Icmp, Esp, Ah or *, found ${JSON.stringify(r.protocol)}`);
  const protocols = azureProtocols[proto];
  const sources = prefixesOf(sourcesOf(r), vnet, (e) => fail('sourceAddressPrefix')(e.message));
  const destinations = prefixesOf(destinationsOf(r), vnet, (e) => fail('destinationAddressPrefix')(e.message));
  const ports = portIntervals(portsOf(r, false), fail('destinationPortRange'));
  const sourcePortsAny = portIntervals(portsOf(r, true), fail('sourcePortRange')) === undefined;
  const doubts: string[] = [];
  if (!sourcePortsAny) doubts.push('the rule is limited to some source ports');
  if ((r.sourceApplicationSecurityGroups ?? []).length > 0) doubts.push('the rule names application security groups as its source, whose members the exports do not show');
  if ((r.destinationApplicationSecurityGroups ?? []).length > 0) doubts.push('the rule names application security groups as its destination, whose members the exports do not show');
  const verdict = r.access === 'Allow' ? 'allow' : 'deny';
  const reason = `${r.access === 'Allow' ? 'allowed' : 'denied'} by ${label}`;
  const space = (widen: boolean): PacketSet => {
    const side = (p: Prefixes): AddressSet | undefined => (p.any || (widen && p.unresolved.length > 0) ? undefined : p.set);
    const src = side(sources);
    const dst = side(destinations);
    const to = dst ? dst : undefined;
    const boxes: PacketSet[] = [];
    const byProtocol = protocols ?? [undefined];
    for (const n of byProtocol) {
      const family: Family | undefined = n === protocolNumbers.icmp ? 4 : n === protocolNumbers.ipv6Icmp ? 6 : undefined;
      const portful = n === protocolNumbers.tcp || n === protocolNumbers.udp;
      if (n === undefined && ports !== undefined) {
        // '*' with ports: the ports bind TCP and UDP; other protocols have none, and Azure does not say what it does.
        boxes.push(PacketSet.product({ ...(src ? { sources: src } : {}), destinations: to ?? protects, protocols: [{ lo: 6n, hi: 6n }, { lo: 17n, hi: 17n }], ports }));
        continue;
      }
      boxes.push(
        PacketSet.product({
          ...(family ? { family } : {}),
          ...(src ? { sources: src } : {}),
          destinations: to ?? protects,
          ...(n !== undefined ? { protocols: [{ lo: BigInt(n), hi: BigInt(n) }] } : {}),
          ...(portful && ports ? { ports } : {}),
        }),
      );
    }
    return PacketSet.unionAll(boxes).intersect(PacketSet.product({ destinations: protects }));
  };
  const sure = space(false);
  const widened = space(true);
  const out: DoubtfulRule[] = [];
  if (protocols === undefined && ports !== undefined) {
    const others = PacketSet.product({ destinations: protects }).subtract(PacketSet.product({ protocols: [{ lo: 6n, hi: 6n }, { lo: 17n, hi: 17n }] }));
    const otherSpace = (widen: boolean): PacketSet => {
      const side = (p: Prefixes): AddressSet | undefined => (p.any || (widen && p.unresolved.length > 0) ? undefined : p.set);
      const src = side(sources);
      const dst = side(destinations);
      return others.intersect(PacketSet.product({ ...(src ? { sources: src } : {}), ...(dst ? { destinations: dst } : {}) }));
    };
    const o = otherSpace(true);
    if (!o.isEmpty) out.push({ space: o, verdict: 'undecidable', action: verdict, rule: ref, reason: `${label} names ports with protocol *, and Azure does not document what that does to protocols without ports` });
  }
  if (doubts.length > 0) {
    out.push({ space: widened, verdict: 'undecidable', action: verdict, rule: ref, reason: `${label}: ${doubts.join('; ')}` });
    return out;
  }
  if (!sure.isEmpty) out.push({ space: sure, verdict, rule: ref, reason });
  const unsure = widened.subtract(sure);
  if (!unsure.isEmpty) {
    out.push({ space: unsure, verdict: 'undecidable', action: verdict, rule: ref, reason: `${label} names ${[...sources.unresolved, ...destinations.unresolved].join(', ')}, whose addresses the exports do not contain` });
  }
  return out;
}

export const azureImporter: MultiFileImporter = {
  name: 'azure',
  description: 'Azure: `az network nsg show|list` with `az network nic list` (JSON; `az network vnet show` or --vnet for the VirtualNetwork tag)',
  detect(text: string): boolean {
    const head = text.slice(0, 20000);
    return /"(securityRules|defaultSecurityRules|ipConfigurations)"\s*:/.test(head) || (/"addressSpace"\s*:/.test(head) && /"addressPrefixes"\s*:/.test(head));
  },
  parse(text: string, fileName: string, options: ImportOptions): FirewallModel[] {
    return azureModels([{ text, fileName }], options);
  },
  parseAll(exports: readonly ExportFile[], options: ImportOptions): FirewallModel[] {
    return azureModels(exports, options);
  },
};
