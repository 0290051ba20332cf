import { hostname, networkInterfaces } from 'node:os';
import type { Plan } from '../plan/types.js';
import { checkDefaults } from './defaults.js';
import { runProbes, type Attempter } from './engine.js';
import { locateSelf, type LocalIdentity, type Located } from './locate.js';
import { resultsFormat, resultsVersion, summarize, type ResultsFile } from './results.js';
import { ssrpAttempt, tcpAttempt, warmUp } from './sockets.js';
import { probeTargets, type ProbeTarget } from './plan-probes.js';

export { checkDefaults };

export interface CheckOptions {
  readonly from?: string;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly concurrency: number;
  readonly adaptive: boolean;
  readonly sample: number;
  readonly identity: LocalIdentity;
  readonly onStart?: (located: Located, probes: number, targets: readonly ProbeTarget[]) => void;
  readonly onProgress?: (done: number, total: number) => void;
  /** Tests replace the sockets. */
  readonly attempters?: { readonly tcp: Attempter; readonly ssrp: Attempter };
}

/** Probes every flow that starts on this machine and returns the result file. */
export async function runCheck(plan: Plan, options: CheckOptions): Promise<ResultsFile> {
  const located = locateSelf(plan, options.identity, options.from);
  const targets = probeTargets(plan, located.endpoint.name, options.sample);
  options.onStart?.(located, targets.length, targets);
  if (!options.attempters) await warmUp();
  const startedAt = new Date();
  const results = await runProbes(targets, {
    timeoutMs: options.timeoutMs,
    retries: options.retries,
    concurrency: options.concurrency,
    adaptive: options.adaptive,
    attempters: options.attempters ?? { tcp: tcpAttempt, ssrp: ssrpAttempt },
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  });
  return {
    format: resultsFormat,
    version: resultsVersion,
    prober: 'node',
    managementGroup: plan.managementGroup,
    catalog: plan.catalog,
    source: { name: located.endpoint.name, addresses: [...options.identity.addresses] },
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    settings: { timeoutMs: options.timeoutMs, retries: options.retries, concurrency: options.concurrency, adaptive: options.adaptive },
    results,
    summary: summarize(results),
  };
}

/** What `check` would probe, found as it finds it, with nothing sent: for `check --dry-run`. */
export function plannedProbes(plan: Plan, options: Pick<CheckOptions, 'from' | 'sample' | 'identity'>): { located: Located; targets: ProbeTarget[] } {
  const located = locateSelf(plan, options.identity, options.from);
  return { located, targets: probeTargets(plan, located.endpoint.name, options.sample) };
}

/** `12 probes to 3 addresses on 4 ports`: what a run will touch, counted before it starts. */
export function probeCountText(targets: readonly ProbeTarget[]): string {
  const sent = targets.filter((t) => t.method.kind !== 'none');
  const addresses = new Set(sent.map((t) => t.address)).size;
  const ports = new Set(sent.map((t) => `${t.protocol}/${t.port ?? ''}`)).size;
  const unprovable = targets.length - sent.length;
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const rest = unprovable ? ` (${unprovable} unprovable, listed without a probe)` : '';
  return `${count(sent.length, 'probe', 'probes')} to ${count(addresses, 'address', 'addresses')} on ${count(ports, 'port', 'ports')}${rest}`;
}

/** One line per probe that would be sent: source, destination and address, protocol/port, how it is proved. */
export function dryRunText(source: string, targets: readonly ProbeTarget[]): string {
  const lines = targets
    .filter((t) => t.method.kind !== 'none')
    .map((t) => `${source}\t${t.destination}\t${t.address}\t${t.protocol}/${t.port ?? ''}\t${t.method.kind === 'ssrp' ? 'SQL Server Browser request' : 'TCP connect'}`);
  return `${['source\tdestination\taddress\tprotocol/port\tprobe', ...lines].join('\n')}\n`;
}

/** This machine as the OS describes it: every non-loopback address, and the hostname. */
export function localIdentity(): LocalIdentity {
  const addresses = Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((i) => !i.internal)
    .map((i) => i.address);
  return { addresses: [...new Set(addresses)], hostname: hostname() };
}
