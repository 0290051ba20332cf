import { catalogRevision, roleLabels, settingRoles, type Pairing, type Role } from '../catalog/index.js';
import { writesOneAddress } from './host-addresses.js';
import { problem, type Path, type Problem } from './problem.js';
import { listOr } from './rules.js';
import type { Deployment, Host } from './types.js';

/** A catalog reading reduced to what pairs roles: who talks to whom, and through which relationship. */
interface Link {
  readonly from: Role;
  readonly to: Role;
  readonly pairing: Pairing;
  readonly pushOnly: boolean;
}

type ListKey = 'reportsTo' | 'managementServers' | 'acsCollectors';
const listKeys: readonly ListKey[] = ['reportsTo', 'managementServers', 'acsCollectors'];

/**
 * Roles that would plan no flow at all, because no host plays a role they talk to (an agent without a management
 * server or gateway, an ACS forwarder without a collector, a web console browser without a web console server):
 * the plan would drop them silently, so each is a problem at the role. A counterpart on the same host counts (a
 * console on a management server talks to it locally). `warnings` gets the truly optional gaps: a serving role
 * nobody uses, and a SQL role a host would reach that is absent (no data warehouse without Reporting).
 */
export function checkCounterparts(deployment: Deployment, problems: Problem[], warnings: Problem[]): void {
  const links = linksOf(deployment);
  const ctx = new Presence(deployment);
  // The links of a role, found once per role rather than once per host (150,000 agents share one list).
  const byRole = new Map<Role, Link[]>();
  const linksOfRole = (role: Role): Link[] => {
    let mine = byRole.get(role);
    if (!mine) byRole.set(role, (mine = links.filter((l) => l.from === role || l.to === role)));
    return mine;
  };
  // And the SQL gaps of a role, which depend on the role alone.
  const gaps = new Map<Role, Role[]>();
  const sqlGapsOf = (role: Role, mine: readonly Link[]): Role[] => {
    let found = gaps.get(role);
    if (!found) gaps.set(role, (found = optionalSqlGaps(role, mine, ctx)));
    return found;
  };
  const pooled = new Map<readonly Role[], boolean>();
  const anyPool = (roles: readonly Role[]): boolean => {
    let found = pooled.get(roles);
    if (found === undefined) pooled.set(roles, (found = roles.some((r) => linksOfRole(r).some((l) => l.pairing === 'pool'))));
    return found;
  };
  // The last host judged in full that had nothing to report and whose judgement depends on nothing of its own
  // but what alike() compares: a host alike to it has nothing to report either (most of 150,000 agents).
  let clean: Host | undefined;
  let cleanFamily: 4 | 6 | undefined;
  deployment.hosts.forEach((host, i) => {
    if (clean && alike(host, clean, cleanFamily) && ctx.unremarkable(host)) return;
    const reported = problems.length + warnings.length;
    host.roles.forEach((role, j) => {
      const mine = linksOfRole(role);
      if (mine.length === 0) return; // a role no reading of this revision names (none today) is not ours to judge
      if (!mine.some((l) => ctx.partnered(host, role, l))) (clientRoles.has(role) ? problems : warnings).push(unpaired(host, role, mine, ctx, ['hosts', i, 'roles', j]));
      const stranded = strandedPartner(host, role, mine, ctx);
      if (stranded) problems.push(familyProblem(host, stranded, i));
      for (const sql of sqlGapsOf(role, mine)) {
        warnings.push(problem(['hosts', i, 'roles', j], `a host with role ${sql} for ${roleLabels[role]} to reach`, 'none', `the ${roleLabels[role]} to ${roleLabels[sql]} flows are left out; add the ${roleLabels[sql]} host if there is one`));
      }
    });
    // A pool pairing reads the host's own addresses, which alike() does not compare.
    clean = problems.length + warnings.length === reported && ctx.unremarkable(host) && !anyPool(host.roles) ? host : undefined;
    cleanFamily = clean && onlyFamilyOf(clean);
  });
}

/**
 * What the judgement of a host reads of the host itself, other than its name (see Presence.unremarkable) and its
 * addresses (pool pairings): its roles, its lists, how it is installed and its address family.
 */
function alike(a: Host, b: Host, bFamily: 4 | 6 | undefined): boolean {
  return a.roles === b.roles && sameLists(a, b) && a.install === b.install && onlyFamilyOf(a) === bFamily;
}

/**
 * Roles that exist to reach a server: without one they are a mistake (exit 2). The others serve (management
 * server, databases, collector, file share, endpoint, domain controller, catalog): one that nobody uses yet is
 * odd but harmless, and only warned about.
 */
const clientRoles: ReadonlySet<Role> = new Set<Role>([
  'agent', 'unix-agent', 'gateway', 'network-device', 'operations-console', 'web-console-server', 'reporting-server',
  'connector', 'web-console-browser', 'acs-forwarder', 'aem-client', 'ceip-client',
]);

function linksOf(deployment: Deployment): Link[] {
  const catalog = catalogRevision(deployment.catalog);
  const seen = new Set<string>();
  const out: Link[] = [];
  // Microsoft's rows only: scomfw's own rows (DNS, domain services) add side flows, never the counterpart a role exists for.
  for (const row of catalog.rows) {
    if (row.feature && !deployment.features[row.feature]) continue;
    for (const r of row.readings) {
      const pushOnly = r.when === 'destination.installPush';
      const key = `${r.source}|${r.destination}|${r.pairing}|${pushOnly}`;
      if (seen.has(key)) continue;
      seen.add(key);
      out.push({ from: r.source, to: r.destination, pairing: r.pairing, pushOnly });
    }
  }
  return out;
}

/** Which roles the deployment has, and who names whom in each relationship list, counted once. */
class Presence {
  private readonly roleCount = new Map<Role, number>();
  /** Per role, the first host that has addresses of only one family (4 or 6). */
  private readonly onlyFamily = new Map<Role, { 4?: Host; 6?: Host }>();
  /** Whether any host has addresses of only this family (most deployments: IPv4 only, none IPv6 only). */
  private readonly anyOnly = { 4: false, 6: false };
  /** Per list key: the roles of the hosts naming each host, by the named host's name. */
  private readonly namedBy = new Map<ListKey, Map<string, Set<Role>>>();
  /** Per list key: the roles of the hosts that leave the list out (they take the default). */
  private readonly defaulters = new Map<ListKey, Set<Role>>();
  private readonly byName = new Map<string, Host>();
  /** The hosts some list names, and those onlyIn() may answer with (the first of a family for a role). */
  private readonly remarkable = new Set<Host>();
  readonly connected: boolean;

  constructor(deployment: Deployment) {
    this.connected = deployment.connectedGroups.some((g) => g.managementServers.length > 0);
    for (const key of listKeys) {
      this.namedBy.set(key, new Map());
      this.defaulters.set(key, new Set());
    }
    const listed = new Set<string>();
    // Hosts share their role and relationship lists (the loader makes them so): what a (roles, list) pair adds is
    // added once, and hosts are counted per roles list. Only the first host of each family per role is per host.
    const hostsPerRoles = new Map<readonly Role[], number>();
    const familyDone = new Map<readonly Role[], { 4?: true; 6?: true }>();
    const pairsDone = new Map<ListKey, Map<readonly Role[], Set<readonly string[] | undefined>>>(listKeys.map((k) => [k, new Map()]));
    let previous: Host | undefined;
    let previousOnly: 4 | 6 | undefined;
    // The hosts alike to `previous` since it, counted when the run ends.
    let run = 0;
    const countRun = () => {
      if (previous) hostsPerRoles.set(previous.roles, (hostsPerRoles.get(previous.roles) ?? 0) + run);
    };
    for (const host of deployment.hosts) {
      const roles = host.roles;
      // Runs of hosts alike (same lists, one family) add nothing but their count: most of 150,000 agents.
      if (previous && roles === previous.roles && sameLists(host, previous) && onlyFamilyOf(host) === previousOnly) {
        run++;
        continue;
      }
      countRun();
      const only = onlyFamilyOf(host);
      previous = host;
      previousOnly = only;
      run = 1;
      if (only !== undefined) {
        this.anyOnly[only] = true;
        let done = familyDone.get(roles);
        if (!done) familyDone.set(roles, (done = {}));
        if (!done[only]) {
          done[only] = true;
          for (const role of roles) {
            const seen = this.onlyFamily.get(role) ?? {};
            if (!seen[only]) {
              seen[only] = host;
              this.remarkable.add(host);
            }
            this.onlyFamily.set(role, seen);
          }
        }
      }
      for (const key of listKeys) {
        const names = host[key];
        const byRoles = pairsDone.get(key)!;
        let lists = byRoles.get(roles);
        if (!lists) byRoles.set(roles, (lists = new Set()));
        if (lists.has(names)) continue;
        lists.add(names);
        if (!names) {
          for (const role of roles) this.defaulters.get(key)?.add(role);
          continue;
        }
        const map = this.namedBy.get(key) ?? new Map<string, Set<Role>>();
        for (const name of names) {
          const set = map.get(name) ?? new Set<Role>();
          for (const role of roles) set.add(role);
          map.set(name, set);
          listed.add(name);
        }
      }
    }
    countRun();
    for (const [roles, count] of hostsPerRoles) for (const role of roles) this.roleCount.set(role, (this.roleCount.get(role) ?? 0) + count);
    // Only names in lists are ever looked up: 30 of 150,000 in a large deployment, not a map of every host.
    for (const host of deployment.hosts) {
      if (!listed.has(host.name)) continue;
      this.byName.set(host.name, host);
      this.remarkable.add(host);
    }
  }

  /**
   * No list names the host and no role has it as the first of its family: what is judged of it does not depend on
   * which host it is (reachedBy, a list naming the host itself, onlyIn).
   */
  unremarkable(host: Host): boolean {
    return !this.remarkable.has(host);
  }

  /** Some host has addresses of only this family. */
  anyOnlyIn(family: 4 | 6): boolean {
    return this.anyOnly[family];
  }

  /** A host named in some list (reportsTo, managementServers, acsCollectors); only those are kept. */
  host(name: string): Host | undefined {
    return this.byName.get(name);
  }

  /** A host other than `host` playing `role` whose addresses are all of `family`. */
  onlyIn(role: Role, family: 4 | 6, host: Host): Host | undefined {
    const found = this.onlyFamily.get(role)?.[family];
    return found === host ? undefined : found;
  }

  has(role: Role): boolean {
    return (this.roleCount.get(role) ?? 0) > 0;
  }

  /** Another host plays `role`, or this host does through another of its roles (local traffic). */
  present(role: Role, host: Host, as: Role): boolean {
    const others = (this.roleCount.get(role) ?? 0) - (host.roles.includes(role) ? 1 : 0);
    return others > 0 || (role !== as && host.roles.includes(role));
  }

  /** `host`'s list `key` names a host playing `role`; without the list, the default (every management server, or every host of the role). */
  listReaches(host: Host, key: ListKey, role: Role, as: Role): boolean {
    const names = host[key];
    if (!names) return (key !== 'reportsTo' || role === 'management-server') && this.present(role, host, as);
    return names.some((n) => this.byName.get(n)?.roles.includes(role) === true) || (key === 'managementServers' && names.includes(host.name) && host.roles.includes(role));
  }

  /** Some host playing `role` names `host` in its list `key`, or leaves the list out and so reaches it by default. */
  reachedBy(host: Host, key: ListKey, role: Role, as: Role): boolean {
    if (this.namedBy.get(key)?.get(host.name)?.has(role)) return true;
    const byDefault = key !== 'reportsTo' || as === 'management-server';
    return byDefault && this.defaulters.get(key)?.has(role) === true && this.present(role, host, as);
  }

  partnered(host: Host, role: Role, link: Link): boolean {
    const outbound = link.from === role;
    const other = outbound ? link.to : link.from;
    switch (link.pairing) {
      case 'all':
        return this.present(other, host, role);
      case 'connected':
        return outbound && this.connected;
      case 'connectedReverse':
        // A connected group's servers call this group's servers back (issue 7 item 10).
        return !outbound && this.connected;
      case 'pool':
        // Members of one entry talk to each other: only an entry of several machines has partners here.
        return host.addresses.count(4) > 1n || host.addresses.count(6) > 1n;
      case 'domain':
        // The planner pairs within a domain (or zone); for presence, any host of the other role will do.
        return this.present(other, host, role);
      case 'reportsTo':
        return outbound ? this.listReaches(host, 'reportsTo', other, role) : this.reachedBy(host, 'reportsTo', other, role);
      case 'managedBy':
      case 'managedByPrimary':
        // The managed host (destination) names its manager in reportsTo.
        if (outbound) return this.reachedBy(host, 'reportsTo', other, role);
        return (!link.pushOnly || host.install === 'push') && this.listReaches(host, 'reportsTo', other, role);
      case 'managementServers':
      case 'acsCollectors':
        return outbound ? this.listReaches(host, link.pairing, other, role) : this.reachedBy(host, link.pairing, other, role);
    }
  }
}

function unpaired(host: Host, role: Role, links: readonly Link[], ctx: Presence, path: Path): Problem {
  const wanted = [...new Set(links.map((l) => (l.from === role ? l.to : l.from)))];
  const expected = `a host that ${roleLabels[role]} ${host.name} can talk to (${listOr(wanted)})`;
  const found = clientRoles.has(role) ? 'none: this role would plan no flow' : 'none: this role plans no flow';
  return problem(path, expected, found, hintFor(host, role, wanted, ctx));
}

function hintFor(host: Host, role: Role, wanted: readonly Role[], ctx: Presence): string {
  const reports = ['agent', 'unix-agent', 'gateway', 'network-device'].includes(role);
  if (reports && !host.reportsTo && ctx.has('gateway') && role !== 'gateway') {
    return 'without reportsTo a host reports to every management server, and there is none; name its gateway in reportsTo';
  }
  if (role === 'management-server' && !ctx.connected) return `add the hosts it serves (agents, the operational database …), or remove the role`;
  return `add a host with role ${listOr(wanted)}, or remove the role ${role} here`;
}

/** SQL roles a host's role reaches to every host of that role ('all'), when no host plays them. */
function optionalSqlGaps(role: Role, links: readonly Link[], ctx: Presence): Role[] {
  const sql = settingRoles.sqlPort;
  // A management server without a data warehouse is a group without Reporting: normal, not worth a warning.
  const expected = (l: Link) => l.from === role && l.pairing === 'all' && sql.includes(l.to) && !(role === 'management-server' && l.to === 'data-warehouse');
  return [...new Set(links.filter((l) => expected(l) && !ctx.has(l.to)).map((l) => l.to))];
}

function sameLists(a: Host, b: Host): boolean {
  return a.reportsTo === b.reportsTo && a.managementServers === b.managementServers && a.acsCollectors === b.acsCollectors;
}

function onlyFamilyOf(host: Host): 4 | 6 | undefined {
  const v4 = host.addresses.has(4);
  const v6 = host.addresses.has(6);
  return v4 && !v6 ? 4 : v6 && !v4 ? 6 : undefined;
}

/**
 * A host this one must reach (or be reached by) whose addresses are all of the other family: an IPv4-only source
 * and an IPv6-only destination can never connect. Checked from the side that names the pair: the source of an
 * 'all' or list pairing, the managed host of a 'managedBy' one.
 */
function strandedPartner(host: Host, role: Role, links: readonly Link[], ctx: Presence): Host | undefined {
  const only = onlyFamilyOf(host);
  if (only === undefined) return undefined;
  const other = only === 4 ? 6 : 4;
  // Every partner found below has only the other family: without any such host there is none.
  if (!ctx.anyOnlyIn(other)) return undefined;
  for (const l of links) {
    const named = (key: ListKey, partner: Role) => {
      const names = host[key];
      if (!names) return key === 'reportsTo' && partner !== 'management-server' ? undefined : ctx.onlyIn(partner, other, host);
      return names.map((n) => ctx.host(n)).find((p) => p !== undefined && p !== host && p.roles.includes(partner) && onlyFamilyOf(p) === other);
    };
    let found: Host | undefined;
    if (l.from === role && l.pairing === 'all') found = ctx.onlyIn(l.to, other, host);
    else if (l.from === role && (l.pairing === 'reportsTo' || l.pairing === 'managementServers' || l.pairing === 'acsCollectors')) found = named(l.pairing, l.to);
    else if (l.to === role && l.pairing === 'managedBy' && (!l.pushOnly || host.install === 'push')) found = named('reportsTo', l.from);
    if (found) return found;
  }
  return undefined;
}

function familyProblem(host: Host, partner: Host, index: number): Problem {
  const only = onlyFamilyOf(host) === 4 ? 'IPv4' : 'IPv6';
  const other = only === 'IPv4' ? 'IPv6' : 'IPv4';
  const key = writesOneAddress(host) ? 'address' : 'addresses';
  return problem(
    ['hosts', index, key],
    `an address family that ${partner.name} also has`,
    `${only} only, while ${partner.name} has only ${other}: no flow between them can connect`,
    `give ${host.name} an ${other} address, or ${partner.name} an ${only} one`,
  );
}
