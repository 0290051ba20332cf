import type { Role } from '../../src/catalog/roles.js';
import { scomExportFormat, scomExportVersion, type ScomExport } from '../../src/import/export-format.js';
import { AddressSet } from '../../src/net/address-set.js';
import type { Plan } from '../../src/plan/types.js';
import { addressTextsOf } from '../../src/topology/host-addresses.js';
import type { Deployment, Host } from '../../src/topology/types.js';

/**
 * The export scom-inventory.ps1 would write for a deployment: every host SCOM knows of, its servers and settings
 * as SCOM holds them. A group entry becomes one "computer" carrying the group's address entries (the export format
 * allows CIDRs and ranges for hand-made exports), so a /16 of agents needs no 65,536 objects.
 */
export function syntheticExport(d: Deployment): ScomExport {
  const has = (h: Host, r: Role) => h.roles.includes(r);
  const servers = d.hosts.filter((h) => has(h, 'management-server'));
  const parents = (h: Host) => h.reportsTo ?? servers.map((s) => s.name);
  const computer = (h: Host) => ({ name: h.name, addresses: [...addressTextsOf(h)], addressSource: 'file' as const });
  const poolOf = (h: Host): string | null => (h.reportsTo ? `pool ${h.reportsTo.join(' ')}` : null);
  const withParents = (h: Host) => {
    const [primary = '', ...failover] = parents(h);
    return { ...computer(h), primary, failover };
  };
  const databases = d.hosts.flatMap((h) =>
    (['operational-database', 'data-warehouse'] as const)
      .filter((r) => has(h, r))
      .map((role) => {
        const port = h.ports.sqlPort ?? null;
        const instance = h.sqlBrowser ? 'SCOM' : null;
        return { role, server: h.name, instance, port, database: null, setting: `${h.name}${instance ? `\\${instance}` : ''}${port ? `,${port}` : ''}`, addresses: [...addressTextsOf(h)] };
      }),
  );
  const url = (h: Host, scheme: string, port: number | undefined, path: string) => `${scheme}://${h.name}${port ? `:${port}` : ''}/${path}`;
  return {
    format: scomExportFormat,
    version: scomExportVersion,
    exportedAt: '2026-11-30T09:15:00Z',
    exportedFrom: servers[0]?.name ?? 'ms',
    exporter: 'synthetic (test)',
    managementGroup: d.managementGroup,
    managementServers: servers.map(computer),
    gateways: d.hosts.filter((h) => has(h, 'gateway')).map(withParents),
    agents: d.hosts.filter((h) => has(h, 'agent')).map(withParents),
    unixAgents: d.hosts.filter((h) => has(h, 'unix-agent')).map((h) => ({ ...computer(h), resourcePool: poolOf(h) })),
    networkDevices: d.hosts.filter((h) => has(h, 'network-device')).map((h) => ({ ...computer(h), resourcePool: poolOf(h) })),
    resourcePools: [],
    databases,
    reportingServers: d.hosts.filter((h) => has(h, 'reporting-server')).map((h) => ({ ...computer(h), url: url(h, 'http', h.ports.reportingPort, 'ReportServer') })),
    webConsoleServers: d.hosts
      .filter((h) => has(h, 'web-console-server'))
      .map((h) => ({ ...computer(h), url: url(h, h.webConsoleTls ? 'https' : 'http', h.ports.webConsolePort, 'OperationsManager') })),
    acsCollectors: d.hosts.filter((h) => has(h, 'acs-collector')).map(computer),
    notes: [],
  };
}

/** Resource pools are filled after the hosts that name them. */
export function syntheticExportText(d: Deployment): string {
  const e = syntheticExport(d);
  const pools = new Map<string, string[]>();
  for (const h of [...e.unixAgents, ...e.networkDevices]) {
    if (h.resourcePool) pools.set(h.resourcePool, h.resourcePool.slice('pool '.length).split(' '));
  }
  return JSON.stringify({ ...e, resourcePools: [...pools].map(([name, members]) => ({ name, members })) }, null, 2);
}

/**
 * A plan as a set of facts "protocol, ports, phase: this source address block may reach this destination block",
 * with addresses cut into atoms at every boundary either plan has, so that plans whose entries group the same
 * addresses differently (names, merged groups) compare equal exactly when they open the same packets.
 */
export function flowFacts(plans: readonly Plan[]): Set<string>[] {
  const cuts = new Map<string, bigint[]>([['4', []], ['6', []]]);
  const setOf = (addresses: readonly string[]) => AddressSet.parse(addresses);
  for (const p of plans) {
    for (const e of p.hosts) {
      for (const r of setOf(e.addresses).ranges()) cuts.get(String(r.family))!.push(r.first, r.last + 1n);
    }
  }
  const sorted = new Map([...cuts].map(([f, list]) => [f, [...new Set(list)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0))]));
  const atomsOf = (addresses: readonly string[]) => {
    const out: string[] = [];
    for (const r of setOf(addresses).ranges()) {
      for (const c of sorted.get(String(r.family))!) if (c >= r.first && c <= r.last) out.push(`${r.family}:${c}`);
    }
    return out;
  };
  return plans.map((p) => {
    const facts = new Set<string>();
    for (const f of p.flows) {
      const key = `${f.protocol}/${f.ports ? `${f.ports.from}-${f.ports.to}` : 'echo'}/${f.phase}`;
      const src = atomsOf(f.source.addresses);
      const dst = atomsOf(f.destination.addresses);
      for (const s of src) for (const t of dst) facts.add(`${key} ${s} > ${t}`);
    }
    return facts;
  });
}
