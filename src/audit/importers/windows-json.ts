import { z } from 'zod';
import { AddressSyntaxError } from '../../net/address.js';
import { ruleText, type FirewallModel, type Importer, type ImportOptions, type RuleRef } from '../model.js';
import { errorAt, exportText, lineIndex, parseJsonText, pathKey, validated } from './json-source.js';
import {
  assumedProfile,
  windowsAddresses,
  windowsModel,
  windowsPorts,
  windowsProfileList,
  windowsProfiles,
  windowsProtocol,
  type WindowsProfile,
  type WindowsProfileState,
  type WindowsRule,
} from './windows-policy.js';

/**
 * The JSON that scomfw's PowerShell exporter writes (src/audit/exporters/windows-firewall.ps1, printed by
 * `scomfw export-script windows`). Property names and values are those of the NetSecurity cmdlets the script calls
 * (learn.microsoft.com/powershell/module/netsecurity/), enums written as their names.
 */

const hint = 'export on the Windows host with the script `scomfw export-script windows` prints: `powershell -NoProfile -ExecutionPolicy Bypass -File windows-firewall.ps1 -Path <host>.json`';

const stringList = z.array(z.string());

const ruleSchema = z.strictObject({
  Name: z.string(),
  DisplayName: z.string(),
  Group: z.string().optional(),
  Enabled: z.enum(['True', 'False']),
  Direction: z.enum(['Inbound', 'Outbound']),
  Action: z.enum(['Allow', 'Block', 'NotConfigured']),
  Profile: z.string(),
  EdgeTraversalPolicy: z.string().optional(),
  PrimaryStatus: z.string().optional(),
  PolicyStoreSource: z.string().optional(),
  Protocol: z.string(),
  LocalPort: stringList,
  RemotePort: stringList,
  IcmpType: stringList,
  LocalAddress: stringList,
  RemoteAddress: stringList,
  Program: z.string(),
  Package: z.string().optional(),
  Service: z.string(),
  InterfaceAlias: stringList,
  InterfaceType: z.string(),
  Authentication: z.string().optional(),
  Encryption: z.string().optional(),
  OverrideBlockRules: z.string().optional(),
});

const profileSchema = z.strictObject({
  Name: z.enum(['Domain', 'Private', 'Public']),
  Enabled: z.enum(['True', 'False', 'NotConfigured']),
  DefaultInboundAction: z.enum(['Block', 'Allow', 'NotConfigured']),
});

const connectionSchema = z.strictObject({
  InterfaceAlias: z.string(),
  NetworkCategory: z.enum(['Public', 'Private', 'DomainAuthenticated']),
});

/** The exporter's output, version 1. */
export const windowsExportSchema = z.strictObject({
  format: z.literal('scomfw-windows-firewall'),
  version: z.literal(1),
  computerName: z.string(),
  exportedAt: z.string(),
  profiles: z.array(profileSchema),
  connections: z.array(connectionSchema),
  rules: z.array(ruleSchema),
});

export type WindowsExport = z.infer<typeof windowsExportSchema>;
type ExportRule = z.infer<typeof ruleSchema>;

const categoryProfile: Record<string, WindowsProfile> = { DomainAuthenticated: 'domain', Private: 'private', Public: 'public' };

export function windowsJsonModel(raw: string, fileName: string, options: ImportOptions): FirewallModel {
  const text = exportText(raw, fileName, 'the exporter\'s -Path parameter writes UTF-8');
  const data = validated(windowsExportSchema, parseJsonText(text, fileName, hint), text, fileName, hint);
  const lines = lineIndex(text, (p) => (p.length === 2 && (p[0] === 'rules' || p[0] === 'profiles')) || (p.length === 1 && p[0] === 'connections'), 2);
  const rules = data.rules.map((r, i) => ruleOf(r, i, lines.get(pathKey(['rules', i])) ?? 1, text, fileName));
  const profiles = new Map<WindowsProfile, WindowsProfileState>();
  data.profiles.forEach((p, i) => {
    const ref: RuleRef = { export: fileName, line: lines.get(pathKey(['profiles', i])) ?? 1, text: ruleText(`${p.Name} profile: Enabled ${p.Enabled}, DefaultInboundAction ${p.DefaultInboundAction}`) };
    // NotConfigured in the ActiveStore means neither local nor group policy set it: Windows' default applies
    // (firewall on, inbound blocked; learn.microsoft.com/powershell/module/netsecurity/set-netfirewallprofile).
    profiles.set(p.Name.toLowerCase() as WindowsProfile, { profile: p.Name.toLowerCase() as WindowsProfile, enabled: p.Enabled !== 'False', blockAll: false, defaultInbound: p.DefaultInboundAction === 'Allow' ? 'allow' : 'block', ref });
  });
  for (const p of windowsProfiles) if (!profiles.has(p)) profiles.set(p, assumedProfile(p));
  const active = [...new Set(data.connections.map((c) => categoryProfile[c.NetworkCategory]!))];
  const candidates = active.length > 0 ? active : [...windowsProfiles];
  const candidatesWhy =
    active.length === 1
      ? `the ${active[0]} profile is active`
      : active.length > 1
        ? `the host's interfaces are in different profiles (${active.join(', ')}) and the packet's interface is not known`
        : 'the export names no connected interface, so any profile may be active';
  return windowsModel({ export: fileName, ...(options.host !== undefined ? { host: options.host } : {}), rules, profiles, candidates, candidatesWhy });
}

function ruleOf(r: ExportRule, i: number, line: number, text: string, fileName: string): WindowsRule {
  const at = (key: string) => ['rules', i, key];
  const ref: RuleRef = { export: fileName, line, text: ruleText(`${r.DisplayName} (${r.Name}): ${r.Action} ${r.Protocol} ${r.LocalPort.join(',')} from ${r.RemoteAddress.join(',')}`) };
  const profiles = windowsProfileList(r.Profile);
  if (!profiles) throw errorAt(text, fileName, at('Profile'), `expected Domain, Private, Public or Any, found ${JSON.stringify(r.Profile)}`, hint);
  const addresses = (key: 'LocalAddress' | 'RemoteAddress') => {
    try {
      return windowsAddresses(r[key]);
    } catch (e) {
      if (e instanceof AddressSyntaxError) throw errorAt(text, fileName, at(key), e.message, `addresses are written a, a/len, a/mask, a-b, Any or a keyword such as LocalSubnet; ${hint}`);
      throw e;
    }
  };
  const ports = (key: 'LocalPort' | 'RemotePort') => {
    try {
      return windowsPorts(r[key]);
    } catch (e) {
      throw errorAt(text, fileName, at(key), (e as Error).message, hint);
    }
  };
  const protocols = windowsProtocol(r.Protocol);
  const local = ports('LocalPort');
  const icmp = r.IcmpType.filter((t) => !/^any$/i.test(t));
  const interfaces = [...r.InterfaceAlias.filter((a) => !/^any$/i.test(a)).map((a) => `"${a}"`), ...(/^any$/i.test(r.InterfaceType) || r.InterfaceType === '' ? [] : [`of type ${r.InterfaceType}`])];
  const security = [r.Authentication, r.Encryption].filter((v) => v !== undefined && v !== '' && !/^(notrequired|any)$/i.test(v));
  const status = r.PrimaryStatus && !/^(ok|)$/i.test(r.PrimaryStatus) ? r.PrimaryStatus : undefined;
  const program = r.Program && !/^any$/i.test(r.Program) ? r.Program : r.Package && !/^any$/i.test(r.Package) && r.Package !== '' ? `package ${r.Package}` : undefined;
  return {
    ref,
    name: r.DisplayName || r.Name,
    enabled: r.Enabled === 'True',
    inbound: r.Direction === 'Inbound',
    action: r.OverrideBlockRules === 'True' ? 'bypass' : r.Action === 'Block' ? 'block' : 'allow',
    profiles,
    ...(protocols ? { protocols } : {}),
    ...(protocols === null ? { unknownProtocol: r.Protocol } : {}),
    ...(!local.any && local.ranges.length > 0 ? { localPorts: local.ranges } : {}),
    portKeywords: local.keywords,
    remotePortsAny: ports('RemotePort').any,
    ...(icmp.length > 0 ? { icmpTypes: icmp.map((t) => t.split(':')[0]!) } : {}),
    local: addresses('LocalAddress'),
    remote: addresses('RemoteAddress'),
    ...(program ? { program } : {}),
    ...(r.Service && !/^any$/i.test(r.Service) ? { service: r.Service } : {}),
    ...(interfaces.length > 0 ? { interfaces: interfaces.join(', ') } : {}),
    ...(security.length > 0 ? { security: security.join(', ') } : {}),
    ...(status ? { status } : {}),
    notUnderstood: r.Action === 'NotConfigured' ? ['Action NotConfigured'] : [],
  };
}

export const windowsJsonImporter: Importer = {
  name: 'windows-json',
  description: 'Windows Firewall: the JSON of the PowerShell exporter `scomfw export-script windows` prints',
  detect(text: string): boolean {
    // NULs: a UTF-16 file read as UTF-8 (parse then refuses it with a hint about the encoding).
    return /"format"\s*:\s*"scomfw-windows-firewall"/.test(text.slice(0, 4000).replaceAll('\u0000', ''));
  },
  parse(text: string, fileName: string, options: ImportOptions): FirewallModel[] {
    return [windowsJsonModel(text, fileName, options)];
  },
};
