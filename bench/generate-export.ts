/**
 * A SCOM inventory export (the format of scom-inventory.ps1) with N agents behind M management servers, as sites
 * are built: agents come in subnets of 250, a subnet's agents report to one management server with the next as
 * failover, and one agent in twenty was moved by hand to another pair. `spread: 'round-robin'` instead deals the
 * agents out one by one (every M-th address per pair): the worst case for aggregation.
 */
export function generateExport(agents: number, servers: number, spread: 'subnet' | 'round-robin' = 'subnet'): string {
  const ms = Array.from({ length: servers }, (_, i) => ({ name: `ms${String(i + 1).padStart(2, '0')}.corp.example`, addresses: [`10.0.0.${i + 1}`] }));
  const list = Array.from({ length: agents }, (_, i) => {
    const subnet = Math.floor(i / 250);
    let p = spread === 'subnet' ? subnet % servers : i % servers;
    if (spread === 'subnet' && i % 20 === 7) p = (p + 3) % servers;
    return {
      name: `agent${i}.corp.example`,
      addresses: [`10.${64 + Math.floor(subnet / 256)}.${subnet % 256}.${(i % 250) + 1}`],
      primary: ms[p]!.name,
      failover: [ms[(p + 1) % servers]!.name],
    };
  });
  return JSON.stringify({
    format: 'scomfw-scom-export',
    version: 1,
    exportedAt: '2026-11-30T09:15:00Z',
    exportedFrom: ms[0]!.name,
    exporter: 'bench',
    managementGroup: 'BIG',
    managementServers: ms,
    gateways: [],
    agents: list,
    unixAgents: [],
    resourcePools: [],
    networkDevices: [],
    databases: [{ role: 'operational-database', server: 'sql01.corp.example', instance: null, port: null, database: null, setting: 'sql01.corp.example', addresses: ['10.0.1.10'] }],
    reportingServers: [],
    webConsoleServers: [],
    acsCollectors: [],
    notes: [],
  });
}
