import { closeInstallReminder } from '../plan/maintenance.js';
import type { Family } from '../net/address.js';
import type { AddressSet } from '../net/address-set.js';
import type { Endpoint, Plan } from '../plan/types.js';
import { UserError } from '../topology/errors.js';
import { powerShellCommentText, powerShellString } from './escape.js';
import { describeGroup, inboundGroups, listeningHosts, type RuleGroup } from './rules.js';
import type { RenderedFile, RenderOptions, Target } from './types.js';

/*
 * The Windows Firewall rule model is shared by this target and netsh (which imports it from here): the same rule
 * names, display names, descriptions and address entries, whichever tool writes them.
 */

/**
 * Address entries one Windows Firewall rule can hold. Microsoft documents no limit; the community reports rules
 * failing above about 1,000 entries, so larger source sets are split into several rules.
 */
export const maxEntriesPerRule = 1000;

export type WindowsProtocol = 'TCP' | 'UDP' | 'ICMPv4' | 'ICMPv6';

/** `scomfw` holds every rule; install-only rules go to `scomfw-install` so they can be closed as one. */
export type WindowsGroup = 'scomfw' | 'scomfw-install';

/** One plan rule group as Windows Firewall needs it: one protocol (ICMP: one family), all its source entries. */
export interface WindowsRuleSet {
  /** Stable and unique on the host, so reruns update rules instead of adding copies: `scomfw-tcp-5723-always`. */
  readonly name: string;
  /** `SCOM - agent to management server (TCP 5723)`. */
  readonly title: string;
  /** Shown after the title in brackets: `install only`, `IPv4`. */
  readonly qualifiers: readonly string[];
  readonly group: WindowsGroup;
  readonly description: string;
  readonly protocol: WindowsProtocol;
  /** `5723` or `49152-65535`; absent for ICMP. */
  readonly localPort?: string;
  /** ICMP echo request: 8 for ICMPv4, 128 for ICMPv6. */
  readonly icmpType?: number;
  /** The sources as merged entries (single address, CIDR or `a-b`), never empty. */
  readonly remoteAddresses: readonly string[];
}

/** One rule as written: a rule set, or one part of a rule set split over the entry limit. */
export interface WindowsRule {
  readonly set: WindowsRuleSet;
  /** The set's name for part 1, then `-2`, `-3`, … */
  readonly name: string;
  readonly displayName: string;
  readonly part: number;
  readonly parts: number;
  readonly remoteAddresses: readonly string[];
}

/** The Windows hosts to write for: every one that accepts a flow, or the one options.host names. */
export function windowsHosts(plan: Plan, options: RenderOptions): Endpoint[] {
  const hosts = listeningHosts(plan).filter((h) => h.os === 'windows');
  if (options.host === undefined) return hosts;
  const host = hosts.find((h) => h.name === options.host);
  if (host) return [host];
  const known = plan.hosts.find((h) => h.name === options.host);
  const why = known ? `is not a Windows host that accepts flows (os ${known.os})` : 'is not a host of this plan';
  throw new UserError(`${options.host} ${why}`, undefined, `choose one of ${summarizeNames(hosts.map((h) => h.name), 20) || '(none)'}`);
}

/** The rule sets a host needs, in plan order; throws on anything that would widen a rule or break a script. */
export function windowsRuleSets(plan: Plan, host: Endpoint): WindowsRuleSet[] {
  const sets = inboundGroups(plan, host.name).flatMap((g) => ruleSetsOf(plan, g));
  const names = new Set<string>();
  for (const s of sets) {
    // inboundGroups gives a host one group per (protocol, ports, phase), which the name spells out; a clash
    // would mean two rules overwriting each other on every run, so it stops the render instead.
    if (names.has(s.name)) throw new Error(`two rule groups on ${host.name} would share the rule name ${s.name}`);
    names.add(s.name);
  }
  return sets;
}

function ruleSetsOf(plan: Plan, g: RuleGroup): WindowsRuleSet[] {
  if (g.sourceAddresses.isEmpty) {
    // An empty remote address list means "any address" to Windows Firewall: never write one.
    throw new Error(`the rule group ${describeGroup(g)} has no source addresses`);
  }
  const phase = phaseOf(g);
  const installOnly = phase === 'install' ? ['install only'] : [];
  if (g.protocol !== 'icmp') {
    const port = localPortOf(g);
    const name = `scomfw-${g.protocol}-${port}-${phase}`;
    return [ruleSet(plan, g, name, portProtocolOf(g.protocol), g.sourceAddresses, installOnly, { localPort: port })];
  }
  return ([4, 6] as const)
    .filter((family) => g.sourceAddresses.has(family))
    .map((family) => {
      const protocol = icmpProtocols[family];
      const name = `scomfw-${protocol.toLowerCase()}-echo-${phase}`;
      return ruleSet(plan, g, name, protocol, g.sourceAddresses.only(family), [`IPv${family}`, ...installOnly], { icmpType: icmpEchoTypes[family] });
    });
}

const icmpProtocols: Record<Family, WindowsProtocol> = { 4: 'ICMPv4', 6: 'ICMPv6' };
const icmpEchoTypes: Record<Family, number> = { 4: 8, 6: 128 };

function ruleSet(
  plan: Plan,
  g: RuleGroup,
  name: string,
  protocol: WindowsProtocol,
  sources: AddressSet,
  qualifiers: string[],
  match: { localPort: string } | { icmpType: number },
): WindowsRuleSet {
  return {
    name,
    title: `SCOM - ${describeGroup(g)}`,
    qualifiers,
    group: g.phase === 'install' ? 'scomfw-install' : 'scomfw',
    description: descriptionOf(plan, g),
    protocol,
    ...match,
    remoteAddresses: sources.toRangeEntries(),
  };
}

/** The phase, checked: it ends up in rule names and decides the group. */
function phaseOf(g: RuleGroup): 'always' | 'install' {
  if (g.phase !== 'always' && g.phase !== 'install') throw new Error(`unknown phase ${JSON.stringify(g.phase)}`);
  return g.phase;
}

/** TCP or UDP; anything else is refused rather than written into a rule name. */
function portProtocolOf(protocol: string): WindowsProtocol {
  if (protocol === 'tcp') return 'TCP';
  if (protocol === 'udp') return 'UDP';
  throw new Error(`unknown protocol ${JSON.stringify(protocol)}`);
}

/** `5723` or `49152-65535`, from ports checked to be whole numbers 1–65535. */
function localPortOf(g: RuleGroup): string {
  const p = g.ports;
  const valid = (n: number) => Number.isInteger(n) && n >= 1 && n <= 65535;
  if (!p || !valid(p.from) || !valid(p.to) || p.from > p.to) throw new Error(`invalid ports for ${g.protocol}: ${JSON.stringify(p)}`);
  return p.from === p.to ? `${p.from}` : `${p.from}-${p.to}`;
}

/** Catalog rows, sources and flow notes: what an auditor reading the rule in wf.msc needs to trace it back. */
function descriptionOf(plan: Plan, g: RuleGroup): string {
  const notes = [...new Set(g.flows.flatMap((f) => f.notes))].sort();
  return [
    `scomfw, management group ${plan.managementGroup}.`,
    `Catalog rows: ${g.rows.join(', ')}.`,
    `Sources: ${summarizeNames(g.sources.map((s) => s.name), 10)}.`,
    ...(notes.length ? [`Notes: ${summarizeNames(notes, 10, '; ')}.`] : []),
  ].join(' ');
}

/** `a, b, c` or `a, b and 7 more`: descriptions stay short however many sources a group has. */
function summarizeNames(names: readonly string[], max: number, separator = ', '): string {
  if (names.length <= max) return names.join(separator);
  return `${names.slice(0, max).join(separator)} and ${names.length - max} more`;
}

/**
 * The rules a set is written as: one, or several when its entries pass `maxEntries` (or, for netsh, the room left
 * on a cmd.exe line: `maxChars` of comma-joined entries). Together the parts hold exactly the set's entries.
 */
export function splitRuleSet(set: WindowsRuleSet, limits: { maxEntries: number; maxChars?: number }): WindowsRule[] {
  const maxChars = limits.maxChars ?? Infinity;
  const chunks: string[][] = [];
  let chunk: string[] = [];
  let chars = 0;
  for (const entry of set.remoteAddresses) {
    if (entry.length > maxChars) throw new Error(`no room for the address entry ${entry} in rule ${set.name}`);
    if (chunk.length >= limits.maxEntries || (chunk.length > 0 && chars + 1 + entry.length > maxChars)) {
      chunks.push(chunk);
      chunk = [];
      chars = 0;
    }
    chars += (chunk.length > 0 ? 1 : 0) + entry.length;
    chunk.push(entry);
  }
  chunks.push(chunk);
  return chunks.map((remoteAddresses, i) => {
    const qualifiers = chunks.length > 1 ? [...set.qualifiers, `part ${i + 1} of ${chunks.length}`] : set.qualifiers;
    return {
      set,
      name: i === 0 ? set.name : `${set.name}-${i + 1}`,
      displayName: qualifiers.length ? `${set.title} [${qualifiers.join(', ')}]` : set.title,
      part: i + 1,
      parts: chunks.length,
      remoteAddresses,
    };
  });
}

const profileNames = ['Any', 'Domain', 'Private', 'Public'] as const;

/** The firewall profiles from `--profile` (`Domain,Private`), in canonical spelling; default Any. */
export function windowsProfiles(option: string | undefined): string[] {
  if (option === undefined) return ['Any'];
  const hint = 'write Any, or one or more of Domain, Private, Public separated by commas';
  const picked = option.split(',').map((p) => {
    const name = profileNames.find((n) => n.toLowerCase() === p.trim().toLowerCase());
    if (!name) throw new UserError(`unknown Windows Firewall profile ${JSON.stringify(p.trim())}`, undefined, hint);
    return name;
  });
  const unique = [...new Set(picked)].sort((a, b) => profileNames.indexOf(a) - profileNames.indexOf(b));
  if (unique.includes('Any') && unique.length > 1) throw new UserError('the profile Any cannot be combined with others', undefined, hint);
  return unique;
}

/** `1 rule`, `5 rules`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** A host (or group) name as a file name: DNS-like characters only, never a path or a Windows device name. */
export function hostFileStem(name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/.test(name)) throw new Error(`the host name ${JSON.stringify(name)} cannot be used as a file name`);
  if (/^(con|prn|aux|nul|com\d|lpt\d)(\.|$)/i.test(name)) throw new Error(`the host name ${JSON.stringify(name)} is a reserved device name on Windows`);
  return name;
}

// ---------------------------------------------------------------------------------------------------------------
// PowerShell

const groups: readonly WindowsGroup[] = ['scomfw', 'scomfw-install'];

/** The policy store to default to: the local persistent store, or a GPO written `domain\GPO name`. */
function policyStoreOf(option: string | undefined): string {
  const store = option ?? 'PersistentStore';
  const gpo = /^[^\\]+\\[^\\]+$/.test(store) && /^[\x20-\x7e]+$/.test(store);
  if (store !== 'PersistentStore' && !gpo) {
    throw new UserError(`cannot write firewall rules to the policy store ${JSON.stringify(store)}`, undefined, "use PersistentStore (this computer) or a GPO as 'contoso.com\\SCOM Firewall'");
  }
  return store;
}

interface ScriptContext {
  readonly plan: Plan;
  readonly host: Endpoint;
  readonly stem: string;
  readonly rules: readonly WindowsRule[];
  readonly profiles: readonly string[];
  readonly policyStore: string;
}

export const windowsPowerShell: Target = {
  name: 'windows-powershell',
  summary: 'PowerShell scripts per Windows host: New/Set-NetFirewallRule, idempotent, with close-install and remove scripts',
  render(plan: Plan, options: RenderOptions): RenderedFile[] {
    const profiles = windowsProfiles(options.profile);
    const policyStore = policyStoreOf(options.policyStore);
    return windowsHosts(plan, options).flatMap((host) => {
      const rules = windowsRuleSets(plan, host).flatMap((s) => splitRuleSet(s, { maxEntries: maxEntriesPerRule }));
      const ctx: ScriptContext = { plan, host, stem: hostFileStem(host.name), rules, profiles, policyStore };
      return [
        { path: `${ctx.stem}.ps1`, content: crlf(applyScript(ctx)) },
        { path: `${ctx.stem}.close-install.ps1`, content: crlf(closeInstallScript(ctx)) },
        { path: `${ctx.stem}.remove.ps1`, content: crlf(removeScript(ctx)) },
      ];
    });
  },
};

/** Windows line endings: Notepad before Windows Server 2019 shows a file without them as one line. */
function crlf(lines: readonly string[]): string {
  return lines.map((l) => `${l}\r\n`).join('');
}

/** `# ` comment lines, every value checked so that it cannot leave its comment. */
function comments(lines: readonly string[]): string[] {
  return lines.map((l) => (l ? `# ${powerShellCommentText(l)}` : '#'));
}

function origin(ctx: ScriptContext): string {
  return `Generated by scomfw from management group ${ctx.plan.managementGroup}, catalog ${ctx.plan.catalog}, phase ${ctx.plan.phase}.`;
}

function applyScript(ctx: ScriptContext): string[] {
  const total = ctx.rules.length;
  const install = ctx.rules.filter((r) => r.set.group === 'scomfw-install').length;
  const name = ctx.host.name;
  return [
    ...comments([
      '.SYNOPSIS',
      `    Opens the inbound Windows Firewall ports SCOM needs on ${name}, each only to the sources that need it.`,
      '',
      '.DESCRIPTION',
      `    ${origin(ctx)}`,
      '    Do not edit: change the deployment file and render again.',
      `    Writes ${plural(total, 'inbound allow rule')}: ${total - install} in group scomfw, ${install} install-only in group scomfw-install.`,
      '    Safe to rerun: an existing rule (found by -Name) is updated in place, a missing one is created, and rules',
      '    in groups scomfw and scomfw-install that this plan no longer has are removed.',
      '',
      '.PARAMETER PolicyStore',
      '    PersistentStore (the rules of this computer) or a GPO written as contoso.com\\SCOM Firewall. A GPO holds one',
      '    host\'s rules: a run removes every scomfw rule of the store that this script does not write.',
      '',
      '.PARAMETER Profile',
      '    The firewall profiles the rules apply to: Any, or one or more of Domain, Private, Public.',
      '',
      '.EXAMPLE',
      `    .\\${ctx.stem}.ps1 -WhatIf`,
      '    Shows every change without making it.',
      '',
      '.EXAMPLE',
      `    Invoke-Command -ComputerName ${name} -FilePath .\\${ctx.stem}.ps1`,
      '    Applies the rules on the host from a management workstation.',
      '',
      '.NOTES',
      '    Run elevated (local store) or as an editor of the GPO. Windows PowerShell 5.1 or later.',
      `    Roll back: ${ctx.stem}.close-install.ps1 removes the install-only rules once SCOM is installed;`,
      `    ${ctx.stem}.remove.ps1 removes every rule scomfw made.`,
    ]),
    '',
    '#Requires -Modules NetSecurity',
    '',
    ...paramBlock(ctx, true),
    '',
    ...preamble(),
    '$script:created = 0',
    '$script:updated = 0',
    '$script:removed = 0',
    '$script:planned = @()',
    '',
    ...setRuleFunction(),
    ...ctx.rules.flatMap(ruleCall),
    '',
    '# Rules of earlier runs that this plan no longer has (a port moved, a host left): remove them.',
    ...removalLoop(groups, 'Remove firewall rule the plan no longer has', '$script:removed', '$script:planned -notcontains $_.Name'),
    '',
    `$summary = 'scomfw on {0}: {1} created, {2} updated, {3} removed; {4} rules planned in store {5}' -f ${powerShellString(name)}, $script:created, $script:updated, $script:removed, $script:planned.Count, $PolicyStore`,
    ...summaryLines(),
  ];
}

function closeInstallScript(ctx: ScriptContext): string[] {
  const installRules = ctx.rules.filter((r) => r.set.group === 'scomfw-install').map((r) => r.name);
  const name = ctx.host.name;
  return [
    ...comments([
      '.SYNOPSIS',
      `    Closes the install-only SCOM ports on ${name} once SCOM is installed.`,
      '',
      '.DESCRIPTION',
      `    ${origin(ctx)}`,
      '    Removes every rule of group scomfw-install (the ports the catalog says can be closed after installation);',
      '    the rules of group scomfw stay. Rules of this plan in that group:',
      ...(installRules.length ? installRules.map((r) => `        ${r}`) : ['        (none)']),
      `    ${ctx.stem}.ps1 would create them again: render with phase: operate before running it next.`,
      ...closeInstallReminder.map((l) => `    ${l}`),
      '',
      '.PARAMETER PolicyStore',
      '    PersistentStore (the rules of this computer) or a GPO written as contoso.com\\SCOM Firewall.',
      '',
      '.EXAMPLE',
      `    .\\${ctx.stem}.close-install.ps1 -WhatIf`,
    ]),
    '',
    '#Requires -Modules NetSecurity',
    '',
    ...paramBlock(ctx, false),
    '',
    ...preamble(),
    '$removed = 0',
    ...removalLoop(['scomfw-install'], 'Remove install-only firewall rule', '$removed'),
    '',
    `$summary = 'scomfw on {0}: {1} install-only rules removed from store {2}' -f ${powerShellString(name)}, $removed, $PolicyStore`,
    ...summaryLines(),
  ];
}

function removeScript(ctx: ScriptContext): string[] {
  const name = ctx.host.name;
  return [
    ...comments([
      '.SYNOPSIS',
      `    Removes every Windows Firewall rule scomfw made on ${name}.`,
      '',
      '.DESCRIPTION',
      `    ${origin(ctx)}`,
      '    Removes the rules of groups scomfw and scomfw-install, including those of earlier plans. Rules that',
      '    SCOM setup or an administrator made are not touched.',
      '',
      '.PARAMETER PolicyStore',
      '    PersistentStore (the rules of this computer) or a GPO written as contoso.com\\SCOM Firewall.',
      '',
      '.EXAMPLE',
      `    .\\${ctx.stem}.remove.ps1 -WhatIf`,
    ]),
    '',
    '#Requires -Modules NetSecurity',
    '',
    ...paramBlock(ctx, false),
    '',
    ...preamble(),
    '$removed = 0',
    ...removalLoop(groups, 'Remove scomfw firewall rule', '$removed'),
    '',
    `$summary = 'scomfw on {0}: {1} rules removed from store {2}' -f ${powerShellString(name)}, $removed, $PolicyStore`,
    ...summaryLines(),
  ];
}

/** `-WhatIf` support, and the store (and profile) defaults the render options chose. */
function paramBlock(ctx: ScriptContext, withProfile: boolean): string[] {
  const store = `    [string]$PolicyStore = ${powerShellString(ctx.policyStore)}`;
  const profile = [
    '',
    "    [ValidateSet('Any', 'Domain', 'Private', 'Public')]",
    `    [string[]]$Profile = @(${ctx.profiles.map(powerShellString).join(', ')})`,
  ];
  return ['[CmdletBinding(SupportsShouldProcess)]', 'param(', '    [ValidateNotNullOrEmpty()]', ...(withProfile ? [`${store},`, ...profile] : [store]), ')'];
}

function preamble(): string[] {
  return [
    'Set-StrictMode -Version 3.0',
    "$ErrorActionPreference = 'Stop'",
    '',
    '# The NetSecurity cmdlets run in their own module and do not see this script\'s preference variables, so each',
    '# change passes -ErrorAction Stop itself and is wrapped in ShouldProcess, which is what makes -WhatIf work.',
  ];
}

/** Creates the rule or updates it in place, found by its -Name; records the name so the cleanup keeps it. */
function setRuleFunction(): string[] {
  return [
    'function Set-ScomfwRule {',
    '    [CmdletBinding(SupportsShouldProcess)]',
    '    param(',
    '        [Parameter(Mandatory)] [string]$Name,',
    '        [Parameter(Mandatory)] [string]$DisplayName,',
    '        [Parameter(Mandatory)] [string]$Group,',
    '        [Parameter(Mandatory)] [string]$Description,',
    '        [Parameter(Mandatory)] [string]$Protocol,',
    '        [string]$LocalPort,',
    '        [string]$IcmpType,',
    '        [Parameter(Mandatory)] [string[]]$RemoteAddress',
    '    )',
    '',
    '    $script:planned += $Name',
    '    $settings = @{',
    '        Description   = $Description',
    '        Profile       = $Profile',
    "        Enabled       = 'True'",
    "        Direction     = 'Inbound'",
    "        Action        = 'Allow'",
    '        Protocol      = $Protocol',
    '        RemoteAddress = $RemoteAddress',
    '    }',
    '    if ($LocalPort) { $settings.LocalPort = $LocalPort }',
    '    if ($IcmpType) { $settings.IcmpType = $IcmpType }',
    '    $existing = Get-NetFirewallRule -Name $Name -PolicyStore $PolicyStore -ErrorAction SilentlyContinue',
    '    if ($null -eq $existing) {',
    "        if ($PSCmdlet.ShouldProcess($Name, 'Create inbound firewall rule')) {",
    '            New-NetFirewallRule -Name $Name -DisplayName $DisplayName -Group $Group -PolicyStore $PolicyStore @settings -ErrorAction Stop | Out-Null',
    '            $script:created++',
    '        }',
    '    }',
    "    elseif ($PSCmdlet.ShouldProcess($Name, 'Update inbound firewall rule')) {",
    '        Set-NetFirewallRule -Name $Name -NewDisplayName $DisplayName -PolicyStore $PolicyStore @settings -ErrorAction Stop',
    '        $script:updated++',
    '    }',
    '}',
  ];
}

/** One call of Set-ScomfwRule, one source entry a line. */
function ruleCall(rule: WindowsRule): string[] {
  const s = rule.set;
  const match = s.localPort !== undefined ? `-LocalPort ${powerShellString(s.localPort)}` : `-IcmpType ${powerShellString(String(s.icmpType))}`;
  const why =
    rule.parts > 1
      ? comments([`Part ${rule.part} of ${rule.parts}: the sources of ${s.name} take ${s.remoteAddresses.length} entries, more than the ${maxEntriesPerRule} a rule holds.`])
      : [];
  return [
    '',
    ...why,
    `Set-ScomfwRule -Name ${powerShellString(rule.name)} \``,
    `    -DisplayName ${powerShellString(rule.displayName)} \``,
    `    -Group ${powerShellString(s.group)} \``,
    `    -Description ${powerShellString(s.description)} \``,
    `    -Protocol ${powerShellString(s.protocol)} ${match} \``,
    '    -RemoteAddress @(',
    ...rule.remoteAddresses.map((a) => `        ${powerShellString(a)}`),
    '    )',
  ];
}

/** Removes the rules of `groupNames` (those `keep` does not hold back), counting into `counter`. */
function removalLoop(groupNames: readonly string[], action: string, counter: string, keep?: string): string[] {
  const query = `Get-NetFirewallRule -Group ${groupNames.map(powerShellString).join(', ')} -PolicyStore $PolicyStore -ErrorAction SilentlyContinue`;
  return [
    keep ? `$rules = @(${query} | Where-Object { ${keep} })` : `$rules = @(${query})`,
    'foreach ($rule in $rules) {',
    `    if ($PSCmdlet.ShouldProcess($rule.Name, ${powerShellString(action)})) {`,
    '        Remove-NetFirewallRule -Name $rule.Name -PolicyStore $PolicyStore -ErrorAction Stop',
    `        ${counter}++`,
    '    }',
    '}',
  ];
}

function summaryLines(): string[] {
  return ["if ($WhatIfPreference) { $summary += ' (-WhatIf: nothing was changed)' }", 'Write-Output $summary'];
}
