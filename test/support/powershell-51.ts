import type { Node } from 'web-tree-sitter';
import { parsePowerShell, walkPowerShell } from './powershell-parser.js';

/**
 * What a script must not use to run on Windows PowerShell 5.1 (the PowerShell of every supported Windows Server),
 * found in its syntax tree. The list, and where each item comes from:
 *
 * Syntax (PowerShell 7.0 unless said):
 * - pipeline chain operators && and ||: about_Pipeline_Chain_Operators
 *   https://learn.microsoft.com/powershell/module/microsoft.powershell.core/about/about_pipeline_chain_operators
 * - ternary a ? b : c, null-coalescing ?? and ??=, null-conditional ?. and ?[] (7.1 without the experimental flag):
 *   https://learn.microsoft.com/powershell/scripting/whats-new/what-s-new-in-powershell-70 and -71, about_Operators
 * - the clean block of advanced functions (7.3): about_Functions_Advanced_Methods
 * - -replace with a script block as the substitution (6.1): about_Comparison_Operators
 * Commands that Windows PowerShell 5.1 does not have (6.0 - 7.x), from "Differences between Windows PowerShell 5.1
 * and PowerShell 7.x" https://learn.microsoft.com/powershell/scripting/whats-new/differences-from-windows-powershell
 * and each cmdlet's reference page: Join-String (6.2), Get-Error (7.0), Test-Json (6.1), ConvertFrom-Markdown,
 * Show-Markdown, Get-MarkdownOption, Set-MarkdownOption (6.1), Get-Uptime (6.0), Remove-Alias (6.0),
 * Remove-Service (6.0), Get-PSSubsystem (7.3), Get-/Enable-/Disable-ExperimentalFeature (6.2).
 * Parameters 5.1 lacks on commands it has: ForEach-Object -Parallel (7.0); ConvertFrom-Json -AsHashtable (6.0),
 * -Depth (6.2), -NoEnumerate (7.0), -DateKind (7.5); ConvertTo-Json -AsArray, -EscapeHandling (6.2),
 * -EnumsAsStrings (6.2); Get-Content / Set-Content / Add-Content -AsByteStream (6.0); Sort-Object -Top, -Bottom
 * (6.0); Select-String -Raw (7.0), -NoEmphasis (7.0); Split-Path -LeafBase, -Extension (6.0); Invoke-WebRequest /
 * Invoke-RestMethod -SkipCertificateCheck, -Authentication, -Token, -SslProtocol, -SkipHttpErrorCheck,
 * -StatusCodeVariable, -Resume (6.0 - 7.0); Start-Sleep -Duration (7.3); Get-Date -AsUTC (7.1),
 * -UnixTimeSeconds (7.1); Where-Object -Not (6.1); Test-Connection -TcpPort (6.0). Encoding names utf8NoBOM and
 * utf8BOM (6.0) and ansi (7.4) on -Encoding: about_Character_Encoding.
 * Automatic variables 5.1 does not set (under Set-StrictMode reading them fails): $IsWindows, $IsLinux, $IsMacOS,
 * $IsCoreCLR (6.0), $PSStyle (7.2), $PSNativeCommandArgumentPassing (7.3),
 * $PSNativeCommandUseErrorActionPreference (7.3), $EnabledExperimentalFeatures (6.2): about_Automatic_Variables.
 * .NET: Windows PowerShell runs on .NET Framework 4.x, which lacks String.Split(string) (a one-string argument binds
 * to Split(params char[]) there and splits on each character: 'a;;b'.Split(';;') differs between the two), and
 * [Math]::Clamp, [Convert]::ToHexString / FromHexString, [IO.Path]::GetRelativePath / Join,
 * [Environment]::ProcessId / ProcessPath, [OperatingSystem]::IsWindows, Task.WaitAsync, System.Text.Json
 * (each page's "Applies to" on learn.microsoft.com/dotnet/api).
 * Fine on 5.1 and not flagged: classes, enums, ::new() (5.0), [ordered] and [pscustomobject] (3.0).
 */

export interface Finding {
  readonly rule: string;
  readonly line: number;
  readonly text: string;
}

const commands7 = ['Join-String', 'Get-Error', 'Test-Json', 'ConvertFrom-Markdown', 'Show-Markdown', 'Get-MarkdownOption', 'Set-MarkdownOption', 'Get-Uptime', 'Remove-Alias', 'Remove-Service', 'Get-PSSubsystem', 'Get-ExperimentalFeature', 'Enable-ExperimentalFeature', 'Disable-ExperimentalFeature'];

const parameters7: Record<string, readonly string[]> = {
  'ForEach-Object': ['Parallel', 'ThrottleLimit', 'TimeoutSeconds', 'AsJob', 'UseNewRunspace'],
  'ConvertFrom-Json': ['AsHashtable', 'Depth', 'NoEnumerate', 'DateKind'],
  'ConvertTo-Json': ['AsArray', 'EscapeHandling', 'EnumsAsStrings'],
  'Get-Content': ['AsByteStream'],
  'Set-Content': ['AsByteStream'],
  'Add-Content': ['AsByteStream'],
  'Sort-Object': ['Top', 'Bottom'],
  'Select-String': ['Raw', 'NoEmphasis'],
  'Split-Path': ['LeafBase', 'Extension'],
  'Invoke-WebRequest': ['SkipCertificateCheck', 'Authentication', 'Token', 'SslProtocol', 'SkipHttpErrorCheck', 'StatusCodeVariable', 'Resume'],
  'Invoke-RestMethod': ['SkipCertificateCheck', 'Authentication', 'Token', 'SslProtocol', 'SkipHttpErrorCheck', 'StatusCodeVariable', 'Resume'],
  'Start-Sleep': ['Duration'],
  'Get-Date': ['AsUTC', 'UnixTimeSeconds'],
  'Where-Object': ['Not'],
  'Test-Connection': ['TcpPort'],
};

/** Parameters of the same commands that 5.1 has, so that a prefix which is also theirs is not flagged. */
const parameters51: Record<string, readonly string[]> = {
  'ForEach-Object': ['Begin', 'Process', 'End', 'RemainingScripts', 'InputObject', 'MemberName', 'ArgumentList'],
  'ConvertTo-Json': ['Depth', 'Compress', 'InputObject'],
  'Sort-Object': ['Property', 'Descending', 'Unique', 'InputObject', 'Culture', 'CaseSensitive'],
  'Start-Sleep': ['Seconds', 'Milliseconds'],
  'Where-Object': ['NE', 'NotMatch', 'NotLike', 'NotContains', 'NotIn', 'NotIn'],
  'Get-Date': ['Date', 'Year', 'Month', 'Day', 'Hour', 'Minute', 'Second', 'Millisecond', 'DisplayHint', 'Format', 'UFormat'],
};

const encodingCommands = ['Out-File', 'Set-Content', 'Add-Content', 'Get-Content', 'Export-Csv', 'Import-Csv', 'Export-Clixml', 'Select-String', 'Tee-Object', 'Send-MailMessage'];
const encodings7 = ['utf8NoBOM', 'utf8BOM', 'ansi'];

const aliases: Record<string, string> = {
  '%': 'ForEach-Object',
  foreach: 'ForEach-Object',
  '?': 'Where-Object',
  where: 'Where-Object',
  sort: 'Sort-Object',
  sls: 'Select-String',
  iwr: 'Invoke-WebRequest',
  irm: 'Invoke-RestMethod',
  sleep: 'Start-Sleep',
  gc: 'Get-Content',
  ac: 'Add-Content',
};

const variables7 = ['IsWindows', 'IsLinux', 'IsMacOS', 'IsCoreCLR', 'PSStyle', 'PSNativeCommandArgumentPassing', 'PSNativeCommandUseErrorActionPreference', 'EnabledExperimentalFeatures'];

const dotNetCore = [/\[(System\.)?Math\]::Clamp\b/i, /\[(System\.)?Convert\]::(To|From)HexString\b/i, /\[(System\.)?IO\.Path\]::(GetRelativePath|Join)\b/i, /\[(System\.)?Environment\]::Process(Id|Path)\b/i, /\[(System\.)?OperatingSystem\]::/i, /\.WaitAsync\(/i, /System\.Text\.Json/i];

function canonical(name: string): string {
  const lower = name.toLowerCase();
  const alias = aliases[lower];
  if (alias) return alias;
  const known = [...commands7, ...Object.keys(parameters7), ...encodingCommands].find((c) => c.toLowerCase() === lower);
  return known ?? name;
}

/** A parameter as written (any unambiguous prefix binds in PowerShell) that names one of the 7-only ones. */
function sevenOnlyParameter(command: string, written: string): string | undefined {
  const w = written.toLowerCase();
  if (w.length < 2) return undefined;
  const old = (parameters51[command] ?? []).filter((p) => p.toLowerCase().startsWith(w));
  const exactOld = old.some((p) => p.toLowerCase() === w);
  const hit = (parameters7[command] ?? []).find((p) => p.toLowerCase() === w || (p.toLowerCase().startsWith(w) && old.length === 0));
  return exactOld ? undefined : hit;
}

const lineOf = (node: Node) => node.startPosition.row + 1;

/** Every construct of the list above that the script uses, with its line. */
export async function powerShell7Findings(script: string): Promise<Finding[]> {
  const findings: Finding[] = [];
  const add = (rule: string, line: number, text: string) => findings.push({ rule, line, text: text.slice(0, 80) });

  await walkPowerShell(script, (node) => {
    if (node.type === 'pipeline_chain_tail') add('pipeline chain operator (&&, ||)', lineOf(node), node.text);
    else if (node.type === 'ERROR' && node.childCount === 0 && node.text.trim().startsWith('?')) {
      const after = script.slice(node.startIndex).trimStart();
      const rule = after.startsWith('??=') ? 'null-coalescing assignment ??=' : after.startsWith('??') ? 'null-coalescing operator ??' : /^\?[.[]/.test(after) ? 'null-conditional member access ?. ?[]' : 'ternary operator ? :';
      add(rule, lineOf(node), after);
    } else if (node.isMissing || (node.type === 'ERROR' && !node.text.trim().startsWith('?') && !node.children.some((c) => c?.type === 'ERROR'))) {
      add('does not parse (a PowerShell 7 construct the grammar does not know, or an error)', lineOf(node), node.text);
    } else if (node.type === 'variable') {
      const name = node.text.replace(/^\$\{?/, '').replace(/\}$/, '').replace(/^(global|script|local|private):/i, '');
      if (variables7.some((v) => v.toLowerCase() === name.toLowerCase())) add(`automatic variable $${name} (PowerShell 6+)`, lineOf(node), node.text);
    } else if (node.type === 'command' && node.childForFieldName('command_name')?.text.toLowerCase() === 'clean') {
      const block = node.childForFieldName('command_elements')?.namedChildren.some((c) => c?.text.trim().startsWith('{'));
      if (block) add('clean block (PowerShell 7.3)', lineOf(node), node.text);
    } else if (node.type === 'comparison_operator' && /^-[ic]?replace$/i.test(node.text)) {
      // The right operand is the list `pattern, substitution`: a substitution that is a script block is 6.1+.
      const right = node.nextNamedSibling;
      const list = right ? descendantsOfType(right, 'array_literal_expression')[0] : undefined;
      const parts = list?.namedChildren.filter((c) => c?.type === 'unary_expression') ?? [];
      if (parts.length >= 2 && parts.at(-1)?.firstNamedChild?.type === 'script_block_expression') add('-replace with a script block (PowerShell 6.1)', lineOf(node), `${node.text} ${right?.text ?? ''}`);
    } else if (node.type === 'invokation_expression') {
      const split = /\.Split\(\s*('([^']|'')*'|"[^"]*")\s*\)$/i.exec(node.text);
      if (split?.[1] && split[1].length > 3) add('String.Split with one string of several characters (splits on each character on .NET Framework)', lineOf(node), node.text);
    }
    if (node.type === 'type_literal' || node.type === 'invokation_expression' || node.type === 'member_access') {
      const hit = dotNetCore.find((r) => r.test(node.text) && !node.namedChildren.some((c) => c && r.test(c.text)));
      if (hit) add(`.NET API missing from .NET Framework 4.x (${hit.source})`, lineOf(node), node.text);
    }
  });

  const parsed = await parsePowerShell(script);
  for (const c of parsed.commands) {
    const name = canonical(c.name);
    if (commands7.some((x) => x.toLowerCase() === name.toLowerCase())) add(`command ${name} (PowerShell 6+)`, c.line, c.name);
    for (const a of c.arguments) {
      if (a.parameter === undefined) continue;
      const p = sevenOnlyParameter(name, a.parameter);
      if (p) add(`${name} -${p} (PowerShell 6+)`, c.line, `-${a.parameter}`);
      if (encodingCommands.includes(name) && 'encoding'.startsWith(a.parameter.toLowerCase()) && a.parameter.length >= 3) {
        const value = a.values[0];
        if (value && encodings7.some((e) => e.toLowerCase() === value.toLowerCase())) add(`${name} -Encoding ${value} (PowerShell 6+)`, c.line, value);
      }
    }
  }
  return findings;
}

function descendantsOfType(node: Node, type: string): Node[] {
  const out: Node[] = [];
  const walk = (n: Node) => {
    if (n.type === type) out.push(n);
    for (const c of n.children) if (c) walk(c);
  };
  walk(node);
  return out;
}
