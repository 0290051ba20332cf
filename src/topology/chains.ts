import { problem, type Problem } from './problem.js';
import type { Host } from './types.js';

/**
 * Gateways may report to gateways (a chain), but a chain that comes back to a gateway has no management server: one
 * problem per loop. Shared by the general loader and the JSON fast lane, so both decide alike.
 */
export function checkGatewayChains(hosts: readonly (Host | undefined)[], problems: Problem[]): void {
  const gateways = new Map<string, { host: Host; index: number }>();
  hosts.forEach((h, index) => {
    if (h?.roles.includes('gateway')) gateways.set(h.name, { host: h, index });
  });
  const reported = new Set<string>();
  for (const { host, index } of gateways.values()) {
    const seen: string[] = [];
    let at: Host | undefined = host;
    while (at && !seen.includes(at.name)) {
      seen.push(at.name);
      const next: string | undefined = at.reportsTo?.find((n) => gateways.has(n));
      at = next === undefined ? undefined : gateways.get(next)?.host;
    }
    if (!at || at !== host || reported.has(host.name)) continue;
    for (const name of seen) reported.add(name);
    const i = host.reportsTo?.findIndex((n) => gateways.has(n)) ?? 0;
    problems.push(
      problem(['hosts', index, 'reportsTo', i], 'a chain of gateways that ends at a management server', `the loop ${[...seen, host.name].join(' -> ')}`, 'let the last gateway of the chain report to a management server'),
    );
  }
}
