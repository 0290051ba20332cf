import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { nftables } from '../../src/targets/linux/nftables.js';
import { listeningHosts } from '../../src/targets/rules.js';
import { Lab, labUnavailableReason } from '../support/netns.js';
import { loadScenario, planOf, remapForLab, type ScenarioName } from '../support/scenarios.js';

/**
 * Real traffic through the rendered host rulesets. Each host of a scenario becomes a network namespace on one
 * bridge with a 198.18.x.y (and fd00:5c0f::) address, every destination loads its own `<host>.nft`, listeners
 * answer on every planned TCP port and on decoy ports, and then every planned TCP flow must connect while a
 * sample of unplanned (source, destination, port) triples must time out: the listener is there, so a silent
 * drop is the firewall's doing. UDP and ICMP flows are not probed (no answer tells open from filtered).
 */

const skip = labUnavailableReason(['ip', 'nft']);
const titled = (title: string) => (skip ? `${title} (skipped: ${skip})` : title);

/** Ports nobody plans for, listened on everywhere so that a drop on them is the firewall's. */
const decoyPorts = [7, 3389, 8080, 50000];
const connectTimeoutMs = 2500;
const clientsAtOnce = 10;
const unplannedSample = 60;

const listenerScript = `
const net = require('node:net');
const [host, ...ports] = process.argv.slice(1);
let ready = 0;
for (const port of ports.map(Number)) {
  const server = net.createServer((c) => c.destroy());
  server.on('error', (e) => { console.error(port, e.message); process.exit(1); });
  server.listen({ port, host, ipv6Only: false }, () => { if (++ready === ports.length) console.log('ready'); });
}
`;

/** Connects to every [address, port] given as JSON; prints one outcome per target: open, timeout, or an errno. */
const clientScript = `
const net = require('node:net');
const timeout = Number(process.argv[1]);
const targets = JSON.parse(process.argv[2]);
const results = [];
let next = 0;
const one = (i) => new Promise((resolve) => {
  const [host, port] = targets[i];
  const socket = net.connect({ host, port });
  const timer = setTimeout(() => { socket.destroy(); resolve('timeout'); }, timeout);
  socket.once('connect', () => { clearTimeout(timer); socket.destroy(); resolve('open'); });
  socket.once('error', (e) => { clearTimeout(timer); resolve(e.code || e.message); });
}).then((r) => { results[i] = r; });
const worker = async () => { while (next < targets.length) await one(next++); };
Promise.all(Array.from({ length: 32 }, worker)).then(() => console.log(JSON.stringify(results)));
`;

interface Probe {
  readonly source: string;
  readonly destination: string;
  readonly address: string;
  readonly port: number;
  readonly expect: 'open' | 'timeout';
}

/** The ports to probe for a planned range: its ends and its middle. */
function samplePorts(from: number, to: number): number[] {
  return [...new Set([from, Math.floor((from + to) / 2), to])];
}

/** A small seeded generator, so that the unplanned sample is the same on every run. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function addressesOf(addresses: Map<string, { v4: string; v6?: string }>, name: string): string[] {
  const a = addresses.get(name);
  if (!a) throw new Error(`no lab address for ${name}`);
  return a.v6 ? [a.v4, a.v6] : [a.v4];
}

/** Every planned TCP flow, on each family both ends have, at the sampled ports. */
function plannedProbes(plan: Plan, addresses: Map<string, { v4: string; v6?: string }>): Probe[] {
  return plan.flows
    .filter((f) => f.protocol === 'tcp' && f.ports)
    .flatMap((f) => {
      const sourceFamilies = addressesOf(addresses, f.source.name).map((a) => a.includes(':'));
      const targets = addressesOf(addresses, f.destination.name).filter((a) => sourceFamilies.includes(a.includes(':')));
      return targets.flatMap((address) =>
        samplePorts(f.ports?.from ?? 0, f.ports?.to ?? 0).map((port) => ({ source: f.source.name, destination: f.destination.name, address, port, expect: 'open' as const })),
      );
    });
}

/** A sample of (source, destination, port) that no flow allows, on ports where a listener waits. */
function unplannedProbes(plan: Plan, addresses: Map<string, { v4: string; v6?: string }>, listening: Map<string, number[]>): Probe[] {
  const allowed = (source: string, destination: string, port: number) =>
    plan.flows.some((f) => f.protocol === 'tcp' && f.source.name === source && f.destination.name === destination && f.ports && f.ports.from <= port && port <= f.ports.to);
  const candidates: Probe[] = [];
  for (const source of plan.hosts) {
    for (const [destination, ports] of listening) {
      if (destination === source.name) continue;
      // TCP 22 included: no SCOM server gets SSH by assumption, only where the plan opens it.
      const sourceFamilies = addressesOf(addresses, source.name).map((a) => a.includes(':'));
      const targets = addressesOf(addresses, destination).filter((a) => sourceFamilies.includes(a.includes(':')));
      for (const port of ports.filter((p) => !allowed(source.name, destination, p))) {
        for (const address of targets) candidates.push({ source: source.name, destination, address, port, expect: 'timeout' });
      }
    }
  }
  const random = seeded(5723);
  return candidates
    .map((probe) => ({ probe, key: random() }))
    .sort((a, b) => a.key - b.key)
    .slice(0, unplannedSample)
    .map((c) => c.probe);
}

function output(child: ChildProcess, until: (text: string) => boolean, what: string, ms = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    let errors = '';
    const timer = setTimeout(() => { reject(new Error(`${what}: no answer in ${ms} ms (${errors})`)); }, ms);
    child.stdout?.on('data', (d: Buffer) => {
      text += d.toString();
      if (until(text)) {
        clearTimeout(timer);
        resolve(text);
      }
    });
    child.stderr?.on('data', (d: Buffer) => (errors += d.toString()));
    child.once('exit', (code) => {
      if (!until(text)) {
        clearTimeout(timer);
        reject(new Error(`${what} exited with ${code}: ${errors}`));
      }
    });
  });
}

/** Resolves when the process exits with 0; rejects with its stderr otherwise. */
function exited(child: ChildProcess, what: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let errors = '';
    child.stderr?.on('data', (d: Buffer) => {
      errors += d.toString();
    });
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${what} exited with ${code}: ${errors}`));
    });
  });
}

interface Outcome {
  readonly probe: Probe;
  readonly result: string;
}

/** Runs each source's probes in its own namespace, a few sources at a time. */
async function probeAll(lab: Lab, probes: readonly Probe[], timeoutMs: number): Promise<Outcome[]> {
  const bySource = new Map<string, Probe[]>();
  for (const p of probes) bySource.set(p.source, [...(bySource.get(p.source) ?? []), p]);
  const sources = [...bySource.entries()];
  const outcomes: Outcome[] = [];
  for (let i = 0; i < sources.length; i += clientsAtOnce) {
    await Promise.all(
      sources.slice(i, i + clientsAtOnce).map(async ([source, list]) => {
        const targets = JSON.stringify(list.map((p) => [p.address, p.port]));
        const child = lab.start(source, process.execPath, ['-e', clientScript, String(timeoutMs), targets]);
        const text = await output(child, (t) => t.trim().endsWith(']'), `client in ${source}`, timeoutMs * list.length + 60_000);
        const results = JSON.parse(text) as string[];
        list.forEach((probe, k) => outcomes.push({ probe, result: results[k] ?? 'no result' }));
      }),
    );
  }
  return outcomes;
}

/**
 * The probes that did not go as planned. A planned flow that timed out is tried once more with a longer timeout:
 * on a loaded machine a client can be starved past its timer, and a second try cannot make a dropped flow connect.
 */
async function wrongProbes(lab: Lab, probes: readonly Probe[]): Promise<string[]> {
  const first = await probeAll(lab, probes, connectTimeoutMs);
  const retry = first.filter((o) => o.result !== o.probe.expect && o.probe.expect === 'open' && o.result === 'timeout').map((o) => o.probe);
  const second = retry.length > 0 ? await probeAll(lab, retry, 4 * connectTimeoutMs) : [];
  return [...first.filter((o) => !retry.includes(o.probe)), ...second]
    .filter((o) => o.result !== o.probe.expect)
    .map(({ probe: p, result }) => `${p.source} -> ${p.destination} ${p.address}:${p.port}: ${result}, expected ${p.expect}`);
}

function runLab(scenario: ScenarioName, prefix: string): void {
  const { deployment, addresses } = remapForLab(loadScenario(scenario));
  const plan = planOf(deployment);
  let lab: Lab | undefined;
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  afterAll(() => {
    lab?.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  it(`${scenario}: every planned TCP flow connects and a sample of unplanned ones is dropped`, { timeout: 180_000 }, async () => {
    lab = new Lab(prefix);
    for (const host of plan.hosts) {
      const a = addresses.get(host.name);
      if (!a) throw new Error(`no lab address for ${host.name}`);
      lab.addHost(host.name, a.v4, a.v6);
    }
    // Each namespace stands in for its host alone: the ruleset is its whole policy, so drop-unplanned.
    const files = nftables.render(plan, { linuxPolicy: 'drop-unplanned' });
    const listening = new Map<string, number[]>();
    const ready: Promise<string>[] = [];
    const loaded: Promise<void>[] = [];
    for (const host of listeningHosts(plan)) {
      const file = join(dir, `${host.name}.nft`);
      const ruleset = files.find((f) => f.path === `${host.name}.nft`);
      if (!ruleset) throw new Error(`no ruleset for ${host.name}`);
      writeFileSync(file, ruleset.content);
      loaded.push(exited(lab.start(host.name, 'nft', ['-f', file]), `nft -f in ${host.name}`));
      const planned = plan.flows.filter((f) => f.destination.name === host.name && f.protocol === 'tcp' && f.ports).flatMap((f) => samplePorts(f.ports?.from ?? 0, f.ports?.to ?? 0));
      const ports = [...new Set([...planned, ...decoyPorts])].sort((x, y) => x - y);
      listening.set(host.name, ports);
      const bind = addresses.get(host.name)?.v6 ? '::' : '0.0.0.0';
      ready.push(output(lab.start(host.name, process.execPath, ['-e', listenerScript, bind, ...ports.map(String)]), (t) => t.includes('ready'), `listener in ${host.name}`));
    }
    await Promise.all(loaded);
    await Promise.all(ready);

    const planned = plannedProbes(plan, addresses);
    const unplanned = unplannedProbes(plan, addresses, listening);
    expect(planned.length).toBeGreaterThan(0);
    expect(unplanned.length).toBeGreaterThanOrEqual(50);
    expect(await wrongProbes(lab, [...planned, ...unplanned])).toEqual([]);
  });
}

describe.skipIf(skip !== undefined)(titled('nftables host rulesets in a namespace lab'), () => {
  describe('contoso', () => {
    runLab('contoso', 'sfwnftc');
  });
  describe('ipv6 (dual-stack lab: IPv6 flows and neighbour discovery through the rulesets)', () => {
    runLab('ipv6', 'sfwnft6');
  });
});
