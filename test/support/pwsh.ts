import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

/**
 * Real PowerShell 7 for tests: where pwsh is, and a runner that executes many scripts in one pwsh process against
 * the NetSecurity test double (test/pwsh/NetSecurity), one store file per step.
 */

const pwshDir = join(import.meta.dirname, '..', 'pwsh');
/** The folder put first on PSModulePath: `NetSecurity` there is the test double. */
export const doubleModules = pwshDir;

/** pwsh on PATH, or where `dotnet tool install --global PowerShell` puts it; undefined when absent. */
export function pwshPath(): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter), join(homedir(), '.dotnet', 'tools')];
  return dirs.map((d) => join(d, 'pwsh')).find((p) => existsSync(p));
}

/** Why PowerShell tests cannot run here, or undefined when they can. */
export function pwshUnavailableReason(): string | undefined {
  return pwshPath() ? undefined : 'PowerShell 7 (pwsh) is not installed: dotnet tool install --global PowerShell --version 7.6.9';
}

/** The environment pwsh runs in: the double first on PSModulePath, no telemetry or update check. */
export function pwshEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PSModulePath: [pwshDir, process.env.PSModulePath].filter(Boolean).join(delimiter),
    POWERSHELL_TELEMETRY_OPTOUT: '1',
    POWERSHELL_UPDATECHECK: 'Off',
    ...extra,
  };
}

export interface Step {
  readonly id: string;
  /** The .ps1 file to run. */
  readonly script: string;
  /** Parameters passed by name; `true` for a switch such as WhatIf. */
  readonly parameters?: Record<string, string | string[] | boolean>;
  /** The store file the double reads and writes. */
  readonly store: string;
  /** Text written to the store file before the step (a JSON store), or undefined to keep what is there. */
  readonly seed?: string;
  /** A file the double appends one JSON line per cmdlet call to. */
  readonly log?: string;
}

export interface StepResult {
  readonly id: string;
  /** What the script wrote to its output streams, as strings. */
  readonly output: readonly string[];
  /** Non-terminating errors the script wrote. */
  readonly errors: readonly string[];
  /** The terminating error the script stopped with, or null. */
  readonly stopped: string | null;
  /** Host lines (Write-Host, -WhatIf) printed while the step ran. */
  readonly host: readonly string[];
  /** The store file's text after the step, or null when there is none. */
  readonly store: string | null;
}

/** Runs the steps in order in one pwsh process; rejects if pwsh itself fails. */
export async function runSteps(steps: readonly Step[]): Promise<StepResult[]> {
  const pwsh = pwshPath();
  if (!pwsh) throw new Error('pwsh is not installed');
  const dir = mkdtempSync(join(tmpdir(), 'scomfw-pwsh-'));
  try {
    const stepsFile = join(dir, 'steps.json');
    const resultsFile = join(dir, 'results.json');
    writeFileSync(stepsFile, JSON.stringify(steps.map((s) => ({ id: s.id, script: s.script, parameters: s.parameters ?? null, store: s.store, seed: s.seed ?? null, log: s.log ?? null }))));
    const { code, stdout, stderr } = await run(pwsh, ['-NoProfile', '-NonInteractive', '-File', join(pwshDir, 'run-steps.ps1'), '-Steps', stepsFile, '-Results', resultsFile], pwshEnv());
    if (code !== 0 || !existsSync(resultsFile)) throw new Error(`pwsh run-steps.ps1 exited ${code}:\n${stderr}\n${stdout.slice(-4000)}`);
    const hostLines = hostLinesByStep(stdout);
    const parsed = JSON.parse(readFileSync(resultsFile, 'utf8')) as Omit<StepResult, 'host'>[];
    return parsed.map((r) => ({ ...r, output: r.output ?? [], errors: r.errors ?? [], host: hostLines.get(r.id) ?? [] }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function hostLinesByStep(stdout: string): Map<string, string[]> {
  const byStep = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of stdout.split(/\r?\n/)) {
    const begin = /^##step-begin (.*)$/.exec(line);
    if (begin?.[1] !== undefined) {
      current = [];
      byStep.set(begin[1], current);
    } else if (line.startsWith('##step-end ')) current = undefined;
    else current?.push(line);
  }
  return byStep;
}

/** Runs a command, collecting stdout and stderr. */
export function run(cmd: string, args: readonly string[], env: NodeJS.ProcessEnv, input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.once('error', reject);
    child.once('close', (code) => {
      resolve({ code: code ?? -1, stdout, stderr });
    });
    child.stdin.end(input ?? '');
  });
}

/** Runs a PowerShell script text (written to a file in `dir`) with the doubles on PSModulePath. */
export function runPwshScript(dir: string, script: string, env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  const pwsh = pwshPath();
  if (!pwsh) throw new Error('pwsh is not installed');
  const path = join(dir, `script-${Date.now()}.ps1`);
  writeFileSync(path, script);
  return run(pwsh, ['-NoProfile', '-NonInteractive', '-File', path], pwshEnv(env));
}

// ---------------------------------------------------------------------------------------------------------------
// The double's store file

/** A rule as the double keeps it (the NetSecurity parameter names). */
export interface StoredRule {
  readonly Name: string;
  readonly DisplayName: string;
  readonly Description: string | null;
  readonly Group: string | null;
  readonly Enabled: string;
  readonly Profile: string;
  readonly Direction: string;
  readonly Action: string;
  readonly Protocol: string;
  readonly LocalPort: readonly string[];
  readonly RemotePort: readonly string[];
  readonly IcmpType: readonly string[];
  readonly LocalAddress: readonly string[];
  readonly RemoteAddress: readonly string[];
  readonly [other: string]: unknown;
}

export interface StoreFile {
  readonly stores: Record<string, { rules: StoredRule[]; profiles?: Record<string, Record<string, unknown>> }>;
}

export function parseStore(text: string | null): StoreFile {
  if (text === null) return { stores: {} };
  return JSON.parse(text) as StoreFile;
}

/** The rules of one store (none when the store is absent). */
export function rulesOf(file: StoreFile, store = 'PersistentStore'): StoredRule[] {
  return file.stores[store]?.rules ?? [];
}

/** A store file's text holding the given rules per store (the double fills in every setting left out). */
export function storeText(stores: Record<string, readonly Partial<StoredRule>[]>): string {
  return JSON.stringify({ stores: Object.fromEntries(Object.entries(stores).map(([name, rules]) => [name, { rules, profiles: {} }])) }, null, 2);
}

/** Windows keeps IPv4 subnets as address/mask; back to address/prefix for AddressSet. */
export function prefixForm(entry: string): string {
  const m = /^(\d+\.\d+\.\d+\.\d+)\/(\d+\.\d+\.\d+\.\d+)$/.exec(entry);
  if (!m?.[1] || !m[2]) return entry;
  const bits = m[2].split('.').map((o) => Number(o).toString(2).padStart(8, '0')).join('');
  return `${m[1]}/${bits.indexOf('0') < 0 ? 32 : bits.indexOf('0')}`;
}
