import { describe, expect, it } from 'vitest';
import { classifySsrp, classifyTcp } from '../../src/probe/classify.js';

describe('TCP connect classification (nmap connect scan, PortQry)', () => {
  it.each([
    ['ECONNREFUSED', 'closed', 'refused', true],
    ['EHOSTUNREACH', 'filtered', 'unreachable', false],
    ['ENETUNREACH', 'filtered', 'unreachable', false],
    ['EHOSTDOWN', 'filtered', 'unreachable', false],
    ['ENOPROTOOPT', 'filtered', 'unreachable', false],
    ['EACCES', 'filtered', 'admin-prohibited', false],
    ['EPERM', 'filtered', 'admin-prohibited', false],
    ['EADDRNOTAVAIL', 'unprovable', 'error', false],
    ['EMFILE', 'unprovable', 'error', false],
  ] as const)('%s is %s (%s)', (code, state, reason, rttSample) => {
    const v = classifyTcp({ kind: 'error', code, message: `connect ${code}` });
    expect([v.state, v.reason, v.rttSample, v.retryable]).toEqual([state, reason, rttSample, false]);
    if (state !== 'unprovable') expect(v.detail).toContain(code);
    else expect(v.detail).toContain(`connect ${code}`);
  });

  it('an accepted connection is open (syn-ack) and an RTT sample', () => {
    expect(classifyTcp({ kind: 'answer' })).toMatchObject({ state: 'open', reason: 'syn-ack', rttSample: true, retryable: false });
  });

  it('silence is filtered (timeout), and worth a retry before it is believed', () => {
    expect(classifyTcp({ kind: 'silence' })).toMatchObject({ state: 'filtered', reason: 'timeout', rttSample: false, retryable: true });
  });
});

describe('UDP 1434 classification (SQL Server Resolution Protocol)', () => {
  it('an answer is open (ssrp-response)', () => {
    expect(classifySsrp({ kind: 'answer', detail: 'x' })).toMatchObject({ state: 'open', reason: 'ssrp-response', detail: 'x', rttSample: true });
  });

  it('ICMP port unreachable (ECONNREFUSED) is closed', () => {
    const v = classifySsrp({ kind: 'error', code: 'ECONNREFUSED' });
    expect([v.state, v.reason]).toEqual(['closed', 'refused']);
    expect(v.detail).toMatch(/port unreachable/);
  });

  it('silence is open|filtered (no-response): nothing is proved', () => {
    expect(classifySsrp({ kind: 'silence' })).toMatchObject({ state: 'open|filtered', reason: 'no-response', retryable: true });
  });

  it('admin-prohibited and unreachable are filtered', () => {
    expect(classifySsrp({ kind: 'error', code: 'EACCES' }).state).toBe('filtered');
    expect(classifySsrp({ kind: 'error', code: 'EHOSTUNREACH' }).reason).toBe('unreachable');
  });
});
