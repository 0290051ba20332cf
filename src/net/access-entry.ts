import { AddressSet } from './address-set.js';
import { isPort, PortRange } from './port.js';

/**
 * Management access to keep open on a Linux host ruleset: `tcp/22@10.0.0.0/24`, `udp/161@192.0.2.7`,
 * `tcp/8000-8010@10.1.0.5-10.1.0.9`. Given on the command line (`render --keep`) or in the deployment file
 * (`managementAccess`); both read it here, so they accept exactly the same entries.
 */
export interface AccessEntry {
  readonly protocol: 'tcp' | 'udp';
  readonly ports: PortRange;
  readonly sources: AddressSet;
  /** The address part as written, for the comments that name who the opening is for. */
  readonly addressText: string;
}

export const accessEntryHint = 'write PROTOCOL/PORT@ADDRESS, for example tcp/22@10.0.0.0/24 or tcp/8000-8010@192.0.2.7; ADDRESS may be an address, a CIDR or a range a-b';

/** What is wrong with an entry, as the end of a sentence that begins with the entry's name. */
export class AccessEntryError extends Error {}

const syntax = /^(tcp|udp)\/(\d{1,5})(?:-(\d{1,5}))?@(\S+)$/;

/** The entry, or an AccessEntryError saying what is wrong with it. */
export function parseAccessEntry(text: string): AccessEntry {
  const [, protocol, low, high, address] = syntax.exec(text.trim()) ?? [];
  if (protocol === undefined || low === undefined || address === undefined) throw new AccessEntryError('not PROTOCOL/PORT@ADDRESS');
  const from = Number(low);
  const to = high === undefined ? from : Number(high);
  if (!isPort(from) || !isPort(to) || from > to) throw new AccessEntryError('bad port: ports run from 1 to 65535, low to high');
  try {
    return { protocol: protocol as 'tcp' | 'udp', ports: PortRange.of(from, to), sources: AddressSet.parse([address]), addressText: address };
  } catch (e) {
    throw new AccessEntryError(`bad address: ${(e as Error).message}`, { cause: e });
  }
}
