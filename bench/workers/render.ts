/**
 * Child process for bench/render.bench.ts: loads and plans one generated deployment, then renders every target,
 * timing each and counting the rules it wrote beside the count one rule per source address would need.
 */
import { readFileSync } from 'node:fs';
import { catalogRevision } from '../../src/catalog/index.js';
import { derivePlan } from '../../src/plan/derive.js';
import type { Plan } from '../../src/plan/types.js';
import { ruleCounts as awsRuleCounts } from '../../src/targets/cloud/aws.js';
import { ruleCounts as azureRuleCounts } from '../../src/targets/cloud/azure.js';
import { targets } from '../../src/targets/registry.js';
import type { RenderedFile } from '../../src/targets/types.js';
import { UserError } from '../../src/topology/errors.js';
import { loadDeployment } from '../../src/topology/index.js';

const [file = ''] = process.argv.slice(2);
const deployment = loadDeployment(readFileSync(file, 'utf8'), file);
const plan = derivePlan(deployment, catalogRevision(deployment.catalog));

/** What one rule is in each target's output; documents and probes have no rules. */
const ruleLine: Readonly<Record<string, { file: RegExp; line: RegExp }>> = {
  'windows-powershell': { file: /^[^.]+(\.[^.]+)*(?<!\.close-install|\.remove)\.ps1$/, line: /^Set-ScomfwRule /gm },
  netsh: { file: /(?<!\.close-install|\.remove)\.cmd$/, line: /\badd rule\b/g },
  nftables: { file: /^(?!.*--)(?!.*close-install).*\.nft$/, line: /^\t\t[^\t#].*\b(accept|drop)\b/gm },
  iptables: { file: /^(?!.*--)(?!.*close-install)(?!scomfw-remove).*\.rules6?$/, line: /^-A SCOMFW-[A-Z-]+ -s /gm },
  firewalld: { file: /\.xml$/, line: /<rule\b/g },
  csv: { file: /\.csv$/, line: /\r\n(?!$)/g },
};

/** One rule per (source address entry, destination host, protocol, port range): the unaggregated baseline. */
function perSourceAddress(p: Plan): number {
  return p.flows.reduce((n, f) => n + f.source.addresses.length, 0);
}

/** Probe scripts are one per source host (every agent): linear and large, measured at the smaller size only. */
const skip = new Set(process.argv.slice(3));

const rows: (string | number)[][] = [];
for (const [name, target] of targets) {
  if (skip.has(name)) {
    rows.push([name, 'skipped', '', '', '', '']);
    continue;
  }
  const t0 = process.hrtime.bigint();
  let files: RenderedFile[];
  try {
    files = target.render(plan, {});
  } catch (e) {
    // A platform limit the deployment cannot meet is a finding, not a crash: report it as the row.
    if (!(e instanceof UserError)) throw e;
    rows.push([name, 'refused', '', Math.round(Number(process.hrtime.bigint() - t0) / 1e6), e.message, '']);
    continue;
  }
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const bytes = files.reduce((n, f) => n + f.content.length, 0);
  let rules: number | string = 'n/a';
  let baseline: number | string = 'n/a';
  if (name === 'aws' || name === 'azure') {
    const c = name === 'aws' ? awsRuleCounts(plan) : azureRuleCounts(plan);
    rules = `${c.rules} in ${c.groups} groups`;
    baseline = c.unaggregatedRules;
  } else if (ruleLine[name]) {
    const { file: fileRe, line } = ruleLine[name];
    rules = files.filter((f) => fileRe.test(f.path)).reduce((n, f) => n + (f.content.match(line)?.length ?? 0), 0);
    baseline = perSourceAddress(plan);
  }
  rows.push([name, files.length, (bytes / 1024 / 1024).toFixed(1), Math.round(ms), rules, baseline]);
}
process.stdout.write(JSON.stringify({ flows: plan.flows.length, rows, maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
