import type { Role } from '../../src/catalog/roles.js';
import { defaultOsFor } from '../../src/catalog/roles.js';
import { features, type Feature, type Revision } from '../../src/catalog/types.js';
import { AddressSet } from '../../src/net/address-set.js';
import type { Deployment, Host, PlanStage } from '../../src/topology/types.js';

let next = 1;

/** A host for planner tests, with a fresh 10.99.x.y address unless one is given. */
export function host(name: string, roles: readonly Role[], extra: Partial<Host> & { address?: string } = {}): Host {
  const { address, ...rest } = extra;
  const texts = rest.addressTexts ?? [address ?? `10.99.${Math.floor(next / 250)}.${(next++ % 250) + 1}`];
  return {
    name,
    roles,
    zone: 'default',
    os: defaultOsFor(roles),
    ports: {},
    sqlBrowser: false,
    webConsoleTls: false,
    ...rest,
    addressTexts: texts,
    addresses: AddressSet.parse(texts),
  };
}

export interface DeploymentOptions {
  readonly catalog?: Revision;
  readonly phase?: PlanStage;
  readonly features?: readonly Feature[];
  readonly connected?: readonly Host[];
}

export function deployment(hosts: readonly Host[], options: DeploymentOptions = {}): Deployment {
  const on = new Set(options.features ?? []);
  return {
    managementGroup: 'TEST',
    catalog: options.catalog ?? '2024-11',
    phase: options.phase ?? 'install',
    features: Object.fromEntries(features.map((f) => [f, on.has(f)])) as Record<Feature, boolean>,
    hosts,
    connectedGroups: options.connected?.length
      ? [{ name: 'OTHER', managementServers: options.connected.map((h) => ({ ...h, connectedGroup: 'OTHER' })) }]
      : [],
  };
}
