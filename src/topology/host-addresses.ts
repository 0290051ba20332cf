import type { Host } from './types.js';

/** A host's address entries in canonical text, in the order written (Host.addressTexts, or its one address). */
export function addressTextsOf(host: Pick<Host, 'addressTexts' | 'addresses'>): readonly string[] {
  return host.addressTexts ?? host.addresses.toRangeEntries();
}

/**
 * The host wrote one single address (`address: 10.0.0.5`, or a list of one address that is not a range): problems
 * about its addresses point at `address` rather than at an entry of `addresses`. Without the list (which the loader
 * leaves out only for one plain IPv4 address, but a host made by hand may leave out for any), the set says.
 */
export function writesOneAddress(host: Pick<Host, 'addressTexts' | 'addresses'>): boolean {
  const texts = host.addressTexts;
  return texts === undefined ? host.addresses.isOneAddress() : texts.length === 1 && !/[/-]/.test(texts[0]!);
}
