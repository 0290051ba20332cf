import { classifySsrp, classifyTcp, type AttemptOutcome, type Verdict } from './classify.js';
import type { ProbeResult } from './results.js';
import { resultBase, unprobedResult, type ProbeTarget } from './plan-probes.js';
import { defaultFloorMs, defaultRetryFloorMs, TimingTable, type RttEstimator } from './timing.js';
import { groupBy } from '../text/group.js';

/** Starts one attempt (one socket); reports at most once what it saw. Silence is the engine's business. */
export type Attempter = (address: string, port: number, report: (outcome: AttemptOutcome) => void) => { cancel(): void };

export interface EngineOptions {
  /** Ceiling of every wait (--timeout); the whole wait with adaptive off. */
  readonly timeoutMs: number;
  /** Extra attempts after a silence before the silence is believed (--retries). */
  readonly retries: number;
  /** Probes in flight at once (--concurrency). A probe keeps its earlier attempts open, see Probe. */
  readonly concurrency: number;
  readonly adaptive: boolean;
  readonly floorMs?: number;
  readonly retryFloorMs?: number;
  readonly attempters: { readonly tcp: Attempter; readonly ssrp: Attempter };
  readonly onProgress?: (done: number, total: number) => void;
  readonly now?: () => number;
}

/**
 * Runs every target with bounded concurrency and returns one result per target, in the targets' order.
 * Start order interleaves destination addresses (the first probe of every address goes out early) so that each
 * address learns its round-trip time from its first answer, and the probes still waiting to it are re-timed
 * to what was learned.
 */
export async function runProbes(targets: readonly ProbeTarget[], options: EngineOptions): Promise<ProbeResult[]> {
  const timing = new TimingTable({
    ceilingMs: options.timeoutMs,
    floorMs: options.floorMs ?? defaultFloorMs,
    retryFloorMs: options.retryFloorMs ?? defaultRetryFloorMs,
    adaptive: options.adaptive,
  });
  const now = options.now ?? (() => performance.now());
  const results = new Array<ProbeResult>(targets.length);
  const active = new Map<string, Set<Probe>>();
  let done = 0;
  const finished = (index: number, result: ProbeResult) => {
    results[index] = result;
    options.onProgress?.(++done, targets.length);
  };
  const order = interleaveByAddress(targets);
  let cursor = 0;
  const worker = async () => {
    for (let next = order[cursor++]; next !== undefined; next = order[cursor++]) {
      const target = targets[next];
      if (!target) continue;
      if (target.method.kind === 'none') {
        finished(next, unprobedResult(target, target.method.detail));
        continue;
      }
      finished(next, await runOne(target, timing, active, options, now));
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency, targets.length)) }, worker));
  return results;
}

function runOne(target: ProbeTarget, timing: TimingTable, active: Map<string, Set<Probe>>, options: EngineOptions, now: () => number): Promise<ProbeResult> {
  let peers = active.get(target.address);
  if (!peers) active.set(target.address, (peers = new Set()));
  const group = peers;
  return new Promise((resolve) => {
    const probe = new Probe(target, timing.of(target.address), options, now, (result, learned) => {
      group.delete(probe);
      // What one probe learned re-times every probe still waiting on the same address.
      if (learned) for (const p of group) p.rearm();
      resolve(result);
    });
    group.add(probe);
    probe.start();
  });
}

/**
 * One target, attempt after attempt. An attempt whose wait ran out is not closed: a late answer to it still
 * counts (as nmap keeps timed-out probes listening), and each attempt is its own socket, so the time of an
 * answer is measured from the attempt it answers (no retransmission ambiguity, Karn's problem, to work around).
 */
class Probe {
  private readonly attempts: { readonly startedAt: number; readonly handle: { cancel(): void } }[] = [];
  private timer: NodeJS.Timeout | undefined;
  /** The timeout the running timer was set with. */
  private armedWith = 0;
  private over = false;

  constructor(
    private readonly target: ProbeTarget,
    private readonly rtt: RttEstimator,
    private readonly options: EngineOptions,
    private readonly now: () => number,
    private readonly done: (result: ProbeResult, learned: boolean) => void,
  ) {}

  start(): void {
    this.launch();
  }

  /**
   * Re-arms the running attempt's timer to the address's current timeout, counted from when it was sent.
   * A change under a tenth is left alone: every answer moves the estimate a little, and re-arming a hundred
   * timers per answer would cost more CPU than the probes themselves.
   */
  rearm(): void {
    if (this.over) return;
    const current = this.attempts[this.attempts.length - 1];
    if (!current) return;
    const timeout = this.rtt.timeoutMs(this.attempts.length > 1);
    if (this.timer !== undefined && Math.abs(timeout - this.armedWith) < this.armedWith / 10) return;
    clearTimeout(this.timer);
    this.armedWith = timeout;
    const wait = current.startedAt + timeout - this.now();
    this.timer = setTimeout(() => {
      this.onSilence();
    }, Math.max(0, wait));
  }

  private launch(): void {
    const startedAt = this.now();
    const attempter = this.target.method.kind === 'ssrp' ? this.options.attempters.ssrp : this.options.attempters.tcp;
    try {
      const handle = attempter(this.target.address, this.target.port ?? 0, (outcome) => { this.onOutcome(startedAt, outcome); });
      this.attempts.push({ startedAt, handle });
      if (this.over) handle.cancel(); // it answered before it returned
    } catch (e) {
      this.attempts.push({ startedAt, handle: { cancel: () => undefined } });
      this.onOutcome(startedAt, { kind: 'error', code: 'EINVAL', message: (e as Error).message });
    }
    this.rearm();
  }

  private onSilence(): void {
    if (this.over) return;
    this.timer = undefined; // spent: the next attempt arms afresh
    if (this.attempts.length <= this.options.retries) {
      this.launch();
      return;
    }
    // Timers run before I/O in each turn of the event loop: after a stall (a busy or descheduled process) an
    // answer may already be waiting in the socket while its timer fires. setImmediate runs after that turn's
    // I/O, so the silence is believed only once whatever arrived has been read.
    setImmediate(() => {
      if (!this.over) this.finish(this.classify({ kind: 'silence' }), null);
    });
  }

  private onOutcome(startedAt: number, outcome: AttemptOutcome): void {
    if (this.over) return;
    const rttMs = this.now() - startedAt;
    const verdict = this.classify(outcome);
    if (verdict.rttSample) this.rtt.sample(rttMs);
    this.finish(verdict, rttMs);
  }

  private classify(outcome: AttemptOutcome): Verdict {
    return this.target.method.kind === 'ssrp' ? classifySsrp(outcome) : classifyTcp(outcome);
  }

  private finish(verdict: Verdict, rttMs: number | null): void {
    this.over = true;
    clearTimeout(this.timer);
    for (const a of this.attempts) a.handle.cancel();
    const result: ProbeResult = {
      ...resultBase(this.target),
      state: verdict.state,
      reason: verdict.reason,
      rttMs: rttMs === null ? null : Math.round(rttMs * 100) / 100,
      attempts: this.attempts.length,
      detail: verdict.detail,
    };
    this.done(result, verdict.rttSample && this.options.adaptive);
  }
}

/** Target indexes in start order: round-robin over destination addresses, each address's own order kept. */
export function interleaveByAddress(targets: readonly Pick<ProbeTarget, 'address'>[]): number[] {
  const lists = [...groupBy(targets.keys(), (i) => targets[i]!.address).values()];
  const order: number[] = [];
  for (let round = 0; order.length < targets.length; round++) {
    for (const list of lists) {
      const index = list[round];
      if (index !== undefined) order.push(index);
    }
  }
  return order;
}
