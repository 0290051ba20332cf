import type { UserError } from './errors.js';
import type { HostOs, Role } from '../catalog/roles.js';
import type { Feature, PortSetting, Revision } from '../catalog/types.js';
import type { AddressSet } from '../net/address-set.js';

/**
 * What the deployment is planned for: `install` (install-only flows included) or `operate` (left out). Not a
 * flow's `FlowPhase` (always | install).
 */
export const planStages = ['install', 'operate'] as const;
export type PlanStage = (typeof planStages)[number];

/** One entry of `hosts:` after validation: a single machine or a group of many machines. */
export interface Host {
  readonly name: string;
  /** The address entries as the user wrote them, in canonical text (CIDR, `a-b` or a single address). */
  readonly addressTexts: readonly string[];
  readonly addresses: AddressSet;
  readonly zone: string;
  readonly roles: readonly Role[];
  readonly os: HostOs;
  /** Port settings written in the file; the catalog revision supplies the defaults. */
  readonly ports: Partial<Readonly<Record<PortSetting, number>>>;
  readonly sqlBrowser: boolean;
  readonly webConsoleTls: boolean;
  readonly install?: 'push' | 'manual';
  readonly reportsTo?: readonly string[];
  readonly managementServers?: readonly string[];
  readonly acsCollectors?: readonly string[];
  /** True for management servers of a connected management group (from `connectedGroups:`). */
  readonly connectedGroup?: string;
}

export interface ConnectedGroup {
  readonly name: string;
  readonly managementServers: readonly Host[];
}

/** A validated deployment: the user's intent, with nothing defaulted that the plan does not report. */
export interface Deployment {
  readonly managementGroup: string;
  readonly catalog: Revision;
  readonly phase: PlanStage;
  readonly features: Readonly<Record<Feature, boolean>>;
  readonly hosts: readonly Host[];
  readonly connectedGroups: readonly ConnectedGroup[];
  /** Where the deployment was read from, for messages. */
  readonly file?: string;
  /**
   * What the loader accepted but thinks the user should know (a counterpart that is truly optional is absent, two
   * hosts share an address), placed in the file; the CLI prints them on standard error and into the plan's notes.
   */
  readonly warnings?: readonly UserError[];
}

/** @deprecated the old name of PlanStage, kept so that code written against it still compiles; use PlanStage. */
export type PlanPhase = PlanStage;
