import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { revisions } from '../../src/catalog/types.js';
import { checkCounterparts } from '../../src/topology/counterparts.js';
import type { Problem } from '../../src/topology/problem.js';
import type { Deployment, Host } from '../../src/topology/types.js';
import type { Role } from '../../src/catalog/roles.js';
import { arbDeployment } from '../support/alike-deployments.js';
import { deployment, host } from '../support/build.js';

/*
 * checkCounterparts judges a host like the clean one before it (same roles and lists by identity, same install and
 * address family, named by no list) without judging it again. With every host's lists copied, no two hosts share
 * one and every host is judged in full: the problems and warnings must be the same.
 */

const lists = ['reportsTo', 'managementServers', 'acsCollectors', 'domainControllers'] as const;

function withOwnLists(d: Deployment): Deployment {
  const own = (h: Host): Host => {
    const copy: Record<string, unknown> = { ...h, roles: [...h.roles] };
    for (const key of lists) if (h[key]) copy[key] = [...h[key]];
    return copy as unknown as Host;
  };
  return { ...d, hosts: d.hosts.map(own) };
}

function judged(d: Deployment): { problems: Problem[]; warnings: Problem[] } {
  const problems: Problem[] = [];
  const warnings: Problem[] = [];
  checkCounterparts(d, problems, warnings);
  return { problems, warnings };
}

describe.each(revisions)('checkCounterparts, catalog %s', (revision) => {
  it('judges hosts that share their lists as it judges each alone', () => {
    let reported = 0;
    let shared = 0;
    fc.assert(
      fc.property(arbDeployment(revision), fc.boolean(), (d, pushAll) => {
        // Some hosts installed by push, so that a host like the one before differs in install alone.
        const deployment = pushAll ? { ...d, hosts: d.hosts.map((h, i) => (i % 3 === 0 && h.roles.includes('agent') ? { ...h, install: 'push' as const } : h)) } : d;
        const fast = judged(deployment);
        expect(fast).toEqual(judged(withOwnLists(deployment)));
        if (fast.problems.length + fast.warnings.length > 0) reported++;
        if (deployment.hosts.some((h, i) => i > 0 && h.roles === deployment.hosts[i - 1]!.roles && h.reportsTo === deployment.hosts[i - 1]!.reportsTo)) shared++;
      }),
      { numRuns: 300 },
    );
    expect(reported).toBeGreaterThan(30);
    expect(shared).toBeGreaterThan(30);
  });
});

/** Roles and lists shared by identity, as the loaders share them, so that hosts are alike but for what is drawn. */
const roleLists: readonly (readonly Role[])[] = [['agent'], ['agent'], ['unix-agent'], ['gateway'], ['management-server'], ['agent', 'web-console-browser']];
const reportLists: readonly (readonly string[] | undefined)[] = [undefined, ['ms0'], ['ms0'], ['gw0'], ['ms6'], ['ms0', 'ms6']];
const addressings: readonly (readonly string[])[] = [['10.0.9.1'], ['10.0.9.1'], ['fd00::9'], ['10.0.9.1', '10.0.9.2'], ['10.0.9.0/30'], ['10.0.9.1', 'fd00::9']];

const drawnHost = fc.record({ roles: fc.nat(roleLists.length - 1), to: fc.nat(reportLists.length - 1), push: fc.boolean(), addressing: fc.nat(addressings.length - 1) });

describe('checkCounterparts on hosts alike but for one thing', () => {
  it('judges each as it would alone: install, address family, addresses and being named all count', () => {
    let reported = 0;
    fc.assert(
      fc.property(fc.array(drawnHost, { minLength: 2, maxLength: 12 }), fc.subarray(['ms0', 'ms6', 'gw0']), (drawn, servers) => {
        const fixed = [
          ...(servers.includes('ms0') ? [host('ms0', roleLists[4]!, { address: '10.0.0.1' })] : []),
          ...(servers.includes('ms6') ? [host('ms6', roleLists[4]!, { address: 'fd00::6' })] : []),
          ...(servers.includes('gw0') ? [host('gw0', roleLists[3]!, { address: '10.0.0.5', reportsTo: reportLists[1] })] : []),
        ];
        const hosts = drawn.map((h, i) => {
          const to = reportLists[h.to];
          // The third host takes a name the lists use, when that server is left out.
          const name = i === 2 && !servers.includes('gw0') ? 'gw0' : `h${i}`;
          return host(name, roleLists[h.roles]!, { addressTexts: addressings[h.addressing]!, ...(to ? { reportsTo: to } : {}), ...(h.push ? { install: 'push' as const } : {}) });
        });
        const d = deployment([...fixed, ...hosts]);
        const fast = judged(d);
        expect(fast).toEqual(judged(withOwnLists(d)));
        if (fast.problems.length + fast.warnings.length > 0) reported++;
      }),
      { numRuns: 1500 },
    );
    expect(reported).toBeGreaterThan(300);
  });
});

describe('checkCounterparts counting hosts alike', () => {
  it('counts every host of a run of alike hosts: two management servers are partners of each other', () => {
    const roles: readonly Role[] = ['management-server'];
    const d = deployment([host('ms0', roles, { address: '10.0.0.1' }), host('ms1', roles, { address: '10.0.0.2' })]);
    expect(judged(d)).toEqual(judged(withOwnLists(d)));
    // One alone has more to be told (nobody it serves, no partner server) than each of the two.
    const reports = (x: ReturnType<typeof judged>) => x.problems.length + x.warnings.length;
    const alone = deployment([host('ms0', roles, { address: '10.0.0.1' })]);
    expect(reports(judged(alone))).toBeGreaterThan(reports(judged(d)) / 2);
  });
});
