import { AddressSyntaxError, IpAddress, type Family } from '../../net/address.js';
import { AddressRange } from '../../net/range.js';
import { UserError, type Position } from '../../topology/errors.js';
import { PacketSet, type Interval } from '../space.js';

/** The line and column (both from 1) of a character offset, found by binary search over line starts. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
  }

  at(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
  }
}

export function positionAt(file: string, index: LineIndex, offset: number): Position {
  return { file, ...index.at(offset) };
}

/** A byte-order mark is not part of the content; both formats read the same with or without one. */
export function withoutBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

/** Protocol numbers by the names nft and iptables print. */
export const protocolByName: Readonly<Record<string, number>> = {
  icmp: 1,
  igmp: 2,
  tcp: 6,
  udp: 17,
  dccp: 33,
  gre: 47,
  esp: 50,
  ah: 51,
  icmpv6: 58,
  'ipv6-icmp': 58,
  'icmp6': 58,
  sctp: 132,
  udplite: 136,
  all: -1,
};

/** Protocols whose packets carry ports (nft's `th dport` reads them). */
export const portProtocols: readonly number[] = [6, 17, 33, 132, 136];

/**
 * ICMP types by name. The packet space carries an ICMP packet's type in its port dimension, so that
 * `icmp type echo-request` is matched exactly.
 */
export const icmpTypes: Readonly<Record<string, number>> = {
  'echo-reply': 0,
  'destination-unreachable': 3,
  'source-quench': 4,
  redirect: 5,
  'echo-request': 8,
  'router-advertisement': 9,
  'router-solicitation': 10,
  'time-exceeded': 11,
  'parameter-problem': 12,
  'timestamp-request': 13,
  'timestamp-reply': 14,
  'info-request': 15,
  'info-reply': 16,
  'address-mask-request': 17,
  'address-mask-reply': 18,
};

export const icmpv6Types: Readonly<Record<string, number>> = {
  'destination-unreachable': 1,
  'packet-too-big': 2,
  'time-exceeded': 3,
  'parameter-problem': 4,
  'echo-request': 128,
  'echo-reply': 129,
  'mld-listener-query': 130,
  'mld-listener-report': 131,
  'mld-listener-done': 132,
  'mld-listener-reduction': 132,
  'nd-router-solicit': 133,
  'nd-router-advert': 134,
  'nd-neighbor-solicit': 135,
  'nd-neighbor-advert': 136,
  'nd-redirect': 137,
  'router-renumbering': 138,
  'ind-neighbor-solicit': 141,
  'ind-neighbor-advert': 142,
  'mld2-listener-report': 143,
  // iptables' spellings
  'neighbour-solicitation': 135,
  'neighbour-advertisement': 136,
  'router-advertisement': 134,
  'router-solicitation': 133,
};

/** An address, CIDR prefix (host bits may be set, as the tools accept) or `a-b` range as an interval. */
export function addressInterval(text: string): { family: Family; interval: Interval } {
  if (text.includes('/')) {
    const [base = '', len = ''] = text.split('/');
    const a = IpAddress.parse(base);
    const bits = a.family === 4 ? 32 : 128;
    if (/^\d{1,3}$/.test(len) && Number(len) <= bits) return prefixInterval(a.family, a.value, Number(len));
    // iptables-save writes masks that are not prefixes as dotted quads (10.0.0.0/255.0.255.0): not an interval.
    throw new AddressSyntaxError(text, 'an address with a prefix length', 'non-contiguous masks are not supported');
  }
  const r = AddressRange.parse(text);
  return { family: r.family, interval: { lo: r.first, hi: r.last } };
}

export function prefixInterval(family: Family, value: bigint, len: number): { family: Family; interval: Interval } {
  const bits = family === 4 ? 32 : 128;
  const host = BigInt(bits - len);
  const lo = (value >> host) << host;
  return { family, interval: { lo, hi: lo + (1n << host) - 1n } };
}

/** A user error at a position, with the hint every audit input error carries. */
export function inputError(message: string, position: Position | undefined, hint: string): UserError {
  return new UserError(message, position, hint);
}

/** The product of source or destination intervals, by family. */
export function addressSpace(side: 'sources' | 'destinations', byFamily: ReadonlyMap<Family, Interval[]>): PacketSet {
  return PacketSet.unionAll([...byFamily].map(([family, intervals]) => PacketSet.product({ family, [side]: intervals })));
}

export const interval = (lo: number | bigint, hi: number | bigint = lo): Interval => ({ lo: BigInt(lo), hi: BigInt(hi) });
