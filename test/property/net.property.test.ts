import { mergeCidr } from 'cidr-tools';
import { isIP } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dottedQuadValue, dottedQuadValueOfBytes, formatAddress, formatIPv4, IpAddress, type Family } from '../../src/net/address.js';
import { AddressSet } from '../../src/net/address-set.js';
import { AddressRange, cidrsOf } from '../../src/net/range.js';
import { mergePortRanges, PortRange } from '../../src/net/port.js';
import { plainUsableIPv4, plainUsableIPv4OfBytes, unusableAddress } from '../../src/topology/addresses.js';

const max = (f: Family) => (f === 4 ? (1n << 32n) - 1n : (1n << 128n) - 1n);

/** A random range of one family; small spans near random bases so that merges and adjacency happen often. */
const rangeArb = (family: Family) =>
  fc
    .tuple(fc.bigInt({ min: 0n, max: max(family) }), fc.bigInt({ min: 0n, max: 300n }), fc.boolean())
    .map(([base, span, clustered]) => {
      const b = clustered ? base % 4096n : base;
      const last = b + span > max(family) ? max(family) : b + span;
      return AddressRange.of(family, b, last);
    });

const rangesArb = fc.array(fc.oneof(rangeArb(4), rangeArb(6)), { minLength: 0, maxLength: 40 });

/** The exact address membership of a list of ranges, for sets small enough to enumerate around the edges. */
const inRanges = (ranges: readonly AddressRange[], family: Family, v: bigint) => ranges.some((r) => r.family === family && r.contains(v));

describe('address set algebra', () => {
  it('isOneAddress and soleAddress say whether the set holds one address, and which', () => {
    const fewArb = fc.oneof(rangesArb.map((r) => r.slice(0, 2)), fc.integer({ min: 0, max: 2 ** 32 - 1 }).map((v) => [AddressRange.of(4, BigInt(v), BigInt(v))]));
    fc.assert(
      fc.property(fewArb, fc.boolean(), (ranges, single) => {
        const first = ranges[0];
        // singleV4 makes the compact form the loader makes; `of` the general one (which picks it too for one address).
        const set = single && first?.family === 4 && ranges.length === 1 && first.first === first.last ? AddressSet.singleV4(Number(first.first)) : AddressSet.of(ranges);
        const one = set.count(4) + set.count(6) === 1n;
        expect(set.isOneAddress()).toBe(one);
        expect(set.soleAddress()).toBe(one ? set.ranges()[0]!.toString() : undefined);
      }),
      { numRuns: 500 },
    );
  });

  it('toCidrs covers exactly the input: every edge address in, every neighbour out', () => {
    fc.assert(
      fc.property(rangesArb, (ranges) => {
        const set = AddressSet.of(ranges);
        const cidrs = AddressSet.parse(set.toCidrs());
        for (const r of ranges) {
          for (const v of [r.first, r.last, r.first - 1n, r.last + 1n]) {
            if (v < 0n || v > max(r.family)) continue;
            expect(cidrs.contains(r.family, v)).toBe(inRanges(ranges, r.family, v));
          }
        }
        expect(cidrs.equals(set)).toBe(true);
        expect(cidrs.count(4)).toBe(set.count(4));
        expect(cidrs.count(6)).toBe(set.count(6));
      }),
      { numRuns: 300 },
    );
  });

  it('toCidrs is minimal: no two output prefixes can be merged into one', () => {
    fc.assert(
      fc.property(rangesArb, (ranges) => {
        const cidrs = AddressSet.of(ranges).toCidrs().map((c) => AddressRange.parse(c));
        for (let i = 1; i < cidrs.length; i++) {
          const a = cidrs[i - 1]!;
          const b = cidrs[i]!;
          if (a.family !== b.family || a.last + 1n !== b.first || a.size !== b.size) continue;
          // Two equal-sized neighbours merge only if they are the two halves of one aligned block.
          expect(a.first % (a.size * 2n) === 0n, `${a.toString()} + ${b.toString()} form one prefix`).toBe(false);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with cidr-tools mergeCidr (an independent implementation)', () => {
    fc.assert(
      fc.property(rangesArb, (ranges) => {
        const ours = AddressSet.of(ranges).toCidrs();
        const input = ranges.flatMap((r) => r.toCidrs());
        const theirs = input.length ? mergeCidr(input) : [];
        expect(AddressSet.parse(theirs).equals(AddressSet.parse(ours))).toBe(true);
        expect(ours.length).toBe(theirs.length);
      }),
      { numRuns: 200 },
    );
  });

  it('range entries never outnumber CIDRs and cover the same addresses', () => {
    fc.assert(
      fc.property(rangesArb, (ranges) => {
        const set = AddressSet.of(ranges);
        expect(set.toRangeEntries().length).toBeLessThanOrEqual(set.toCidrs().length);
        expect(AddressSet.parse(set.toRangeEntries()).equals(set)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('union is commutative and order-independent', () => {
    fc.assert(
      fc.property(rangesArb, rangesArb, (a, b) => {
        const x = AddressSet.of(a).union(AddressSet.of(b));
        const y = AddressSet.of([...b].reverse()).union(AddressSet.of(a));
        expect(x.equals(y)).toBe(true);
      }),
    );
  });

  it('addresses print and parse back to the same value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.ipV4(), fc.ipV6()), (text) => {
        const a = IpAddress.parse(text);
        const again = IpAddress.parse(a.toString());
        expect(again.value).toBe(a.value);
        expect(formatAddress(a.family, a.value)).toBe(a.toString());
      }),
    );
  });

  it('cidrsOf of an aligned block is that one block', () => {
    expect(cidrsOf(4, 0x0a000000n, 0x0a0000ffn)).toEqual(['10.0.0.0/24']);
    expect(cidrsOf(4, 0x0a000001n, 0x0a000006n)).toEqual(['10.0.0.1/32', '10.0.0.2/31', '10.0.0.4/31', '10.0.0.6/32']);
  });
});

describe('address parsing fails closed', () => {
  it.each(['10.1', '010.0.0.1', '10.0.0.256', ' 10.0.0.1', '10.0.0.1/33', '10.0.0.5/24', 'fe80::1%eth0', '10.0.0.9-10.0.0.1', '10.0.0.1-fd00::1', '', 'host', '10.0.0.0/', '10.0.0.0/24/8'])(
    '%j is refused',
    (text) => {
      expect(() => AddressRange.parse(text)).toThrow();
    },
  );

  it('a prefix with host bits set suggests the network', () => {
    expect(() => AddressRange.parse('10.0.0.5/24')).toThrow(expect.objectContaining({ hint: 'did you mean 10.0.0.0/24?' }));
  });
});

describe('port ranges', () => {
  it('merging covers exactly the same ports and leaves no adjacent ranges', () => {
    const portArb = fc.tuple(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 0, max: 50 })).map(([a, n]) => PortRange.of(a, Math.min(65535, a + n)));
    fc.assert(
      fc.property(fc.array(portArb, { maxLength: 30 }), fc.integer({ min: 1, max: 65535 }), (ranges, probe) => {
        const merged = mergePortRanges(ranges);
        expect(merged.some((r) => r.contains(probe))).toBe(ranges.some((r) => r.contains(probe)));
        for (let i = 1; i < merged.length; i++) expect(merged[i]!.from).toBeGreaterThan(merged[i - 1]!.to + 1);
      }),
    );
  });

  it('PortRange.of interns: equal ranges are one object, different ranges different ones; JSON stays {from,to}', () => {
    const portArb = fc.tuple(fc.integer({ min: 1, max: 65535 }), fc.integer({ min: 0, max: 50 })).map(([a, n]) => [a, Math.min(65535, a + n)] as const);
    fc.assert(
      fc.property(portArb, portArb, ([a, b], [c, d]) => {
        expect(PortRange.of(a, b) === PortRange.of(c, d)).toBe(a === c && b === d);
        expect(JSON.stringify(PortRange.of(a, b))).toBe(JSON.stringify({ from: a, to: b }));
        expect(PortRange.of(a, b).toString()).toBe(a === b ? `${a}` : `${a}-${b}`);
        expect(PortRange.of(a, b).meets(PortRange.of(c, d))).toBe(a <= d && c <= b);
      }),
      { numRuns: 500 },
    );
    expect(Object.isFrozen(PortRange.of(5723))).toBe(true);
  });

  it.each([[0, 0], [1, 65536], [10, 9], [1.5, 2]])('PortRange.of(%d, %d) is refused', (a, b) => {
    expect(() => PortRange.of(a, b)).toThrow();
  });
});

describe('IPv4 addresses written from their value', () => {
  it('formatIPv4 writes the dotted quad, and a set of one address gives it back as its one entry', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), (v) => {
        const text = [v >>> 24, (v >>> 16) & 255, (v >>> 8) & 255, v & 255].join('.');
        expect(formatIPv4(v)).toBe(text);
        expect(AddressSet.singleV4(v).toRangeEntries()).toEqual([AddressRange.of(4, BigInt(v), BigInt(v)).toString()]);
        expect(AddressSet.singleV4(v).toRangeEntries()).toEqual([text]);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('the IPv4 fast path', () => {
  it('agrees with node:net on arbitrary dotted text', () => {
    const part = fc.oneof(fc.integer({ min: 0, max: 300 }).map(String), fc.constantFrom('00', '01', '010', '', '1a', '-1', ' 1'));
    fc.assert(
      fc.property(fc.array(part, { minLength: 1, maxLength: 5 }), (parts) => {
        const text = parts.join('.');
        const valid = isIP(text) === 4;
        let parsed: IpAddress | undefined;
        try {
          parsed = IpAddress.parse(text);
        } catch {
          parsed = undefined;
        }
        expect(parsed !== undefined, text).toBe(valid);
        if (parsed) expect(parsed.toString()).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });
});

/** Texts near a dotted quad: good ones, ones with odd parts (leading zeros, signs, spaces, too large), and noise. */
const quadValueArb = fc.oneof(
  fc.integer({ min: 0, max: 2 ** 32 - 1 }),
  // the edges of the blocks the fast path leaves to the general one (0/8, 127/8, 224/4 and above)
  fc.constantFrom(0, 0xffffff, 0x1000000, 0x7effffff, 0x7f000000, 0x7fffffff, 0x80000000, 0xdfffffff, 0xe0000000, 0xf0000000, 0xffffffff),
);
const quadText = (v: number) => `${(v >>> 24) & 255}.${(v >>> 16) & 255}.${(v >>> 8) & 255}.${v & 255}`;
const oddPart = fc.oneof(
  fc.integer({ min: 0, max: 300 }).map(String),
  fc.constantFrom('', '0', '00', '01', '001', '255', '256', '999', '1000', '-1', '+1', ' 1', '1 ', '0x1', '1e2', '\u0661', '1\n'),
  fc.string({ maxLength: 4 }),
);
const addressTextArb = fc.oneof(
  quadValueArb.map(quadText),
  fc.array(oddPart, { minLength: 1, maxLength: 6 }).map((parts) => parts.join('.')),
  fc.ipV4(),
  fc.ipV4Extended(),
  fc.ipV6(),
  fc.string({ maxLength: 20 }),
);

describe("the loader's plain IPv4 fast path", () => {
  it('says yes only where AddressRange.parse and unusableAddress accept the text unchanged, with the same address set', () => {
    fc.assert(
      fc.property(addressTextArb, (text) => {
        const value = plainUsableIPv4(text);
        if (value === undefined) return;
        const range = AddressRange.parse(text);
        expect(range.family).toBe(4);
        expect(range.first).toBe(BigInt(value));
        expect(range.last).toBe(BigInt(value));
        expect(range.toString()).toBe(text);
        expect(unusableAddress(range, text)).toBeUndefined();
        expect(AddressSet.single(4, BigInt(value)).equals(AddressSet.of([range]))).toBe(true);
      }),
      { numRuns: 3000 },
    );
  });

  it('gives the same answer from the bytes of the text, wherever they sit in a buffer, as from the text and node:net', () => {
    fc.assert(
      fc.property(addressTextArb, fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), (text, before, after) => {
        // The fast lane reads ASCII only (anything else is declined before an address is parsed).
        fc.pre(/^[\x20-\x7e]*$/.test(before + text + after));
        const bytes = Buffer.from(before + text + after, 'latin1');
        expect(plainUsableIPv4OfBytes(bytes, before.length, before.length + text.length)).toBe(plainUsableIPv4(text));
        // node:net's own check (four decimal parts, 0-255, no leading zeros) as the oracle for both parsers.
        const value = isIP(text) === 4 ? text.split('.').reduce((v, part) => v * 256 + Number(part), 0) : undefined;
        expect(dottedQuadValueOfBytes(bytes, before.length, before.length + text.length)).toBe(value);
        expect(dottedQuadValue(text)).toBe(value);
      }),
      { numRuns: 3000 },
    );
  });

  it('reads a dotted quad from any string as node:net does, characters past ASCII included', () => {
    fc.assert(
      fc.property(fc.oneof(addressTextArb, fc.string({ unit: 'binary', maxLength: 16 }), quadValueArb.map((v) => `${quadText(v)}\u0100`), quadValueArb.map((v) => `${quadText(v).slice(0, -1)}\u0131`)), (text) => {
        const value = isIP(text) === 4 ? text.split('.').reduce((v, part) => v * 256 + Number(part), 0) : undefined;
        expect(dottedQuadValue(text)).toBe(value);
      }),
      { numRuns: 3000 },
    );
  });

  it('says yes to every canonical dotted quad outside the refused blocks and below 224.0.0.0', () => {
    fc.assert(
      fc.property(quadValueArb, (value) => {
        const text = quadText(value);
        const first = value >>> 24;
        expect(plainUsableIPv4(text)).toBe(first === 0 || first === 127 || first >= 224 ? undefined : value);
      }),
      { numRuns: 1000 },
    );
  });

  it('AddressSet.single is the set of that one address, in either family', () => {
    fc.assert(
      fc.property(fc.constantFrom<Family>(4, 6), fc.bigInt({ min: 0n, max: max(6) }), (family, raw) => {
        const value = raw % (max(family) + 1n);
        const single = AddressSet.single(family, value);
        expect(single.equals(AddressSet.of([AddressRange.of(family, value, value)]))).toBe(true);
        expect(single.has(family)).toBe(true);
        expect(single.has(family === 4 ? 6 : 4)).toBe(false);
        expect(single.union(AddressSet.empty).equals(single)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
