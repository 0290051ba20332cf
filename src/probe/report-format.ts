import type { Matrix, MatrixRow, MatrixState } from './report.js';
import { matrixStates } from './report.js';
import { markdownCell } from '../text/cells.js';
import { fit, wrap } from '../text/columns.js';
import { groupBy } from '../text/group.js';
import { markupText } from '../text/markup.js';
import { plural } from '../text/names.js';

export const reportFormats = ['table', 'markdown', 'html', 'json'] as const;
export type ReportFormat = (typeof reportFormats)[number];

export function formatReport(matrix: Matrix, format: ReportFormat): string {
  switch (format) {
    case 'json':
      return reportJson(matrix);
    case 'markdown':
      return reportMarkdown(matrix);
    case 'html':
      return reportHtml(matrix);
    case 'table':
      return reportTable(matrix);
  }
}


/** Prose in the report: continuation lines indented, nothing wider than the page. */
const hanging = { indent: '  ', cutLongWords: true } as const;

/** The merged matrix as JSON (docs/report.md): format "scomfw-report", version 1. */
export function reportJson(matrix: Matrix): string {
  const { managementGroup, catalog, files, rows, counts, failing, notes } = matrix;
  return `${JSON.stringify({ format: 'scomfw-report', version: 1, managementGroup, catalog, files, summary: counts, failing, notes, rows }, null, 2)}\n`;
}

function countsText(counts: Readonly<Record<MatrixState, number>>): string {
  return matrixStates.filter((s) => s !== 'not covered' || counts[s] > 0).map((s) => `${counts[s]} ${s}`).join(', ');
}

function verdictText(m: Matrix): string {
  return m.failing ? `${m.failing} required ${m.failing === 1 ? 'flow is' : 'flows are'} not open` : 'every required flow that could be proved is open';
}

const columns = [
  { title: 'DESTINATION', width: 26, value: (r: MatrixRow) => r.destination },
  { title: 'ADDRESS', width: 18, value: (r: MatrixRow) => r.address },
  { title: 'PORT', width: 17, value: (r: MatrixRow) => `${r.port}${r.phase === 'install' ? ' i' : ''}` },
  { title: 'STATE', width: 14, value: (r: MatrixRow) => `${r.fails ? '!' : ''}${r.state}` },
  { title: 'REASON', width: 16, value: (r: MatrixRow) => r.reason },
] as const;

/**
 * 100 columns: one block per source ("from NAME", with the file it came from), its rows below;
 * "!" marks a failing row, "i" an install-only flow.
 */
export function reportTable(m: Matrix): string {
  const head = [`${m.managementGroup}: ${m.rows.length} results from ${plural(m.files.length, 'file')}, catalog ${m.catalog}`];
  const line = (cell: (c: (typeof columns)[number]) => string) => `  ${columns.map((c) => fit(cell(c), c.width)).join(' ')}`.trimEnd();
  const blocks = [...groupBy(m.rows, (r) => r.source)].flatMap(([source, rows]) => ['', ...wrap(`from ${source}${origin(m, source)}`, 100, hanging), line((c) => c.title), ...rows.map((r) => line((c) => c.value(r)))]);
  const failing = m.rows.filter((r) => r.fails).map((r) => `FAIL ${r.port} from ${r.source} to ${r.destination} (${r.address}): ${r.state}, ${r.reason}: ${r.detail}`);
  const foot = ['', `summary: ${countsText(m.counts)}`, '!: a required flow that is not open; i: install-only flow', ...m.notes.map((n) => `note: ${n}`), ...failing, verdictText(m)];
  return `${[...head, ...blocks, ...foot.flatMap((l) => wrap(l, 100, hanging))].join('\n')}\n`;
}

/** " (ms01.json, node, 2024-11-20T09:15:02.771Z)", or " (no result file)" for a source only the plan names. */
function origin(m: Matrix, source: string): string {
  const files = m.files.filter((f) => f.source === source);
  if (files.length === 0) return ' (no result file)';
  return ` (${files.map((f) => `${f.file}, ${f.prober}, ${f.finishedAt}`).join('; ')})`;
}

export function reportMarkdown(m: Matrix): string {
  const out = [
    `# Flow check: ${markdownCell(m.managementGroup)}`,
    '',
    `Catalog ${markdownCell(m.catalog)}; ${m.rows.length} results from ${plural(m.files.length, 'file')}: ${countsText(m.counts)}.`,
    '',
    `**${verdictText(m)}.**`,
    '',
    ...m.notes.map((n) => `- ${markdownCell(n)}`),
    ...(m.notes.length ? [''] : []),
    '| source | destination | address | port | phase | state | reason | detail |',
    '|---|---|---|---|---|---|---|---|',
    ...m.rows.map((r) => `| ${[r.source, r.destination, r.address, r.port, r.phase, `${r.fails ? '❌ ' : ''}${r.state}`, r.reason, r.detail].map(markdownCell).join(' | ')} |`),
    '',
    '| result file | source | prober | started | finished |',
    '|---|---|---|---|---|',
    ...m.files.map((f) => `| ${[f.file, f.source, f.prober, f.startedAt, f.finishedAt].map(markdownCell).join(' | ')} |`),
  ];
  return `${out.join('\n')}\n`;
}

const css = `body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse;margin:1em 0}th,td{border:1px solid #ccc;padding:.25em .5em;text-align:left;vertical-align:top}
th{background:#f4f4f4}td.detail{color:#555;max-width:40em}
.open{background:#e3f6e3}.closed,.filtered{background:#fbe0e0}.open\\|filtered{background:#fff5d6}
.unprovable,.not-covered{background:#eee;color:#555}.fails{font-weight:bold}`;

/** One self-contained page: inline style, no script, every value escaped. */
export function reportHtml(m: Matrix): string {
  const e = markupText;
  const cls = (r: MatrixRow) => `${r.state === 'not covered' ? 'not-covered' : r.state}${r.fails ? ' fails' : ''}`;
  const row = (r: MatrixRow) =>
    `<tr><td>${e(r.source)}</td><td>${e(r.destination)}</td><td>${e(r.address)}</td><td>${e(r.port)}</td><td>${e(r.phase)}</td>` +
    `<td class="${e(cls(r))}">${r.fails ? '✗ ' : ''}${e(r.state)}</td><td>${e(r.reason)}</td><td class="detail">${e(r.detail)}</td></tr>`;
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Flow check: ${e(m.managementGroup)}</title>
<style>${css}</style>
</head>
<body>
<h1>Flow check: ${e(m.managementGroup)}</h1>
<p>Catalog ${e(m.catalog)}; ${m.rows.length} results from ${plural(m.files.length, 'file')}: ${e(countsText(m.counts))}.</p>
<p><strong>${e(verdictText(m))}.</strong></p>
${m.notes.length ? `<ul>${m.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>\n` : ''}<table>
<thead><tr><th>source</th><th>destination</th><th>address</th><th>port</th><th>phase</th><th>state</th><th>reason</th><th>detail</th></tr></thead>
<tbody>
${m.rows.map(row).join('\n')}
</tbody>
</table>
<table>
<thead><tr><th>result file</th><th>source</th><th>prober</th><th>started</th><th>finished</th></tr></thead>
<tbody>
${m.files.map((f) => `<tr><td>${e(f.file)}</td><td>${e(f.source)}</td><td>${e(f.prober)}</td><td>${e(f.startedAt)}</td><td>${e(f.finishedAt)}</td></tr>`).join('\n')}
</tbody>
</table>
</body>
</html>
`;
}
