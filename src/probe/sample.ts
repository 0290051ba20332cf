import { formatAddress } from '../net/address.js';
import { AddressRange } from '../net/range.js';

/**
 * Which addresses of a destination are probed. A group (`addresses: [10.20.0.0/16, …]`) may hold thousands of
 * machines; probing them all is a scan, not a check. The rule (docs/results.md, "Sampling"):
 *   candidates = the first usable address of every entry, in file order, then the last usable address of every
 *   entry, in file order; repeats dropped; the first `limit` of them are probed.
 * So a single host is probed on each of its addresses (IPv4 and IPv6 alike, up to the limit), and a group with
 * the default limit of 2 on the two ends of its first entry, or on the first address of each of two entries.
 * "Usable": an IPv4 prefix of /30 or wider loses its network and broadcast addresses; an IPv6 prefix of /127
 * or wider loses its first (the subnet-router anycast address, RFC 4291 §2.6.1). `a-b` ranges keep their ends.
 */
export function sampleAddresses(entries: readonly string[], limit: number): string[] {
  const ends = entries.map(usableEnds);
  const candidates = [...ends.map((e) => e.first), ...ends.map((e) => e.last)];
  return [...new Set(candidates)].slice(0, Math.max(1, limit));
}

/** Every address a full probe would touch is bounded by this: the sample size a user can ask for. */
export const maxSample = 1024;

function usableEnds(entry: string): { first: string; last: string } {
  const range = AddressRange.parse(entry);
  let { first, last } = range;
  if (entry.includes('/')) {
    const size = range.size;
    if (range.family === 4 && size >= 4n) {
      first += 1n;
      last -= 1n;
    } else if (range.family === 6 && size >= 2n) {
      first += 1n;
    }
  }
  return { first: formatAddress(range.family, first), last: formatAddress(range.family, last) };
}
