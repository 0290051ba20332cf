import { AddressSyntaxError, bitsOf, formatAddress, IpAddress, maxValue, type Family } from './address.js';

/**
 * A contiguous block of addresses of one family, first..last inclusive. Made from a single address,
 * a CIDR prefix (host bits must be zero, so a typo never widens an opening) or an `a-b` range.
 */
export class AddressRange {
  private constructor(
    readonly family: Family,
    readonly first: bigint,
    readonly last: bigint,
  ) {}

  static of(family: Family, first: bigint, last: bigint): AddressRange {
    if (first > last || first < 0n || last > maxValue(family)) throw new RangeError('invalid address range');
    return new AddressRange(family, first, last);
  }

  /** Parses `10.0.0.1`, `10.0.0.0/24`, `10.0.0.1-10.0.0.9`, and the IPv6 forms of each. */
  static parse(text: string): AddressRange {
    if (text.includes('/')) return AddressRange.parseCidr(text);
    if (text.includes('-')) return AddressRange.parseSpan(text);
    const a = IpAddress.parse(text);
    return new AddressRange(a.family, a.value, a.value);
  }

  private static parseCidr(text: string): AddressRange {
    const [base = '', len = '', ...rest] = text.split('/');
    const a = IpAddress.parse(base);
    const bits = bitsOf(a.family);
    if (rest.length > 0 || !/^\d{1,3}$/.test(len) || Number(len) > bits) {
      throw new AddressSyntaxError(text, `a CIDR prefix with a length from 0 to ${bits}`);
    }
    const hostBits = BigInt(bits - Number(len));
    const size = 1n << hostBits;
    if (a.value % size !== 0n) {
      const network = formatAddress(a.family, a.value - (a.value % size));
      throw new AddressSyntaxError(text, 'a prefix whose host bits are zero', `did you mean ${network}/${len}?`);
    }
    return new AddressRange(a.family, a.value, a.value + size - 1n);
  }

  private static parseSpan(text: string): AddressRange {
    const parts = text.split('-');
    if (parts.length !== 2) throw new AddressSyntaxError(text, 'a range written first-last');
    const a = IpAddress.parse(parts[0]!.trim());
    const b = IpAddress.parse(parts[1]!.trim());
    if (a.family !== b.family) throw new AddressSyntaxError(text, 'a range whose two ends are of the same IP family');
    if (a.value > b.value) throw new AddressSyntaxError(text, 'a range whose first address is not above its last', `did you mean ${parts[1]!.trim()}-${parts[0]!.trim()}?`);
    return new AddressRange(a.family, a.value, b.value);
  }

  get size(): bigint {
    return this.last - this.first + 1n;
  }

  contains(value: bigint): boolean {
    return value >= this.first && value <= this.last;
  }

  /** The canonical text: a single address, a CIDR when the block is exactly one, else `a-b`. */
  toString(): string {
    if (this.first === this.last) return formatAddress(this.family, this.first);
    const len = prefixLengthOf(this.family, this.first, this.last);
    if (len !== undefined) return `${formatAddress(this.family, this.first)}/${len}`;
    return `${formatAddress(this.family, this.first)}-${formatAddress(this.family, this.last)}`;
  }

  /** The fewest CIDR prefixes that cover exactly this range. */
  toCidrs(): string[] {
    return cidrsOf(this.family, this.first, this.last);
  }
}

/** The prefix length when first..last is exactly one aligned CIDR block, else undefined. */
export function prefixLengthOf(family: Family, first: bigint, last: bigint): number | undefined {
  const size = last - first + 1n;
  if ((size & (size - 1n)) !== 0n || first % size !== 0n) return undefined;
  return bitsOf(family) - (size.toString(2).length - 1);
}

/** Greedy cover by the largest aligned block that fits: the minimal exact CIDR cover of an interval. */
export function cidrsOf(family: Family, first: bigint, last: bigint): string[] {
  const out: string[] = [];
  const bits = bitsOf(family);
  let a = first;
  while (a <= last) {
    let k = 0;
    while (k < bits) {
      const next = 1n << BigInt(k + 1);
      if (a % next !== 0n || a + next - 1n > last) break;
      k++;
    }
    out.push(`${formatAddress(family, a)}/${bits - k}`);
    a += 1n << BigInt(k);
  }
  return out;
}
