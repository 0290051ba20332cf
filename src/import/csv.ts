import { hostOses, roles as allRoles, type HostOs, type Role } from '../catalog/roles.js';
import { AddressSet } from '../net/address-set.js';
import { AddressSyntaxError } from '../net/address.js';
import { UserError, UserErrors } from '../topology/errors.js';
import { didYouMean } from '../topology/suggest.js';
import { descriptionRule, groupNameRule, hostNameRule, zoneRule } from '../topology/text.js';
import { sortRoles, type HostFields, type Inventory, type Machine } from './inventory.js';

/**
 * Reads a host list (a CMDB export, a spreadsheet saved as CSV) into an inventory. Columns, named in the first
 * row, in any order, case-insensitive: name, addresses (or address), roles, reportsTo, zone, os, description.
 * Lists inside a cell are separated by ";" or spaces. Rows whose roles are only client roles and include agent,
 * unix-agent or network-device are grouped like SCOM agents. Pure; every problem names file:line:column.
 */

export const csvColumns = ['name', 'addresses', 'roles', 'reportsTo', 'zone', 'os', 'description'] as const;
type Column = (typeof csvColumns)[number];

/** Roles a grouped row may carry: the machines that start connections, never the servers they reach. */
const clientRoles: readonly Role[] = ['agent', 'unix-agent', 'network-device', 'acs-forwarder', 'aem-client', 'ceip-client', 'web-console-browser', 'operations-console'];

interface Cell {
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

export interface CsvOptions {
  readonly managementGroup: string;
}

export function csvInventory(text: string, file: string, options: CsvOptions): Inventory {
  const errors: UserError[] = [];
  const fail = (cell: Pick<Cell, 'line' | 'column'>, message: string, hint?: string) => errors.push(new UserError(message, { file, line: cell.line, column: cell.column }, hint));
  if (!groupNameRule.pattern.test(options.managementGroup)) {
    throw new UserError(`--management-group: expected ${groupNameRule.expected}, found ${JSON.stringify(options.managementGroup)}`, undefined, groupNameRule.explain(options.managementGroup).hint);
  }
  const rows = parseCsv(text.replace(/^\uFEFF/, ''), file);
  const [head, ...body] = rows.filter((r) => !(r.length === 1 && r[0]!.text.trim() === ''));
  if (!head) throw new UserError(`${file}: expected a header row naming the columns, found an empty file`, undefined, `first row: ${csvColumns.join(',')}`);
  const index = columnIndex(head, fail);
  if (errors.length > 0) throw new UserErrors(errors);

  const drafts: { machine: Machine; reportsCells: Cell[]; row: Cell }[] = [];
  const seen = new Map<string, number>();
  for (const row of body) {
    const cell = (c: Column): Cell | undefined => {
      const i = index.get(c);
      const found = i === undefined ? undefined : row[i];
      return found && found.text.trim() !== '' ? { ...found, text: found.text.trim() } : undefined;
    };
    const where = row[0]!;
    const name = cell('name');
    if (!name) {
      fail(where, 'column name: expected a host or group name, found an empty cell', 'every row names one host or group');
      continue;
    }
    if (!hostNameRule.pattern.test(name.text)) fail(name, `column name: expected ${hostNameRule.expected}, found ${JSON.stringify(name.text)}`, hostNameRule.explain(name.text).hint);
    const first = seen.get(name.text.toLowerCase());
    if (first !== undefined) fail(name, `column name: expected a name not used before (compared regardless of case), found ${JSON.stringify(name.text)} again`, `the first is on line ${first}`);
    seen.set(name.text.toLowerCase(), name.line);
    const addresses = readAddresses(cell('addresses'), where, fail);
    const roles = readRoles(cell('roles'), where, fail);
    const fields: HostFields = {};
    const zone = cell('zone');
    if (zone) {
      if (zoneRule.pattern.test(zone.text)) fields.zone = zone.text;
      else fail(zone, `column zone: expected ${zoneRule.expected}, found ${JSON.stringify(zone.text)}`, zoneRule.explain(zone.text).hint);
    }
    const os = cell('os');
    if (os) {
      if ((hostOses as readonly string[]).includes(os.text)) fields.os = os.text as HostOs;
      else fail(os, `column os: expected windows, linux or other, found ${JSON.stringify(os.text)}`, didYouMean(os.text, hostOses) ?? 'leave it empty to take the default for the roles');
    }
    const description = cell('description');
    if (description) {
      if (descriptionRule.pattern.test(description.text)) fields.description = description.text;
      else fail(description, `column description: expected ${descriptionRule.expected}`, descriptionRule.explain(description.text).hint);
    }
    const groupable = roles.length > 0 && roles.some((r) => r === 'agent' || r === 'unix-agent' || r === 'network-device') && roles.every((r) => clientRoles.includes(r));
    const reports = cell('reportsTo');
    drafts.push({
      machine: { name: name.text, addresses, roles, fields, groupable, todos: [] },
      reportsCells: reports ? splitList(reports) : [],
      row: where,
    });
  }
  const names = new Map(drafts.map((d) => [d.machine.name.toLowerCase(), d.machine.name]));
  for (const d of drafts) {
    if (d.reportsCells.length === 0) continue;
    const list: string[] = [];
    for (const c of d.reportsCells) {
      const own = names.get(c.text.toLowerCase());
      if (own === undefined) fail(c, `column reportsTo: expected the name of a row of this file, found ${JSON.stringify(c.text)}`, didYouMean(c.text, names.values()) ?? 'add a row for the server, or correct the name');
      else if (!list.includes(own)) list.push(own);
    }
    d.machine.reportsTo = list;
  }
  if (errors.length > 0) throw new UserErrors(errors.slice(0, 25));
  const machines = drafts.map((d) => d.machine);
  const todos: string[] = [];
  const zoneless = machines.filter((m) => m.fields.zone === undefined).length;
  if (zoneless > 0) todos.push(`zones: ${zoneless} rows give no zone; they are in zone default until you add zone: (a second import keeps it)`);
  if (!machines.some((m) => m.roles.includes('domain-controller'))) todos.push('domain controllers: no row has role domain-controller; add them for the agent and server flows to Active Directory');
  todos.push('features: omed, applicationDiagnostics, applicationAdvisor and managementPackCatalog are off; a host list cannot tell whether you use them');
  return {
    managementGroup: options.managementGroup,
    catalog: '2024-11',
    header: [`source: CSV ${file}, ${machines.length} rows`],
    machines,
    todos,
  };
}

function columnIndex(head: readonly Cell[], fail: (c: Cell, m: string, h?: string) => void): Map<Column, number> {
  const index = new Map<Column, number>();
  head.forEach((cell, i) => {
    const key = cell.text.trim().toLowerCase();
    const column = key === 'address' ? 'addresses' : csvColumns.find((c) => c.toLowerCase() === key);
    if (!column) fail(cell, `header: expected a column name (${csvColumns.join(', ')}), found ${JSON.stringify(cell.text)}`, didYouMean(key, csvColumns) ?? 'remove the column or rename it');
    else if (index.has(column)) fail(cell, `header: expected each column once, found ${column} again`);
    else index.set(column, i);
  });
  for (const required of ['name', 'addresses', 'roles'] as const) {
    if (!index.has(required)) fail(head[0]!, `header: expected a column ${required}, found none`, `first row: ${csvColumns.join(',')}`);
  }
  return index;
}

function splitList(cell: Cell): Cell[] {
  const out: Cell[] = [];
  const re = /[^;\s]+/g;
  for (let m = re.exec(cell.text); m; m = re.exec(cell.text)) out.push({ text: m[0], line: cell.line, column: cell.column + m.index });
  return out;
}

function readAddresses(cell: Cell | undefined, row: Cell, fail: (c: Pick<Cell, 'line' | 'column'>, m: string, h?: string) => void): AddressSet {
  if (!cell) {
    fail(row, 'column addresses: expected at least one address, CIDR prefix or range, found an empty cell', 'e.g. 10.0.0.5 or 10.1.0.0/24;10.2.0.1-10.2.0.9');
    return AddressSet.empty;
  }
  const sets: AddressSet[] = [];
  for (const part of splitList(cell)) {
    try {
      sets.push(AddressSet.parse([part.text]));
    } catch (e) {
      if (!(e instanceof AddressSyntaxError)) throw e;
      fail(part, `column addresses: expected ${e.expected}, found ${JSON.stringify(part.text)}`, e.hint);
    }
  }
  return AddressSet.unionAll(sets);
}

function readRoles(cell: Cell | undefined, row: Cell, fail: (c: Pick<Cell, 'line' | 'column'>, m: string, h?: string) => void): Role[] {
  if (!cell) {
    fail(row, 'column roles: expected at least one role, found an empty cell', 'e.g. agent, or management-server;acs-collector');
    return [];
  }
  const out: Role[] = [];
  for (const part of splitList(cell)) {
    const role = allRoles.find((r) => r === part.text.toLowerCase());
    if (role) out.push(role);
    else fail(part, `column roles: expected a role, found ${JSON.stringify(part.text)}`, didYouMean(part.text, allRoles) ?? 'the roles are listed in docs/deployment-file.md');
  }
  return sortRoles(out);
}

/** RFC 4180 fields with their line and column: quotes around a field, "" for a quote inside, line breaks inside quotes. */
export function parseCsv(text: string, file: string): Cell[][] {
  const rows: Cell[][] = [];
  let row: Cell[] = [];
  let i = 0;
  let line = 1;
  let lineStart = 0;
  const delimiter = detectDelimiter(text);
  for (;;) {
    const startLine = line;
    const startColumn = i - lineStart + 1;
    let value = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new UserError('expected a closing quote, found the end of the file', { file, line: startLine, column: startColumn }, 'a quoted field ends with "; write "" for a quote inside it');
        const c = text[i]!;
        if (c === '"' && text[i + 1] === '"') {
          value += '"';
          i += 2;
        } else if (c === '"') {
          i++;
          break;
        } else {
          if (c === '\n') {
            line++;
            lineStart = i + 1;
          }
          value += c;
          i++;
        }
      }
      while (i < text.length && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') i++;
    } else {
      while (i < text.length && text[i] !== delimiter && text[i] !== '\n' && text[i] !== '\r') value += text.charAt(i++);
    }
    row.push({ text: value, line: startLine, column: startColumn });
    if (i >= text.length) {
      rows.push(row);
      return rows;
    }
    if (text[i] === delimiter) {
      i++;
      continue;
    }
    if (text[i] === '\r') i++;
    if (text[i] === '\n') i++;
    line++;
    lineStart = i;
    rows.push(row);
    row = [];
    if (i >= text.length) return rows;
  }
}

/** Comma, or semicolon where a spreadsheet in a comma-decimal locale saved the file with it. */
function detectDelimiter(text: string): string {
  const end = text.indexOf('\n');
  const first = end >= 0 ? text.slice(0, end) : text;
  return !first.includes(',') && first.includes(';') ? ';' : ',';
}
