/**
 * Child process for bench/plan.bench.ts: loads one deployment file, plans it, prints figures as JSON.
 * A fresh process per measurement, so maxRSS is the peak of this load + plan alone.
 */
import { readFileSync } from 'node:fs';
import { catalogRevision } from '../../src/catalog/index.js';
import { derivePlan } from '../../src/plan/derive.js';
import { loadDeployment } from '../../src/topology/index.js';

const [file = ''] = process.argv.slice(2);
const text = readFileSync(file, 'utf8');
const t0 = process.hrtime.bigint();
const deployment = loadDeployment(text, file);
const t1 = process.hrtime.bigint();
const plan = derivePlan(deployment, catalogRevision(deployment.catalog));
const t2 = process.hrtime.bigint();
process.stdout.write(
  JSON.stringify({
    loadMs: Number(t1 - t0) / 1e6,
    planMs: Number(t2 - t1) / 1e6,
    flows: plan.flows.length,
    hosts: deployment.hosts.length,
    maxRssMiB: process.resourceUsage().maxRSS / 1024,
  }),
);
