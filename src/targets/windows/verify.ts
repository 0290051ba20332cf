import { flowsFrom } from '../../plan/by-host.js';
import { planRows, rowAddressSet } from '../../plan/expand.js';
import { addressSetOf } from '../../plan/openings.js';
import { readFileSync } from 'node:fs';
import { AddressSet } from '../../net/address-set.js';
import { portKey, protocolPorts, singlePort } from '../../net/port.js';
import type { Endpoint, Flow, Plan } from '../../plan/types.js';
import { checkDefaults } from '../../probe/defaults.js';
import { maxSample, sampleAddresses } from '../../probe/sample.js';
import { methodOf } from '../../probe/plan-probes.js';
import { powerShellCommentText, powerShellString } from '../escape.js';
import { sourceHosts } from '../rules.js';
import { linesFile } from '../lines-file.js';
import type { RenderedFile, RenderOptions, Target } from '../types.js';
import { hostFileStem } from './model.js';
import { selectSubjects } from '../select.js';
import { crlfText } from '../../text/lines.js';
import { alikeGroups } from '../alike.js';

/**
 * `<host>.verify.ps1`: the flows that start on one Windows host, proved from that host with .NET sockets by a
 * self-contained script (Windows PowerShell 5.1 or PowerShell 7, no modules) that writes the result file of
 * `scomfw check`. It decides nothing the Node prober does not: which flows, which sampled addresses and which
 * method (TCP connect, SQL Server Browser request, or unprovable and why) are computed here, by the prober's own
 * functions, and embedded as data; the script only sends, waits and classifies.
 */
export const verifyPowerShell: Target = {
  name: 'verify-powershell',
  summary: 'PowerShell probe script per Windows source host (one for ten or more alike): proves its flows open with .NET sockets, writes check results',
  options: ['host'],
  render(plan: Plan, options: RenderOptions): RenderedFile[] {
    const sources = selectSubjects(plan, options.host, {
      all: windowsSources(plan),
      nameOf: (s) => s.name,
      noun: 'Windows hosts that start flows',
      whyNot,
    });
    // --host asks for that host's own script.
    const groups = options.host === undefined ? alikeSources(sources) : [];
    // Each source's place by position: its group's number where it is a group's first, grouped where it is in one
    // later on, alone where it is in none. Positions, not a set of 150,000 sources: a set of objects was a fifth of
    // this target's time.
    const place = new Int32Array(sources.length).fill(alone);
    groups.forEach((g, n) => {
      place[g[0]!] = n;
      for (let k = 1; k < g.length; k++) place[g[k]!] = grouped;
    });
    // A loop, not flatMap: 150,000 agents in groups would each return an empty list.
    const files: RenderedFile[] = [];
    for (let i = 0; i < sources.length; i++) {
      const at = place[i]!;
      if (at >= 0) files.push(...groupFiles(plan, groups[at]!.map((k) => sources[k]!)));
      else if (at === alone) {
        const source = sources[i]!;
        const stem = hostFileStem(source.name);
        files.push({ path: `${stem}.verify.ps1`, content: script(plan, { host: source, stem, flows: source.flows }) });
      }
    }
    return files;
  },
};

/** Places of sources that are no group's first (see render). */
const alone = -1;
const grouped = -2;

/** A Windows host that starts flows, and those flows (one list shared by the hosts of a class of the plan). */
interface Source {
  readonly name: string;
  /**
   * The host's addresses: a host of one address may share a script with hosts alike, and its entry there names it
   * as the machine itself writes it (soleAddress: `10.0.0.1/32` too), made only as that entry is written.
   */
  readonly addresses: AddressSet;
  readonly flows: readonly Probe[];
}

/** A flow as the script needs it: its destination, its protocol, ports and phase (the template's), and its id. */
interface Probe {
  readonly destination: { readonly name: string; readonly addresses: readonly string[] };
  readonly template: Pick<Flow, 'protocol' | 'ports' | 'phase'>;
  /** The flow's own id, where the plan has one; otherwise `source>destination` + idEnd. */
  readonly id: string | undefined;
  /** `:tcp/5723`. */
  readonly idEnd: string;
}

function whyNot(h: Endpoint): string {
  return h.os === 'windows' ? 'starts no flow in this plan' : `is not a Windows host (os ${h.os}), and the script needs Windows`;
}

/**
 * The Windows hosts that start at least one flow, in plan order, each with its flows in plan order. A plan of
 * classes gives them from its rows (src/plan/expand.ts planRows): alike hosts share one list of flows, and no
 * Flow is built per host (150,000 agents: 300,000 flows). Any other plan gives them from its flows.
 */
function windowsSources(plan: Plan): Source[] {
  const rows = planRows(plan);
  if (!rows.byClass) {
    return sourceHosts(plan)
      .filter((h) => h.os === 'windows')
      .map((h) => ({ name: h.name, addresses: addressSetOf(h), flows: flowsFrom(plan, h.name).map(probeOf) }));
  }
  const sources: Source[] = [];
  for (const [h, out] of rows.runs()) {
    // The host's own set: its address is written only into the script that names it (memberLines).
    if (out.length > 0 && h.of.representative.os === 'windows') sources.push({ name: h.name, addresses: rowAddressSet(h), flows: out });
  }
  return sources;
}

function probeOf(f: Flow): Probe {
  return { destination: f.destination, template: f, id: f.id, idEnd: `:${protocolPorts(f.protocol, f.ports)}` };
}

/** The flow's id in the script of `source`: its own, or made as the plan makes it. */
function idOf(source: string, o: Probe): string {
  return o.id ?? `${source}>${o.destination.name}${o.idEnd}`;
}

/**
 * Windows hosts that start the very same flows (destination, protocol, ports, phase) and have one address each:
 * one script proves them all, and picks at run time which of them it runs on (-Source, else this machine's address,
 * else its name). Hosts with ranges or several addresses keep their own scripts: a local address says which single
 * host a machine is, not which member of a range.
 */
function alikeSources(sources: readonly Source[]): number[][] {
  // Hosts of one class share their list of flows: its key is made once.
  const keys = new Map<readonly Probe[], string>();
  const keyOf = (flows: readonly Probe[]): string => {
    let key = keys.get(flows);
    if (key === undefined) keys.set(flows, (key = flows.map((o) => `${o.destination.name}\u0000${portKey(o.template.protocol, o.template.ports)}\u0000${o.template.phase}`).join('\u0001')));
    return key;
  };
  return alikeGroups(
    sources.map((_, i) => i),
    (i) => (sources[i]!.addresses.isOneAddress() ? keyOf(sources[i]!.flows) : undefined),
  );
}

/** A single IPv4 address as formatAddress writes it: what most hosts have, known without parsing. */
const plainIpv4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/** The sole address of a host's address texts: a plain IPv4 address is its own answer, anything else is parsed. */
export function soleAddressText(addresses: readonly string[]): string | undefined {
  if (addresses.length === 1 && plainIpv4.test(addresses[0]!)) return addresses[0];
  return AddressSet.parse(addresses).soleAddress();
}

/**
 * The script of hosts alike and the list of their names (for Invoke-Command -ComputerName (Get-Content ...)). Both
 * are made from lines when written (150,000 agents: 19 MB): every member's name is checked here, while rendering,
 * so that making the lines cannot fail.
 */
function groupFiles(plan: Plan, members: readonly Source[]): RenderedFile[] {
  const first = members[0]!;
  const stem = `${hostFileStem(first.name)}.and-${members.length - 1}-alike`;
  for (const m of members) hostFileStem(m.name);
  const { head, tail } = scriptParts(plan, { host: first, stem, flows: first.flows, members: { count: members.length, last: members[members.length - 1]!.name } });
  return [
    linesFile(`${stem}.verify.ps1`, () => [...head, memberLines(members), ...tail], '\r\n'),
    linesFile(`${stem}.hosts.txt`, () => members.map((m) => m.name), '\r\n'),
  ];
}

/**
 * Each member's `$Members` entry. Its results file is named after it (`<name>.results.json`): groupFiles checked
 * every name as a file stem (DNS-like, so ASCII). Until stop 25 the entry also gave a `Stem`, always the name
 * again: 5.5 of the 19 MB that 150,000 agents' scripts were.
 */
function memberLines(members: readonly Source[]): string[] {
  return members.map((m) => `    @{ Name = ${powerShellString(m.name)}; Address = ${powerShellString(m.addresses.soleAddress() ?? '')} }`);
}

/** What one script proves: the flows that start on `host`, or on each of `members` (hosts alike, `host` first). */
interface Subject {
  readonly host: { readonly name: string };
  readonly stem: string;
  readonly flows: readonly Probe[];
  /** Hosts alike: how many and the last one's name (their `$Members` entries go between the script's parts). */
  readonly members?: { readonly count: number; readonly last: string };
}

/** The script of one host, CRLF line ends. */
function script(plan: Plan, subject: Subject): string {
  const { head, tail } = scriptParts(plan, subject);
  return crlfText([...head, ...tail]);
}

/**
 * A script's lines of its own, then the fixed body: `head` ends where the members' entries go (hosts alike) or
 * with the host's name, `tail` closes them and holds the flows and the body.
 */
function scriptParts(plan: Plan, subject: Subject): { readonly head: string[]; readonly tail: string[] } {
  const { host, stem, flows, members } = subject;
  const head = [
    ...header(plan, subject),
    '',
    ...paramBlock(members ? undefined : stem),
    '',
    'Set-StrictMode -Version 2.0',
    "$ErrorActionPreference = 'Stop'",
    '',
    '# What to probe, written by scomfw at render time: every value checked and single-quoted, never interpolated.',
    `$ManagementGroup = ${powerShellString(plan.managementGroup)}`,
    `$Catalog = ${powerShellString(plan.catalog)}`,
    ...(members
      ? [
          '# Hosts alike: the script runs as the one of them that -Source names, else the one with an address of this',
          '# machine, else the one with its name. Flow ids are completed with that name.',
          '$SourceName = $null',
          '$Members = @(',
        ]
      : [`$SourceName = ${powerShellString(host.name)}`]),
  ];
  const tail = [
    ...(members ? [')'] : []),
    '# Method: tcp (connect), ssrp (SQL Server Browser request on UDP) or none (unprovable: Detail says why).',
    '# Addresses: the sample of the destination, best first, as scomfw check takes it; -Sample N probes the first N.',
    '$Flows = @(',
    ...flows.map((f) => flowEntry(f, members ? idAfterSource(f, host.name) : idOf(host.name, f))),
    ')',
    '',
    bodyBlock,
  ];
  return { head, tail };
}

/** `>destination:tcp/5723`: what a script for hosts alike completes with the name of the host it runs as. */
function idAfterSource(flow: Probe, source: string): string {
  if (flow.id === undefined) return `>${flow.destination.name}${flow.idEnd}`;
  if (!flow.id.startsWith(`${source}>`)) throw new Error(`verify-powershell: flow id ${flow.id} does not start with its source ${source}`);
  return flow.id.slice(source.length);
}

/** One flow as a PowerShell hashtable literal on one line; `id` is the flow's id, or its part after the source name. */
function flowEntry(flow: Probe, id: string): string {
  const { protocol, ports, phase } = flow.template;
  const method = methodOf(flow.template);
  const port = singlePort(ports);
  const addresses = sampleAddresses(flow.destination.addresses, maxSample);
  const fields = [
    `Id = ${powerShellString(id)}`,
    `Destination = ${powerShellString(flow.destination.name)}`,
    `Protocol = ${powerShellString(protocol)}`,
    `Port = ${port ?? '$null'}`,
    `Phase = ${powerShellString(phase)}`,
    `Method = ${powerShellString(method.kind)}`,
    `Detail = ${powerShellString(method.kind === 'none' ? method.detail : '')}`,
    `Addresses = @(${addresses.map(powerShellString).join(', ')})`,
  ];
  return `    @{ ${fields.join('; ')} }`;
}

/** A name for a comment: shown when DNS-like, else pointed to (a quoted literal is the only place it may appear). */
function commentName(name: string, variable: string): string {
  return /^[A-Za-z0-9._-]{1,253}$/.test(name) ? name : `(the one in ${variable} below)`;
}

function header(plan: Plan, subject: Subject): string[] {
  const { host, stem, flows, members } = subject;
  const required = flows.filter((f) => f.template.phase === 'always').length;
  const group = commentName(plan.managementGroup, '$ManagementGroup');
  const last = members?.last ?? '';
  const lines = [
    '.SYNOPSIS',
    members
      ? `    Proves from any of ${members.count} hosts alike (${host.name} to ${last}, in $Members) that the SCOM flows they start are open, and writes the result as scomfw check does.`
      : `    Proves from ${host.name} that the SCOM flows it starts are open, and writes the result as scomfw check does.`,
    '',
    '.DESCRIPTION',
    `    Generated by scomfw from management group ${group}, catalog ${plan.catalog}, phase ${plan.phase}`,
    '    (target verify-powershell). Do not edit: change the deployment file and render again.',
    members
      ? `    ${flows.length} flows start on each of these hosts, ${required} of them required (phase always). Each is probed with .NET`
      : `    ${flows.length} flows start on this host, ${required} of them required (phase always). Each is probed with .NET`,
    '    sockets, all at once in batches, with no ping first: TCP by a connect; UDP 1434 by a SQL Server Browser',
    '    request (MC-SQLR CLNT_UCAST_EX). Other UDP ports, ICMP and port ranges are listed as unprovable, with the',
    '    reason. A destination with many addresses (a group) is probed on a sample of them, as scomfw check does.',
    '    Windows PowerShell 5.1 or PowerShell 7; no modules; no administrator rights.',
    ...(members
      ? [
          '    The hosts are alike: they start the same flows, so one script proves them all. It runs as the host that',
          '    -Source names, else the one with an address of this machine, else the one with its name.',
        ]
      : []),
    '',
    '.PARAMETER TimeoutMs',
    '    How long one attempt waits for an answer. Windows tries a refused connect again before it reports it',
    '    (about two seconds, KB 175523), so a much shorter wait may report a closed port as filtered.',
    '.PARAMETER Retries',
    '    Attempts after an unanswered one before the silence is believed (filtered, or open|filtered for UDP).',
    '.PARAMETER Concurrency',
    '    Probes in flight at once.',
    '.PARAMETER OutFile',
    members ? '    The result file (JSON, UTF-8 without BOM), read by scomfw report; default .\\<host>.results.json.' : '    The result file (JSON, UTF-8 without BOM), read by scomfw report.',
    '.PARAMETER Sample',
    '    Addresses probed per destination, from the sample embedded below.',
    '.PARAMETER PassThru',
    '    Also write the result JSON to the output; on by itself under PowerShell remoting (Invoke-Command).',
    '.PARAMETER ReportTo',
    '    Also post the result to a scomfw serve dashboard at this address (http://host:8080), with -Token.',
    '.PARAMETER Token',
    '    The dashboard token (the one scomfw serve made), for -ReportTo.',
    ...(members ? ['.PARAMETER Source', '    The host of $Members this run is for, when this machine\'s addresses and name do not say.'] : []),
    '',
    ...(members ? groupExamples(stem) : hostExamples(stem)),
    '',
    '.NOTES',
    '    Exit code 1: a required flow is closed or filtered; 0 otherwise (open|filtered and unprovable do not fail);',
    '    2: the result could not be posted to -ReportTo (the result file is written all the same).',
    ...(members ? ['    3: this machine is none of the hosts in $Members (name it with -Source); nothing was probed.'] : []),
    '    Merge the result files of many hosts: scomfw report *.results.json --plan FILE',
  ];
  return lines.map((l) => (l ? `# ${powerShellCommentText(l)}` : '#'));
}

function hostExamples(stem: string): string[] {
  return [
    '.EXAMPLE',
    `    powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\\${stem}.verify.ps1`,
    `    Probes from this machine, writes .\\${stem}.results.json and exits 1 if a required flow is not open.`,
    '.EXAMPLE',
    `    $json = Invoke-Command -ComputerName ${stem} -FilePath .\\${stem}.verify.ps1`,
    '    Runs the script on the host and returns the result JSON. Every host needs its own script: for many',
    '    hosts, loop over them (docs/targets/verify-powershell.md shows how, with jobs and Ansible).',
    '.EXAMPLE',
    `    .\\${stem}.verify.ps1 -ReportTo http://scom-fw:8080 -Token $token`,
    '    Probes, writes the result file, and posts it to the dashboard (docs/serve.md).',
  ];
}

function groupExamples(stem: string): string[] {
  return [
    '.EXAMPLE',
    `    powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\\${stem}.verify.ps1`,
    '    Probes from this machine as the host of $Members it is, writes .\\<host>.results.json and exits 1 if a',
    '    required flow is not open.',
    '.EXAMPLE',
    `    $json = Invoke-Command -ComputerName (Get-Content .\\${stem}.hosts.txt) -FilePath .\\${stem}.verify.ps1`,
    '    Runs the script on every one of these hosts (listed in the .hosts.txt beside it) and returns each one\'s',
    '    result JSON; each finds itself in $Members by its address.',
    '.EXAMPLE',
    `    .\\${stem}.verify.ps1 -Source ${stem.replace(/\.and-\d+-alike$/, '')} -ReportTo http://scom-fw:8080 -Token $token`,
    '    Probes as that host, writes its result file, and posts it to the dashboard (docs/serve.md).',
  ];
}

/** Explicit positions: Invoke-Command -FilePath passes arguments by position only (-ArgumentList). */
function paramBlock(stem: string | undefined): string[] {
  const d = checkDefaults;
  return [
    '[CmdletBinding()]',
    'param(',
    '    [Parameter(Position = 0)]',
    '    [ValidateRange(1, 600000)]',
    `    [int]$TimeoutMs = ${d.timeoutMs},`,
    '    [Parameter(Position = 1)]',
    '    [ValidateRange(0, 10)]',
    `    [int]$Retries = ${d.retries},`,
    '    [Parameter(Position = 2)]',
    '    [ValidateRange(1, 4096)]',
    `    [int]$Concurrency = ${d.concurrency},`,
    '    [Parameter(Position = 3)]',
    // Hosts alike: .\<the host it runs as>.results.json, known only once the script knows which host that is.
    `    [string]$OutFile = ${powerShellString(stem === undefined ? '' : `.\\${stem}.results.json`)},`,
    '    [Parameter(Position = 4)]',
    `    [ValidateRange(1, ${maxSample})]`,
    `    [int]$Sample = ${d.sample},`,
    '    [Parameter(Position = 5)]',
    '    [switch]$PassThru,',
    '    [Parameter(Position = 6)]',
    "    [string]$ReportTo = '',",
    '    [Parameter(Position = 7)]',
    ...(stem === undefined ? ["    [string]$Token = '',", '    [Parameter(Position = 8)]', "    [string]$Source = ''"] : ["    [string]$Token = ''"]),
    ')',
  ];
}

/**
 * The fixed part: functions and the main sequence, in verify.ps1 beside this module. Plain style, one statement a
 * line, for the tree-sitter grammar the tests parse it with. No value from the plan appears there. Kept as one
 * block of CRLF lines without the last line end, which crlfText and the writer add.
 */
const bodyBlock = readFileSync(new URL('./verify.ps1', import.meta.url), 'utf8').replace(/\r?\n$/, '').split(/\r?\n/).join('\r\n');
