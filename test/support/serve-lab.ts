import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import ts from 'typescript';
import { resultsFileSchema, type ResultsFile } from '../../src/probe/results.js';
import type { Lab } from './netns.js';

// The lab steps both labs share (the deployment with lab addresses, rulesets, rule deletion) live in scomfw-lab.
export { deleteRule, deploymentYaml, loadRuleset } from './scomfw-lab.js';

/**
 * What the serve tests share with the probe lab (test/e2e/probe-lab.test.ts keeps its own copies): the CLI as
 * plain JavaScript, the lab deployment as a file, rulesets, listeners and checks in namespaces.
 */
export const repo = join(import.meta.dirname, '..', '..');

/**
 * The CLI type-stripped into `out` (no type check): a scomfw process starts in a third of the time tsx needs. The
 * built pages are reached through a `dist` link beside it, where `serve` looks for them.
 */
export function transpileCli(out: string): string {
  const walk = (d: string): string[] => readdirSync(d, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? (e.name === 'ui' ? [] : walk(join(d, e.name))) : e.name.endsWith('.ts') && !e.name.endsWith('.d.ts') ? [join(d, e.name)] : []));
  const src = join(repo, 'src');
  for (const path of walk(src)) {
    const js = ts.transpileModule(readFileSync(path, 'utf8'), { compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false } }).outputText;
    const target = join(out, relative(src, path)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, js);
  }
  for (const entry of readdirSync(src, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.ps1')) {
      const from = join(entry.parentPath, entry.name);
      // Some assets sit in folders with no module of their own (audit/exporters, import/exporters).
      mkdirSync(dirname(join(out, relative(src, from))), { recursive: true });
      writeFileSync(join(out, relative(src, from)), readFileSync(from));
    }
  }
  writeFileSync(join(out, 'package.json'), '{ "type": "module" }\n');
  symlinkSync(join(repo, 'node_modules'), join(out, 'node_modules'));
  symlinkSync(join(repo, 'dist'), join(dirname(out), 'dist'));
  return join(out, 'cli', 'main.js');
}

/** Builds the pages when they are not built yet (a fresh clone builds them in npm install). */
export function ensurePagesBuilt(): void {
  if (existsSync(join(repo, 'dist', 'serve', 'ui', 'index.html'))) return;
  execFileSync('npx', ['vite', 'build'], { cwd: repo, stdio: 'ignore' });
}

/** Resolves with the stdout so far when the child has printed text matching `pattern`; rejects if it exits first or takes too long. */
export function untilOutput(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => { reject(new Error(`no ${String(pattern)} after ${timeoutMs} ms: ${out} ${err}`)); }, timeoutMs);
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      if (pattern.test(out)) {
        clearTimeout(timer);
        resolve(out);
      }
    });
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!pattern.test(out)) reject(new Error(`exited with ${String(code)} before ${String(pattern)}: ${out} ${err}`));
    });
  });
}

/** `scomfw check --from NAME --format json …extra` in the host's namespace; resolves with its exit code, results and stderr. */
export function runCheck(lab: Lab, cli: string, name: string, file: string, extra: readonly string[] = []): Promise<{ code: number; results: ResultsFile; stderr: string }> {
  const child = lab.start(name, process.execPath, [cli, 'check', file, '--from', name, '--format', 'json', '--timeout', '2000', ...extra]);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      try {
        resolve({ code: code ?? -1, results: resultsFileSchema.parse(JSON.parse(out)), stderr: err });
      } catch (e) {
        reject(new Error(`check from ${name} exited ${String(code)}: ${(e as Error).message}\n${err}`));
      }
    });
  });
}

/** Starts `scomfw serve` as a child process and resolves with its address once it listens. */
export async function startServe(cli: string, args: readonly string[], wrap: readonly string[] = []): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const argv = [...wrap, process.execPath, cli, 'serve', ...args];
  const child = spawn(argv[0]!, argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const out = await untilOutput(child, /scomfw serve: (http:\/\/\S+?)\/ /, 60_000);
  const url = /scomfw serve: (http:\/\/\S+?)\/ /.exec(out)![1]!;
  return { child, url, stderr: () => err };
}
