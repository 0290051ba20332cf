import { AddressSet } from '../../src/net/address-set.js';
import type { Plan } from '../../src/plan/types.js';
import { parsePowerShell, type ParsedCommand } from './powershell-parser.js';
import { prefixForm, type StoredRule } from './pwsh.js';

/**
 * What a windows-powershell script says it writes (read from its syntax tree, so that names and groups come from
 * the output, never from strings the test hard-codes), and what the plan says each host needs (from its flows).
 */

export interface DeclaredRule {
  readonly name: string;
  readonly displayName: string;
  readonly group: string;
  readonly description: string;
  readonly protocol: string;
  readonly localPort?: string;
  readonly icmpType?: string;
  readonly remote: readonly string[];
}

function value(cmd: ParsedCommand, parameter: string): string | undefined {
  return cmd.arguments.find((a) => a.parameter === parameter)?.values[0];
}

function required(cmd: ParsedCommand, parameter: string): string {
  const v = value(cmd, parameter);
  if (v === undefined) throw new Error(`-${parameter} missing on ${cmd.name} at line ${cmd.line}`);
  return v;
}

/** The rules a main script creates or updates: every call that passes -Name, -Group, -Protocol and -RemoteAddress. */
export async function declaredRules(script: string): Promise<DeclaredRule[]> {
  const parsed = await parsePowerShell(script);
  if (parsed.errors.length) throw new Error(`script does not parse: ${JSON.stringify(parsed.errors[0])}`);
  const has = (c: ParsedCommand, p: string) => c.arguments.some((a) => a.parameter === p);
  return parsed.commands
    .filter((c) => ['Name', 'Group', 'Protocol', 'RemoteAddress'].every((p) => has(c, p)) && !c.name.endsWith('-NetFirewallRule'))
    .map((c) => {
      const localPort = value(c, 'LocalPort');
      const icmpType = value(c, 'IcmpType');
      return {
        name: required(c, 'Name'),
        displayName: required(c, 'DisplayName'),
        group: required(c, 'Group'),
        description: required(c, 'Description'),
        protocol: required(c, 'Protocol'),
        ...(localPort !== undefined ? { localPort } : {}),
        ...(icmpType !== undefined ? { icmpType } : {}),
        remote: c.arguments.find((a) => a.parameter === 'RemoteAddress')?.values ?? [],
      };
    });
}

/** The groups a script queries with Get-NetFirewallRule -Group (close-install: the install-only group). */
export async function queriedGroups(script: string): Promise<string[]> {
  const parsed = await parsePowerShell(script);
  return [...new Set(parsed.commands.filter((c) => c.name === 'Get-NetFirewallRule').flatMap((c) => c.arguments.filter((a) => a.parameter === 'Group').flatMap((a) => a.values)))];
}

/** `TCP|5723|always`, `ICMPv4|8|install`: protocol as Windows spells it, local port or ICMP type, phase. */
export type RuleKey = string;

/** The oracle, from the flows: per protocol (ICMP per family), port and phase, the addresses of every source. */
export function plannedSources(plan: Plan, host: string): Map<RuleKey, AddressSet> {
  const byKey = new Map<RuleKey, AddressSet[]>();
  const add = (key: RuleKey, set: AddressSet) => byKey.set(key, [...(byKey.get(key) ?? []), set]);
  for (const f of plan.flows.filter((x) => x.destination.name === host)) {
    const sources = AddressSet.parse(f.source.addresses);
    if (!f.ports) {
      for (const family of [4, 6] as const) if (sources.has(family)) add(`ICMPv${family}|${family === 4 ? 8 : 128}|${f.phase}`, sources.only(family));
    } else add(`${f.protocol.toUpperCase()}|${f.ports.from === f.ports.to ? f.ports.from : `${f.ports.from}-${f.ports.to}`}|${f.phase}`, sources);
  }
  return new Map([...byKey].map(([key, sets]) => [key, AddressSet.unionAll(sets)]));
}

/** The same read back from stored rules; a rule of an install-only group counts as phase install. */
export function storedSources(rules: readonly StoredRule[], installGroups: readonly string[]): Map<RuleKey, AddressSet> {
  const byKey = new Map<RuleKey, string[]>();
  for (const r of rules) {
    const match = r.Protocol.startsWith('ICMP') ? r.IcmpType : r.LocalPort;
    if (match.length !== 1) throw new Error(`rule ${r.Name} matches ${match.length} ports or ICMP types`);
    const key = `${r.Protocol}|${match[0]}|${installGroups.includes(r.Group ?? '') ? 'install' : 'always'}`;
    byKey.set(key, [...(byKey.get(key) ?? []), ...r.RemoteAddress.map(prefixForm)]);
  }
  return new Map([...byKey].map(([key, entries]) => [key, AddressSet.parse(entries)]));
}

/** Equal key sets and equal address sets per key; a readable difference otherwise. */
export function sourceDifferences(actual: Map<RuleKey, AddressSet>, expected: Map<RuleKey, AddressSet>): string[] {
  const problems: string[] = [];
  for (const key of new Set([...actual.keys(), ...expected.keys()])) {
    const a = actual.get(key);
    const e = expected.get(key);
    if (!a) problems.push(`${key}: planned (${e?.toRangeEntries().join(', ')}) but no rule`);
    else if (!e) problems.push(`${key}: a rule (${a.toRangeEntries().join(', ')}) the plan does not have`);
    else if (!a.equals(e)) problems.push(`${key}: rule holds ${a.toRangeEntries().join(', ')}, plan has ${e.toRangeEntries().join(', ')}`);
  }
  return problems;
}
