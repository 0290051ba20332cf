import type { ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { stringify } from 'yaml';
import type { Plan } from '../../src/plan/types.js';
import { resultsFileSchema, type ResultsFile } from '../../src/probe/results.js';
import { nftables } from '../../src/targets/linux/nftables.js';
import { addressTextsOf } from '../../src/topology/host-addresses.js';
import type { Deployment, Host } from '../../src/topology/types.js';
import type { Lab } from './netns.js';

/**
 * Running scomfw itself inside a namespace lab (test/support/netns.ts): the CLI as plain JavaScript, the lab's
 * deployment file, the nftables rulesets loaded, `scomfw listen` and `scomfw check` in a host's namespace. The same
 * steps as test/e2e/probe-lab.test.ts, shared here for the labs that came after it.
 */

const repo = join(import.meta.dirname, '..', '..');

/**
 * The CLI as plain JavaScript in `out` (type-stripped file by file with TypeScript's own transpiler, no type
 * check), with the .ps1 assets beside their modules: a lab starts dozens of scomfw processes, and each starts in a
 * third of the time tsx needs. Returns the path of cli/main.js.
 */
export function transpileCli(out: string): string {
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(join(d, e.name)) : [join(d, e.name)]));
  const src = join(repo, 'src');
  for (const path of walk(src)) {
    const target = join(out, relative(src, path));
    mkdirSync(dirname(target), { recursive: true });
    if (path.endsWith('.ts')) {
      const js = ts.transpileModule(readFileSync(path, 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false } }).outputText;
      writeFileSync(target.replace(/\.ts$/, '.js'), js);
    } else writeFileSync(target, readFileSync(path));
  }
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(repo, 'node_modules'), join(out, 'node_modules'));
  return join(out, 'cli', 'main.js');
}

/** The deployment as a file the loader reads back: the lab addresses in place of the example's. */
export function deploymentYaml(d: Deployment): string {
  const host = (h: Host) => ({
    name: h.name,
    addresses: [...addressTextsOf(h)],
    zone: h.zone,
    roles: [...h.roles],
    os: h.os,
    ...h.ports,
    ...(h.sqlBrowser ? { sqlBrowser: true } : {}),
    ...(h.webConsoleTls ? { webConsoleTls: true } : {}),
    ...(h.install ? { install: h.install } : {}),
    ...(h.reportsTo ? { reportsTo: [...h.reportsTo] } : {}),
    ...(h.managementServers ? { managementServers: [...h.managementServers] } : {}),
    ...(h.acsCollectors ? { acsCollectors: [...h.acsCollectors] } : {}),
  });
  return stringify({
    managementGroup: d.managementGroup,
    catalog: d.catalog,
    phase: d.phase,
    features: d.features,
    hosts: d.hosts.map(host),
    ...(d.connectedGroups.length
      ? { connectedGroups: d.connectedGroups.map((g) => ({ name: g.name, managementServers: g.managementServers.map((m) => ({ name: m.name, addresses: [...addressTextsOf(m)], zone: m.zone })) })) }
      : {}),
  });
}

/**
 * Loads the nftables ruleset scomfw renders for the host into its namespace: drop-unplanned, since the namespace
 * stands in for the host alone and has no rules of its own to leave in charge.
 */
export function loadRuleset(lab: Lab, plan: Plan, name: string, dir: string): void {
  const rendered = nftables.render(plan, { host: name, linuxPolicy: 'drop-unplanned' }).find((f) => f.path.endsWith('.nft') && !f.path.endsWith('.close-install.nft'));
  if (!rendered) throw new Error(`no nftables ruleset for ${name}`);
  const path = join(dir, rendered.path);
  writeFileSync(path, rendered.content);
  lab.exec(name, 'nft', ['-f', path]);
}

/** Resolves when the child has printed text matching `pattern` on stdout; rejects if it exits or takes too long. */
export function untilOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => {
      reject(new Error(`no ${String(pattern)} after ${timeoutMs} ms: ${out} ${err}`));
    }, timeoutMs);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (pattern.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!pattern.test(out)) reject(new Error(`exited with ${String(code)} before ${String(pattern)}: ${out} ${err}`));
    });
  });
}

/** Runs a command in a host's namespace to its end; resolves with its exit code and output. */
export function runIn(lab: Lab, name: string, cmd: string, args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = lab.start(name, cmd, args);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => {
    child.once('exit', (code) => {
      resolve({ code: code ?? -1, stdout, stderr });
    });
  });
}

/** `scomfw check --from NAME --format json` in the host's namespace. */
export async function runCheck(lab: Lab, cli: string, name: string, file: string, timeoutMs: number): Promise<{ code: number; results: ResultsFile }> {
  const r = await runIn(lab, name, process.execPath, [cli, 'check', file, '--from', name, '--format', 'json', '--timeout', String(timeoutMs)]);
  try {
    return { code: r.code, results: resultsFileSchema.parse(JSON.parse(r.stdout)) };
  } catch (e) {
    throw new Error(`check from ${name} exited ${r.code}: ${(e as Error).message}\n${r.stderr}`, { cause: e });
  }
}

/** Deletes, by handle, the rule of the host's input chain that contains `match`. */
export function deleteRule(lab: Lab, name: string, match: string): void {
  // The table carries the management group (scomfw_CONTOSO): take the one scomfw loaded.
  const table = lab.exec(name, 'nft', ['list', 'tables']).split('\n').map((l) => l.trim().split(' ')).find((p) => p[1] === 'inet' && p[2]?.startsWith('scomfw'))?.[2] ?? 'scomfw';
  const listing = lab.exec(name, 'nft', ['-a', 'list', 'chain', 'inet', table, 'input']);
  const line = listing.split('\n').find((l) => l.includes(match));
  const handle = line?.match(/# handle (\d+)/)?.[1];
  if (!handle) throw new Error(`no rule with ${match} on ${name}:\n${listing}`);
  lab.exec(name, 'nft', ['delete', 'rule', 'inet', table, 'input', 'handle', handle]);
}
