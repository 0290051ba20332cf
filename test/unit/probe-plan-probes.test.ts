import { describe, expect, it } from 'vitest';
import { methodOf, probeTargets } from '../../src/probe/plan-probes.js';
import { scenarioPlan } from '../support/scenarios.js';

describe('how each flow is proved', () => {
  it('TCP on one port: a connect', () => {
    expect(methodOf({ protocol: 'tcp', ports: { from: 5723, to: 5723 } })).toEqual({ kind: 'tcp' });
  });

  it('UDP 1434: an SQL Server Resolution Protocol exchange', () => {
    expect(methodOf({ protocol: 'udp', ports: { from: 1434, to: 1434 } })).toEqual({ kind: 'ssrp' });
  });

  it('the dynamic RPC range: unprovable, proved by the service', () => {
    expect(methodOf({ protocol: 'tcp', ports: { from: 49152, to: 65535 } })).toEqual({ kind: 'none', detail: 'dynamic RPC range: proved by the service, not by a probe' });
    expect(methodOf({ protocol: 'tcp', ports: { from: 8000, to: 8010 } })).toMatchObject({ kind: 'none', detail: expect.stringMatching(/^port range 8000-8010/) as unknown });
  });

  it('other UDP names the service that would have to answer', () => {
    expect(methodOf({ protocol: 'udp', ports: { from: 161, to: 161 } })).toMatchObject({ kind: 'none', detail: expect.stringMatching(/^UDP 161 \(SNMP\): silence proves nothing/) as unknown });
    expect(methodOf({ protocol: 'udp', ports: { from: 137, to: 138 } })).toMatchObject({ detail: 'port range 137-138: one port cannot prove a range open, and probing all of it is a scan' });
    expect(methodOf({ protocol: 'udp', ports: { from: 9999, to: 9999 } })).toMatchObject({ detail: expect.stringMatching(/^UDP 9999: /) as unknown });
  });

  it('ICMP needs a raw socket', () => {
    expect(methodOf({ protocol: 'icmp', ports: null })).toMatchObject({ kind: 'none', detail: expect.stringContaining('raw socket') as unknown });
  });
});

describe('the probes of one source', () => {
  const plan = scenarioPlan('contoso');

  it('every flow from the source, in plan order, one row per sampled address', () => {
    const targets = probeTargets(plan, 'ms01.contoso.com', 2);
    const flows = plan.flows.filter((f) => f.source.name === 'ms01.contoso.com');
    expect([...new Set(targets.map((t) => t.flow))]).toEqual(flows.map((f) => f.id));
    expect(targets.every((t) => t.flow.startsWith('ms01.contoso.com>'))).toBe(true);
  });

  it('a group destination is sampled: two addresses by default, more with --sample', () => {
    const toGroup = (n: number) => probeTargets(plan, 'gw01.dmz.contoso.com', n).filter((t) => t.flow === 'gw01.dmz.contoso.com>dmz-web-servers:tcp/135').map((t) => t.address);
    expect(toGroup(2)).toEqual(['192.168.50.17', '192.168.50.40']);
    expect(toGroup(4)).toEqual(['192.168.50.17', '192.168.50.40', '192.168.50.30', '192.168.50.45']);
  });

  it('a port range or an ICMP flow has no port in its rows', () => {
    const range = probeTargets(plan, 'ms01.contoso.com', 2).find((t) => t.flow.endsWith(':tcp/49152-65535'));
    expect(range?.port).toBeNull();
  });
});
