import { Lab, labUnavailableReason } from '../test/support/netns.js';
import type { BenchSection } from './harness.js';

/**
 * 1,000 TCP probes from one namespace to another: 500 ports with a listener, 500 dropped by nftables, interleaved
 * (even ports listen, odd ports are dropped). scomfw's probe engine (concurrency 100, timeout 1 s) beside
 * nmap -sT on the very same ports:
 *   (a) fixed timeout, no retry   vs nmap --min-rtt-timeout 1000ms --max-rtt-timeout 1000ms --max-retries 0
 *   (b) adaptive timing           vs nmap --max-rtt-timeout 1000ms
 * Probe times are measured inside the prober (no process start), nmap's from its own runstats.
 */
const first = 20000;
const count = 1000;
const ports = Array.from({ length: count }, (_, i) => first + i);
const listening = ports.filter((p) => p % 2 === 0);
const dropped = ports.filter((p) => p % 2 === 1);
const workerFlag = '--probe-bench-worker';

interface WorkerOut {
  readonly ms: number;
  readonly states: Record<string, string>;
  readonly attempts: number;
  /** Round-trip times of the answers: median / 90th percentile / max, ms. */
  readonly rtt: string;
  /** CPU time the prober used (user + system), ms. */
  readonly cpuMs: number;
}

interface Mode {
  readonly name: string;
  readonly ours: { readonly adaptive: boolean; readonly retries: number };
  readonly nmap: readonly string[];
  readonly expectation: string;
}

const modes: readonly Mode[] = [
  { name: '(a) fixed 1 s', ours: { adaptive: false, retries: 0 }, nmap: ['--min-rtt-timeout', '1000ms', '--max-rtt-timeout', '1000ms', '--max-retries', '0'], expectation: 'limit 500 dropped / 100 in flight × 1 s = 5.0 s' },
  { name: '(b) adaptive, 1 retry', ours: { adaptive: true, retries: 1 }, nmap: ['--max-rtt-timeout', '1000ms'], expectation: 'not slower than nmap' },
  { name: '(b) adaptive, no retry', ours: { adaptive: true, retries: 0 }, nmap: ['--max-rtt-timeout', '1000ms'], expectation: 'not slower than nmap' },
];

export async function bench(): Promise<BenchSection[]> {
  const reason = labUnavailableReason(['ip', 'nft', 'nmap']);
  if (reason) return [{ title: 'probe engine vs nmap -sT: skipped', columns: ['reason'], rows: [[reason]] }];
  const lab = new Lab('sfwbnc');
  try {
    lab.addHost('src', '198.18.7.1');
    const dst = lab.addHost('dst', '198.18.7.2');
    lab.exec('dst', 'nft', ['-f', '-'], dropRuleset());
    await startListeners(lab);
    const rows: (string | number)[][] = [];
    for (const mode of modes) rows.push(compare(lab, dst.v4, mode));
    return [
      {
        title: 'probe engine vs nmap -sT: 1,000 TCP probes (500 listening, 500 dropped), concurrency 100, timeout 1 s',
        columns: ['mode', 'scomfw s', 'attempts', 'CPU ms', 'RTT ms p50/p90/max', 'nmap s', 'nmap flags', 'states agree', 'expectation'],
        rows,
        notes: [
          'scomfw time: from the first probe to the last result, inside the prober process (tsx start-up excluded).',
          'nmap time: the elapsed seconds of its own runstats (start-up included, a few ms). nmap sets its own parallelism (no --max-parallelism given).',
          'adaptive: first attempts wait srtt + 4·rttvar, at least 100 ms (nmap\'s --min-rtt-timeout default), retries the learned round trip, at least 20 ms, with the first socket still listening; pending probes are re-timed as answers arrive.',
          'RTT: of the answers scomfw saw, measured in its own event loop: on a busy machine this is mostly the prober\'s own scheduling delay, and the adaptive timeouts follow it.',
          `Node ${process.version}, ${process.arch}; one run each, in network namespaces on one bridge (veth).`,
        ],
      },
    ];
  } finally {
    lab.destroy();
  }
}

function compare(lab: Lab, address: string, mode: Mode): (string | number)[] {
  const ours = runWorker(lab, address, mode.ours);
  const nmap = runNmap(lab, address, mode.nmap);
  const disagree = ports.filter((p) => ours.states[p] !== nmap.states.get(p)).length;
  const pairs = new Map<string, number>();
  for (const p of ports) pairs.set(`${ours.states[p] ?? '?'}/${nmap.states.get(p) ?? '?'}`, (pairs.get(`${ours.states[p] ?? '?'}/${nmap.states.get(p) ?? '?'}`) ?? 0) + 1);
  return [mode.name, (ours.ms / 1000).toFixed(2), ours.attempts, Math.round(ours.cpuMs), ours.rtt, nmap.seconds.toFixed(2), mode.nmap.join(' '), disagree === 0 ? `all ${count}` : `${count - disagree} of ${count}`, mode.expectation];
}

function dropRuleset(): string {
  return `table inet sfwbench {\n\tchain input {\n\t\ttype filter hook input priority filter; policy accept;\n\t\ttcp dport { ${dropped.join(', ')} } drop\n\t}\n}\n`;
}

/** 500 listeners in the destination namespace, in one small Node process. */
async function startListeners(lab: Lab): Promise<void> {
  const script = `const net = require('node:net'); let n = 0; for (const p of ${JSON.stringify(listening)}) net.createServer((s) => { s.on('error', () => {}); s.end(); }).listen(p, '0.0.0.0', () => { if (++n === ${listening.length}) console.log('ready'); });`;
  const child = lab.start('dst', process.execPath, ['-e', script]);
  await new Promise<void>((resolve, reject) => {
    child.stdout?.on('data', (d: Buffer) => {
      if (d.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => { reject(new Error(`listeners exited with ${String(code)}`)); });
  });
}

function runWorker(lab: Lab, address: string, settings: Mode['ours']): WorkerOut {
  const out = lab.exec('src', process.execPath, ['--import', 'tsx', import.meta.filename, workerFlag, JSON.stringify({ address, ...settings })]);
  return JSON.parse(out) as WorkerOut;
}

function runNmap(lab: Lab, address: string, flags: readonly string[]): { seconds: number; states: Map<number, string> } {
  const xml = lab.exec('src', 'nmap', ['-sT', '-Pn', '-n', ...flags, '-p', `${first}-${first + count - 1}`, address, '-oX', '-']);
  const states = new Map<number, string>();
  const extra = /<extraports state="([^"]+)"/.exec(xml)?.[1];
  for (const p of ports) states.set(p, new RegExp(`portid="${p}"><state state="([^"]+)"`).exec(xml)?.[1] ?? extra ?? 'missing');
  return { seconds: Number(/<finished [^>]*elapsed="([\d.]+)"/.exec(xml)?.[1] ?? NaN), states };
}

/** The prober side, run inside the source namespace: the engine itself, on real sockets. */
async function worker(arg: string): Promise<void> {
  const { address, adaptive, retries } = JSON.parse(arg) as { address: string; adaptive: boolean; retries: number };
  const { runProbes } = await import('../src/probe/engine.js');
  const { ssrpAttempt, tcpAttempt, warmUp } = await import('../src/probe/sockets.js');
  await warmUp();
  const targets = ports.map((port) => ({ flow: `src>dst:tcp/${port}`, destination: 'dst', address, protocol: 'tcp' as const, port, phase: 'always' as const, method: { kind: 'tcp' as const } }));
  const start = performance.now();
  const cpu = process.cpuUsage();
  const results = await runProbes(targets, { timeoutMs: 1000, retries, concurrency: 100, adaptive, attempters: { tcp: tcpAttempt, ssrp: ssrpAttempt } });
  const ms = performance.now() - start;
  const used = process.cpuUsage(cpu);
  const cpuMs = (used.user + used.system) / 1000;
  const states = Object.fromEntries(results.map((r) => [String(r.port), r.state]));
  const rtts = results.flatMap((r) => (r.rttMs === null ? [] : [r.rttMs])).sort((a, b) => a - b);
  const q = (f: number) => rtts[Math.floor(f * (rtts.length - 1))]?.toFixed(1) ?? '-';
  const rtt = `${q(0.5)} / ${q(0.9)} / ${q(1)}`;
  process.stdout.write(JSON.stringify({ ms, states, attempts: results.reduce((n, r) => n + r.attempts, 0), rtt, cpuMs } satisfies WorkerOut));
}

if (process.argv[2] === workerFlag && process.argv[3] !== undefined) await worker(process.argv[3]);
