export { AddressSyntaxError, IpAddress, formatAddress, type Family } from './address.js';
export { AddressRange, cidrsOf } from './range.js';
export { AddressSet } from './address-set.js';
export {
  PortRange,
  comparePortRanges,
  compareProtocols,
  describePortList,
  describePorts,
  isPort,
  mergePortRanges,
  portsText,
  protocolPorts,
  protocols,
  singlePort,
  type Protocol,
} from './port.js';
