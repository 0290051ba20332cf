import { PortRange } from '../net/port.js';
import { markdownCell } from '../text/cells.js';
import type { CatalogRevision, CatalogRow, OwnRow, PortSpec, Reading } from './types.js';

export const catalogFormats = ['table', 'markdown', 'json'] as const;
export type CatalogFormat = (typeof catalogFormats)[number];

export function formatCatalog(revision: CatalogRevision, format: CatalogFormat): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(revision, null, 2)}\n`;
    case 'markdown':
      return catalogMarkdown(revision);
    case 'table':
      return catalogText(revision);
  }
}

/** "agent → management-server tcp/agentPort (always, reportsTo)". */
export function readingText(r: Reading): string {
  const extras = [r.phase, r.pairing, ...(r.when ? [`when ${r.when}`] : [])].join(', ');
  return `${r.source} → ${r.destination} ${r.protocol}/${portSpecText(r.ports)} (${extras})`;
}

function portSpecText(p: PortSpec): string {
  if (p.kind === 'none') return 'echo';
  if (p.kind === 'setting') return p.setting;
  return PortRange.of(p.from, p.to).toString();
}

/** Each row: the doc's cells, then the reading, then the erratum if any. */
function catalogText(revision: CatalogRevision): string {
  const out = [`Catalog ${revision.revision}: ${revision.title}`, `Source: ${revision.source}`, ''];
  for (const row of revision.rows) out.push(...rowText(row), '');
  out.push(...ownRowsHeading, '');
  for (const row of revision.ownRows) out.push(...ownRowText(row), '');
  return `${out.join('\n')}\n`;
}

const ownRowsHeading = [
  "scomfw's own rows: flows SCOM needs that Microsoft's table does not list. They are scomfw's reading, not Microsoft's;",
  'each cites its source, and an optional one applies only when its feature is on under features:.',
];

function ownRowText(row: OwnRow): string[] {
  return [
    `${row.id}  [scomfw's own row${row.feature ? `; optional feature: ${row.feature}` : ''}]`,
    `  what:       ${row.title}`,
    ...row.readings.map((r, i) => `  ${i === 0 ? 'reading:' : '        '}    ${readingText(r)}`),
    `  configured: ${row.configuredBy}`,
    `  source:     ${row.source}`,
  ];
}

function rowText(row: CatalogRow): string[] {
  const d = row.doc;
  return [
    `${row.id}${row.feature ? `  [optional feature: ${row.feature}]` : ''}`,
    `  doc:        ${d.featureA} | ${d.portAndDirection} | ${d.featureB || '(empty)'} | ${d.configurable}${d.note ? ` | ${d.note}` : ''}`,
    ...row.readings.map((r, i) => `  ${i === 0 ? 'reading:' : '        '}    ${readingText(r)}`),
    `  configured: ${row.configuredBy}`,
    ...(row.erratum ? [`  erratum:    ${row.erratum.text}`, `              evidence: ${row.erratum.evidence}`] : []),
  ];
}

function catalogMarkdown(revision: CatalogRevision): string {
  const out = [
    `# Catalog ${revision.revision}`,
    '',
    `${revision.title}. Source: ${revision.source}.`,
    '',
    '| row | feature A | port and direction | feature B | configurable | note | reading | erratum |',
    '|---|---|---|---|---|---|---|---|',
  ];
  for (const row of revision.rows) {
    const d = row.doc;
    const reading = row.readings.map((r) => markdownCell(readingText(r))).join('<br>');
    const erratum = row.erratum ? `${row.erratum.text} (${row.erratum.evidence})` : '';
    const cells = [row.id, d.featureA, d.portAndDirection, d.featureB, d.configurable, d.note].map(markdownCell);
    out.push(`| ${[...cells, reading, markdownCell(erratum)].join(' | ')} |`);
  }
  out.push('', "## scomfw's own rows", '', ownRowsHeading.join(' '), '', '| row | what | feature | reading | source |', '|---|---|---|---|---|');
  for (const row of revision.ownRows) {
    const reading = row.readings.map((r) => markdownCell(readingText(r))).join('<br>');
    out.push(`| ${[row.id, row.title, row.feature ?? 'always'].map(markdownCell).join(' | ')} | ${reading} | ${markdownCell(row.source)} |`);
  }
  return `${out.join('\n')}\n`;
}
