import { describe, expect, it } from 'vitest';
import type { AttemptOutcome } from '../../src/probe/classify.js';
import { interleaveByAddress, runProbes, type Attempter } from '../../src/probe/engine.js';
import type { ProbeTarget } from '../../src/probe/plan-probes.js';

const target = (address: string, port: number, method: ProbeTarget['method'] = { kind: 'tcp' }): ProbeTarget => ({
  flow: `a>b:tcp/${port}`,
  destination: 'b',
  address,
  protocol: 'tcp',
  port,
  phase: 'always',
  method,
});

/** A scripted network: what each (address, port, attempt number) does, and after how long. */
function fakeNetwork(script: (address: string, port: number, attempt: number) => { after: number; outcome: AttemptOutcome } | 'silent') {
  const attempts = new Map<string, number>();
  let inFlight = 0;
  let maxInFlight = 0;
  const attempter: Attempter = (address, port, report) => {
    const key = `${address}:${port}`;
    const n = attempts.get(key) ?? 0;
    attempts.set(key, n + 1);
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const step = script(address, port, n);
    let timer: NodeJS.Timeout | undefined;
    if (step !== 'silent') timer = setTimeout(() => { report(step.outcome); }, step.after);
    let cancelled = false;
    return {
      cancel: () => {
        if (cancelled) return;
        cancelled = true;
        inFlight--;
        clearTimeout(timer);
      },
    };
  };
  return { attempter, attempts, stats: () => ({ maxInFlight, inFlight }) };
}

const base = { retries: 1, concurrency: 8, adaptive: false, floorMs: 20 };

describe('probe engine', () => {
  it('a silence is retried once before it is called filtered (timeout)', async () => {
    const net = fakeNetwork(() => 'silent');
    const start = performance.now();
    const [r] = await runProbes([target('198.18.0.1', 1)], { ...base, timeoutMs: 60, attempters: { tcp: net.attempter, ssrp: net.attempter } });
    const took = performance.now() - start;
    expect(r).toMatchObject({ state: 'filtered', reason: 'timeout', attempts: 2, rttMs: null });
    expect(took).toBeGreaterThanOrEqual(115);
    expect(net.stats().inFlight).toBe(0); // every socket closed at the end
  });

  it('--retries 0 believes the first silence', async () => {
    const net = fakeNetwork(() => 'silent');
    const [r] = await runProbes([target('198.18.0.1', 1)], { ...base, retries: 0, timeoutMs: 30, attempters: { tcp: net.attempter, ssrp: net.attempter } });
    expect(r?.attempts).toBe(1);
  });

  it('a late answer to the first attempt still counts while the retry waits', async () => {
    const net = fakeNetwork((_a, _p, n) => (n === 0 ? { after: 80, outcome: { kind: 'answer' } } : 'silent'));
    const [r] = await runProbes([target('198.18.0.1', 1)], { ...base, timeoutMs: 50, attempters: { tcp: net.attempter, ssrp: net.attempter } });
    expect(r).toMatchObject({ state: 'open', reason: 'syn-ack', attempts: 2 });
    expect(r?.rttMs).toBeGreaterThanOrEqual(75); // measured from the attempt it answers
  });

  it('a refusal is final: no retry, and its time is reported', async () => {
    const net = fakeNetwork(() => ({ after: 5, outcome: { kind: 'error', code: 'ECONNREFUSED' } }));
    const [r] = await runProbes([target('198.18.0.1', 1)], { ...base, timeoutMs: 500, attempters: { tcp: net.attempter, ssrp: net.attempter } });
    expect(r).toMatchObject({ state: 'closed', reason: 'refused', attempts: 1 });
    expect(r?.rttMs).toBeGreaterThan(0);
  });

  it('adaptive: what one answer teaches re-times the probes still waiting on that address', async () => {
    // Port 1 answers in 5 ms; ports 2-4 are dropped. With a 2 s ceiling they would take 4 s;
    // re-timed to the floor (20 ms) they take well under a second.
    const net = fakeNetwork((_a, port) => (port === 1 ? { after: 5, outcome: { kind: 'answer' } } : 'silent'));
    const start = performance.now();
    const results = await runProbes([2, 3, 1, 4].map((p) => target('198.18.0.1', p)), { ...base, adaptive: true, timeoutMs: 2000, attempters: { tcp: net.attempter, ssrp: net.attempter } });
    expect(performance.now() - start).toBeLessThan(600);
    expect(results.map((r) => r.state)).toEqual(['filtered', 'filtered', 'open', 'filtered']);
    expect(results.map((r) => r.attempts)).toEqual([2, 2, 1, 2]);
  });

  it('adaptive timing is per address: an answer from one host does not shorten the wait for another', async () => {
    const net = fakeNetwork((address) => (address === '198.18.0.1' ? { after: 2, outcome: { kind: 'answer' } } : 'silent'));
    const start = performance.now();
    await runProbes([target('198.18.0.1', 1), target('198.18.0.2', 1)], { ...base, retries: 0, adaptive: true, timeoutMs: 300, attempters: { tcp: net.attempter, ssrp: net.attempter } });
    expect(performance.now() - start).toBeGreaterThanOrEqual(290);
  });

  it('never more probes in flight than --concurrency', async () => {
    const net = fakeNetwork(() => ({ after: 3, outcome: { kind: 'answer' } }));
    const targets = Array.from({ length: 40 }, (_, i) => target(`198.18.0.${(i % 5) + 1}`, 1000 + i));
    const results = await runProbes(targets, { ...base, retries: 0, concurrency: 4, timeoutMs: 500, attempters: { tcp: net.attempter, ssrp: net.attempter } });
    expect(net.stats().maxInFlight).toBe(4);
    expect(results.map((r) => r.port)).toEqual(targets.map((t) => t.port)); // in the targets' order
  });

  it('unprovable targets are not probed; a throwing attempter is an error row', async () => {
    const net = fakeNetwork(() => 'silent');
    const boom: Attempter = () => {
      throw new Error('bad address');
    };
    const results = await runProbes(
      [target('198.18.0.1', 1, { kind: 'none', detail: 'ICMP …' }), target('not-an-ip', 2)],
      { ...base, timeoutMs: 50, attempters: { tcp: boom, ssrp: net.attempter } },
    );
    expect(results[0]).toMatchObject({ state: 'unprovable', reason: 'not-probed', attempts: 0, detail: 'ICMP …' });
    expect(results[1]).toMatchObject({ state: 'unprovable', reason: 'error', attempts: 1 });
    expect(results[1]?.detail).toContain('bad address');
    expect(net.attempts.size).toBe(0);
  });

  it('reports progress once per target', async () => {
    const net = fakeNetwork(() => ({ after: 1, outcome: { kind: 'answer' } }));
    const seen: number[] = [];
    await runProbes([1, 2, 3].map((p) => target('198.18.0.1', p)), { ...base, timeoutMs: 100, attempters: { tcp: net.attempter, ssrp: net.attempter }, onProgress: (d) => seen.push(d) });
    expect(seen).toEqual([1, 2, 3]);
  });

  it('SSRP targets use the SSRP attempter and its classification', async () => {
    const tcp = fakeNetwork(() => 'silent');
    const udp = fakeNetwork(() => 'silent');
    const [r] = await runProbes([{ ...target('198.18.0.1', 1434, { kind: 'ssrp' }), protocol: 'udp' }], { ...base, timeoutMs: 20, attempters: { tcp: tcp.attempter, ssrp: udp.attempter } });
    expect(r).toMatchObject({ state: 'open|filtered', reason: 'no-response', attempts: 2 });
    expect(tcp.attempts.size).toBe(0);
  });
});

describe('start order', () => {
  it('round-robin over addresses, each address keeping its own order', () => {
    const order = interleaveByAddress(['a', 'a', 'a', 'b', 'c', 'c'].map((address) => ({ address })));
    expect(order).toEqual([0, 3, 4, 1, 5, 2]);
  });
});
