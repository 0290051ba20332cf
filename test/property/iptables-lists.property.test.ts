import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AddressSet } from '../../src/net/address-set.js';
import { addressListLimit, addressLists } from '../../src/targets/linux/iptables.js';

/*
 * The iptables target gives `-s` and `-d` lists of CIDRs, which iptables-restore makes one rule each, in order, and
 * refuses when a list reaches 1,024 characters (test/unit/targets-linux-parse.test.ts loads them in the kernel). The
 * lists must hold every CIDR once, in order, each within the limit, and be as few as the limit allows: no list could
 * take the first CIDR of the next one.
 */

const v4 = fc.tuple(fc.nat(0xffffffff), fc.integer({ min: 0, max: 32 })).map(([n, len]) => `${[24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.')}/${len}`);
const v6 = fc.tuple(fc.array(fc.nat(0xffff), { minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 128 })).map(([groups, len]) => `${groups.map((g) => g.toString(16)).join(':')}/${len}`);
const cidr = fc.oneof(v4, v6);

describe('iptables address lists', () => {
  it('hold every CIDR once, in order, each list within the limit, and no list could take the next one\'s first CIDR', () => {
    fc.assert(
      fc.property(fc.array(cidr, { maxLength: 400 }), (cidrs) => {
        const lists = addressLists(cidrs);
        expect(lists.flatMap((l) => l.split(','))).toEqual(cidrs);
        for (const list of lists) expect(list.length).toBeLessThanOrEqual(addressListLimit);
        for (let i = 0; i + 1 < lists.length; i++) {
          const next = lists[i + 1]!.split(',')[0]!;
          expect(lists[i]!.length + 1 + next.length).toBeGreaterThan(addressListLimit);
        }
      }),
    );
  });

  it('cut the CIDRs of real address sets, IPv4 and IPv6, at most once per 1,000 characters', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(4000), { minLength: 1, maxLength: 600 }), fc.boolean(), (offsets, six) => {
        const set = AddressSet.parse(offsets.map((o) => (six ? `fd00::${(o * 2).toString(16)}` : `10.${o >> 8}.${o & 255}.1`)));
        const cidrs = set.toCidrs();
        const lists = addressLists(cidrs);
        const length = cidrs.join(',').length;
        expect(lists.length).toBeGreaterThanOrEqual(Math.ceil(length / addressListLimit));
        expect(lists.length).toBeLessThanOrEqual(Math.ceil(length / (addressListLimit - 44)));
      }),
    );
  });
});
