import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { catalogRevision } from '../../src/catalog/index.js';
import { AddressSet } from '../../src/net/address-set.js';
import { derivePlan } from '../../src/plan/derive.js';
import type { Plan } from '../../src/plan/types.js';
import { loadDeployment } from '../../src/topology/index.js';
import type { Deployment, Host } from '../../src/topology/types.js';

const repo = join(import.meta.dirname, '..', '..');

/** Every scenario golden files are kept for: the bundled examples and the test scenarios. */
export const scenarios = {
  contoso: 'examples/contoso.yaml',
  minimal: 'examples/minimal.yaml',
  ipv6: 'test/scenarios/ipv6.yaml',
  'custom-ports': 'test/scenarios/custom-ports.yaml',
  'branch-agents': 'test/scenarios/branch-agents.yaml',
} as const;

export type ScenarioName = keyof typeof scenarios;
export const scenarioNames = Object.keys(scenarios) as ScenarioName[];

export function loadScenario(name: ScenarioName): Deployment {
  const path = scenarios[name];
  return loadDeployment(readFileSync(join(repo, path), 'utf8'), path);
}

export function planOf(deployment: Deployment): Plan {
  return derivePlan(deployment, catalogRevision(deployment.catalog));
}

export function scenarioPlan(name: ScenarioName): Plan {
  return planOf(loadScenario(name));
}

/**
 * The same deployment with every host (and connected management server) given one lab address:
 * 198.18.0.<n> (IPv4, and fd00:5c0f::<n> where the host had IPv6), in host order. Groups become one machine.
 */
export function remapForLab(deployment: Deployment): { deployment: Deployment; addresses: Map<string, { v4: string; v6?: string }> } {
  const addresses = new Map<string, { v4: string; v6?: string }>();
  let n = 10;
  const remap = (host: Host): Host => {
    n++;
    const v4 = `198.18.${Math.floor(n / 250)}.${(n % 250) + 1}`;
    const v6 = host.addresses.has(6) ? `fd00:5c0f::${n.toString(16)}` : undefined;
    addresses.set(host.name, { v4, ...(v6 ? { v6 } : {}) });
    const texts = v6 ? [v4, v6] : [v4];
    return { ...host, addressTexts: texts, addresses: AddressSet.parse(texts) };
  };
  const hosts = deployment.hosts.map(remap);
  const connectedGroups = deployment.connectedGroups.map((g) => ({ ...g, managementServers: g.managementServers.map(remap) }));
  return { deployment: { ...deployment, hosts, connectedGroups }, addresses };
}
