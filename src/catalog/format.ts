import { PortRange } from '../net/port.js';
import { markdownCell } from '../text/cells.js';
import type { CatalogRevision, CatalogRow, PortSpec, Reading } from './types.js';

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
  return `${out.join('\n')}\n`;
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
  return `${out.join('\n')}\n`;
}
