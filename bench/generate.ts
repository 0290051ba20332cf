import { stringify } from 'yaml';

export interface GeneratedSize {
  readonly agents: number;
  readonly managementServers?: number;
  readonly gateways?: number;
  /** Every agent with `install: push`: each becomes a destination (push-install flows from its servers). */
  readonly push?: boolean;
}

/**
 * A deployment file (as a plain object) with individually addressed agents, one entry each, as sites are built:
 * agents come in subnets of 200, and a subnet reports to one management server (three in four subnets) or one
 * gateway, each with a failover. Addresses are 60 % dense (consecutive) and 40 % scattered (every third
 * address), so aggregation has real work to do and cannot merge everything.
 */
export function generateDeployment({ agents, managementServers = 10, gateways = 20, push = false }: GeneratedSize): object {
  const ms = Array.from({ length: managementServers }, (_, i) => ({
    name: `ms${String(i + 1).padStart(2, '0')}.corp.example`,
    address: `10.0.1.${i + 10}`,
    zone: 'core',
    roles: ['management-server'],
  }));
  const gw = Array.from({ length: gateways }, (_, i) => ({
    name: `gw${String(i + 1).padStart(2, '0')}.branch.example`,
    address: `10.1.${i}.5`,
    zone: `branch${i % 5}`,
    roles: ['gateway'],
    reportsTo: [ms[i % managementServers]!.name, ms[(i + 1) % managementServers]!.name],
  }));
  const dense = Math.floor(agents * 0.6);
  const agentHosts = Array.from({ length: agents }, (_, i) => {
    const offset = i < dense ? i : dense + (i - dense) * 3;
    const subnet = Math.floor(i / 200);
    const toGateway = subnet % 4 === 0;
    const g = Math.floor(subnet / 4) % gateways;
    const m = subnet % managementServers;
    return {
      name: `srv${i}.corp.example`,
      address: addressAt(0x0a400000 + offset),
      zone: toGateway ? `branch${g % 5}` : 'core',
      roles: ['agent'],
      reportsTo: toGateway ? [gw[g]!.name, gw[(g + 1) % gateways]!.name] : [ms[m]!.name, ms[(m + 1) % managementServers]!.name],
      ...(push ? { install: 'push' } : {}),
    };
  });
  const sql = { name: 'sql01.corp.example', address: '10.0.2.10', zone: 'core', roles: ['operational-database', 'data-warehouse'] };
  const dcs = [{ name: 'dc01.corp.example', address: '10.0.0.5', zone: 'core', roles: ['domain-controller'] }];
  return { managementGroup: 'BENCH', catalog: '2024-11', hosts: [...ms, ...gw, sql, ...dcs, ...agentHosts] };
}

function addressAt(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export const toJson = (d: object): string => JSON.stringify(d);
export const toYaml = (d: object): string => stringify(d);
