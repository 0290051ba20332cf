import { formatAddress } from '../net/address.js';
import type { Flow } from '../plan/types.js';
import type { RuleRef } from './model.js';
import { protocolName, type Packet } from './space.js';

export type FindingKind = 'missing' | 'partly-open' | 'over-permissive' | 'stale-install' | 'undecidable' | 'shadowed' | 'redundant';
export type Severity = 'error' | 'warning';

export const findingKinds: readonly FindingKind[] = ['missing', 'partly-open', 'over-permissive', 'stale-install', 'undecidable', 'shadowed', 'redundant'];

export const severityOf: Readonly<Record<FindingKind, Severity>> = {
  missing: 'error',
  'partly-open': 'error',
  'over-permissive': 'error',
  'stale-install': 'error',
  undecidable: 'error',
  shadowed: 'warning',
  redundant: 'warning',
};

/** A witness packet as findings show it: addresses as text, the protocol by name, the port (ICMP: the type). */
export interface Witness {
  readonly source: string;
  readonly destination: string;
  readonly protocol: string;
  readonly port: number | null;
}

export interface FlowRef {
  readonly id: string;
  readonly source: { readonly name: string };
  readonly destination: { readonly name: string };
  readonly protocol: string;
  readonly ports: { readonly from: number; readonly to: number } | null;
}

export interface Finding {
  readonly kind: FindingKind;
  readonly severity: Severity;
  /** The host (or zone pair, or cloud export) whose firewall the finding is about. */
  readonly host: string;
  readonly flow?: FlowRef;
  readonly witness: Witness | null;
  /** The deciding rule, or null when a default decided (named in the message). */
  readonly rule: RuleRef | null;
  readonly message: string;
}

/** One check the audit made, for JUnit: a planned flow, or a port checked for over-permissiveness. */
export interface Check {
  readonly kind: 'flow' | 'port';
  readonly host: string;
  /** `flow id`, or `TCP 5723 on ms01`. */
  readonly name: string;
  readonly findings: readonly Finding[];
}

export interface AuditSummary {
  readonly exports: readonly string[];
  readonly scopes: readonly string[];
  readonly flowsChecked: number;
  readonly portsChecked: number;
  readonly errors: number;
  readonly warnings: number;
  readonly byKind: Readonly<Record<FindingKind, number>>;
}

export interface AuditResult {
  readonly phase: 'install' | 'operate';
  readonly findings: readonly Finding[];
  readonly checks: readonly Check[];
  readonly summary: AuditSummary;
}

export function flowRef(flow: Flow): FlowRef {
  return {
    id: flow.id,
    source: { name: flow.source.name },
    destination: { name: flow.destination.name },
    protocol: flow.protocol,
    ports: flow.ports ? { from: flow.ports.from, to: flow.ports.to } : null,
  };
}

export function witnessOf(p: Packet): Witness {
  const portful = p.protocol === 6 || p.protocol === 17 || p.protocol === 1 || p.protocol === 58;
  return {
    source: formatAddress(p.family, p.source),
    destination: formatAddress(p.family, p.destination),
    protocol: protocolName(p.protocol),
    port: portful ? p.port : null,
  };
}

/** "blocked by line 42 `...`, a block rule overrides allows" or "by chain INPUT policy DROP". */
export function decidedBy(rule: RuleRef | null, reason: string, verb: string): string {
  if (!rule) return `${verb} by default: ${reason}`;
  return `${verb} by ${rule.export} line ${rule.line}${rule.column !== undefined && rule.column > 1 ? ` column ${rule.column}` : ""} \`${rule.text}\`, ${reason}`;
}

export function summaryOf(findings: readonly Finding[], exports: readonly string[], scopes: readonly string[], checks: readonly Check[]): AuditSummary {
  const byKind = Object.fromEntries(findingKinds.map((k) => [k, findings.filter((f) => f.kind === k).length])) as Record<FindingKind, number>;
  return {
    exports,
    scopes,
    flowsChecked: checks.filter((c) => c.kind === 'flow').length,
    portsChecked: checks.filter((c) => c.kind === 'port').length,
    errors: findings.filter((f) => f.severity === 'error').length,
    warnings: findings.filter((f) => f.severity === 'warning').length,
    byKind,
  };
}
