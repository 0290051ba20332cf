import type { Flow, Plan } from '../plan/types.js';
import { portLabel } from './text.js';
import { ssrpPort } from './plan-probes.js';
import type { SqlInstance } from './ssrp.js';

/** What `listen --as NAME` stands in for: derived from the plan alone, no sockets. */
export interface ListenSpec {
  readonly host: string;
  /** One TCP listener per port, with the sources that will knock on it. */
  readonly tcp: readonly { readonly port: number; readonly sources: readonly string[]; readonly phase: Flow['phase'] }[];
  /** The SQL Server Browser stand-in, when the plan opens UDP 1434 to this host. */
  readonly ssrp?: { readonly sources: readonly string[]; readonly instance: SqlInstance };
  /** Flows this host must accept that get no listener, and why. */
  readonly skipped: readonly { readonly what: string; readonly why: string }[];
}

const sqlRoles = new Set(['operational-database', 'data-warehouse', 'acs-database']);

/** Every port `name` must accept, as listeners to open; `undefined` when no flow ends at `name`. */
export function listenSpec(plan: Plan, name: string): ListenSpec | undefined {
  const inbound = plan.flows.filter((f) => f.destination.name.toLowerCase() === name.toLowerCase());
  const host = inbound[0]?.destination.name;
  if (host === undefined) return undefined;
  const tcp = new Map<number, { sources: Set<string>; phase: Flow['phase'] }>();
  const ssrpSources = new Set<string>();
  const skipped = new Map<string, string>();
  for (const f of inbound) {
    const ports = f.ports;
    const label = portLabel({ protocol: f.protocol, port: ports && ports.from === ports.to ? ports.from : null, flow: f.id });
    if (!ports || f.protocol === 'icmp') skipped.set(label, 'ICMP echo is answered by the kernel, not by a listener');
    else if (ports.from !== ports.to) skipped.set(label, 'a port range: check reports it unprovable, so no listener would be probed');
    else if (f.protocol === 'tcp') addTcp(tcp, ports.from, f);
    else if (ports.from === ssrpPort) ssrpSources.add(f.source.name);
    else skipped.set(label, 'UDP without a protocol scomfw speaks: check reports it unprovable');
  }
  return {
    host,
    tcp: [...tcp.entries()].sort(([a], [b]) => a - b).map(([port, v]) => ({ port, sources: [...v.sources].sort(), phase: v.phase })),
    ...(ssrpSources.size ? { ssrp: { sources: [...ssrpSources].sort(), instance: standInInstance(host, inbound) } } : {}),
    skipped: [...skipped.entries()].map(([what, why]) => ({ what, why })),
  };
}

function addTcp(tcp: Map<number, { sources: Set<string>; phase: Flow['phase'] }>, port: number, f: Flow): void {
  const entry = tcp.get(port) ?? { sources: new Set<string>(), phase: f.phase };
  entry.sources.add(f.source.name);
  if (f.phase === 'always') entry.phase = 'always';
  tcp.set(port, entry);
}

/**
 * The instance the stand-in Browser announces. Its TCP port is the database port of the plan: the lowest
 * TCP port that stays open (phase always) to this host's database roles; install-only 135/445 are not it.
 */
function standInInstance(host: string, inbound: readonly Flow[]): SqlInstance {
  const sqlPort = inbound
    .filter((f) => f.protocol === 'tcp' && f.phase === 'always' && f.destinationRoles.some((r) => sqlRoles.has(r)))
    .flatMap((f) => (f.ports && f.ports.from === f.ports.to ? [f.ports.from] : []))
    .sort((a, b) => a - b)[0];
  return {
    serverName: (host.split('.')[0] ?? host).toUpperCase(),
    instanceName: 'SCOMFW',
    isClustered: false,
    version: '0.0.0.0',
    ...(sqlPort !== undefined ? { tcpPort: sqlPort } : {}),
  };
}
