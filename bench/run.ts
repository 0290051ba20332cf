import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Bench, BenchSection } from './harness.js';

/**
 * `npm run bench [name…]`: runs every bench/*.bench.ts (or those named), prints each section as a table, and
 * writes bench/results/<name>.json. Figures only; nothing here passes or fails.
 */
const only = process.argv.slice(2);
const dir = import.meta.dirname;
const files = readdirSync(dir)
  .filter((f) => f.endsWith('.bench.ts'))
  .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
  .sort();
mkdirSync(join(dir, 'results'), { recursive: true });
for (const file of files) {
  const name = file.replace(/\.bench\.ts$/, '');
  console.log(`\n## ${name}`);
  const mod = (await import(pathToFileURL(join(dir, file)).href)) as { bench: Bench };
  const sections = await mod.bench();
  for (const s of sections) print(s);
  writeFileSync(join(dir, 'results', `${name}.json`), `${JSON.stringify(sections, null, 2)}\n`);
}

function print(s: BenchSection): void {
  console.log(`\n### ${s.title}\n`);
  const cells = [s.columns.map(String), ...s.rows.map((r) => r.map(String))];
  const widths = s.columns.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]) => `| ${r.map((c, i) => c.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  console.log(line(cells[0]!));
  console.log(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const r of cells.slice(1)) console.log(line(r));
  for (const n of s.notes ?? []) console.log(`\n- ${n}`);
}
