export { AddressSyntaxError, IpAddress, formatAddress, type Family } from './address.js';
export { AddressRange, cidrsOf } from './range.js';
export { AddressSet } from './address-set.js';
export { PortRange, mergePortRanges, isPort, protocols, type Protocol } from './port.js';
