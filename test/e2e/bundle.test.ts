import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateDeployment, toJson } from '../../bench/generate.js';
import { runCli } from '../support/cli.js';

// The `scomfw` command is the esbuild bundle in dist/bin/ (scripts/bundle.mjs). These tests run it as users do, in
// its own process, and hold it to what the source does in-process: the same output, the same exit code, and the
// assets (PowerShell programs, the example, the dashboard's pages) found from the bundle's directory.

const repo = join(import.meta.dirname, '..', '..');
const bundle = join(repo, 'dist', 'bin', 'scomfw.js');

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function runBundle(argv: readonly string[], timeoutMs = 30_000): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, ...argv], { cwd: repo, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

/** The newest source file, so a bundle older than the source is reported instead of tested. */
function newestSource(dir: string): { path: string; mtime: number } {
  let newest = { path: '', mtime: 0 };
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile() || e.parentPath.includes(join('serve', 'ui'))) continue;
    const path = join(e.parentPath, e.name);
    const mtime = statSync(path).mtimeMs;
    if (mtime > newest.mtime) newest = { path, mtime };
  }
  return newest;
}

describe('the bundled scomfw command (dist/bin/scomfw.js)', () => {
  beforeAll(() => {
    if (!existsSync(bundle)) throw new Error(`${bundle} is missing: run npm run build (npm install runs it too)`);
    const newest = newestSource(join(repo, 'src'));
    if (statSync(bundle).mtimeMs < newest.mtime) throw new Error(`${bundle} is older than ${newest.path}: run npm run build`);
  });

  const same: readonly (readonly string[])[] = [
    ['--version'],
    ['--help'],
    ['render', '--help'],
    ['plan'], // the bundled example, found from the bundle's directory
    ['plan', 'examples/contoso.yaml', '--format', 'json'],
    ['validate', 'examples/minimal.yaml'],
    ['render', 'examples/contoso.yaml', '--target', 'verify-powershell', '--host', 'ms01.contoso.com'], // verify.ps1
    ['render', 'examples/contoso.yaml', '--target', 'nftables'],
    ['export-script', 'scom'], // an asset under dist/import/exporters
    ['export-script', 'windows'], // an asset under dist/audit/exporters
    ['plan', 'examples/no-such-file.yaml'], // exit 2, the same sentence
    ['render', 'examples/contoso.yaml', '--target', 'no-such-target'],
  ];

  for (const argv of same) {
    it(`scomfw ${argv.join(' ')}: the same output and exit code as the source`, async () => {
      const [ran, expected] = await Promise.all([runBundle(argv), runCli(argv)]);
      expect({ code: ran.code, stdout: ran.stdout, stderr: ran.stderr }).toEqual(expected);
      // Something was said: output on success, a sentence on stderr otherwise.
      expect((expected.code === 0 ? ran.stdout : ran.stderr).length).toBeGreaterThan(0);
    });
  }

  // `plan` writes in chunks as it formats, waiting for the pipe to drain; a reader that stops early ends it quietly.
  describe('start-up: what a command reading a JSON file loads', () => {
    /** The bundle's files a command's run loads before it reads its file: the entry, the command's chunk, and their static imports. */
    function loadedChunks(command: string): string[] {
      const text = (file: string) => readFileSync(join(repo, 'dist', 'bin', file), 'utf8');
      const chunk = text('scomfw.js').match(new RegExp(`\\["${command}",\\(\\)=>import\\("\\./(chunk-[\\w]+\\.js)"\\)`))?.[1];
      if (!chunk) throw new Error(`no chunk for ${command} in the bundle's command table`);
      // Static imports only (`import{a}from"./x.js"`, `import"./x.js"`); `import("./x.js")` waits until it runs.
      const staticImport = /import(?:\s*[\w${},*\s]+?from)?\s*"\.\/(chunk-[\w]+\.js)"/g;
      const seen = new Set<string>();
      const queue = ['scomfw.js', chunk];
      while (queue.length > 0) {
        const file = queue.pop()!;
        if (seen.has(file)) continue;
        seen.add(file);
        for (const m of text(file).matchAll(staticImport)) queue.push(m[1]!);
      }
      return [...seen].map(text);
    }

    it.each(['plan', 'validate', 'render'])('%s loads neither zod nor the YAML parsers (they wait for a file the JSON fast lane declines)', (command) => {
      const loaded = loadedChunks(command);
      expect(loaded.length).toBeGreaterThan(3);
      expect(loaded.filter((c) => c.includes('ZodError')), 'zod').toEqual([]);
      expect(loaded.filter((c) => c.includes('YAMLParseError') || c.includes('YAMLException')), 'yaml, js-yaml').toEqual([]);
    });

    it('audit still loads zod (its importers read exports with it): the walk sees it where it is', () => {
      expect(loadedChunks('audit').some((c) => c.includes('ZodError'))).toBe(true);
    });
  });

  describe('plan and render into a pipe', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scomfw-bundle-pipe-'));
    const file = join(dir, 'd3000.json');
    // 3,000 agents: about 0.6 MB of table and 6 MB of JSON, many chunks and many times a pipe's buffer.
    writeFileSync(file, toJson(generateDeployment({ agents: 3000 })));
    afterAll(() => { rmSync(dir, { recursive: true, force: true }); });
    // The printed files of several targets go out one after another, as the plan's chunks do.
    const commands = [
      ['plan --format table', ['plan', file, '--format', 'table']],
      ['plan --format json', ['plan', file, '--format', 'json']],
      ['render of three targets, printed', ['render', file, '--target', 'windows-powershell,nftables,iptables']],
    ] as const;

    it.each(commands)('%s to a slow reader: every byte, as in-process, exit 0', async (_, argv) => {
      const expected = await runCli([...argv]);
      const child = spawn(process.execPath, [bundle, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
      const chunks: Buffer[] = [];
      let stderr = '';
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      // Once the first bytes come, unread for a while: the pipe fills and the writer must wait for it to drain.
      child.stdout.on('data', (d: Buffer) => {
        if (chunks.push(d) === 1) {
          child.stdout.pause();
          setTimeout(() => child.stdout.resume(), 500);
        }
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect({ code, stdout: Buffer.concat(chunks).toString(), stderr }).toEqual(expected);
      expect(expected.stdout.length).toBeGreaterThan(500_000);
    });

    it.each(commands)('%s to a reader that closes early (| head): exit 0, nothing on stderr', async (_, argv) => {
      const child = spawn(process.execPath, [bundle, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let read = 0;
      child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
      child.stdout.once('data', (d: Buffer) => {
        read = d.length;
        child.stdout.destroy();
      });
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
      expect(read).toBeGreaterThan(0);
    });
  });

  describe('serve', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scomfw-bundle-'));
    afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

    it('serves the dashboard pages and its store (better-sqlite3 stays outside the bundle)', async () => {
      copyFileSync(join(repo, 'examples', 'minimal.yaml'), join(dir, 'minimal.yaml'));
      const child = spawn(process.execPath, [bundle, 'serve', join(dir, 'minimal.yaml'), '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'pipe'] });
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let out = '';
          const timer = setTimeout(() => { reject(new Error(`serve did not start: ${out}`)); }, 20_000);
          const seen = (d: Buffer): void => {
            out += d.toString();
            const m = /http:\/\/127\.0\.0\.1:\d+\//.exec(out);
            if (m) {
              clearTimeout(timer);
              resolve(m[0]);
            }
          };
          child.stdout.on('data', seen);
          child.stderr.on('data', seen);
          child.on('exit', (code) => { reject(new Error(`serve exited ${String(code)}: ${out}`)); });
        });
        const page = await fetch(url);
        expect(page.status).toBe(200);
        const html = await page.text();
        const script = /src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
        expect(script).toBeDefined();
        const asset = await fetch(new URL(script ?? '', url));
        expect(asset.status).toBe(200);
        expect((await asset.text()).length).toBeGreaterThan(1000);
        expect(existsSync(join(dir, 'minimal.yaml.scomfw.db'))).toBe(true);
      } finally {
        child.kill('SIGTERM');
      }
    });
  });
});
