import { csvField } from '../../text/cells.js';
import type { Plan } from '../../plan/types.js';
import { changeRequest, rowsOf, type ChangeRow } from './change-request.js';
import type { RenderedFile, Target } from '../types.js';
import { crlfText } from '../../text/lines.js';

export { ruleCounts } from './change-request.js';

/** The columns, in order, with the cell each takes from a row. */
const columns: readonly (readonly [string, (r: ChangeRow) => string])[] = [
  ['id', (r) => r.id],
  ['source zone', (r) => r.sourceZone],
  ['destination zone', (r) => r.destinationZone],
  ['crosses zones', (r) => yesNo(r.crossesZones)],
  ['sources', (r) => r.sources.join(' ')],
  ['source addresses', (r) => r.sourceAddresses.join(' ')],
  ['destinations', (r) => r.destinations.join(' ')],
  ['destination addresses', (r) => r.destinationAddresses.join(' ')],
  ['protocol', (r) => r.protocol],
  ['ports', (r) => r.ports],
  ['install only', (r) => yesNo(r.installOnly)],
  ['why', (r) => r.why],
  ['catalog rows', (r) => r.rows.join(' ')],
  ['notes', (r) => r.notes.join('; ')],
];

const yesNo = (b: boolean): string => (b ? 'yes' : 'no');

export const csv: Target = {
  name: 'csv',
  summary: 'a firewall change request as CSV, one row per aggregated rule, zone crossings first (change-request.csv)',
  options: ['host'],
  render(plan: Plan, options): RenderedFile[] {
    const lines = [columns.map(([name]) => name), ...rowsOf(changeRequest(plan, options)).map((r) => columns.map(([, cell]) => cell(r)))];
    return [{ path: 'change-request.csv', content: crlfText(lines.map((cells) => cells.map(csvField).join(','))) }];
  },
};
