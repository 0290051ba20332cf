import { portsText, protocolPorts } from '../../src/net/port.js';
import { planJson, planJsonNormalized } from '../../src/plan/contract.js';
import type { PlanFormat } from '../../src/plan/format.js';
import type { Flow, Plan } from '../../src/plan/types.js';
import { csvField, markdownCell } from '../../src/text/cells.js';
import { fit, fittedRow } from '../../src/text/columns.js';
import { crlfText } from '../../src/text/lines.js';

/*
 * The plan's formats written the straightforward way, flow by flow from `plan.flows`, into one string: what
 * `scomfw plan` printed before it wrote from classes in chunks (src/plan/format.ts). Tests hold the streamed,
 * class-templated output to these bytes.
 */

export function referencePlanText(plan: Plan, format: PlanFormat): string {
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

const portText = (f: Flow) => protocolPorts(f.protocol, f.ports);
const shortRows = (f: Flow) => f.rows.map((r) => r.slice(r.indexOf('#'))).join(' ');
const csvColumns = ['id', 'source', 'source_zone', 'source_addresses', 'destination', 'destination_zone', 'destination_addresses', 'protocol', 'ports', 'phase', 'rows', 'notes'];

function planCsv(plan: Plan): string {
  const lines = [csvColumns.join(',')];
  for (const f of plan.flows) {
    lines.push(
      [f.id, f.source.name, f.source.zone, f.source.addresses.join(' '), f.destination.name, f.destination.zone, f.destination.addresses.join(' '),
        f.protocol, portsText(f.ports), f.phase, f.rows.join(' '), f.notes.join('; ')].map(csvField).join(','),
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
const shortenedNotice = '(… marks a name or note cut to fit 100 columns: --format json or markdown shows it whole)';

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
  const rows = plan.flows.map((f) => line(cols.map((c) => c.value(f))));
  const notes = plan.notes.map((n) => fit(`note: ${n}`, width).trimEnd());
  const cut = plan.notes.some((n) => `note: ${n}`.length > width) || cutCell;
  return `${[head, '', titles, ...rows, '', ...notes, ...(cut ? [shortenedNotice] : [])].join('\n')}\n`;
}
