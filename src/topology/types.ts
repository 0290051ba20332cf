import type { UserError } from './errors.js';
import type { HostOs, LinuxPolicy, Role } from '../catalog/roles.js';
import type { Feature, PortSetting, Revision } from '../catalog/types.js';
import type { AddressSet } from '../net/address-set.js';

/**
 * What the deployment is planned for: `install` (install-only flows included) or `operate` (left out). Not a
 * flow's `FlowPhase` (always | install).
 */
export const planStages = ['install', 'operate'] as const;
export type PlanStage = (typeof planStages)[number];

/**
 * Which Microsoft page a connected group's ports follow: the connected-groups page (TCP 5723 and 5724, both ways,
 * the default) or the firewall table's row (TCP 5724, local to connected only).
 */
export const connectedReadings = ['connected-groups-page', 'firewall-table'] as const;
export type ConnectedReading = (typeof connectedReadings)[number];

/** One entry of `hosts:` after validation: a single machine or a group of many machines. */
export interface Host {
  readonly name: string;
  /**
   * The address entries as the user wrote them, in canonical text (CIDR, `a-b` or a single address). Absent where
   * the file wrote one plain IPv4 address (`address: 10.0.0.5`, as 150,000 agents do): its text is then the one
   * address of `addresses`, and a list and a string per host would be a third of the deployment's memory. A host
   * made by hand may leave it out for any set. addressTextsOf(host) gives the entries either way.
   */
  readonly addressTexts?: readonly string[];
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
  /** The domain controllers this host uses, by name (management servers, gateways, agents). */
  readonly domainControllers?: readonly string[];
  /** The Active Directory domain (DNS name, lower case) the host belongs to, for pairing with its DCs and DNS servers. */
  readonly domain?: string;
  /** How an agent authenticates to its management server; absent means Kerberos. */
  readonly authentication?: 'kerberos' | 'certificate';
  /** What the Linux rulesets written for this host do with unplanned traffic; absent: the default for its os. */
  readonly linuxPolicy?: LinuxPolicy;
  /** A gateway installed with /ManagementServerInitiatesConnection=True: its server opens the connection. */
  readonly managementServerInitiatesConnection?: boolean;
  /** On a connected management server: which page its group's ports follow (absent: the connected-groups page). */
  readonly connectedReading?: ConnectedReading;
  /** True for management servers of a connected management group (from `connectedGroups:`). */
  readonly connectedGroup?: string;
}

export interface ConnectedGroup {
  readonly name: string;
  readonly reading: ConnectedReading;
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
  /** Management access Linux host rulesets keep open (`tcp/22@10.0.0.0/24`), each entry checked by the loader. */
  readonly managementAccess?: readonly string[];
  /** Where the deployment was read from, for messages. */
  readonly file?: string;
  /**
   * What the loader accepted but thinks the user should know (a counterpart that is truly optional is absent, two
   * hosts share an address), placed in the file; the CLI prints them on standard error and into the plan's notes.
   */
  readonly warnings?: readonly UserError[];
}
