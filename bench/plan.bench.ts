import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDeployment, toJson, toYaml } from './generate.js';
import type { BenchSection } from './harness.js';

const sizes = [1_000, 15_000, 150_000];
const runs = 3;

interface Figures {
  loadMs: number;
  planMs: number;
  flows: number;
  hosts: number;
  maxRssMiB: number;
}

/** Load + plan for generated deployments (10 management servers, 20 gateways, N agents), JSON and YAML. */
export function bench(): Promise<BenchSection[]> {
  const dir = mkdtempSync(join(tmpdir(), 'scomfw-bench-'));
  const rows: (string | number)[][] = [];
  try {
    for (const agents of sizes) {
      const d = generateDeployment({ agents });
      for (const [format, text] of [['json', toJson(d)], ['yaml', toYaml(d)]] as const) {
        const file = join(dir, `bench-${agents}.${format}`);
        writeFileSync(file, text);
        const best = bestOf(file);
        rows.push([agents, format, (text.length / 1024 / 1024).toFixed(1), best.hosts, best.flows, best.loadMs.toFixed(0), best.planMs.toFixed(0), (best.loadMs + best.planMs).toFixed(0), best.maxRssMiB.toFixed(0)]);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return Promise.resolve([
    {
      title: 'load + plan (best of 3, fresh process each)',
      columns: ['agents', 'format', 'file MiB', 'hosts', 'flows', 'load ms', 'plan ms', 'total ms', 'peak RSS MiB'],
      rows,
      notes: [`10 management servers, 20 gateways, one entry per agent; Node ${process.version}, ${process.arch}`],
    },
  ]);
}

function bestOf(file: string): Figures {
  const all = Array.from({ length: runs }, () => JSON.parse(execFileSync(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'workers', 'load-plan.ts'), file], { encoding: 'utf8', maxBuffer: 1 << 20 })) as Figures);
  return all.reduce((a, b) => (b.loadMs + b.planMs < a.loadMs + a.planMs ? b : a));
}
