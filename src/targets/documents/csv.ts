import { csvField } from '../../text/cells.js';
import type { Plan } from '../../plan/types.js';
import { changeRequest, rowsOf, type ChangeRow } from './change-request.js';
import type { RenderedFile, Target } from '../types.js';
import { joinedParts, linesFile, type Lines } from '../lines-file.js';

export { ruleCounts } from './change-request.js';

/**
 * The columns, in order, with the field each takes from a row. Lists go through `list`: rules of several kinds of
 * flow from one set of sources share its lists (class-groups.ts), so 150,000 names are joined and quoted once.
 */
const columns: readonly (readonly [string, (r: ChangeRow, list: ListField) => string])[] = [
  ['id', (r) => csvField(r.id)],
  ['source zone', (r) => csvField(r.sourceZone)],
  ['destination zone', (r) => csvField(r.destinationZone)],
  ['crosses zones', (r) => csvField(yesNo(r.crossesZones))],
  ['sources', (r, list) => list(r.sources)],
  ['source addresses', (r, list) => list(r.sourceAddresses)],
  ['destinations', (r, list) => list(r.destinations)],
  ['destination addresses', (r, list) => list(r.destinationAddresses)],
  ['protocol', (r) => csvField(r.protocol)],
  ['ports', (r) => csvField(r.ports)],
  ['install only', (r) => csvField(yesNo(r.installOnly))],
  ['why', (r) => csvField(r.why)],
  ['catalog rows', (r) => csvField(r.rows.join(' '))],
  ['notes', (r) => csvField(r.notes.join('; '))],
];

/** A list's field: its items separated by spaces. */
type ListField = (list: readonly string[]) => string;

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

export const csv: Target = {
  name: 'csv',
  summary: 'a firewall change request as CSV, one row per aggregated rule, zone crossings first (change-request.csv)',
  options: ['host'],
  render(plan: Plan, options): RenderedFile[] {
    const rows = rowsOf(changeRequest(plan, options));
    return [linesFile('change-request.csv', () => csvLines(rows), '\r\n')];
  },
};

/** The header, then a row per rule, each written in its fields (a list field is up to megabytes of names). */
function csvLines(rows: readonly ChangeRow[]): Lines {
  const list = listFields();
  return [
    columns.map(([name]) => csvField(name)).join(','),
    (line) => {
      for (const r of rows) line(...joinedParts(columns.map(([, field]) => field(r, list)), ','));
    },
  ];
}

/** List fields made once per list object. */
function listFields(): ListField {
  const made = new Map<readonly string[], string>();
  return (list) => {
    let field = made.get(list);
    if (field === undefined) made.set(list, (field = csvField(list.join(' '))));
    return field;
  };
}
