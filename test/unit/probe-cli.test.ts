import { createServer, type Server } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resultsFileSchema } from '../../src/probe/results.js';
import { runCli } from '../support/cli.js';

// Loopback only: every address below is in 127.0.0.0/8, chosen at random so parallel runs do not meet.
const net = `127.${20 + Math.floor(Math.random() * 200)}.${Math.floor(Math.random() * 250)}`;
const ms = `${net}.11`;
const sql = `${net}.12`;
const dir = mkdtempSync(join(tmpdir(), 'sfwprb-cli-'));
let agentPort = 0;
let sqlPort = 0;
let agentListener: Server | undefined;

async function freePort(host: string): Promise<number> {
  const s = createServer();
  await new Promise<void>((r) => s.listen(0, host, r));
  const port = (s.address() as { port: number }).port;
  await new Promise<void>((r) => s.close(() => { r(); }));
  return port;
}

function deployment(): string {
  return `managementGroup: LOOP
phase: operate
hosts:
  - name: ms01.loop.test
    address: ${ms}
    roles: [management-server]
    agentPort: ${agentPort}
  - name: sql01.loop.test
    address: ${sql}
    roles: [operational-database, data-warehouse]
    sqlPort: ${sqlPort}
    sqlBrowser: true
  - name: agents
    addresses: [${net}.128/25]
    roles: [agent]
`;
}

beforeAll(async () => {
  agentListener = createServer((s) => s.end());
  await new Promise<void>((r) => agentListener?.listen(0, ms, r));
  agentPort = (agentListener.address() as { port: number }).port;
  sqlPort = await freePort(sql);
  writeFileSync(join(dir, 'loop.yaml'), deployment());
});

afterAll(async () => {
  await new Promise<void>((r) => agentListener?.close(() => { r(); }));
  rmSync(dir, { recursive: true, force: true });
});

const file = () => join(dir, 'loop.yaml');

describe('scomfw check (loopback)', () => {
  it('--format json: a valid result file, open where a listener is, exit 0', async () => {
    const r = await runCli(['check', file(), '--from', 'agents', '--format', 'json']);
    expect(r.code).toBe(0);
    const results = resultsFileSchema.parse(JSON.parse(r.stdout));
    expect(results.source.name).toBe('agents');
    expect(results.results).toMatchObject([{ flow: `agents>ms01.loop.test:tcp/${agentPort}`, address: ms, state: 'open', reason: 'syn-ack', attempts: 1 }]);
    expect(results.settings).toEqual({ timeoutMs: 3000, retries: 1, concurrency: 64, adaptive: true });
    expect(r.stderr).toContain('1 probe to 1 address on 1 port from agents (found by --from)');
  });

  it('nothing listening: closed (refused), exit 1, and the table says which flow fails', async () => {
    const r = await runCli(['check', file(), '--from', 'ms01.loop.test', '--timeout', '400']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`sql01\\.loop\\.test +${sql.replace(/\./g, '\\.')} +tcp/${sqlPort} +closed +refused`));
    expect(r.stdout).toMatch(/FAIL tcp\/\d+ to sql01\.loop\.test/);
    expect(Math.max(...r.stdout.split('\n').map((l) => Array.from(l).length))).toBeLessThanOrEqual(100);
  });

  it('--format junit --out: a failure per required flow not open (the SQL port and the Browser port)', async () => {
    const out = join(dir, 'check.xml');
    const r = await runCli(['check', file(), '--from', 'ms01.loop.test', '--timeout', '400', '--format', 'junit', '--out', out]);
    expect(r.code).toBe(1);
    const xml = readFileSync(out, 'utf8');
    expect(xml).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="scomfw check LOOP" tests="2" failures="2"/);
    expect(xml).toContain(`<failure message="closed (refused)" type="closed">ms01.loop.test&gt;sql01.loop.test:tcp/${sqlPort}`);
    expect((xml.match(/<testcase /g) ?? []).length).toBe(2);
  });

  it('--fixed-timeout and the other settings land in the result file', async () => {
    const r = await runCli(['check', file(), '--from', 'agents', '--format', 'json', '--fixed-timeout', '--timeout', '700', '--retries', '0', '--concurrency', '3']);
    expect(resultsFileSchema.parse(JSON.parse(r.stdout)).settings).toEqual({ timeoutMs: 700, retries: 0, concurrency: 3, adaptive: false });
  });

  it('this machine not in the deployment: exit 2 with the --from hint and the names', async () => {
    const r = await runCli(['check', file()]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/is none of the deployment's hosts\. Hint: name the source with --from NAME, one of: agents, ms01\.loop\.test, sql01\.loop\.test/);
  });

  it('--out into a directory that does not exist: exit 2, one sentence', async () => {
    const r = await runCli(['check', file(), '--from', 'agents', '--out', join(dir, 'no', 'such', 'x.json')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^cannot write .*x\.json: no such directory\. Hint: /);
  });

  it('a host where no flow starts: nothing to probe, exit 0', async () => {
    const r = await runCli(['check', file(), '--from', 'sql01.loop.test', '--format', 'json']);
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('nothing to probe: no flow of the plan starts from sql01.loop.test');
    expect(resultsFileSchema.parse(JSON.parse(r.stdout)).results).toEqual([]);
  });

  it('bad numbers are usage errors (exit 2)', async () => {
    expect((await runCli(['check', file(), '--timeout', '0'])).code).toBe(2);
    expect((await runCli(['check', file(), '--concurrency', 'many'])).code).toBe(2);
  });
});

describe('scomfw listen with scomfw check (loopback)', () => {
  it('stands in for the SQL host: check sees its port and the Browser open, then listen releases them', async () => {
    const listening = runCli(['listen', file(), '--as', 'sql01.loop.test', '--bind', sql, '--duration', '2s']);
    await new Promise((r) => setTimeout(r, 300));
    const during = await runCli(['check', file(), '--from', 'ms01.loop.test', '--format', 'json']);
    const l = await listening;
    expect(l.code).toBe(0);
    expect(l.stdout).toContain(`listening tcp/${sqlPort} on ${sql}  from ms01.loop.test`);
    expect(l.stdout).toContain(`listening udp/1434 on ${sql}  SQL Server Browser stand-in for ms01.loop.test`);
    expect(l.stdout).toMatch(/stopped \(after 2s\): every port released\n$/);
    expect(during.code).toBe(0);
    const states = resultsFileSchema.parse(JSON.parse(during.stdout)).results.map((r) => [r.port, r.state, r.reason]);
    expect(states).toEqual([[sqlPort, 'open', 'syn-ack'], [1434, 'open', 'ssrp-response']]);
  });

  it('--as a host that accepts nothing, or none at all: exit 2 with the hosts that do', async () => {
    const r = await runCli(['listen', file(), '--as', 'agents', '--duration', '1s']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/agents accepts no flow in this plan\. Hint: choose one of the hosts that accept flows: ms01\.loop\.test, sql01\.loop\.test/);
    expect((await runCli(['listen', file(), '--as', 'zz', '--duration', '1s'])).stderr).toMatch(/--as zz names no host/);
    expect((await runCli(['listen', file(), '--as', 'agents', '--duration', 'soon'])).code).toBe(2);
  });
});

describe('scomfw report', () => {
  const fixtures = join(import.meta.dirname, '..', 'fixtures', 'results');

  it('merges the samples; exit 1 because three required flows are not open', async () => {
    const r = await runCli(['report', join(fixtures, 'sample-node.json'), join(fixtures, 'sample-powershell.json'), '--plan', 'examples/contoso.yaml']);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^CONTOSO: \d+ results from 2 files, catalog 2024-11/);
    expect(r.stdout).toMatch(/not covered/);
  });

  it('--format html writes one page', async () => {
    const r = await runCli(['report', join(fixtures, 'sample-node.json'), '--format', 'html']);
    expect(r.stdout.startsWith('<!DOCTYPE html>')).toBe(true);
  });

  it('a bad file: exit 2, naming the file and the path of the problem', async () => {
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'scomfw-results', version: 1 }));
    const r = await runCli(['report', bad]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.json: prober: /);
    const missing = await runCli(['report', join(dir, 'none.json')]);
    expect(missing.stderr).toMatch(/cannot read .*none\.json: no such file\. Hint: give result files written by scomfw check/);
  });
});
