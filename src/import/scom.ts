import type { Role } from '../catalog/roles.js';
import { AddressSet } from '../net/address-set.js';
import { AddressSyntaxError } from '../net/address.js';
import { jsonPath } from '../probe/report.js';
import { UserError, UserErrors } from '../topology/errors.js';
import { didYouMean } from '../topology/suggest.js';
import { groupNameRule, hostNameRule } from '../topology/text.js';
import { scomExportFormat, scomExportSchema, scomExportVersion, type ScomExport } from './export-format.js';
import { sortRoles, type HostFields, type Inventory, type Machine } from './inventory.js';
import { plural } from '../text/names.js';

/**
 * Reads a SCOM inventory export (src/import/exporters/scom-inventory.ps1) into an inventory. Every problem is
 * a user error naming the file, the JSON path and a hint, all problems at once (up to a limit); what the export
 * cannot know becomes a TODO, never a guess. Pure.
 */

const formatHint = 'the export format is described in docs/import.md and schema/scom-export.schema.json';
const maxErrors = 25;

interface Draft {
  name: string;
  addresses: AddressSet;
  roles: Set<Role>;
  reportsTo?: string[];
  fields: HostFields;
  groupable: boolean;
  todos: string[];
}

export function scomInventory(text: string, file: string): Inventory {
  const data = parseExport(text, file);
  return new ExportReader(data, file).read();
}

function parseExport(text: string, file: string): ScomExport {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, '')); // Windows PowerShell 5.1 writes UTF-8 with a byte order mark
  } catch (e) {
    throw new UserError(`${file}: expected JSON, found text JSON.parse refuses: ${(e as Error).message}`, undefined, 'give the file scom-inventory.ps1 wrote (scomfw export-script scom)');
  }
  const head = json as { format?: unknown; version?: unknown } | null;
  if (typeof head !== 'object' || head === null || Array.isArray(head)) {
    throw new UserError(`${file}: (top level): expected a JSON object, found ${Array.isArray(json) ? 'a list' : typeof json}`, undefined, formatHint);
  }
  if (head.format !== scomExportFormat) {
    throw new UserError(`${file}: format: expected "${scomExportFormat}", found ${JSON.stringify(head.format) ?? 'nothing'}`, undefined, 'give the file scom-inventory.ps1 wrote; a CSV goes to scomfw import csv');
  }
  if (head.version !== scomExportVersion) {
    throw new UserError(`${file}: version: expected ${scomExportVersion}, found ${JSON.stringify(head.version) ?? 'nothing'}`, undefined, 'this scomfw reads version 1 exports; run the exporter this scomfw prints (scomfw export-script scom)');
  }
  const parsed = scomExportSchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const errors = parsed.error.issues.slice(0, maxErrors).map((issue) => new UserError(`${file}: ${jsonPath(issue.path) || '(top level)'}: ${issue.message}`, undefined, formatHint));
  throw new UserErrors(errors);
}

class ExportReader {
  private readonly errors: UserError[] = [];
  private readonly todos: string[] = [];
  private readonly drafts = new Map<string, Draft>();
  /** Management servers and gateways by lower-case name: what an agent may report to. */
  private readonly parents = new Map<string, { name: string; role: 'management-server' | 'gateway' }>();
  private readonly pools = new Map<string, string[]>();

  constructor(
    private readonly data: ScomExport,
    private readonly file: string,
  ) {}

  read(): Inventory {
    const d = this.data;
    if (!groupNameRule.pattern.test(d.managementGroup)) this.fail('managementGroup', `expected ${groupNameRule.expected}, found ${JSON.stringify(d.managementGroup)}`, groupNameRule.explain(d.managementGroup).hint);
    d.managementServers.forEach((ms, i) => { this.addParent(ms.name, 'management-server', `managementServers[${i}]`); });
    d.gateways.forEach((gw, i) => { this.addParent(gw.name, 'gateway', `gateways[${i}]`); });
    d.managementServers.forEach((ms, i) => { this.addServer(ms, `managementServers[${i}]`, 'management-server'); });
    d.gateways.forEach((gw, i) => { this.addGateway(gw, i); });
    this.readPools();
    const unaddressed: string[] = [];
    d.agents.forEach((a, i) => { this.addAgent(a, i, unaddressed); });
    d.unixAgents.forEach((u, i) => { this.addPooled(u, `unixAgents[${i}]`, 'unix-agent', unaddressed); });
    d.networkDevices.forEach((n, i) => { this.addPooled(n, `networkDevices[${i}]`, 'network-device', unaddressed); });
    d.databases.forEach((db, i) => { this.addDatabase(db, i); });
    d.reportingServers.forEach((r, i) => { this.addWebServer(r, `reportingServers[${i}]`, 'reporting-server'); });
    d.webConsoleServers.forEach((w, i) => { this.addWebServer(w, `webConsoleServers[${i}]`, 'web-console-server'); });
    d.acsCollectors.forEach((c, i) => { this.addServer(c, `acsCollectors[${i}]`, 'acs-collector'); });
    if (this.errors.length > 0) throw new UserErrors(this.errors.slice(0, maxErrors));
    if (unaddressed.length > 0) {
      this.todos.push(`addresses: ${plural(unaddressed.length, 'computer')} left out because neither SCOM nor DNS gave an address: ${unaddressed.slice(0, 20).join(', ')}${unaddressed.length > 20 ? ', ...' : ''}; add them by hand or fix DNS and export again`);
    }
    for (const note of d.notes) this.todos.push(`exporter: ${note}`);
    return {
      managementGroup: d.managementGroup,
      catalog: '2024-11',
      header: [
        `source: SCOM export ${this.file}, written by ${d.exporter} on ${d.exportedFrom} at ${d.exportedAt}`,
        `found: ${[
          plural(d.managementServers.length, 'management server'),
          plural(d.gateways.length, 'gateway'),
          plural(d.agents.length, 'agent'),
          plural(d.unixAgents.length, 'UNIX/Linux agent'),
          plural(d.networkDevices.length, 'network device'),
        ].join(', ')}`,
      ],
      machines: [...this.drafts.values()].map(toMachine),
      todos: [...globalTodos(d), ...this.todos],
    };
  }

  private fail(path: string, message: string, hint?: string): void {
    this.errors.push(new UserError(`${this.file}: ${path}: ${message}`, undefined, hint ?? formatHint));
  }

  private addParent(name: string, role: 'management-server' | 'gateway', path: string): void {
    const key = name.toLowerCase();
    if (this.parents.has(key)) this.fail(`${path}.name`, `expected a name not used before, found ${JSON.stringify(name)} again`, 'a computer is either a management server or a gateway, once; export again');
    else this.parents.set(key, { name, role });
  }

  /** A checked name and address set, or undefined (the problem recorded) when either is bad. */
  private computer(c: { name: string; addresses: readonly string[] }, path: string, needAddress: boolean): { name: string; addresses: AddressSet } | undefined {
    let ok = true;
    if (!hostNameRule.pattern.test(c.name)) {
      this.fail(`${path}.name`, `expected ${hostNameRule.expected}, found ${JSON.stringify(c.name)}`, hostNameRule.explain(c.name).hint);
      ok = false;
    }
    const ranges = [];
    for (const [i, text] of c.addresses.entries()) {
      try {
        ranges.push(AddressSet.parse([text]));
      } catch (e) {
        if (!(e instanceof AddressSyntaxError)) throw e;
        this.fail(`${path}.addresses[${i}]`, `expected ${e.expected}, found ${JSON.stringify(text)}`, e.hint ?? 'write an IPv4 or IPv6 address; fix it in the export or in DNS');
        ok = false;
      }
    }
    if (needAddress && c.addresses.length === 0) {
      this.fail(`${path}.addresses`, `expected at least one address for ${c.name}, found none (neither SCOM nor DNS answered)`, 'fix the DNS record and export again, or write the address into the export and set "addressSource": "file"');
      ok = false;
    }
    return ok ? { name: c.name, addresses: AddressSet.unionAll(ranges) } : undefined;
  }

  private draft(name: string, addresses: AddressSet, path: string, groupable: boolean): Draft {
    const key = name.toLowerCase();
    const found = this.drafts.get(key);
    if (found) {
      if (groupable) this.fail(`${path}.name`, `expected a name not used before, found ${JSON.stringify(name)} again`, 'each computer is one agent, UNIX/Linux agent or network device; export again or remove the duplicate');
      found.addresses = found.addresses.union(addresses);
      // A server that also runs an agent is one host with both roles, never a group member.
      found.groupable = found.groupable && groupable;
      return found;
    }
    const d: Draft = { name, addresses, roles: new Set(), fields: {}, groupable, todos: [] };
    this.drafts.set(key, d);
    return d;
  }

  private addServer(c: { name: string; addresses: readonly string[] }, path: string, role: Role): void {
    const checked = this.computer(c, path, true);
    if (checked) this.draft(checked.name, checked.addresses, path, false).roles.add(role);
  }

  private addGateway(gw: ScomExport['gateways'][number], i: number): void {
    const path = `gateways[${i}]`;
    const checked = this.computer(gw, path, true);
    const reportsTo = this.parentList([gw.primary, ...gw.failover], path, ['management-server'], gw.name);
    if (!checked || !reportsTo) return;
    const d = this.draft(checked.name, checked.addresses, path, false);
    d.roles.add('gateway');
    d.reportsTo = reportsTo;
  }

  /** The names resolved to their own spelling, each once, or undefined when one is unknown (recorded). */
  private parentList(names: readonly string[], path: string, allowed: readonly Role[], self: string): string[] | undefined {
    const out: string[] = [];
    let ok = true;
    names.forEach((n, i) => {
      const where = i === 0 ? `${path}.primary` : `${path}.failover[${i - 1}]`;
      const parent = this.parents.get(n.toLowerCase());
      if (!parent) {
        const hint = didYouMean(n, [...this.parents.values()].map((p) => p.name));
        this.fail(where, `expected the name of a ${allowed.join(' or ')} of the export, found ${JSON.stringify(n)}`, `${hint ? `${hint} ` : ''}the export lists no such server; export again (the server may have been removed), or add it to managementServers or gateways`);
        ok = false;
      } else if (!allowed.includes(parent.role)) {
        this.fail(where, `expected a ${allowed.join(' or ')}, found the ${parent.role} ${parent.name}`, 'a gateway reports to management servers only');
        ok = false;
      } else if (parent.name.toLowerCase() !== self.toLowerCase() && !out.includes(parent.name)) out.push(parent.name);
    });
    return ok ? out : undefined;
  }

  private readPools(): void {
    this.data.resourcePools.forEach((p) => {
      const members = p.members.map((m) => this.parents.get(m.toLowerCase())?.name).filter((m) => m !== undefined);
      this.pools.set(p.name.toLowerCase(), members);
    });
  }

  private addAgent(a: ScomExport['agents'][number], i: number, unaddressed: string[]): void {
    const path = `agents[${i}]`;
    const checked = this.computer(a, path, false);
    const reportsTo = this.parentList([a.primary, ...a.failover], path, ['management-server', 'gateway'], a.name);
    if (!checked || !reportsTo) return;
    if (checked.addresses.isEmpty) {
      unaddressed.push(a.name);
      return;
    }
    const d = this.draft(checked.name, checked.addresses, path, true);
    d.roles.add('agent');
    d.reportsTo = reportsTo;
  }

  private addPooled(u: { name: string; addresses: readonly string[]; resourcePool: string | null }, path: string, role: 'unix-agent' | 'network-device', unaddressed: string[]): void {
    const checked = this.computer(u, path, false);
    if (!checked) return;
    if (checked.addresses.isEmpty) {
      unaddressed.push(u.name);
      return;
    }
    const d = this.draft(checked.name, checked.addresses, path, true);
    d.roles.add(role);
    const members = u.resourcePool === null ? undefined : this.pools.get(u.resourcePool.toLowerCase());
    if (!members || members.length === 0) {
      const why = u.resourcePool === null ? 'the export does not say which resource pool manages it' : `the export lists no members of its resource pool "${u.resourcePool}"`;
      d.todos.push(`TODO: reportsTo: ${why}; every management server is assumed (the plan notes it)`);
      return;
    }
    // Network devices are polled by management servers: gateways in their pool cannot be named by the deployment.
    const usable = role === 'network-device' ? members.filter((m) => this.parents.get(m.toLowerCase())?.role === 'management-server') : members;
    if (usable.length < members.length) d.todos.push(`TODO: reportsTo: gateways in pool "${u.resourcePool}" are left out; the deployment lets network devices name management servers only`);
    if (usable.length > 0) d.reportsTo = usable;
  }

  private addDatabase(db: ScomExport['databases'][number], i: number): void {
    const path = `databases[${i}]`;
    const checked = this.computer({ name: db.server, addresses: db.addresses }, path, true);
    if (!checked) return;
    const d = this.draft(checked.name, checked.addresses, path, false);
    d.roles.add(db.role);
    if (db.port !== null) {
      if (d.fields.sqlPort !== undefined && d.fields.sqlPort !== db.port) {
        d.todos.push(`TODO: sqlPort: the operational database and the data warehouse are on two instances of ${db.server} (ports ${d.fields.sqlPort} and ${db.port}); one host entry holds one SQL port: split the host by hand`);
      } else d.fields.sqlPort = db.port;
    } else if (db.instance !== null && d.fields.sqlPort === undefined) {
      // A named instance never listens on 1433 by default, and the deployment refuses sqlBrowser without sqlPort:
      // the port is the user's to give, so neither key is guessed.
      d.todos.push(`TODO: sqlPort: named instance ${db.instance} on ${db.server}: the SCOM setting "${db.setting}" names no port; set sqlPort to its static port (SQL Server Configuration Manager > TCP/IP > IP Addresses > IPAll > TCP Port) and sqlBrowser: true; until then the plan opens the default 1433, which a named instance does not use`);
    }
  }

  private addWebServer(w: { name: string; addresses: readonly string[]; url: string }, path: string, role: 'reporting-server' | 'web-console-server'): void {
    const checked = this.computer(w, path, true);
    if (!checked) return;
    const d = this.draft(checked.name, checked.addresses, path, false);
    d.roles.add(role);
    let url: URL;
    try {
      url = new URL(w.url);
    } catch {
      this.fail(`${path}.url`, `expected a URL (http://host/path), found ${JSON.stringify(w.url)}`);
      return;
    }
    const tls = url.protocol === 'https:';
    const port = url.port === '' ? undefined : Number(url.port);
    if (role === 'reporting-server') {
      const effective = port ?? (tls ? 443 : 80);
      if (effective !== 80) d.fields.reportingPort = effective;
    } else {
      if (tls) d.fields.webConsoleTls = true;
      if (port !== undefined && port !== (tls ? 443 : 80)) d.fields.webConsolePort = port;
    }
    d.todos.push(`TODO: managementServers: the export does not say which management servers ${w.name} talks to; every management server is assumed (the plan notes it)`);
  }
}

function toMachine(d: Draft): Machine {
  return { name: d.name, addresses: d.addresses, roles: sortRoles(d.roles), ...(d.reportsTo ? { reportsTo: d.reportsTo } : {}), fields: d.fields, groupable: d.groupable, todos: d.todos };
}

/** What no SCOM export can know. Topics before the colon let a second import drop what the user answered. */
function globalTodos(d: ScomExport): string[] {
  const todos = [
    'zones: the export does not know your network zones; every host is in zone default until you add zone: to hosts and groups (a second import keeps them)',
    'domain controllers: the export does not name them; add hosts with role domain-controller for the agent and server flows to Active Directory',
    'consoles: add the machines or subnets that run the Operations console (operations-console) or browse the web console (web-console-browser)',
    'features: omed, applicationDiagnostics, applicationAdvisor and managementPackCatalog are off; the export cannot tell whether you use them',
  ];
  if (d.acsCollectors.length > 0) todos.push('acs: add the SQL Server of the ACS database (role acs-database) and give the forwarding agents role acs-forwarder');
  return todos;
}
