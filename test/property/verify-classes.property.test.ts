import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogRevision } from '../../src/catalog/index.js';
import { revisions } from '../../src/catalog/types.js';
import { AddressSet } from '../../src/net/address-set.js';
import { derivePlan } from '../../src/plan/derive.js';
import type { Plan } from '../../src/plan/types.js';
import type { RenderedFile } from '../../src/targets/types.js';
import { soleAddressText, verifyPowerShell } from '../../src/targets/windows/verify.js';
import type { Deployment } from '../../src/topology/types.js';
import { arbDeployment } from '../support/alike-deployments.js';

/*
 * verify-powershell writes a plan of classes from its rows (src/plan/expand.ts planRows): each class's list of flows
 * is shared by its members, keyed for "alike" once, and no Flow is built per host. A plan planned host by host (or
 * read from a file) is written from its flows, host by host, as every plan was before. Whatever the deployment, both
 * must write the very same files, or refuse with the very same error.
 */

const byClass = (d: Deployment): Plan => derivePlan(d, catalogRevision(d.catalog));
const byHost = (d: Deployment): Plan => derivePlan(d, catalogRevision(d.catalog), { classes: false });

/** The files, or the error's class and message. */
function outcome(plan: Plan, host?: string): RenderedFile[] | string {
  try {
    return verifyPowerShell.render(plan, host === undefined ? {} : { host });
  } catch (e) {
    return `${(e as Error).name}: ${(e as Error).message}`;
  }
}

describe.each(revisions)('verify-powershell from classes, catalog %s', (revision) => {
  it('writes what the plan planned host by host writes, for every host and for one named with --host', () => {
    let grouped = 0;
    let refused = 0;
    fc.assert(
      fc.property(arbDeployment(revision, { oddNames: true }), fc.nat({ max: 3 }), fc.nat(), fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 24 }), fc.integer({ min: 10, max: 24 })), fc.constantFrom('plain', 'plain', 'plain', 'cidr', 'v6', 'pair'), (d, odd, pick, copies, form) => {
        // Three in four deployments keep plain names, so that most render rather than refuse an odd name.
        const plain = odd === 0 ? d.hosts : d.hosts.map((h) => ({ ...h, name: h.name.replace(/[^A-Za-z0-9.-]/g, '') || 'h' }));
        // Copies of one host, under names and addresses of their own, so that ten or more are alike.
        // An agent, when there is one: servers pair with each other, so that their copies would not be alike.
        const agents = plain.filter((h) => h.os === 'windows' && h.roles.includes('agent'));
        const windows = agents.length > 0 ? agents : plain.filter((h) => h.os === 'windows');
        const model = windows.length > 0 ? windows[pick % windows.length]! : plain[pick % plain.length]!;
        const texts = (i: number): string[] =>
          form === 'plain' ? [`10.200.${i}.7`] : form === 'cidr' ? [`10.201.${i}.7/32`] : form === 'v6' ? [`fd00::${(i + 1).toString(16)}`] : [`10.202.${i}.1`, `10.202.${i}.2`];
        const copied = Array.from({ length: copies }, (_, i) => ({ ...model, name: `${model.name}-c${i}`, addressTexts: texts(i), addresses: AddressSet.parse(texts(i)) }));
        const deployment = { ...d, hosts: [...plain, ...copied] };
        const names = new Set(deployment.hosts.map((h) => h.name.toLowerCase()));
        if (names.size !== deployment.hosts.length) return;
        const expected = byHost(deployment);
        const plan = byClass(deployment);
        const all = outcome(plan);
        expect(all).toEqual(outcome(expected));
        if (typeof all === 'string') refused++;
        else if (all.some((f) => f.path.endsWith('.hosts.txt'))) grouped++;
        const sources = expected.hosts.filter((h) => h.os === 'windows');
        const one = sources[pick % Math.max(1, sources.length)]?.name ?? expected.hosts[0]!.name;
        expect(outcome(plan, one)).toEqual(outcome(expected, one));
        // Written from the classes: the plan's flows are still unbuilt (their getter).
        expect(typeof Object.getOwnPropertyDescriptor(plan, 'flows')?.get).toBe('function');
      }),
      { numRuns: 300 },
    );
    // The generator must reach scripts for hosts alike and refusals, or either path would go untested.
    expect(grouped).toBeGreaterThan(20);
    expect(refused).toBeGreaterThan(5);
  });
});

describe('soleAddressText', () => {
  it('gives what the address set gives, for any IPv4 or IPv6 text and lists of them', () => {
    const text = fc.oneof(fc.ipV4(), fc.ipV4Extended(), fc.ipV6(), fc.tuple(fc.ipV4(), fc.integer({ min: 0, max: 32 })).map(([a, n]) => `${a}/${n}`));
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 3 }), (texts) => {
        let set: AddressSet;
        try {
          set = AddressSet.parse(texts);
        } catch {
          return;
        }
        const expected = set.count(4) + set.count(6) === 1n ? set.toRangeEntries()[0] : undefined;
        expect(soleAddressText(texts)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
