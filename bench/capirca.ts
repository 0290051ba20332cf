import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AddressSet } from '../src/net/address-set.js';
import { openingsOf, type Opening } from '../src/plan/openings.js';
import type { Plan } from '../src/plan/types.js';

/** Capirca's three formats in the side-by-side row, with the header each takes. */
export const capircaFormats: readonly { readonly file: string; readonly header: string }[] = [
  { file: 'scomfw-windows', header: 'windows_advfirewall in inet' },
  { file: 'scomfw-nftables', header: 'nftables inet INPUT' },
  { file: 'scomfw-iptables', header: 'iptables INPUT DROP' },
];

/**
 * Writes Capirca's input for the same openings that scomfw's plan gives the management servers: def/NETWORK.net
 * (one token per management server, one per opening's sources, each source address listed one by one as an
 * inventory lists agents), def/SERVICES.svc (one token per port range) and policies/pol/<format>.pol (one term
 * per opening). Capirca's `--optimize` then collapses the addresses itself, as scomfw aggregates its own.
 * ICMP terms name no icmp-type: Capirca 2.0.6's nftables generator crashes on one (TypeError in TabSpacer).
 * Returns the number of terms per format.
 */
export function writeCapircaInputs(dir: string, plan: Plan): number {
  const openings = openingsOf(plan).all.filter((o) => o.destination.roles.includes('management-server'));
  const networks: string[] = [];
  const services = new Map<string, string>();
  const terms: string[] = [];
  const destinations = new Map<string, string>();
  openings.forEach((o, i) => {
    let destination = destinations.get(o.destination.name);
    if (!destination) {
      destination = `MS_${destinations.size + 1}`;
      destinations.set(o.destination.name, destination);
      networks.push(tokenLines(destination, o.destinations.toCidrs()));
    }
    const sources = `SRC_${i + 1}`;
    networks.push(tokenLines(sources, o.sourceEndpoints.flatMap((e) => AddressSet.parse(e.addresses).toCidrs())));
    terms.push(term(o, `t${i + 1}-${o.protocol}`, sources, destination, services));
  });
  mkdirSync(join(dir, 'def'), { recursive: true });
  mkdirSync(join(dir, 'policies', 'pol'), { recursive: true });
  writeFileSync(join(dir, 'def', 'NETWORK.net'), `${networks.join('\n')}\n`);
  writeFileSync(join(dir, 'def', 'SERVICES.svc'), `${[...services].map(([name, value]) => `${name} = ${value}`).join('\n')}\n`);
  for (const f of capircaFormats) {
    writeFileSync(join(dir, 'policies', 'pol', `${f.file}.pol`), `header {\n  target:: ${f.header}\n}\n\n${terms.join('\n')}`);
  }
  return terms.length;
}

function tokenLines(name: string, values: readonly string[]): string {
  const pad = ' '.repeat(name.length + 3);
  return values.map((v, i) => (i === 0 ? `${name} = ${v}` : `${pad}${v}`)).join('\n');
}

function term(o: Opening, name: string, sources: string, destination: string, services: Map<string, string>): string {
  const lines = [`term ${name} {`, `  source-address:: ${sources}`, `  destination-address:: ${destination}`, `  protocol:: ${o.protocol}`];
  if (o.ports) {
    const port = o.ports.from === o.ports.to ? `${o.ports.from}` : `${o.ports.from}-${o.ports.to}`;
    const service = `P_${o.protocol.toUpperCase()}_${port.replace('-', '_')}`;
    services.set(service, `${port}/${o.protocol}`);
    lines.push(`  destination-port:: ${service}`);
  }
  lines.push('  action:: accept', '}', '');
  return lines.join('\n');
}
