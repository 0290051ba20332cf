import { portsText, protocolPorts } from '../net/port.js';
import { csvField, markdownCell } from '../text/cells.js';
import { fit, fittedRow } from '../text/columns.js';
import { crlfText } from '../text/lines.js';
import { planJson, planJsonNormalized } from './contract.js';
import type { Flow, Plan } from './types.js';

export { planJson, planJsonNormalized };

export const planFormats = ['table', 'json', 'json-normalized', 'csv', 'markdown'] as const;
export type PlanFormat = (typeof planFormats)[number];

export function formatPlan(plan: Plan, format: PlanFormat): string {
  switch (format) {
    case 'json':
      return planJson(plan);
    case 'json-normalized':
      return planJsonNormalized(plan);
    case 'csv':
      return planCsv(plan);
    case 'markdown':
      return planMarkdown(plan);
    case 'table':
      return planTable(plan);
  }
}


/** "tcp/5723", "tcp/49152-65535", "icmp/echo". */
export function portText(f: Pick<Flow, 'protocol' | 'ports'>): string {
  return protocolPorts(f.protocol, f.ports);
}

/** Row ids without the revision (the header names it): "#16 #17". */
const shortRows = (f: Flow) => f.rows.map((r) => r.slice(r.indexOf('#'))).join(' ');

const csvColumns = ['id', 'source', 'source_zone', 'source_addresses', 'destination', 'destination_zone', 'destination_addresses', 'protocol', 'ports', 'phase', 'rows', 'notes'];

function planCsv(plan: Plan): string {
  const lines = [csvColumns.join(',')];
  for (const f of plan.flows) {
    const ports = portsText(f.ports);
    lines.push(
      [f.id, f.source.name, f.source.zone, f.source.addresses.join(' '), f.destination.name, f.destination.zone, f.destination.addresses.join(' '),
        f.protocol, ports, f.phase, f.rows.join(' '), f.notes.join('; ')].map(csvField).join(','),
    );
  }
  return crlfText(lines);
}



function planMarkdown(plan: Plan): string {
  const out = [
    `# Flow plan: ${markdownCell(plan.managementGroup)}`,
    '',
    `Catalog ${plan.catalog}, phase ${plan.phase}, ${plan.flows.length} flows.`,
    '',
    ...plan.notes.map((n) => `- ${markdownCell(n)}`),
    '',
    '| source | destination | protocol/port | phase | rows | notes |',
    '|---|---|---|---|---|---|',
  ];
  for (const f of plan.flows) {
    out.push(`| ${[f.source.name, f.destination.name, portText(f), f.phase, f.rows.join(', '), f.notes.join('; ')].map(markdownCell).join(' | ')} |`);
  }
  return `${out.join('\n')}\n`;
}

const width = 100;

/** A table that fits 100 columns: long names are shortened with an ellipsis, never wrapped. */
function planTable(plan: Plan): string {
  const install = plan.flows.filter((f) => f.phase === 'install').length;
  const head = `${plan.managementGroup}: ${plan.flows.length} flows (${install} install-only), catalog ${plan.catalog}, phase ${plan.phase}`;
  const cols = [
    { title: 'SOURCE', width: 26, value: (f: Flow) => f.source.name },
    { title: 'DESTINATION', width: 26, value: (f: Flow) => f.destination.name },
    { title: 'PORT', width: 15, value: portText },
    { title: 'PHASE', width: 7, value: (f: Flow) => f.phase },
    { title: 'ROWS', width: width - 26 - 26 - 15 - 7 - 4, value: shortRows },
  ];
  const widths = cols.map((c) => c.width);
  let cutCell = false;
  const line = (cells: string[]) => {
    if (cells.some((c, i) => c.length > widths[i]!)) cutCell = true;
    return fittedRow(cells, widths);
  };
  const titles = line(cols.map((c) => c.title));
  const tails = new TailCells(cols.slice(2));
  const rows = plan.flows.map((f) => {
    const tail = tails.of(f);
    const names = [f.source.name, f.destination.name];
    if (tail.cut || names.some((c, i) => c.length > widths[i]!)) cutCell = true;
    return `${names.map((c, i) => fit(c, widths[i]!)).join(' ')} ${tail.text}`;
  });
  const notes = plan.notes.map((n) => fit(`note: ${n}`, width).trimEnd());
  // Said in the output itself, where the shortened text is: a reader must not take "…" for the whole note.
  const cut = plan.notes.some((n) => `note: ${n}`.length > width) || cutCell;
  const shortened = cut ? [shortenedNotice] : [];
  return `${[head, '', titles, ...rows, '', ...notes, ...shortened].join('\n')}\n`;
}

interface Column {
  readonly width: number;
  readonly value: (f: Flow) => string;
}

/**
 * The row's end (PORT, PHASE, ROWS), fitted once for every flow with the same rows list, protocol, ports and phase:
 * the flows of one class of alike hosts share their rows list, so 300,000 rows fit a few dozen ends.
 */
class TailCells {
  private readonly cache = new Map<readonly string[], { readonly flow: Flow; readonly text: string; readonly cut: boolean }[]>();

  constructor(private readonly cols: readonly Column[]) {}

  of(f: Flow): { readonly text: string; readonly cut: boolean } {
    let list = this.cache.get(f.rows);
    if (!list) this.cache.set(f.rows, (list = []));
    const same = list.find(({ flow }) => flow.protocol === f.protocol && flow.ports === f.ports && flow.phase === f.phase);
    if (same) return same;
    const cells = this.cols.map((c) => c.value(f));
    const made = { flow: f, text: fittedRow(cells, this.cols.map((c) => c.width)), cut: cells.some((c, i) => c.length > this.cols[i]!.width) };
    list.push(made);
    return made;
  }
}

/** The table's last line when a name or note did not fit: how to read them whole. */
export const shortenedNotice = '(… marks a name or note cut to fit 100 columns: --format json or markdown shows it whole)';
