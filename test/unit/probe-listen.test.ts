import { createServer, connect } from 'node:net';
import { describe, expect, it } from 'vitest';
import { runProbes } from '../../src/probe/engine.js';
import { listenSpec } from '../../src/probe/listen-spec.js';
import { startListeners } from '../../src/probe/listen.js';
import { ssrpAttempt, tcpAttempt } from '../../src/probe/sockets.js';
import { parseDuration, formatDuration } from '../../src/probe/duration.js';
import { scenarioPlan } from '../support/scenarios.js';

const plan = scenarioPlan('contoso');

describe('what listen stands in for (from the plan)', () => {
  it('a SQL host with the Browser: its database port, and UDP 1434 announcing that port', () => {
    const spec = listenSpec(plan, 'sqlacs.contoso.com');
    expect(spec?.tcp.map((t) => t.port)).toEqual([1435]);
    expect(spec?.ssrp).toEqual({ sources: ['ms01.contoso.com'], instance: { serverName: 'SQLACS', instanceName: 'SCOMFW', isClustered: false, version: '0.0.0.0', tcpPort: 1435 } });
  });

  it('one listener per port, with every source that knocks on it; always wins over install', () => {
    const spec = listenSpec(plan, 'MS01.contoso.com');
    expect(spec?.host).toBe('ms01.contoso.com');
    expect(spec?.tcp.map((t) => [t.port, t.phase])).toEqual([[5723, 'always'], [5724, 'always'], [51909, 'always']]);
    expect(spec?.tcp.find((t) => t.port === 5724)?.sources).toEqual(['admin-consoles', 'ms01.fabrikam.com', 'ms02.contoso.com', 'ms03.contoso.com', 'rpt01.contoso.com']);
  });

  it('ranges, UDP without a protocol, and ICMP get no listener, each with why', () => {
    const sql = listenSpec(plan, 'sql01.contoso.com');
    expect(sql?.skipped.map((s) => s.what)).toEqual(['tcp/49152-65535', 'udp/137']);
    expect(sql?.ssrp).toBeUndefined();
    const ms02 = listenSpec(plan, 'ms02.contoso.com');
    expect(ms02?.skipped.map((s) => s.what)).toEqual(expect.arrayContaining(['udp/162', 'icmp/echo']) as unknown);
  });

  it('a host that accepts nothing, or no host at all: undefined', () => {
    expect(listenSpec(plan, 'helpdesk-browsers')).toBeUndefined();
    expect(listenSpec(plan, 'nope')).toBeUndefined();
  });
});

describe('stand-in listeners on 127.0.0.1', () => {
  const spec = listenSpec(plan, 'sqlacs.contoso.com');
  if (!spec) throw new Error('no spec');

  it('accepts probes (TCP and SSRP) and releases every port on close', async () => {
    const listeners = await startListeners(spec, { bind: '127.0.0.1', portMap: () => 0 });
    expect(listeners.failed).toEqual([]);
    const tcpPort = listeners.bound.find((b) => b.protocol === 'tcp')?.port ?? 0;
    const udpPort = listeners.bound.find((b) => b.protocol === 'udp')?.port ?? 0;
    const base = { flow: 'x', destination: 'sqlacs', address: '127.0.0.1', phase: 'always' } as const;
    const settings = { timeoutMs: 500, retries: 1, concurrency: 2, adaptive: true, attempters: { tcp: tcpAttempt, ssrp: ssrpAttempt } };
    const before = await runProbes([{ ...base, protocol: 'tcp', port: tcpPort, method: { kind: 'tcp' } }, { ...base, protocol: 'udp', port: udpPort, method: { kind: 'ssrp' } }], settings);
    expect(before.map((r) => r.state)).toEqual(['open', 'open']);
    expect(before[1]?.detail).toContain('SCOMFW (tcp 1435)');
    await listeners.close();
    const after = await runProbes([{ ...base, protocol: 'tcp', port: tcpPort, method: { kind: 'tcp' } }, { ...base, protocol: 'udp', port: udpPort, method: { kind: 'ssrp' } }], settings);
    expect(after.map((r) => r.state)).toEqual(['closed', 'closed']);
  });

  it('a port already in use is reported and skipped, the others still open', async () => {
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', r));
    const busyPort = (busy.address() as { port: number }).port;
    try {
      const listeners = await startListeners(spec, { bind: '127.0.0.1', portMap: (protocol) => (protocol === 'tcp' ? busyPort : 0) });
      expect(listeners.failed).toEqual([{ protocol: 'tcp', port: busyPort, code: 'EADDRINUSE', why: `tcp/${busyPort} is already in use, probably by the real service: skipped` }]);
      expect(listeners.bound.map((b) => b.protocol)).toEqual(['udp']);
      await listeners.close();
    } finally {
      await new Promise<void>((r) => busy.close(() => { r(); }));
    }
  });

  it('an accepted connection is closed by the listener at once, politely (FIN)', async () => {
    const listeners = await startListeners(spec, { bind: '127.0.0.1', portMap: () => 0 });
    const port = listeners.bound.find((b) => b.protocol === 'tcp')?.port ?? 0;
    const ended = await new Promise<string>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.on('end', () => { resolve('end'); });
      s.on('error', (e: NodeJS.ErrnoException) => { resolve(e.code ?? 'error'); });
    });
    expect(ended).toBe('end');
    await listeners.close();
  });
});

describe('--duration', () => {
  it.each([
    ['30s', 30_000],
    ['10m', 600_000],
    ['1h', 3_600_000],
    ['1h30m', 5_400_000],
    ['500ms', 500],
    ['45', 45_000],
    [' 2M ', 120_000],
  ])('%s is %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it.each(['', '0', '0s', 'ten minutes', '10x', '-5s', 'm'])('%j is refused', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });

  it('prints back the way it is written', () => {
    expect([600_000, 5_400_000, 1500, 30_000, 250].map(formatDuration)).toEqual(['10m', '1h30m', '1.5s', '30s', '250ms']);
  });
});
