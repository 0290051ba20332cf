import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressRange, AddressSet } from '../../src/net/index.js';
import { overlapSweeps } from '../../src/topology/addresses.js';
import type { Problem } from '../../src/topology/problem.js';
import { addressTextsOf } from '../../src/topology/host-addresses.js';
import type { ConnectedGroup, Deployment, Host } from '../../src/topology/types.js';

/**
 * checkOverlaps takes plain IPv4 deployments through a typed-array sweep (src/topology/addresses.ts): it must find
 * the same warnings, in the same order, as the general sweep over sorted entries.
 */

const plain = fc.oneof(fc.integer({ min: 1, max: 12 }).map((n) => `10.0.0.${n}`), fc.constantFrom('10.0.1.1', '192.0.2.7', '10.255.255.255', '1.0.0.0', '223.255.255.255'));
const other = fc.constantFrom('10.0.0.0/29', '10.0.0.1-10.0.0.4', 'fd00::1', '127.0.0.1');

function host(name: string, texts: readonly string[], connectedGroup?: string): Host {
  return {
    name,
    addressTexts: texts,
    addresses: AddressSet.of(texts.map((t) => AddressRange.parse(t))),
    zone: 'default',
    roles: ['agent'],
    os: 'windows',
    ports: {},
    sqlBrowser: false,
    webConsoleTls: false,
    ...(connectedGroup ? { connectedGroup } : {}),
  };
}

const deployment = fc
  .tuple(
    fc.array(fc.array(fc.oneof({ weight: 12, arbitrary: plain }, { weight: 1, arbitrary: other }), { minLength: 1, maxLength: 3 }), { minLength: 1, maxLength: 40 }),
    fc.array(fc.array(plain, { minLength: 1, maxLength: 2 }), { maxLength: 3 }),
  )
  .map(([hosts, servers]): Deployment => {
    const groups: ConnectedGroup[] = servers.length === 0 ? [] : [{ name: 'other', reading: 'connected-groups-page', managementServers: servers.map((t, j) => host(`cms${j}`, t, 'other')) }];
    return { managementGroup: 'G', catalog: '2024-11', phase: 'install', features: {} as Deployment['features'], hosts: hosts.map((t, i) => host(`h${i}`, t)), connectedGroups: groups };
  });

describe('the plain IPv4 overlap sweep', () => {
  it('warns exactly as the general sweep does, or leaves the deployment to it', () => {
    let taken = 0;
    fc.assert(
      fc.property(deployment, (d) => {
        const fast: Problem[] = [];
        const general: Problem[] = [];
        overlapSweeps.sorted(d, general);
        if (!overlapSweeps.plain(d, fast)) {
          expect(fast).toEqual([]);
          expect(d.hosts.some((h) => addressTextsOf(h).some((t) => !/^\d+\.\d+\.\d+\.\d+$/.test(t) || t.startsWith('127.')))).toBe(true);
          return;
        }
        taken++;
        expect(fast).toEqual(general);
      }),
      { numRuns: 2000 },
    );
    expect(taken).toBeGreaterThan(200);
  });
});
