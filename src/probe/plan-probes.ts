import type { Flow, Plan } from '../plan/types.js';
import type { ProbeResult } from './results.js';
import { sampleAddresses } from './sample.js';

/** How one (flow, address) is proved: a TCP connect, an SSRP exchange, or not at all (and why). */
export type ProbeMethod = { readonly kind: 'tcp' } | { readonly kind: 'ssrp' } | { readonly kind: 'none'; readonly detail: string };

export interface ProbeTarget {
  readonly flow: string;
  readonly destination: string;
  readonly address: string;
  readonly protocol: Flow['protocol'];
  readonly port: number | null;
  readonly phase: Flow['phase'];
  readonly method: ProbeMethod;
}

/** The SQL Server Browser port: the one UDP port whose service we can ask in its own protocol. */
export const ssrpPort = 1434;

/** UDP services the plan may ask for, each of which would need its own protocol to prove a port open. */
const udpServices: Readonly<Record<number, string>> = {
  53: 'DNS',
  88: 'Kerberos',
  137: 'NetBIOS name service',
  138: 'NetBIOS datagram service',
  161: 'SNMP',
  162: 'SNMP trap',
  389: 'CLDAP',
};

/** What proves a flow, decided by protocol and ports alone. */
export function methodOf(flow: Pick<Flow, 'protocol' | 'ports'>): ProbeMethod {
  const ports = flow.ports;
  if (flow.protocol === 'icmp' || !ports) {
    return { kind: 'none', detail: 'ICMP echo needs a raw socket, which a probe without privileges cannot open: check it with ping' };
  }
  // The detail texts are shared: the verify-powershell target writes them into its script, so a change here is a
  // change of that target's output (and of its golden files).
  if (ports.from !== ports.to) return { kind: 'none', detail: rangeDetail(ports.from, ports.to) };
  if (flow.protocol === 'tcp') return { kind: 'tcp' };
  if (ports.from === ssrpPort) return { kind: 'ssrp' };
  const service = udpServices[ports.from];
  return {
    kind: 'none',
    detail: `UDP ${ports.from}${service ? ` (${service})` : ''}: silence proves nothing over UDP and no generic probe gets an answer; only the service's own protocol could, and scomfw speaks it only for the SQL Server Browser (1434)`,
  };
}

function rangeDetail(from: number, to: number): string {
  if (from === 49152 && to === 65535) return 'dynamic RPC range: proved by the service, not by a probe';
  return `port range ${from}-${to}: one port cannot prove a range open, and probing all of it is a scan`;
}

/**
 * Every probe `check` makes from `source`: its flows in plan order, each on the sampled addresses of its
 * destination. Unprovable flows are listed too (one row per sampled address) so that the results show them.
 */
export function probeTargets(plan: Plan, source: string, sample: number): ProbeTarget[] {
  return plan.flows
    .filter((f) => f.source.name === source)
    .flatMap((flow) => {
      const method = methodOf(flow);
      return sampleAddresses(flow.destination.addresses, sample).map((address) => ({
        flow: flow.id,
        destination: flow.destination.name,
        address,
        protocol: flow.protocol,
        port: flow.ports && flow.ports.from === flow.ports.to ? flow.ports.from : null,
        phase: flow.phase,
        method,
      }));
    });
}

/** The result row of a target that is not probed. */
export function unprobedResult(target: ProbeTarget, detail: string): ProbeResult {
  return { ...resultBase(target), state: 'unprovable', reason: 'not-probed', rttMs: null, attempts: 0, detail };
}

export function resultBase(t: ProbeTarget): Pick<ProbeResult, 'flow' | 'destination' | 'address' | 'protocol' | 'port' | 'phase'> {
  return { flow: t.flow, destination: t.destination, address: t.address, protocol: t.protocol, port: t.port, phase: t.phase };
}
