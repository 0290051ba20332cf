import { AddressSyntaxError } from '../../net/address.js';
import { UserError } from '../../topology/errors.js';
import { ruleText, type FirewallModel, type Importer, type ImportOptions, type RuleRef } from '../model.js';
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
 * The English text of `netsh advfirewall firewall show rule name=all verbose`, optionally followed by
 * `netsh advfirewall show allprofiles` (or `show currentprofile`). Documented by Microsoft at
 * learn.microsoft.com/previous-versions/windows/it-pro/windows-server-2008-r2-and-2008/dd734783(v=ws.10)
 * ("Netsh AdvFirewall Firewall Commands"). One block per rule: `Rule Name:` then a line of dashes, then
 * `Field:   value` lines; a value may continue on indented lines (ICMP type/code tables, long address lists).
 */

const hint = 'export with `netsh advfirewall firewall show rule name=all verbose > host.txt` (English), optionally followed by `netsh advfirewall show allprofiles >> host.txt`; or use the PowerShell exporter (`scomfw export-script windows`), which does not depend on the display language';

/** A netsh field: its name, value lines and the line it starts on. */
export interface NetshField {
  readonly name: string;
  readonly value: string;
  readonly line: number;
}

export interface NetshBlock {
  readonly kind: 'rule' | 'profile';
  /** Rule name, or the profile (`Domain`, `Private`, `Public`, `Current`) for a profile section. */
  readonly title: string;
  readonly line: number;
  readonly fields: readonly NetshField[];
}

const ruleHeader = /^Rule Name:\s*(.*)$/;
const profileHeader = /^(Domain|Private|Public|Current) Profile Settings:\s*$/;
const fieldLine = /^([A-Za-z][A-Za-z ]*?):(?:\s+(.*))?$/;
const settingLine = /^([A-Za-z][A-Za-z ]*?)\s{2,}(\S.*)$/;
const dashes = /^-{10,}\s*$/;
/** A field line of any language: a label, a colon (or full-width colon), spaces, a value. */
const anyLabel = /^[^\s:：][^:：]{0,60}[:：]\s{2,}\S/;

/** Text → blocks with line numbers. Throws a positioned UserError for text that is not English netsh output. */
export function parseNetshText(text: string, fileName: string): NetshBlock[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\n|\r/);
  const blocks: { kind: 'rule' | 'profile'; title: string; line: number; fields: NetshField[] }[] = [];
  let current: (typeof blocks)[number] | undefined;
  let last: { name: string; value: string[]; line: number } | undefined;
  const flush = (): void => {
    if (current && last) current.fields.push({ name: last.name, value: last.value.join('\n'), line: last.line });
    last = undefined;
  };
  lines.forEach((raw, i) => {
    const n = i + 1;
    const line = raw.trimEnd();
    if (line === '' || dashes.test(line) || /^Ok\.$/.test(line) || /^No rules match the specified criteria\.$/.test(line)) {
      if (line === '' && current?.kind === 'rule') flush();
      return;
    }
    const rule = ruleHeader.exec(line);
    const profile = profileHeader.exec(line);
    if (rule || profile) {
      flush();
      current = rule ? { kind: 'rule', title: rule[1]!.trim(), line: n, fields: [] } : { kind: 'profile', title: profile![1]!, line: n, fields: [] };
      blocks.push(current);
      return;
    }
    if (current === undefined) throw notNetsh(line, n, fileName, blocks.length);
    if (/^\s/.test(raw) && last) {
      last.value.push(line.trim());
      return;
    }
    const m = current.kind === 'rule' ? fieldLine.exec(line) : (settingLine.exec(line) ?? fieldLine.exec(line));
    if (!m && last && /^description$/i.test(last.name)) {
      last.value.push(line.trim()); // a description that runs over several lines
      return;
    }
    if (!m) {
      if (current.kind === 'profile') return; // section titles such as "Logging:" inside a profile
      throw new UserError(`expected a "Field:   value" line of a netsh rule, found ${JSON.stringify(line.slice(0, 60))}`, { file: fileName, line: n, column: 1 }, hint);
    }
    flush();
    last = { name: m[1]!.trim(), value: [(m[2] ?? '').trim()], line: n };
  });
  flush();
  if (blocks.length === 0) throw notNetsh(lines.find((l) => l.trim() !== '') ?? '', 1, fileName, 0);
  return blocks;
}

function notNetsh(line: string, n: number, fileName: string, known: number): UserError {
  if (known === 0 && anyLabel.test(line)) {
    return new UserError(
      `this looks like netsh output in a language other than English (${JSON.stringify(line.split(/[:：]/)[0]!.trim())} is not "Rule Name")`,
      { file: fileName, line: n, column: 1 },
      `netsh translates its field names; run it on an English display language (or \`chcp 437\` first, which helps only on some systems), or use the PowerShell exporter: ${hint}`,
    );
  }
  return new UserError(`expected "Rule Name:" or a "... Profile Settings:" line of netsh output, found ${JSON.stringify(line.slice(0, 60))}`, { file: fileName, line: n, column: 1 }, hint);
}

// ---------------------------------------------------------------------------------------------------------------

const knownRuleFields = new Set([
  'rule name',
  'description',
  'enabled',
  'direction',
  'profiles',
  'grouping',
  'localip',
  'remoteip',
  'protocol',
  'localport',
  'remoteport',
  'edge traversal',
  'program',
  'service',
  'interfacetypes',
  'security',
  'rule source',
  'action',
]);

/** Fields that restrict a rule in ways the export does not let the audit evaluate. */
const restrictingFields = new Set(['remotecomputergroup', 'remoteusergroup', 'localusergroup', 'rmtcomputergrp', 'rmtusrgrp', 'owner']);

function field(block: NetshBlock, name: string): NetshField | undefined {
  return block.fields.find((f) => f.name.toLowerCase() === name);
}

function ruleOf(block: NetshBlock, fileName: string): WindowsRule {
  const ref: RuleRef = { export: fileName, line: block.line, text: ruleText(`Rule Name: ${block.title}`) };
  const get = (name: string): string | undefined => field(block, name)?.value;
  const fail = (name: string, expected: string): UserError => {
    const f = field(block, name);
    return new UserError(`rule "${block.title}": ${name} expected ${expected}, found ${JSON.stringify(f?.value ?? '')}`, { file: fileName, line: f?.line ?? block.line, column: 1 }, hint);
  };
  const yesNo = (name: string): boolean => {
    const v = (get(name) ?? '').toLowerCase();
    if (v === 'yes') return true;
    if (v === 'no') return false;
    throw fail(name, 'Yes or No');
  };
  const enabled = yesNo('enabled');
  const direction = (get('direction') ?? '').toLowerCase();
  if (direction !== 'in' && direction !== 'out') throw fail('direction', 'In or Out');
  const action = (get('action') ?? '').toLowerCase();
  if (action !== 'allow' && action !== 'block' && action !== 'bypass') throw fail('action', 'Allow, Block or Bypass');
  const profiles = windowsProfileList(get('profiles') ?? 'Any');
  if (!profiles) throw fail('profiles', 'Domain, Private, Public or Any, separated by commas');

  const protocolField = get('protocol') ?? 'Any';
  const [protocolText = 'Any', ...icmpLines] = protocolField.split('\n');
  const protocols = windowsProtocol(protocolText);
  const notUnderstood: string[] = [];
  for (const f of block.fields) {
    const name = f.name.toLowerCase();
    if (restrictingFields.has(name)) notUnderstood.push(`${f.name} ${f.value}`);
    else if (!knownRuleFields.has(name)) notUnderstood.push(`field "${f.name}"`);
  }
  let ports;
  try {
    ports = windowsPorts([get('localport') ?? 'Any']);
  } catch (e) {
    throw fail('localport', `a port list (${(e as Error).message})`);
  }
  const remotePorts = windowsPorts([(get('remoteport') ?? 'Any').replace(/\n/g, ',')]);
  const addresses = (name: string) => {
    try {
      return windowsAddresses([(get(name) ?? 'Any').replace(/\n/g, ',')]);
    } catch (e) {
      if (e instanceof AddressSyntaxError) throw fail(name, `addresses (a, a/len, a/mask, a-b, Any or a keyword such as LocalSubnet): ${e.message}`);
      throw e;
    }
  };
  const program = get('program');
  const service = get('service');
  const interfaceTypes = get('interfacetypes');
  const security = get('security');
  return {
    ref,
    name: block.title,
    enabled,
    inbound: direction === 'in',
    action,
    profiles,
    ...(protocols ? { protocols } : {}),
    ...(protocols === null ? { unknownProtocol: protocolText } : {}),
    ...(!ports.any && ports.ranges.length > 0 ? { localPorts: ports.ranges } : {}),
    portKeywords: ports.keywords,
    remotePortsAny: remotePorts.any,
    ...(icmpLines.length > 0 ? { icmpTypes: icmpTypesOf(icmpLines) } : {}),
    local: addresses('localip'),
    remote: addresses('remoteip'),
    ...(program && !/^any$/i.test(program) ? { program } : {}),
    ...(service && !/^any$/i.test(service) ? { service } : {}),
    ...(interfaceTypes && !/^any$/i.test(interfaceTypes) ? { interfaces: `of type ${interfaceTypes}` } : {}),
    ...(security && !/^notrequired$/i.test(security) ? { security } : {}),
    notUnderstood,
  };
}

/** The rows under `Type    Code` of an ICMP rule: the type column of each. */
function icmpTypesOf(lines: readonly string[]): string[] {
  return lines.filter((l) => !/^type\s+code$/i.test(l.trim())).map((l) => l.trim().split(/\s+/)[0]!);
}

function profileOf(block: NetshBlock, fileName: string): WindowsProfileState[] {
  const state = field(block, 'state');
  const policy = field(block, 'firewall policy');
  const fail = (f: NetshField | undefined, expected: string): UserError =>
    new UserError(`${block.title} profile: expected ${expected}, found ${JSON.stringify(f?.value ?? '(nothing)')}`, { file: fileName, line: f?.line ?? block.line, column: 1 }, hint);
  if (!state || !/^(on|off)$/i.test(state.value)) throw fail(state, 'State ON or OFF');
  const inbound = policy?.value.split(',')[0]?.trim().toLowerCase() ?? '';
  if (!['blockinbound', 'blockinboundalways', 'allowinbound', 'notconfigured'].includes(inbound)) throw fail(policy, 'Firewall Policy such as BlockInbound,AllowOutbound');
  const ref: RuleRef = { export: fileName, line: policy!.line, text: ruleText(`${block.title} Profile: State ${state.value}, Firewall Policy ${policy!.value}`) };
  const names: WindowsProfile[] = block.title === 'Current' ? [] : [block.title.toLowerCase() as WindowsProfile];
  return names.map((profile) => ({
    profile,
    enabled: /^on$/i.test(state.value),
    blockAll: inbound === 'blockinboundalways',
    defaultInbound: inbound === 'allowinbound' ? 'allow' : 'block',
    ref,
  }));
}

export function netshModel(text: string, fileName: string, options: ImportOptions): FirewallModel {
  const blocks = parseNetshText(text, fileName);
  const rules = blocks.filter((b) => b.kind === 'rule').map((b) => ruleOf(b, fileName));
  const profiles = new Map<WindowsProfile, WindowsProfileState>();
  for (const b of blocks.filter((b) => b.kind === 'profile')) for (const p of profileOf(b, fileName)) profiles.set(p.profile, p);
  for (const p of windowsProfiles) if (!profiles.has(p)) profiles.set(p, assumedProfile(p));
  return windowsModel({
    export: fileName,
    ...(options.host !== undefined ? { host: options.host } : {}),
    rules,
    profiles,
    candidates: windowsProfiles,
    candidatesWhy: 'netsh does not say which profile is active (the PowerShell exporter does)',
  });
}

export const netshImporter: Importer = {
  name: 'netsh',
  description: 'Windows Firewall: `netsh advfirewall firewall show rule name=all verbose` (English), `show allprofiles` appended optionally',
  detect(text: string): boolean {
    const head = text.replace(/^\uFEFF/, '').slice(0, 4000);
    if (/^Rule Name:/m.test(head) || /^(Domain|Private|Public) Profile Settings:/m.test(head)) return true;
    // Another language: label-colon-value lines under a line of dashes, as netsh writes them; parse refuses it.
    const lines = head.split(/\r\n|\n|\r/);
    return lines.some((l, i) => anyLabel.test(l) && dashes.test(lines[i + 1] ?? ''));
  },
  parse(text: string, fileName: string, options: ImportOptions): FirewallModel[] {
    return [netshModel(text, fileName, options)];
  },
};
