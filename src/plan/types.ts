import type { HostOs, Role } from '../catalog/roles.js';
import type { Phase, Revision } from '../catalog/types.js';
import type { PortRange, Protocol } from '../net/port.js';
import type { PlanPhase } from '../topology/types.js';

/** A host or group as the plan shows it: everything a target needs, nothing of the deployment file. */
export interface Endpoint {
  readonly name: string;
  readonly roles: readonly Role[];
  /** Canonical address entries (single address, CIDR or `a-b`), in the order the file gave them. */
  readonly addresses: readonly string[];
  readonly zone: string;
  readonly os: HostOs;
  /** Set on management servers of a connected management group. */
  readonly connectedGroup?: string;
}

export interface Flow {
  /** `source>destination:protocol/port[-port]`, or `source>destination:icmp/echo`; unique in a plan. */
  readonly id: string;
  readonly source: Endpoint;
  readonly destination: Endpoint;
  readonly protocol: Protocol;
  /** The roles of source and destination through which catalog rows ask for this flow. */
  readonly sourceRoles: readonly Role[];
  readonly destinationRoles: readonly Role[];
  /** Destination port range; null for ICMP (echo request). */
  readonly ports: PortRange | null;
  /** `install` when every row that asks for the flow says it can be closed after installation. */
  readonly phase: Phase;
  /** Catalog row ids (`2024-11#16`) that ask for this flow, in catalog order. */
  readonly rows: readonly string[];
  /** Why the flow is here beyond its rows: relationship (primary/failover), defaults taken, conditions met. */
  readonly notes: readonly string[];
}

export interface Plan {
  readonly managementGroup: string;
  readonly catalog: Revision;
  readonly phase: PlanPhase;
  /** Every host, group and connected management server, sorted by name. */
  readonly hosts: readonly Endpoint[];
  readonly flows: readonly Flow[];
  /** Plan-wide statements: relationships defaulted, features on, what was left out. */
  readonly notes: readonly string[];
}
