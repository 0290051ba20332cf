import { describe, expect, it } from 'vitest';
import { addressSetOf } from '../../src/plan/openings.js';
import type { Endpoint } from '../../src/plan/types.js';
import { scenarioPlan } from '../support/scenarios.js';

/*
 * The planner's endpoints carry their host's parsed addresses in a private field (src/plan/seeded.ts). Everything a
 * reader of the plan can see must be the plain endpoint; and a copy with other addresses must not keep the set.
 */

const plan = scenarioPlan('contoso');
const endpoint = plan.hosts.find((h) => h.connectedGroup === undefined && h.addresses.length === 1)!;
const plain = (e: Endpoint) => JSON.parse(JSON.stringify(e)) as unknown;

describe('an endpoint the planner made', () => {
  it('is the plain endpoint to JSON, key by key in the plain order, and to deep equality', () => {
    expect(Object.keys(endpoint)).toEqual(['name', 'roles', 'addresses', 'zone', 'os', ...(endpoint.linuxPolicy ? ['linuxPolicy'] : [])]);
    expect(JSON.stringify(endpoint)).toBe(JSON.stringify({ ...endpoint }));
    expect(endpoint).toEqual(plain(endpoint));
    expect(structuredClone(endpoint)).toEqual(plain(endpoint));
  });

  it('gives its set to addressSetOf, and a copy with other addresses gets a set of its own addresses', () => {
    expect(addressSetOf(endpoint).toCidrs()).toEqual(endpoint.addresses.map((a) => (a.includes('/') ? a : `${a}/32`)));
    const moved: Endpoint = { ...endpoint, addresses: ['198.18.7.9'] };
    expect(addressSetOf(moved).toCidrs()).toEqual(['198.18.7.9/32']);
    expect(addressSetOf(structuredClone(endpoint)).toCidrs()).toEqual(addressSetOf(endpoint).toCidrs());
  });

  it('shows connectedGroup only where a connected management server has one', () => {
    const connected = plan.hosts.filter((h) => 'connectedGroup' in h);
    expect(connected.length, 'contoso has a connected management group').toBeGreaterThan(0);
    for (const h of connected) expect(typeof h.connectedGroup).toBe('string');
    expect(plan.hosts.filter((h) => Object.keys(h).includes('connectedGroup')).length).toBe(connected.length);
  });
});
