import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runProbes } from '../../src/probe/engine.js';
import { ssrpResponder } from '../../src/probe/listen.js';
import { ssrpAttempt, tcpAttempt } from '../../src/probe/sockets.js';
import type { ProbeTarget } from '../../src/probe/plan-probes.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

const attempters = { tcp: tcpAttempt, ssrp: ssrpAttempt };
const settings = { timeoutMs: 300, retries: 1, concurrency: 4, adaptive: true };

function tcpTarget(port: number): ProbeTarget {
  return { flow: `a>b:tcp/${port}`, destination: 'b', address: '127.0.0.1', protocol: 'tcp', port, phase: 'always', method: { kind: 'tcp' } };
}

function ssrpTarget(port: number): ProbeTarget {
  return { flow: 'a>b:udp/1434', destination: 'b', address: '127.0.0.1', protocol: 'udp', port, phase: 'always', method: { kind: 'ssrp' } };
}

async function tcpListener(): Promise<number> {
  const server = createServer((s) => s.end());
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  cleanups.push(() => new Promise<void>((r) => server.close(() => { r(); })));
  return (server.address() as { port: number }).port;
}

/** A port nothing listens on: bound to learn a free number, then released. */
async function freePort(type: 'tcp' | 'udp'): Promise<number> {
  if (type === 'tcp') {
    const server = createServer();
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    await new Promise<void>((r) => server.close(() => { r(); }));
    return port;
  }
  const socket = createSocket('udp4');
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
  const port = socket.address().port;
  await new Promise<void>((r) => socket.close(r));
  return port;
}

describe('TCP probes against 127.0.0.1', () => {
  it('an open listener is open (syn-ack), in one attempt, with a round-trip time', async () => {
    const [r] = await runProbes([tcpTarget(await tcpListener())], { ...settings, attempters });
    expect(r).toMatchObject({ state: 'open', reason: 'syn-ack', attempts: 1 });
    expect(r?.rttMs).toBeGreaterThanOrEqual(0);
  });

  it('a closed port is closed (refused)', async () => {
    const [r] = await runProbes([tcpTarget(await freePort('tcp'))], { ...settings, attempters });
    expect(r).toMatchObject({ state: 'closed', reason: 'refused', attempts: 1 });
    expect(r?.detail).toContain('ECONNREFUSED');
  });

  it('a stalled event loop does not turn an answer into a timeout: I/O is read before a silence is believed', async () => {
    const port = await tcpListener();
    const running = runProbes([tcpTarget(port)], { ...settings, adaptive: false, retries: 0, timeoutMs: 30, attempters });
    await new Promise<void>((resolve) => {
      process.nextTick(() => {
        // After the connect has been issued: block for longer than the timeout, as a busy process would.
        const until = performance.now() + 120;
        while (performance.now() < until) {
          /* busy */
        }
        resolve();
      });
    });
    const [r] = await running;
    expect(r).toMatchObject({ state: 'open', reason: 'syn-ack' });
  });

  it('the listener sees a connection that is closed politely (FIN, no data, no reset)', async () => {
    const events: string[] = [];
    const server = createServer((s) => {
      s.on('data', () => events.push('data'));
      s.on('error', (e: NodeJS.ErrnoException) => events.push(`error ${e.code ?? ''}`));
      s.on('end', () => events.push('end'));
      s.on('close', () => {
        events.push('close');
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => server.close(() => { r(); })));
    const [r] = await runProbes([tcpTarget((server.address() as { port: number }).port)], { ...settings, attempters });
    expect(r?.state).toBe('open');
    await new Promise((res) => setTimeout(res, 100));
    expect(events[0]).toBe('end');
    expect(events).not.toContain('data');
    expect(events.some((e) => e.startsWith('error'))).toBe(false);
  });
});

describe('IPv6 (::1)', () => {
  it('TCP open and closed, and SSRP, over IPv6 loopback', async () => {
    const server = createServer((s) => s.end());
    const ok = await new Promise<boolean>((resolve) => {
      server.once('error', () => {
        resolve(false);
      });
      server.listen(0, '::1', () => {
        resolve(true);
      });
    });
    if (!ok) return; // no IPv6 on this machine's loopback: nothing to test
    cleanups.push(() => new Promise<void>((r) => server.close(() => { r(); })));
    const port = (server.address() as { port: number }).port;
    const responder = await ssrpResponder(0, '::1', { serverName: 'S', instanceName: 'SCOMFW', isClustered: false, version: '0.0.0.0' });
    cleanups.push(responder.close);
    const v6 = (t: ProbeTarget): ProbeTarget => ({ ...t, address: '::1' });
    const results = await runProbes([v6(tcpTarget(port)), v6(tcpTarget(port === 65535 ? 1 : port + 1)), v6(ssrpTarget(responder.port))], { ...settings, attempters });
    expect(results.map((r) => r.state)).toEqual(['open', expect.stringMatching(/^(closed|open)$/) as unknown, 'open']);
  });
});

describe('UDP 1434 probes (SQL Server Resolution Protocol) against 127.0.0.1', () => {
  it('a Browser that answers is open (ssrp-response), and the detail names its instance and TCP port', async () => {
    const responder = await ssrpResponder(0, '127.0.0.1', { serverName: 'SQL01', instanceName: 'SCOMFW', isClustered: false, version: '0.0.0.0', tcpPort: 1433 });
    cleanups.push(responder.close);
    const [r] = await runProbes([ssrpTarget(responder.port)], { ...settings, attempters });
    expect(r).toMatchObject({ state: 'open', reason: 'ssrp-response', attempts: 1 });
    expect(r?.detail).toContain('SCOMFW (tcp 1433)');
  });

  it('the request on the wire is the one byte CLNT_UCAST_EX (0x03)', async () => {
    const seen: Buffer[] = [];
    const socket = createSocket('udp4');
    socket.on('message', (m) => seen.push(m));
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => socket.close(r)));
    const [r] = await runProbes([ssrpTarget(socket.address().port)], { ...settings, timeoutMs: 80, attempters });
    expect(r).toMatchObject({ state: 'open|filtered', reason: 'no-response', attempts: 2 });
    expect(seen.map((m) => [...m])).toEqual([[0x03], [0x03]]);
  });

  it('a port nobody listens on is closed: ICMP port unreachable', async () => {
    const [r] = await runProbes([ssrpTarget(await freePort('udp'))], { ...settings, attempters });
    expect(r).toMatchObject({ state: 'closed', reason: 'refused' });
  });

  it('an answer that is not an SVR_RESP still proves the port open, and says so', async () => {
    const socket = createSocket('udp4');
    socket.on('message', (_m, peer) => { socket.send(Buffer.from('hello'), peer.port, peer.address); });
    await new Promise<void>((r) => socket.bind(0, '127.0.0.1', r));
    cleanups.push(() => new Promise<void>((r) => socket.close(r)));
    const [r] = await runProbes([ssrpTarget(socket.address().port)], { ...settings, attempters });
    expect(r?.state).toBe('open');
    expect(r?.detail).toMatch(/not in SVR_RESP form/);
  });
});
