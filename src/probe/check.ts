import { hostname, networkInterfaces } from 'node:os';
import type { Plan } from '../plan/types.js';
import { runProbes, type Attempter } from './engine.js';
import { locateSelf, type LocalIdentity, type Located } from './locate.js';
import { resultsFormat, resultsVersion, summarize, type ResultsFile } from './results.js';
import { ssrpAttempt, tcpAttempt, warmUp } from './sockets.js';
import { probeTargets } from './plan-probes.js';

/** Defaults fit for a WAN: a 3 s wait covers a slow intercontinental SYN-ACK; one retry tells loss from a drop. */
export const checkDefaults = { timeoutMs: 3000, retries: 1, concurrency: 64, sample: 2 } as const;

export interface CheckOptions {
  readonly from?: string;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly concurrency: number;
  readonly adaptive: boolean;
  readonly sample: number;
  readonly identity: LocalIdentity;
  readonly onStart?: (located: Located, probes: number) => void;
  readonly onProgress?: (done: number, total: number) => void;
  /** Tests replace the sockets. */
  readonly attempters?: { readonly tcp: Attempter; readonly ssrp: Attempter };
}

/** Probes every flow that starts on this machine and returns the result file. */
export async function runCheck(plan: Plan, options: CheckOptions): Promise<ResultsFile> {
  const located = locateSelf(plan, options.identity, options.from);
  const targets = probeTargets(plan, located.endpoint.name, options.sample);
  options.onStart?.(located, targets.length);
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

/** This machine as the OS describes it: every non-loopback address, and the hostname. */
export function localIdentity(): LocalIdentity {
  const addresses = Object.values(networkInterfaces())
    .flatMap((list) => list ?? [])
    .filter((i) => !i.internal)
    .map((i) => i.address);
  return { addresses: [...new Set(addresses)], hostname: hostname() };
}
