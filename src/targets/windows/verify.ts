import { readFileSync } from 'node:fs';
import type { Endpoint, Flow, Plan } from '../../plan/types.js';
import { checkDefaults } from '../../probe/check.js';
import { maxSample, sampleAddresses } from '../../probe/sample.js';
import { methodOf } from '../../probe/plan-probes.js';
import { powerShellCommentText, powerShellString } from '../escape.js';
import { sourceHosts } from '../rules.js';
import type { RenderedFile, RenderOptions, Target } from '../types.js';
import { hostFileStem } from './model.js';
import { selectSubjects } from '../select.js';

/**
 * `<host>.verify.ps1`: the flows that start on one Windows host, proved from that host with .NET sockets by a
 * self-contained script (Windows PowerShell 5.1 or PowerShell 7, no modules) that writes the result file of
 * `scomfw check`. It decides nothing the Node prober does not: which flows, which sampled addresses and which
 * method (TCP connect, SQL Server Browser request, or unprovable and why) are computed here, by the prober's own
 * functions, and embedded as data; the script only sends, waits and classifies.
 */
export const verifyPowerShell: Target = {
  name: 'verify-powershell',
  summary: 'PowerShell probe script per Windows source host: proves its flows open with .NET sockets, writes check results',
  options: ['host'],
  render(plan: Plan, options: RenderOptions): RenderedFile[] {
    return verifyHosts(plan, options).map((host) => {
      const stem = hostFileStem(host.name);
      const flows = plan.flows.filter((f) => f.source.name === host.name);
      return { path: `${stem}.verify.ps1`, content: crlf(script(plan, host, stem, flows)) };
    });
  },
};

/** The Windows hosts that start at least one flow, or the one options.host names. */
export function verifyHosts(plan: Plan, options: RenderOptions): Endpoint[] {
  return selectSubjects(plan, options.host, {
    all: sourceHosts(plan).filter((h) => h.os === 'windows'),
    nameOf: (h) => h.name,
    noun: 'Windows hosts that start flows',
    whyNot: (h) => (h.os === 'windows' ? 'starts no flow in this plan' : `is not a Windows host (os ${h.os}), and the script needs Windows`),
  });
}

/** Windows line endings, as the other PowerShell target writes them: old Notepad shows LF-only files as one line. */
function crlf(lines: readonly string[]): string {
  return lines.map((l) => `${l}\r\n`).join('');
}

function script(plan: Plan, host: Endpoint, stem: string, flows: readonly Flow[]): string[] {
  return [
    ...header(plan, host, stem, flows),
    '',
    ...paramBlock(stem),
    '',
    'Set-StrictMode -Version 2.0',
    "$ErrorActionPreference = 'Stop'",
    '',
    '# What to probe, written by scomfw at render time: every value checked and single-quoted, never interpolated.',
    `$ManagementGroup = ${powerShellString(plan.managementGroup)}`,
    `$Catalog = ${powerShellString(plan.catalog)}`,
    `$SourceName = ${powerShellString(host.name)}`,
    '# Method: tcp (connect), ssrp (SQL Server Browser request on UDP) or none (unprovable: Detail says why).',
    '# Addresses: the sample of the destination, best first, as scomfw check takes it; -Sample N probes the first N.',
    '$Flows = @(',
    ...flows.map(flowEntry),
    ')',
    '',
    ...body,
  ];
}

/** One flow as a PowerShell hashtable literal on one line. */
function flowEntry(flow: Flow): string {
  const method = methodOf(flow);
  const port = flow.ports && flow.ports.from === flow.ports.to ? checkedPort(flow.ports.from) : null;
  const addresses = sampleAddresses(flow.destination.addresses, maxSample);
  if (addresses.length === 0) throw new Error(`flow ${flow.id} has no destination address`);
  const fields = [
    `Id = ${powerShellString(flow.id)}`,
    `Destination = ${powerShellString(flow.destination.name)}`,
    `Protocol = ${powerShellString(checkedOneOf(flow.protocol, ['tcp', 'udp', 'icmp']))}`,
    `Port = ${port ?? '$null'}`,
    `Phase = ${powerShellString(checkedOneOf(flow.phase, ['always', 'install']))}`,
    `Method = ${powerShellString(method.kind)}`,
    `Detail = ${powerShellString(method.kind === 'none' ? method.detail : '')}`,
    `Addresses = @(${addresses.map(powerShellString).join(', ')})`,
  ];
  return `    @{ ${fields.join('; ')} }`;
}

function checkedPort(port: number): number {
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`invalid port ${JSON.stringify(port)}`);
  return port;
}

function checkedOneOf<T extends string>(value: T, allowed: readonly T[]): T {
  if (!allowed.includes(value)) throw new Error(`unexpected value ${JSON.stringify(value)}; expected one of ${allowed.join(', ')}`);
  return value;
}

/** A name for a comment: shown when DNS-like, else pointed to (a quoted literal is the only place it may appear). */
function commentName(name: string, variable: string): string {
  return /^[A-Za-z0-9._-]{1,253}$/.test(name) ? name : `(the one in ${variable} below)`;
}

function header(plan: Plan, host: Endpoint, stem: string, flows: readonly Flow[]): string[] {
  const required = flows.filter((f) => f.phase === 'always').length;
  const group = commentName(plan.managementGroup, '$ManagementGroup');
  const lines = [
    '.SYNOPSIS',
    `    Proves from ${host.name} that the SCOM flows it starts are open, and writes the result as scomfw check does.`,
    '',
    '.DESCRIPTION',
    `    Generated by scomfw from management group ${group}, catalog ${plan.catalog}, phase ${plan.phase}`,
    '    (target verify-powershell). Do not edit: change the deployment file and render again.',
    `    ${flows.length} flows start on this host, ${required} of them required (phase always). Each is probed with .NET`,
    '    sockets, all at once in batches, with no ping first: TCP by a connect; UDP 1434 by a SQL Server Browser',
    '    request (MC-SQLR CLNT_UCAST_EX). Other UDP ports, ICMP and port ranges are listed as unprovable, with the',
    '    reason. A destination with many addresses (a group) is probed on a sample of them, as scomfw check does.',
    '    Windows PowerShell 5.1 or PowerShell 7; no modules; no administrator rights.',
    '',
    '.PARAMETER TimeoutMs',
    '    How long one attempt waits for an answer. Windows tries a refused connect again before it reports it',
    '    (about two seconds, KB 175523), so a much shorter wait may report a closed port as filtered.',
    '.PARAMETER Retries',
    '    Attempts after an unanswered one before the silence is believed (filtered, or open|filtered for UDP).',
    '.PARAMETER Concurrency',
    '    Probes in flight at once.',
    '.PARAMETER OutFile',
    '    The result file (JSON, UTF-8 without BOM), read by scomfw report.',
    '.PARAMETER Sample',
    '    Addresses probed per destination, from the sample embedded below.',
    '.PARAMETER PassThru',
    '    Also write the result JSON to the output; on by itself under PowerShell remoting (Invoke-Command).',
    '',
    '.EXAMPLE',
    `    powershell.exe -NoProfile -ExecutionPolicy Bypass -File .\\${stem}.verify.ps1`,
    `    Probes from this machine, writes .\\${stem}.results.json and exits 1 if a required flow is not open.`,
    '.EXAMPLE',
    `    $json = Invoke-Command -ComputerName ${stem} -FilePath .\\${stem}.verify.ps1`,
    '    Runs the script on the host and returns the result JSON. Every host needs its own script: for many',
    '    hosts, loop over them (docs/targets/verify-powershell.md shows how, with jobs and Ansible).',
    '',
    '.NOTES',
    '    Exit code 1: a required flow is closed or filtered; 0 otherwise (open|filtered and unprovable do not fail).',
    '    Merge the result files of many hosts: scomfw report *.results.json --plan FILE',
  ];
  return lines.map((l) => (l ? `# ${powerShellCommentText(l)}` : '#'));
}

/** Explicit positions: Invoke-Command -FilePath passes arguments by position only (-ArgumentList). */
function paramBlock(stem: string): string[] {
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
    `    [string]$OutFile = ${powerShellString(`.\\${stem}.results.json`)},`,
    '    [Parameter(Position = 4)]',
    `    [ValidateRange(1, ${maxSample})]`,
    `    [int]$Sample = ${d.sample},`,
    '    [Parameter(Position = 5)]',
    '    [switch]$PassThru',
    ')',
  ];
}

/**
 * The fixed part: functions and the main sequence, in verify.ps1 beside this module. Plain style, one statement a
 * line, for the tree-sitter grammar the tests parse it with. No value from the plan appears there.
 */
const body: readonly string[] = readFileSync(new URL('./verify.ps1', import.meta.url), 'utf8').replace(/\r?\n$/, '').split(/\r?\n/);
