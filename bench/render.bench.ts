import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDeployment, toJson } from './generate.js';
import type { BenchSection } from './harness.js';

/** Subnet-style agents at two sizes, and 20,000 one-host agents with install: push (every agent a destination). */
const sizes: readonly { agents: number; push?: boolean }[] = [{ agents: 15_000 }, { agents: 150_000 }, { agents: 20_000, push: true }];

/** Render time of every target and the rules written, aggregated vs one rule per source address. */
export function bench(): Promise<BenchSection[]> {
  const dir = mkdtempSync(join(tmpdir(), 'scomfw-bench-'));
  const sections: BenchSection[] = [];
  try {
    for (const { agents, push = false } of sizes) {
      const file = join(dir, `bench-${agents}${push ? '-push' : ''}.json`);
      writeFileSync(file, toJson(generateDeployment({ agents, push })));
      const skip = agents > 20_000 ? ['verify-powershell'] : [];
      const out = execFileSync(process.execPath, ['--max-old-space-size=8192', '--import', 'tsx', join(import.meta.dirname, 'workers', 'render.ts'), file, ...skip], {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      });
      const r = JSON.parse(out) as { flows: number; rows: (string | number)[][]; maxRssMiB: number };
      sections.push({
        title: `render, ${agents.toLocaleString('en')} agents${push ? ' with install: push' : ''} (${r.flows.toLocaleString('en')} flows)`,
        columns: ['target', 'files', 'MiB', 'render ms', 'rules written', 'one rule per source address'],
        rows: r.rows,
        notes: [
          `10 management servers, 20 gateways; agents 60 % in dense subnets, 40 % every third address; peak RSS ${Math.round(r.maxRssMiB)} MiB (all targets in one process)`,
          'verify-powershell writes one script per source host (every agent): measured at 15,000 agents only',
          'host files only (zone-pair firewall files not counted); rules written: Set-ScomfwRule calls (windows-powershell), add rule (netsh), accept/drop rules (nftables), -A … -s lines (iptables), <rule> (firewalld), rows (csv), AWS/Azure rules as their quotas count them',
        ],
      });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return Promise.resolve(sections);
}
