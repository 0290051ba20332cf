import type { ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { iptablesImporter } from '../../src/audit/importers/iptables.js';
import { nftablesImporter } from '../../src/audit/importers/nftables.js';
import { allMustAllow, type FirewallModel, type Verdict } from '../../src/audit/model.js';
import { PacketSet } from '../../src/audit/space.js';
import { IpAddress } from '../../src/net/address.js';
import type { Plan } from '../../src/plan/types.js';
import { listeningHosts } from '../../src/targets/rules.js';
import { exportRules, loadRendered, type LinuxTool } from '../support/audit-lab.js';
import { Lab, labUnavailableReason } from '../support/netns.js';
import { loadScenario, planOf, remapForLab } from '../support/scenarios.js';

/**
 * The engine agrees with the kernel. Destination hosts of the contoso example become namespaces on one bridge and
 * load their rendered rulesets (nftables or iptables), with defects planted on some of them so that verdicts come
 * from more than scomfw's own shapes: a broad accept first, a drop in an earlier base chain of another table, a user
 * chain that returns early. Each ruleset is exported with the real tool and imported. Then at least 2,000 sampled
 * packets (source address, destination, TCP port) are sent as real connection attempts: sources are the lab
 * addresses of deployment hosts and addresses outside the deployment, added to a client namespace. A SYN that gets
 * an answer (connected or refused: nothing listens) passed the firewall; one that times out was dropped. The
 * engine's verdict for each packet must equal the kernel's.
 */

const skip = labUnavailableReason(['ip', 'nft', 'iptables-restore']);
const titled = (title: string) => (skip ? `${title} (skipped: ${skip})` : title);

const decoyPorts = [7, 3389, 8080];
const outsideSources = 40;
const wanted = 2000;
const timeoutMs = 1500;

/** Connects from [localAddress, host, port] triples; prints one outcome each: open, ECONNREFUSED, timeout, or an error code. */
const clientScript = `
const net = require('node:net');
const timeout = Number(process.argv[1]);
const targets = JSON.parse(process.argv[2]);
const results = [];
let next = 0;
const one = (i) => new Promise((resolve) => {
  const [localAddress, host, port] = targets[i];
  const socket = net.connect({ host, port, localAddress });
  const timer = setTimeout(() => { socket.destroy(); resolve('timeout'); }, timeout);
  socket.once('connect', () => { clearTimeout(timer); socket.destroy(); resolve('open'); });
  socket.once('error', (e) => { clearTimeout(timer); resolve(e.code || e.message); });
}).then((r) => { results[i] = r; });
const worker = async () => { while (next < targets.length) await one(next++); };
Promise.all(Array.from({ length: 200 }, worker)).then(() => console.log(JSON.stringify(results)));
`;

interface Packet {
  readonly from: string;
  readonly source: string;
  readonly destination: string;
  readonly host: string;
  readonly port: number;
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function output(child: ChildProcess, what: string, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    let errors = '';
    const timer = setTimeout(() => { reject(new Error(`${what}: no answer in ${ms} ms (${errors})`)); }, ms);
    child.stdout?.on('data', (d: Buffer) => (text += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (errors += d.toString()));
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve(text);
      else reject(new Error(`${what} exited with ${code}: ${errors}`));
    });
  });
}

/** Sends every packet from the namespace that holds its source address; the kernel's verdict for each. */
async function send(lab: Lab, packets: readonly Packet[], wait: number): Promise<Map<Packet, string>> {
  const byNamespace = new Map<string, Packet[]>();
  for (const p of packets) byNamespace.set(p.from, [...(byNamespace.get(p.from) ?? []), p]);
  const out = new Map<Packet, string>();
  await Promise.all(
    [...byNamespace].map(async ([from, list]) => {
      const text = await output(lab.start(from, process.execPath, ['-e', clientScript, String(wait), JSON.stringify(list.map((p) => [p.source, p.destination, p.port]))]), `client in ${from}`, wait * list.length + 60_000);
      const results = JSON.parse(text) as string[];
      list.forEach((p, k) => {
        const r = results[k] ?? 'no result';
        out.set(p, r === 'open' || r === 'ECONNREFUSED' ? 'allow' : r === 'timeout' ? 'deny' : r);
      });
    }),
  );
  return out;
}

function engineVerdict(models: readonly FirewallModel[], p: Packet): Verdict {
  const point = PacketSet.point({ family: 4, source: IpAddress.parse(p.source).value, destination: IpAddress.parse(p.destination).value, protocol: 6, port: p.port });
  const decisions = allMustAllow(models.filter((m) => m.families.includes(4)).map((m) => (q: PacketSet) => m.decide(q, 'input')))(point);
  expect(decisions).toHaveLength(1);
  return decisions[0]!.verdict;
}

/** Defects planted on some hosts so that the sample meets other rule shapes than scomfw's own. */
type Defect = 'broad-accept' | 'early-drop' | 'early-return';

function plant(lab: Lab, tool: LinuxTool, host: string, defect: Defect, someSource: string): void {
  const nft = (text: string) => lab.exec(host, 'nft', ['-f', '-'], text);
  const ipt = (...args: string[]) => lab.exec(host, 'iptables', args);
  if (tool === 'nftables') {
    if (defect === 'broad-accept') nft('insert rule inet scomfw_CONTOSO input tcp dport { 7, 3389, 5723-5724, 8080 } accept\n');
    if (defect === 'early-drop') nft(`table ip early {\n chain c {\n  type filter hook input priority -50; policy accept;\n  ip saddr ${someSource} drop\n  ip saddr 198.19.0.0/16 tcp dport 7 accept\n }\n}\n`);
    if (defect === 'early-return') nft('insert rule inet scomfw_CONTOSO install return\n');
    return;
  }
  if (defect === 'broad-accept') ipt('-I', 'SCOMFW-IN-CONTOSO', '1', '-p', 'tcp', '-m', 'multiport', '--dports', '7,3389,5723:5724,8080', '-j', 'ACCEPT');
  if (defect === 'early-drop') ipt('-t', 'raw', '-A', 'PREROUTING', '-s', someSource, '-j', 'DROP');
  if (defect === 'early-return') ipt('-I', 'SCOMFW-INST-CONTOSO', '1', '-j', 'RETURN');
}

function samplePackets(plan: Plan, destinations: readonly string[], addresses: Map<string, { v4: string }>, outside: readonly string[], hostOf: (address: string) => string): Packet[] {
  const deploymentSources = plan.hosts.map((h) => addresses.get(h.name)!.v4);
  const all: Packet[] = [];
  for (const host of destinations) {
    const destination = addresses.get(host)!.v4;
    const planned = plan.flows.filter((f) => f.destination.name === host && f.protocol === 'tcp' && f.ports).flatMap((f) => [f.ports!.from, Math.floor((f.ports!.from + f.ports!.to) / 2), f.ports!.to]);
    const ports = [...new Set([...planned, ...decoyPorts])];
    for (const source of [...deploymentSources, ...outside]) {
      if (source === destination) continue;
      for (const port of ports) all.push({ from: hostOf(source), source, destination, host, port });
    }
  }
  // Half the sample from packets some flow plans (mostly accepted), half from the rest (mostly dropped).
  const plannedPair = (p: Packet) =>
    plan.flows.some((f) => f.destination.name === p.host && f.protocol === 'tcp' && f.ports && f.ports.from <= p.port && p.port <= f.ports.to && addresses.get(f.source.name)?.v4 === p.source);
  const random = seeded(5723);
  const shuffled = all.map((p) => ({ p, k: random() })).sort((a, b) => a.k - b.k).map((x) => x.p);
  const planned = shuffled.filter(plannedPair).slice(0, 1100);
  const others = shuffled.filter((p) => !plannedPair(p));
  return [...planned, ...others.slice(0, 2300 - planned.length)];
}

function kernelAgreement(tool: LinuxTool, prefix: string): void {
  const { deployment, addresses } = remapForLab(loadScenario('contoso'));
  const plan = planOf({ ...deployment, phase: 'install' });
  let lab: Lab | undefined;
  afterAll(() => lab?.destroy());

  it(`${tool}: the engine's verdict equals the kernel's for ${wanted}+ sampled TCP connection attempts`, { timeout: 300_000 }, async () => {
    lab = new Lab(prefix);
    const destinations = listeningHosts(plan)
      .map((h) => h.name)
      .slice(0, 8);
    const namespaceOf = new Map<string, string>();
    for (const name of destinations) {
      lab.addHost(name, addresses.get(name)!.v4);
      namespaceOf.set(addresses.get(name)!.v4, name);
    }
    lab.addHost('client', '198.19.255.1');
    const random = seeded(1433);
    const outside = Array.from({ length: outsideSources }, () => `198.19.${1 + Math.floor(random() * 250)}.${1 + Math.floor(random() * 250)}`);
    const clientAddresses = [...new Set([...plan.hosts.map((h) => addresses.get(h.name)!.v4).filter((a) => !namespaceOf.has(a)), ...outside])];
    lab.exec('client', 'ip', ['-batch', '-'], clientAddresses.map((a) => `addr add ${a}/32 dev eth0`).join('\n') + '\n');

    const models = new Map<string, FirewallModel[]>();
    const victim = addresses.get(plan.hosts.find((h) => !destinations.includes(h.name))!.name)!.v4;
    const installHost = destinations.find((d) => plan.flows.some((f) => f.destination.name === d && f.phase === 'install'));
    const defects = new Map<string, Defect[]>([[destinations[0]!, ['broad-accept']], [destinations[1]!, ['early-drop']], [destinations[3]!, ['broad-accept']]]);
    if (installHost) defects.set(installHost, [...(defects.get(installHost) ?? []), 'early-return']);
    expect(installHost).toBeDefined();
    destinations.forEach((name) => {
      loadRendered(lab!, name, plan, tool, name);
      for (const defect of defects.get(name) ?? []) plant(lab!, tool, name, defect, victim);
      const exports = exportRules(lab!, name, tool, name);
      models.set(
        name,
        [...exports].flatMap(([file, text]) => (file.endsWith('.json') ? nftablesImporter : iptablesImporter).parse(text, file, { host: name })),
      );
    });

    const packets = samplePackets(plan, destinations, addresses, outside, (a) => namespaceOf.get(a) ?? 'client');
    expect(packets.length).toBeGreaterThanOrEqual(wanted);
    const expected = new Map(packets.map((p) => [p, engineVerdict(models.get(p.host)!, p)]));
    expect([...expected.values()].filter((v) => v === 'undecidable')).toEqual([]);
    const allowed = [...expected.values()].filter((v) => v === "allow").length;
    expect(allowed).toBeGreaterThan(100);
    expect(packets.length - allowed).toBeGreaterThan(100);

    const first = await send(lab, packets, timeoutMs);
    // A starved client can time out on a packet the kernel let through; a second, longer try cannot open a dropped one.
    const retry = packets.filter((p) => first.get(p) === 'deny' && expected.get(p) === 'allow');
    const second = retry.length > 0 ? await send(lab, retry, 4 * timeoutMs) : new Map<Packet, string>();
    const kernel = (p: Packet) => second.get(p) ?? first.get(p);
    const disagreements = packets.filter((p) => kernel(p) !== expected.get(p)).map((p) => `${p.source} -> ${p.host} (${p.destination}) tcp/${p.port}: kernel ${kernel(p)}, engine ${expected.get(p)}`);
    expect(disagreements).toEqual([]);
    console.info(`${tool}: ${packets.length} connection attempts, ${allowed} accepted and ${packets.length - allowed} dropped by the kernel and the engine alike (${retry.length} retried)`);
  });
}

describe.skipIf(skip !== undefined)(titled('audit engine against the kernel, in a namespace lab'), () => {
  describe('nftables', () => { kernelAgreement('nftables', `akn${process.pid % 1000}`); });
  describe('iptables', () => { kernelAgreement('iptables', `aki${process.pid % 1000}`); });
});
