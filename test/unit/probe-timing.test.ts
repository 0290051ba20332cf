import { describe, expect, it } from 'vitest';
import { RttEstimator } from '../../src/probe/timing.js';

const options = { ceilingMs: 3000, floorMs: 100, retryFloorMs: 20, adaptive: true };

describe('adaptive timeout (RFC 6298 as nmap uses it)', () => {
  it('waits the ceiling before any sample', () => {
    expect(new RttEstimator(options).timeoutMs()).toBe(3000);
  });

  it('first sample R: srtt = R, rttvar = R/2, timeout = 3R', () => {
    const e = new RttEstimator(options);
    e.sample(200);
    expect(e.smoothedRttMs).toBe(200);
    expect(e.variationMs).toBe(100);
    expect(e.timeoutMs()).toBe(600);
  });

  it('later samples: rttvar = 3/4 rttvar + 1/4 |srtt - R|, srtt = 7/8 srtt + 1/8 R', () => {
    const e = new RttEstimator(options);
    e.sample(200);
    e.sample(400);
    expect(e.variationMs).toBeCloseTo(0.75 * 100 + 0.25 * 200);
    expect(e.smoothedRttMs).toBeCloseTo((7 / 8) * 200 + (1 / 8) * 400);
    expect(e.timeoutMs()).toBeCloseTo(225 + 4 * 125);
  });

  it('never below the floor however fast the answers', () => {
    const e = new RttEstimator(options);
    for (let i = 0; i < 50; i++) e.sample(0.3);
    expect(e.timeoutMs()).toBe(100);
  });

  it('a confirmation attempt (a retry) has its own, lower floor: the learned round trip, at least 20 ms', () => {
    const e = new RttEstimator(options);
    for (let i = 0; i < 50; i++) e.sample(0.3);
    expect(e.timeoutMs(true)).toBe(20);
    const wan = new RttEstimator(options);
    for (let i = 0; i < 50; i++) wan.sample(200);
    expect(wan.timeoutMs(true)).toBeCloseTo(wan.timeoutMs(), 5); // above both floors: the same learned value
    expect(new RttEstimator(options).timeoutMs(true)).toBe(3000); // nothing learned yet: the ceiling
  });

  it('never above the ceiling however slow the answers', () => {
    const e = new RttEstimator(options);
    e.sample(2500);
    expect(e.timeoutMs()).toBe(3000);
  });

  it('a ceiling below the floor wins: --timeout 50 means 50', () => {
    const e = new RttEstimator({ ...options, ceilingMs: 50 });
    e.sample(1);
    expect(e.timeoutMs()).toBe(50);
  });

  it('--fixed-timeout ignores every sample', () => {
    const e = new RttEstimator({ ...options, adaptive: false });
    e.sample(1);
    expect(e.timeoutMs()).toBe(3000);
  });

  it('converges: steady 40 ms round trips settle just above 40 ms (floor 10)', () => {
    const e = new RttEstimator({ ...options, floorMs: 10 });
    e.sample(400); // a slow first answer
    for (let i = 0; i < 60; i++) e.sample(40);
    expect(e.timeoutMs()).toBeGreaterThan(40);
    expect(e.timeoutMs()).toBeLessThan(45);
  });
});
