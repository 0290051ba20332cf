import type { Protocol } from '../net/port.js';
import type { Role } from './roles.js';

export const revisions = ['2016-08', '2024-11'] as const;
export type Revision = (typeof revisions)[number];
export const defaultRevision: Revision = '2024-11';

/**
 * A flow's (and a catalog reading's) phase: `always` (needed as long as SCOM runs) or `install` (can be closed
 * once SCOM is installed). Not the deployment's `PlanStage` (install | operate), which says which of them to plan.
 */
export const flowPhases = ['always', 'install'] as const;
export type FlowPhase = (typeof flowPhases)[number];

/** The five cells of one row of Microsoft's table, exactly as the page writes them. */
export interface DocCells {
  readonly featureA: string;
  readonly portAndDirection: string;
  readonly featureB: string;
  readonly configurable: string;
  readonly note: string;
}

/** Port settings a listening host may carry in the deployment file. */
export const portSettings = ['sqlPort', 'agentPort', 'webConsolePort', 'reportingPort', 'acsPort', 'aemPort', 'ceipPort', 'sshPort'] as const;
export type PortSetting = (typeof portSettings)[number];

export type PortSpec =
  /** A port or range the row names and no setting changes. */
  | { readonly kind: 'fixed'; readonly from: number; readonly to: number }
  /** The port the destination host listens on, read from its setting (with the revision's default). */
  | { readonly kind: 'setting'; readonly setting: PortSetting }
  /** ICMP echo: no ports. */
  | { readonly kind: 'none' };

/**
 * How the sources and destinations of a reading are paired:
 * - `reportsTo`: the source names its destinations in `reportsTo` (default: every management server);
 * - `managedBy`: the reverse: the destination's `reportsTo` names the source (push install, UNIX/Linux agents, devices);
 * - `managementServers` / `acsCollectors`: the source's relationship list of that name (default: all of that role);
 * - `all`: every host of the source role to every host of the destination role;
 * - `connected`: every local management server to every management server of every connected group.
 */
export type Pairing = 'reportsTo' | 'managedBy' | 'managementServers' | 'acsCollectors' | 'all' | 'connected';

/** A condition on the deployment that must hold for a reading to apply. */
export type Condition =
  /** The destination SQL host sets `sqlBrowser: true` (a named instance on a dynamic port). */
  | 'destination.sqlBrowser'
  /** The destination agent sets `install: push`. */
  | 'destination.installPush';

export const features = ['omed', 'applicationDiagnostics', 'applicationAdvisor', 'managementPackCatalog'] as const;
export type Feature = (typeof features)[number];

/** One structured reading of a row: a single source role, destination role, protocol and port spec. */
export interface Reading {
  readonly source: Role;
  readonly destination: Role;
  readonly protocol: Protocol;
  readonly ports: PortSpec;
  readonly phase: FlowPhase;
  readonly pairing: Pairing;
  readonly when?: Condition;
}

export interface Erratum {
  /** What the doc says that is wrong or ambiguous, and how this reading departs from it. */
  readonly text: string;
  /** Where the evidence is (reference notes section, other Microsoft pages). */
  readonly evidence: string;
}

export interface CatalogRow {
  /** `<revision>#<n>`, n counting the table's rows from 1 in page order. */
  readonly id: string;
  readonly revision: Revision;
  readonly number: number;
  readonly doc: DocCells;
  readonly readings: readonly Reading[];
  /** How the port is changed, when it can be (setup switch, registry, IIS binding, …). */
  readonly configuredBy: string;
  readonly erratum?: Erratum;
  /** Rows for features few deployments use: every reading applies only when the deployment turns the feature on. */
  readonly feature?: Feature;
}

export interface CatalogRevision {
  readonly revision: Revision;
  readonly title: string;
  readonly source: string;
  readonly rows: readonly CatalogRow[];
  /** Defaults for port settings in this revision (webConsolePort differs between revisions). */
  readonly portDefaults: Readonly<Record<PortSetting, number>>;
  /** webConsolePort when the web console server sets `webConsoleTls: true`. */
  readonly webConsoleTlsPort: number;
  /** Roles that exist in this revision's table. */
  readonly roles: readonly Role[];
}

/** @deprecated the old name of FlowPhase, kept so that code written against it still compiles; use FlowPhase. */
export type Phase = FlowPhase;
