import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseTree } from 'jsonc-parser';
import { parseDocument } from 'yaml';
import { scanJson } from '../src/topology/json-scan.js';
import { fastPlainData, readYaml } from '../src/topology/yaml-source.js';
import { scanJson as handwrittenScanJson } from './baselines/json-scan-handwritten.js';
import { generateDeployment, toJson, toYaml } from './generate.js';
import type { BenchSection } from './harness.js';

/**
 * The two parser choices of issue 9, measured in one process (median of several runs, a GC before each):
 * - how a refused JSON file is scanned for positions: the hand-written scanner scomfw had (kept in bench/baselines
 *   for this comparison), jsonc-parser's `visit` (what src/topology/json-scan.ts uses now), and `parseTree`;
 * - how plain YAML is read: js-yaml (the loader's fast path) against the `yaml` document with positions alone.
 */
export function bench(): Promise<BenchSection[]> {
  return Promise.resolve([jsonSection(), yamlSection()]);
}

function jsonSection(): BenchSection {
  const rows: (string | number)[][] = [];
  for (const agents of [15_000, 150_000]) {
    const text = toJson(generateDeployment({ agents }));
    const mib = (text.length / 1024 / 1024).toFixed(1);
    // A locator's pass: the visitor descends only into the one path a problem points at (the last host's address).
    const wanted = ['hosts', agents + 31, 'address'];
    const toOne = (path: readonly (string | number)[]) => path.every((p, i) => p === wanted[i]);
    const cases: [string, () => unknown][] = [
      ['JSON.parse (reference: no positions)', () => JSON.parse(text) as unknown],
      ['hand-written scanner, whole file', () => handwrittenScanJson(text)],
      ['jsonc-parser visit (scanJson), whole file', () => scanJson(text)],
      ['hand-written scanner, one path', () => handwrittenScanJson(text, toOne)],
      ['jsonc-parser visit (scanJson), one path', () => scanJson(text, toOne)],
      ['jsonc-parser parseTree', () => parseTree(text)],
    ];
    const times = interleaved(cases.map(([, run]) => run), agents > 20_000 ? 7 : 11);
    cases.forEach(([name], i) => rows.push([agents, mib, name, (times[i] ?? 0).toFixed(0)]));
  }
  return {
    title: 'JSON positions: scanning a deployment file (median ms)',
    columns: ['agents', 'file MiB', 'scanner', 'ms'],
    rows,
    notes: [`generated deployments (bench/generate.ts), in one process, medians of 11 (15,000) and 7 (150,000) runs taken in turns; Node ${process.version}, ${process.arch}`, 'whole file: syntax errors and duplicate keys, as when a file is refused; one path: a locator placing one problem'],
  };
}

function yamlSection(): BenchSection {
  const rows: (string | number)[][] = [];
  const examples = ['minimal.yaml', 'contoso.yaml'].map((f) => [f, readFileSync(join(import.meta.dirname, '..', 'examples', f), 'utf8')] as const);
  const generated = [1_000, 15_000, 150_000].map((agents) => [`${agents.toLocaleString('en')} agents`, toYaml(generateDeployment({ agents }))] as const);
  for (const [name, text] of [...examples, ...generated]) {
    // yaml's document of 150,000 agents takes about a minute: one run of it there.
    const runs = text.length > 10_000_000 ? 1 : text.length > 1_000_000 ? 5 : 21;
    const [fast = 0, exact = 0, loader = 0] = interleaved([() => fastPlainData(text), () => parseDocument(text, { uniqueKeys: true }).toJS() as unknown, () => readYaml(text, name)], runs);
    rows.push([name, (text.length / 1024).toFixed(0), fast.toFixed(1), exact.toFixed(1), loader.toFixed(1), (exact / fast).toFixed(1)]);
  }
  return {
    title: 'plain YAML: js-yaml fast path against yaml alone (median ms)',
    columns: ['file', 'KiB', 'js-yaml (fast path)', 'yaml parseDocument + toJS', 'loader readYaml (guards + fast path)', 'yaml / js-yaml'],
    rows,
    notes: ['medians of 21 runs (small files), 5 (1,000 and 15,000 agents) and 1 (150,000 agents), in turns', 'the loader falls back to yaml (with positions) only when a file is refused or uses anchors, tags, complex keys or YAML 1.1 numbers'],
  };
}

/**
 * The median ms of each function, run in turns (a, b, c, a, b, c, …) so that a change in the machine's load (it is
 * shared) falls on all of them alike; the first turn warms the JIT and is not counted.
 */
function interleaved(runs: readonly (() => unknown)[], turns: number): number[] {
  const times = runs.map(() => [] as number[]);
  for (let turn = 0; turn <= turns; turn++) {
    runs.forEach((run, i) => {
      if (turn === 0 && turns > 1) return void run();
      globalThis.gc?.();
      const t0 = process.hrtime.bigint();
      run();
      times[i]?.push(Number(process.hrtime.bigint() - t0) / 1e6);
    });
  }
  return times.map((t) => t.sort((a, b) => a - b)[Math.floor(t.length / 2)] ?? 0);
}
