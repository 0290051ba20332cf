import { roles as roleOrder, type Role } from '../../catalog/roles.js';
import type { Family } from '../../net/address.js';
import { portKey } from '../../net/port.js';
import { compareText } from '../../plan/order.js';
import type { Endpoint, Flow, Plan } from '../../plan/types.js';
import { addressSetOf, openingsOf, sourceNamesOf, type Opening, type PlanOpenings } from '../../plan/openings.js';
import { listeningHosts } from '../rules.js';
import { selectSubjects } from '../select.js';
import { groupBy } from '../../text/group.js';
import { settle } from '../../plan/settle.js';

/**
 * Hosts that accept exactly the same flows (same sources, protocols, ports and phases) and play the same
 * roles. A cloud group written for the set is attached to every host in it, so a rule in it must hold for
 * all of them: grouping by identical inbound flows is what keeps any host from receiving a flow that the
 * plan does not give it.
 */
export interface DestinationSet {
  /** `management-server+acs-collector`; when several sets share roles, the first host's name is added. */
  readonly name: string;
  readonly roles: readonly Role[];
  readonly hosts: readonly Endpoint[];
  /** The openings into these hosts, host by host. */
  readonly openings: readonly Opening[];
  /** Every flow into these hosts (those of the openings). */
  readonly flows: readonly Flow[];
  /** The families the hosts have addresses in: a source of another family can never reach them. */
  readonly families: readonly Family[];
  /** Families some source has and no host of the set: those sources are left out of its rules. */
  readonly unreachableFamilies: readonly Family[];
}

/** The destination sets of the plan (or of the one host `only` names), sorted by their first host. */
export function destinationSets(plan: Plan, only?: string): DestinationSet[] {
  const inbound = openingsOf(plan);
  const bySignature = groupBy(listeningHosts(plan), (host) => `${roleKey(host.roles)}\u0000${signatureOf(inbound.into(host.name))}`);
  const groups = [...bySignature.values()];
  const setsPerRoles = new Map<string, number>();
  for (const hosts of groups) setsPerRoles.set(rolesOf(hosts), (setsPerRoles.get(rolesOf(hosts)) ?? 0) + 1);
  const sets = groups.map((hosts) => setOf(hosts, inbound, (setsPerRoles.get(rolesOf(hosts)) ?? 0) > 1));
  if (only === undefined) return sets;
  const [host] = selectSubjects(plan, only, { all: listeningHosts(plan), nameOf: (h) => h.name, noun: 'hosts that accept flows', whyNot: () => 'accepts no flow in this plan' });
  return sets.filter((s) => s.hosts.some((h) => h.name === host?.name));
}

/** What a host accepts from whom: hosts with the same signature (and roles) can share one cloud group. */
function signatureOf(openings: readonly Opening[]): string {
  return openings
    .flatMap((o) => {
      const opening = `${portKey(o.protocol, o.ports)}|${o.installOnly ? 'install' : 'always'}`;
      return sourceNamesOf(o).map((source) => `${source}|${opening}`);
    })
    .sort(compareText)
    .join('\n');
}

/** `sharedRoles`: another set has the same roles, so the name must say which hosts this one is. */
function setOf(hosts: readonly Endpoint[], inbound: PlanOpenings, sharedRoles: boolean): DestinationSet {
  const roles = canonicalRoles(hosts[0]?.roles ?? []);
  const key = roleKey(roles);
  const first = hosts[0]?.name ?? '';
  const more = hosts.length > 1 ? `-and-${hosts.length - 1}-more` : '';
  const openings = hosts.flatMap((h) => inbound.into(h.name));
  const families = ([4, 6] as const).filter((family) => hosts.some((h) => addressSetOf(h).has(family)));
  return {
    name: sharedRoles ? `${key}-${first}${more}` : key,
    roles,
    hosts,
    openings,
    // Built when read: a set refused for the platform's limits never needs them (nor a plan of classes its flows).
    get flows(): readonly Flow[] {
      return settle(this, 'flows', openings.flatMap((o) => o.flows));
    },
    families,
    // An opening's sources' addresses are those of its flows' sources.
    unreachableFamilies: ([4, 6] as const).filter((family) => !families.includes(family) && openings.some((o) => o.sources.has(family))),
  };
}

function canonicalRoles(list: readonly Role[]): Role[] {
  return [...new Set(list)].sort((a, b) => roleOrder.indexOf(a) - roleOrder.indexOf(b));
}

const rolesOf = (hosts: readonly Endpoint[]): string => roleKey(hosts[0]?.roles ?? []);

const roleKey = (list: readonly Role[]): string => canonicalRoles(list).join('+') || 'host';
