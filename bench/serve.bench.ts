import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { planFor } from '../src/cli/context.js';
import { resultsFileSchema, summarize, type ProbeResult, type ResultsFile } from '../src/probe/results.js';
import { createApi } from '../src/serve/api.js';
import { EventHub } from '../src/serve/events.js';
import { Dashboard } from '../src/serve/state.js';
import { Store } from '../src/serve/store.js';
import { loadDeployment } from '../src/topology/index.js';
import { generateDeployment, toJson } from './generate.js';
import type { BenchSection } from './harness.js';

const repo = join(import.meta.dirname, '..');
const posters = 100;
const seconds = 10;

/**
 * `scomfw serve`: results ingested per second (a real server process, 100 concurrent posters on loopback, each
 * posting the 29-row sample result file again and again with a new finish time), and the time to answer the
 * matrix page's data for the 15,000-agent deployment with a result for every flow.
 */
export async function bench(): Promise<BenchSection[]> {
  return [await ingestion(), inProcess(), await matrix()];
}

/** What a post costs the server without HTTP: validation, the store's transaction and the state update. */
function inProcess(): BenchSection {
  const dir = mkdtempSync(join(tmpdir(), 'scomfw-bench-serve-'));
  const text = readFileSync(join(repo, 'test', 'fixtures', 'results', 'sample-node.json'), 'utf8');
  const plan = planFor(loadDeployment(readFileSync(join(repo, 'examples', 'contoso.yaml'), 'utf8'), 'contoso.yaml'));
  const store = new Store(join(dir, 'store.db'));
  try {
    const dashboard = new Dashboard(plan, store);
    const count = 2000;
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      const file = resultsFileSchema.parse(JSON.parse(text));
      const t = Date.parse('2026-01-01T00:00:00.000Z') + i;
      const dated = { ...file, finishedAt: new Date(t).toISOString() };
      const stored = store.addResults(dated, new Date().toISOString());
      dashboard.ingest(dated, stored.id, dated.finishedAt);
    }
    const s = (performance.now() - t0) / 1000;
    return {
      title: 'ingestion without HTTP: parse, validate, store (one transaction each), update the state',
      columns: ['files', 'files/s', 'result rows/s', 'load average'],
      rows: [[count, (count / s).toFixed(0), ((count * 29) / s).toFixed(0), loadavg()[0]!.toFixed(1)]],
    };
  } finally {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

async function ingestion(): Promise<BenchSection> {
  const dir = mkdtempSync(join(tmpdir(), 'scomfw-bench-serve-'));
  const sample = resultsFileSchema.parse(JSON.parse(readFileSync(join(repo, 'test', 'fixtures', 'results', 'sample-node.json'), 'utf8')));
  const child = spawn(process.execPath, ['--import', 'tsx', join(repo, 'src', 'cli', 'main.ts'), 'serve', join(repo, 'examples', 'contoso.yaml'), '--listen', '127.0.0.1:0', '--db', join(dir, 'store.db'), '--token-file', join(dir, 'token')], { stdio: ['ignore', 'pipe', 'pipe'] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /scomfw serve: (http:\/\/\S+?)\/ /.exec(out);
        if (m) resolve(m[1]!);
      });
      child.once('exit', (code) => { reject(new Error(`serve exited with ${String(code)}`)); });
    });
    const token = readFileSync(join(dir, 'token'), 'utf8').trim();
    let n = 0;
    const post = async (): Promise<number> => {
      const t = Date.parse('2026-01-01T00:00:00.000Z') + n++;
      const file: ResultsFile = { ...sample, startedAt: new Date(t - 500).toISOString(), finishedAt: new Date(t).toISOString() };
      const t0 = performance.now();
      const res = await fetch(`${url}/api/results`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(file) });
      await res.arrayBuffer();
      if (res.status !== 201) throw new Error(`answered ${res.status}`);
      return performance.now() - t0;
    };
    const run = async (ms: number): Promise<number[]> => {
      const until = performance.now() + ms;
      const latencies: number[] = [];
      await Promise.all(Array.from({ length: posters }, async () => {
        while (performance.now() < until) latencies.push(await post());
      }));
      return latencies;
    };
    await run(1000); // warm up: JIT, connections, the store's first pages
    const load = loadavg()[0]!;
    const t0 = performance.now();
    const latencies = await run(seconds * 1000);
    const elapsed = (performance.now() - t0) / 1000;
    latencies.sort((a, b) => a - b);
    const q = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))]!.toFixed(1);
    return {
      title: `ingestion: ${posters} concurrent posters, ${seconds} s sustained, loopback`,
      columns: ['files posted', 'files/s', 'result rows/s', 'p50 ms', 'p99 ms', 'load average at start'],
      rows: [[latencies.length, (latencies.length / elapsed).toFixed(0), ((latencies.length * sample.results.length) / elapsed).toFixed(0), q(0.5), q(0.99), load.toFixed(1)]],
      notes: [
        `each file: ${sample.results.length} result rows (test/fixtures/results/sample-node.json), stored whole plus one row per probe, committed before the answer`,
        `server: scomfw serve under tsx, better-sqlite3 WAL synchronous=NORMAL; Node ${process.version}, ${process.arch}; posters in the bench process (Node fetch)`,
      ],
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

async function matrix(): Promise<BenchSection> {
  const dir = mkdtempSync(join(tmpdir(), 'scomfw-bench-serve-'));
  try {
    const plan = planFor(loadDeployment(toJson(generateDeployment({ agents: 15_000 })), 'bench-15000.json'));
    const store = new Store(join(dir, 'store.db'));
    const dashboard = new Dashboard(plan, store);
    const bySource = new Map<string, ProbeResult[]>();
    for (const [i, f] of plan.flows.entries()) {
      const state = i % 50 === 0 ? 'filtered' : 'open';
      const row: ProbeResult = { flow: f.id, destination: f.destination.name, address: f.destination.addresses[0] ?? '10.0.0.1', protocol: f.protocol, port: f.ports?.from ?? null, phase: f.phase, state, reason: state === 'open' ? 'syn-ack' : 'timeout', rttMs: state === 'open' ? 0.4 : null, attempts: 1, detail: '' };
      const list = bySource.get(f.source.name);
      if (list) list.push(row);
      else bySource.set(f.source.name, [row]);
    }
    const t0 = performance.now();
    for (const [source, results] of bySource) {
      const file: ResultsFile = { format: 'scomfw-results', version: 1, prober: 'node', managementGroup: plan.managementGroup, catalog: plan.catalog, source: { name: source, addresses: [] }, startedAt: '2026-01-01T00:00:00.000Z', finishedAt: '2026-01-01T00:00:01.000Z', settings: { timeoutMs: 3000, retries: 1, concurrency: 64, adaptive: true }, results, summary: summarize(results) };
      dashboard.ingest(file, source, file.finishedAt);
    }
    const ingestMs = performance.now() - t0;
    const app = createApi({ store, dashboard, events: new EventHub(), readsNeedToken: false, maxBodyBytes: 1 << 20, uiDir: undefined });
    const rows: (string | number)[][] = [];
    for (const [what, path] of [
      ['matrix page (first 2,000 flows, as the page asks)', '/api/matrix'],
      ['matrix filtered: state=failing', '/api/matrix?state=failing'],
      ['matrix filtered: host=srv1234.', '/api/matrix?host=srv1234.'],
      ['matrix, every flow (limit=all)', '/api/matrix?limit=all'],
      ['overview', '/api/overview'],
      ['drawing (agents folded)', '/api/graph'],
    ] as const) {
      rows.push([what, ...(await timeAnswer(app, path))]);
    }
    store.close();
    return {
      title: `page data of the 15,000-agent deployment (${plan.flows.length} flows, a result for every flow)`,
      columns: ['request', 'best ms', 'median ms', 'answer KiB'],
      rows: [...rows, ['(taking in one result file per source, all sources)', ingestMs.toFixed(0), '', '']],
      notes: ['in-process (the API answered without the network: computing, filtering and serialising the answer), 7 runs each'],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Best and median of 7 answers (computed, filtered, serialised and read as text), and the answer's size. */
async function timeAnswer(app: ReturnType<typeof createApi>, path: string): Promise<(string | number)[]> {
  const times: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 7; i++) {
    const t = performance.now();
    const res = await app.request(path);
    const text = await res.text();
    times.push(performance.now() - t);
    if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${text.slice(0, 200)}`);
    bytes = Buffer.byteLength(text);
  }
  times.sort((a, b) => a - b);
  return [times[0]!.toFixed(1), times[3]!.toFixed(1), (bytes / 1024).toFixed(0)];
}
