import { z } from 'zod';
import { AddressSyntaxError } from '../../net/address.js';
import { AddressSet } from '../../net/address-set.js';
import { AddressRange } from '../../net/range.js';
import { UserError } from '../../topology/errors.js';
import { firstMatch, ruleText, type ExportFile, type FirewallModel, type Importer, type ImportOptions, type PolicyRule, type RuleRef } from '../model.js';
import { PacketSet, protocolNumbers, type Interval } from '../space.js';
import { errorAt, exportText, lineIndex, parseJsonText, pathKey, validated, type JsonPath } from './json-source.js';

/**
 * AWS security groups: `aws ec2 describe-security-groups` with `aws ec2 describe-network-interfaces` (JSON output).
 * Field names are the EC2 API's (docs.aws.amazon.com/AWSEC2/latest/APIReference/API_SecurityGroup.html,
 * API_IpPermission.html, API_NetworkInterface.html). Evaluation (docs.aws.amazon.com/vpc/latest/userguide/
 * vpc-security-groups.html): groups are stateful and hold only allow rules; the rules of every group on a network
 * interface are joined (a packet any rule allows is allowed); what no rule allows is denied. A rule that names a
 * group allows the private addresses of the interfaces that wear that group; a prefix list's addresses are not in
 * these exports, so its packets are undecidable.
 */

export type { ExportFile };

/** An importer whose exports come in several files that only together describe a firewall (model.ts parseAll). */
export interface MultiFileImporter extends Importer {
  parseAll(exports: readonly ExportFile[], options: ImportOptions): FirewallModel[];
}

const hint = 'export with `aws ec2 describe-security-groups --output json > sg.json` and `aws ec2 describe-network-interfaces --output json > eni.json`, and give both files';

const pair = z.object({ GroupId: z.string().optional(), GroupName: z.string().optional(), UserId: z.string().optional(), VpcId: z.string().optional(), PeeringStatus: z.string().optional(), VpcPeeringConnectionId: z.string().optional(), Description: z.string().optional() });
const permission = z.object({
  IpProtocol: z.string(),
  FromPort: z.number().int().optional(),
  ToPort: z.number().int().optional(),
  IpRanges: z.array(z.object({ CidrIp: z.string(), Description: z.string().optional() })).optional(),
  Ipv6Ranges: z.array(z.object({ CidrIpv6: z.string(), Description: z.string().optional() })).optional(),
  PrefixListIds: z.array(z.object({ PrefixListId: z.string(), Description: z.string().optional() })).optional(),
  UserIdGroupPairs: z.array(pair).optional(),
});
const group = z.object({
  GroupId: z.string(),
  GroupName: z.string().optional(),
  Description: z.string().optional(),
  OwnerId: z.string().optional(),
  VpcId: z.string().optional(),
  IpPermissions: z.array(permission),
  IpPermissionsEgress: z.array(permission).optional(),
});
const networkInterface = z.object({
  NetworkInterfaceId: z.string(),
  Description: z.string().optional(),
  PrivateIpAddress: z.string().optional(),
  PrivateIpAddresses: z.array(z.object({ PrivateIpAddress: z.string(), Primary: z.boolean().optional(), Association: z.object({ PublicIp: z.string().optional() }).loose().optional() })).optional(),
  Ipv6Addresses: z.array(z.object({ Ipv6Address: z.string() }).loose()).optional(),
  Ipv4Prefixes: z.array(z.object({ Ipv4Prefix: z.string() })).optional(),
  Ipv6Prefixes: z.array(z.object({ Ipv6Prefix: z.string() })).optional(),
  Association: z.object({ PublicIp: z.string().optional() }).loose().optional(),
  Groups: z.array(z.object({ GroupId: z.string(), GroupName: z.string().optional() })),
  Attachment: z.object({ InstanceId: z.string().optional() }).loose().optional(),
  TagSet: z.array(z.object({ Key: z.string(), Value: z.string() })).optional(),
});
const securityGroupsOutput = z.object({ SecurityGroups: z.array(group) }).loose();
const interfacesOutput = z.object({ NetworkInterfaces: z.array(networkInterface) }).loose();

type Group = z.infer<typeof group>;
type Permission = z.infer<typeof permission>;
type Interface = z.infer<typeof networkInterface>;

interface Located<T> {
  readonly value: T;
  readonly fileName: string;
  readonly text: string;
  readonly path: JsonPath;
  readonly line: number;
  /** Lines of the entries of IpPermissions (groups only). */
  readonly permissionLines?: readonly number[];
}

interface AwsExport {
  readonly groups: Located<Group>[];
  readonly interfaces: Located<Interface>[];
}

/** One file: the security groups, the interfaces, both merged (`jq -s add`), or a list of such outputs. */
export function readAwsFile(raw: string, fileName: string): AwsExport {
  const text = exportText(raw, fileName, 'the AWS CLI writes UTF-8');
  const value = parseJsonText(text, fileName, hint);
  const parts: { value: unknown; path: JsonPath }[] = Array.isArray(value) ? (value as unknown[]).map((v, i) => ({ value: v, path: [i] })) : [{ value, path: [] }];
  const out: AwsExport = { groups: [], interfaces: [] };
  const wanted = (p: JsonPath): boolean => {
    const rest = p.slice(Array.isArray(value) ? 1 : 0);
    return (rest.length === 2 && (rest[0] === 'SecurityGroups' || rest[0] === 'NetworkInterfaces')) || (rest.length === 4 && rest[0] === 'SecurityGroups' && rest[2] === 'IpPermissions');
  };
  const lines = lineIndex(text, wanted, Array.isArray(value) ? 5 : 4);
  for (const part of parts) {
    const obj = part.value;
    const has = (k: string): boolean => typeof obj === 'object' && obj !== null && k in obj;
    if (!has('SecurityGroups') && !has('NetworkInterfaces')) {
      throw errorAt(text, fileName, part.path, 'expected the JSON of `aws ec2 describe-security-groups` (an object with "SecurityGroups") or of `aws ec2 describe-network-interfaces` (with "NetworkInterfaces")', hint);
    }
    const prefixed = <T>(schema: z.ZodType<T>): T => {
      return validated(schema, obj, text, fileName, hint, part.path);
    };
    if (has('SecurityGroups')) {
      prefixed(securityGroupsOutput).SecurityGroups.forEach((g, i) => {
        const path = [...part.path, 'SecurityGroups', i];
        const line = lines.get(pathKey(path)) ?? 1;
        const permissionLines = g.IpPermissions.map((_, j) => lines.get(pathKey([...path, 'IpPermissions', j])) ?? line);
        out.groups.push({ value: g, fileName, text, path, line, permissionLines });
      });
    }
    if (has('NetworkInterfaces')) {
      prefixed(interfacesOutput).NetworkInterfaces.forEach((n, i) => {
        const path = [...part.path, 'NetworkInterfaces', i];
        out.interfaces.push({ value: n, fileName, text, path, line: lines.get(pathKey(path)) ?? 1 });
      });
    }
  }
  return out;
}

export function awsModels(files: readonly ExportFile[]): FirewallModel[] {
  const all: AwsExport = { groups: [], interfaces: [] };
  for (const f of files) {
    const one = readAwsFile(f.text, f.fileName);
    all.groups.push(...one.groups);
    all.interfaces.push(...one.interfaces);
  }
  const first = files[0]!;
  if (all.interfaces.length === 0) {
    throw new UserError(`${files.map((f) => f.fileName).join(', ')}: no network interfaces, so no address can be placed behind the security groups`, { file: first.fileName, line: 1, column: 1 }, hint);
  }
  if (all.groups.length === 0) {
    throw new UserError(`${files.map((f) => f.fileName).join(', ')}: no security groups, only network interfaces`, { file: first.fileName, line: 1, column: 1 }, hint);
  }
  const groups = new Map<string, Located<Group>>();
  for (const g of all.groups) groups.set(g.value.GroupId, g);
  const wearers = groupMembers(all.interfaces);
  return all.interfaces.map((eni) => interfaceModel(eni, groups, wearers));
}

/** Which private addresses wear each group: what a rule naming the group as its source allows. */
function groupMembers(interfaces: readonly Located<Interface>[]): Map<string, AddressSet> {
  const out = new Map<string, AddressSet>();
  for (const eni of interfaces) {
    const own = privateAddresses(eni);
    for (const g of eni.value.Groups) out.set(g.GroupId, (out.get(g.GroupId) ?? AddressSet.empty).union(own));
  }
  return out;
}

function privateAddresses(eni: Located<Interface>): AddressSet {
  const v = eni.value;
  const texts = [
    ...(v.PrivateIpAddress ? [v.PrivateIpAddress] : []),
    ...(v.PrivateIpAddresses ?? []).map((a) => a.PrivateIpAddress),
    ...(v.Ipv6Addresses ?? []).map((a) => a.Ipv6Address),
    ...(v.Ipv4Prefixes ?? []).map((a) => a.Ipv4Prefix),
    ...(v.Ipv6Prefixes ?? []).map((a) => a.Ipv6Prefix),
  ];
  try {
    return AddressSet.parse(texts);
  } catch (e) {
    if (e instanceof AddressSyntaxError) throw errorAt(eni.text, eni.fileName, eni.path, `network interface ${v.NetworkInterfaceId}: ${e.message}`, hint);
    throw e;
  }
}

/** The addresses the interface answers on: private ones, and the public ones AWS translates to them. */
function protectedAddresses(eni: Located<Interface>): AddressSet {
  const v = eni.value;
  const publics = [v.Association?.PublicIp, ...(v.PrivateIpAddresses ?? []).map((a) => a.Association?.PublicIp)].filter((p): p is string => typeof p === 'string');
  try {
    return privateAddresses(eni).union(AddressSet.parse(publics));
  } catch (e) {
    if (e instanceof AddressSyntaxError) throw errorAt(eni.text, eni.fileName, eni.path, `network interface ${v.NetworkInterfaceId}: ${e.message}`, hint);
    throw e;
  }
}

function interfaceModel(eni: Located<Interface>, groups: Map<string, Located<Group>>, wearers: Map<string, AddressSet>): FirewallModel {
  const protects = protectedAddresses(eni);
  const rules: PolicyRule[] = [];
  const sure: PolicyRule[] = [];
  const doubtful: PolicyRule[] = [];
  for (const worn of eni.value.Groups) {
    const g = groups.get(worn.GroupId);
    if (!g) {
      doubtful.push({ space: PacketSet.product({ destinations: protects }), verdict: 'undecidable', rule: { export: eni.fileName, line: eni.line, text: ruleText(`${eni.value.NetworkInterfaceId} wears ${worn.GroupId}`) }, reason: `the interface wears security group ${worn.GroupId}, which the security-group export does not contain` });
      continue;
    }
    g.value.IpPermissions.forEach((p, i) => {
      const at: JsonPath = [...g.path, 'IpPermissions', i];
      const ref: RuleRef = { export: g.fileName, line: positionLine(g, i), text: ruleText(`${g.value.GroupId}${g.value.GroupName ? ` (${g.value.GroupName})` : ''}: ${permissionText(p)}`) };
      const { allowed, unknown } = permissionSpace(p, at, g, groups, wearers, protects);
      if (!allowed.isEmpty) sure.push({ space: allowed, verdict: 'allow', rule: ref, reason: `allowed by security group ${g.value.GroupId}` });
      for (const u of unknown) doubtful.push({ space: u.space, verdict: 'undecidable', rule: ref, reason: u.reason });
    });
  }
  // Allows are a union, so an allow that surely applies hides a doubtful one; doubts come after every sure allow.
  rules.push(...sure, ...doubtful);
  const decide = firstMatch(rules, { verdict: 'deny', rule: null, reason: `no rule of the security groups ${eni.value.Groups.map((g) => g.GroupId).join(', ')} allows it (security groups deny what they do not allow)` });
  return {
    platform: 'aws',
    export: eni.fileName,
    // Cloud models are placed by their addresses; the name tells the findings which interface they are about.
    host: interfaceName(eni.value),
    protects,
    families: [4, 6],
    hooks: ['input'],
    decide,
    warnings: [],
  };
}

function interfaceName(v: Interface): string {
  const tag = v.TagSet?.find((t) => t.Key === 'Name')?.Value;
  return `${v.NetworkInterfaceId}${tag ? ` (${tag})` : v.Attachment?.InstanceId ? ` (${v.Attachment.InstanceId})` : ''}`;
}

function positionLine(g: Located<Group>, i: number): number {
  return g.permissionLines?.[i] ?? g.line;
}

function permissionText(p: Permission): string {
  const ports = p.FromPort === undefined || p.FromPort === -1 ? '' : p.FromPort === p.ToPort ? ` ${p.FromPort}` : ` ${p.FromPort}-${p.ToPort}`;
  const sources = [
    ...(p.IpRanges ?? []).map((r) => r.CidrIp),
    ...(p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6),
    ...(p.PrefixListIds ?? []).map((r) => r.PrefixListId),
    ...(p.UserIdGroupPairs ?? []).map((r) => r.GroupId ?? r.GroupName ?? '?'),
  ];
  return `allow ${p.IpProtocol === '-1' ? 'all traffic' : p.IpProtocol}${ports} from ${sources.join(', ')}`;
}

const protocolNames: Record<string, number> = { tcp: protocolNumbers.tcp, udp: protocolNumbers.udp, icmp: protocolNumbers.icmp, icmpv6: protocolNumbers.ipv6Icmp };

/** The packets one IpPermission allows to `protects`, and the parts it may allow that the export cannot say. */
function permissionSpace(
  p: Permission,
  at: JsonPath,
  g: Located<Group>,
  groups: Map<string, Located<Group>>,
  wearers: Map<string, AddressSet>,
  protects: AddressSet,
): { allowed: PacketSet; unknown: { space: PacketSet; reason: string }[] } {
  const proto = p.IpProtocol.toLowerCase();
  let protocols: Interval[] | undefined;
  if (proto === '-1' || proto === 'all') protocols = undefined;
  else if (proto in protocolNames) protocols = [{ lo: BigInt(protocolNames[proto]!), hi: BigInt(protocolNames[proto]!) }];
  else if (/^\d{1,3}$/.test(proto) && Number(proto) <= 255) protocols = [{ lo: BigInt(proto), hi: BigInt(proto) }];
  else throw errorAt(g.text, g.fileName, [...at, 'IpProtocol'], `expected tcp, udp, icmp, icmpv6, -1 or a protocol number from 0 to 255, found ${JSON.stringify(p.IpProtocol)}`, hint);
  const n = protocols?.[0]?.lo;
  const hasPorts = n === BigInt(protocolNumbers.tcp) || n === BigInt(protocolNumbers.udp);
  let ports: Interval[] | undefined;
  if (hasPorts) {
    const from = p.FromPort ?? -1;
    const to = p.ToPort ?? -1;
    if (from === -1 && to === -1) ports = undefined;
    else if (from < 0 || to > 65535 || from > to) throw errorAt(g.text, g.fileName, [...at, 'FromPort'], `expected FromPort and ToPort from 0 to 65535 with FromPort not above ToPort, found ${from}-${to}`, hint);
    else ports = [{ lo: BigInt(from), hi: BigInt(to) }];
  }
  // ICMP: FromPort is the type (-1 every type) and ToPort the code; the packet space carries the type as the port.
  const icmp = n === BigInt(protocolNumbers.icmp) || n === BigInt(protocolNumbers.ipv6Icmp);
  if (icmp && p.FromPort !== undefined && p.FromPort !== -1) {
    if (p.FromPort < 0 || p.FromPort > 255) throw errorAt(g.text, g.fileName, [...at, 'FromPort'], `expected an ICMP type from 0 to 255 or -1, found ${p.FromPort}`, hint);
    ports = [{ lo: BigInt(p.FromPort), hi: BigInt(p.FromPort) }];
  }
  const family = n === BigInt(protocolNumbers.icmp) ? 4 : n === BigInt(protocolNumbers.ipv6Icmp) ? 6 : undefined;
  const box = (sources: AddressSet | undefined): PacketSet =>
    PacketSet.product({ ...(family ? { family } : {}), ...(sources ? { sources } : {}), destinations: protects, ...(protocols ? { protocols } : {}), ...(ports ? { ports } : {}) });
  const cidrs: string[] = [...(p.IpRanges ?? []).map((r) => r.CidrIp), ...(p.Ipv6Ranges ?? []).map((r) => r.CidrIpv6)];
  let sources: AddressSet;
  try {
    sources = AddressSet.of(cidrs.map((c) => AddressRange.parse(c)));
  } catch (e) {
    if (e instanceof AddressSyntaxError) throw errorAt(g.text, g.fileName, at, e.message, hint);
    throw e;
  }
  const unknown: { space: PacketSet; reason: string }[] = [];
  for (const pair of p.UserIdGroupPairs ?? []) {
    const id = pair.GroupId ?? '';
    const foreign = pair.UserId !== undefined && g.value.OwnerId !== undefined && pair.UserId !== g.value.OwnerId;
    if (!groups.has(id) || foreign || pair.VpcPeeringConnectionId !== undefined) {
      unknown.push({ space: box(undefined), reason: `the rule allows security group ${id || pair.GroupName || '?'}${foreign ? ` of account ${pair.UserId}` : ''}, whose members the exports do not show` });
    } else sources = sources.union(wearers.get(id) ?? AddressSet.empty);
  }
  for (const list of p.PrefixListIds ?? []) {
    unknown.push({ space: box(undefined), reason: `the rule allows prefix list ${list.PrefixListId}, whose addresses the export does not contain` });
  }
  return { allowed: sources.isEmpty ? PacketSet.empty : box(sources), unknown };
}

export const awsImporter: MultiFileImporter = {
  name: 'aws',
  description: 'AWS: `aws ec2 describe-security-groups` with `aws ec2 describe-network-interfaces` (JSON; both files, or one merged with `jq -s add`)',
  detect(text: string): boolean {
    const head = text.slice(0, 4000);
    // The outputs' own keys; a bare list of groups (a --query) is recognised so that parse can say what is missing.
    return /"(SecurityGroups|NetworkInterfaces|IpPermissions)"\s*:/.test(head);
  },
  // Security groups need no options: --host does not place them (their interfaces' addresses do).
  parse(text: string, fileName: string): FirewallModel[] {
    return awsModels([{ text, fileName }]);
  },
  parseAll(exports: readonly ExportFile[]): FirewallModel[] {
    return awsModels(exports);
  },
};
