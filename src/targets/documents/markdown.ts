import { markdownCell as cell } from '../../text/cells.js';
import type { Plan } from '../../plan/types.js';
import { changeRequest, type ChangeRequest, type ChangeRow, type ZoneSection } from './change-request.js';
import type { RenderedFile, Target } from '../types.js';
import { joinedParts, linesFile, type Lines } from '../lines-file.js';

export { ruleCounts } from './change-request.js';

const header = ['#', 'Sources', 'Source addresses', 'Destinations', 'Destination addresses', 'Protocol', 'Ports', 'Install only', 'Why', 'Catalog rows'];

export const markdown: Target = {
  name: 'markdown',
  summary: 'a firewall change request as Markdown tables per zone pair, zone crossings first (change-request.md)',
  options: ['host'],
  render(plan: Plan, options): RenderedFile[] {
    const request = changeRequest(plan, options);
    return [linesFile('change-request.md', () => documentLines(request, listCells()))];
  },
};

/** A list's cell: its items separated by commas. */
type ListCell = (list: readonly string[]) => string;

/**
 * List cells made once per list object: rules of several kinds of flow from one set of sources share its lists
 * (class-groups.ts), so 150,000 names are joined and escaped once.
 */
function listCells(): ListCell {
  const made = new Map<readonly string[], string>();
  return (list) => {
    let text = made.get(list);
    if (text === undefined) made.set(list, (text = inert(list.join(', '))));
    return text;
  };
}

/** The characters markdownCell (src/text/cells.ts) changes: text without any is its own cell. */
const escaped = /[\\`*_[\]|~&<>\r\n\u2028\u2029]/;

/** markdownCell, skipping its five passes over a megabyte of names that need none. */
function inert(text: string): string {
  return escaped.test(text) ? cell(text) : text;
}

function documentLines(request: ChangeRequest, list: ListCell): Lines {
  return [
    `# Firewall change request: SCOM management group ${cell(request.managementGroup)}`,
    '',
    `Catalog revision ${cell(request.catalog)}, phase ${cell(request.phase)}. Written by scomfw from the deployment's plan.`,
    'Each row is one rule: every source may reach every destination on the ports given, and nothing more.',
    'All flows are stateful (replies are allowed). "Install only" rows can be closed once SCOM is installed.',
    '',
    ...(request.notes.length ? ['Plan notes:', '', ...request.notes.map((n) => `- ${cell(n)}`), ''] : []),
    '## Zone crossings',
    '',
    ...sectionsLines(request.crossings, 'No flow crosses from one zone to another.', list),
    '## Within one zone',
    '',
    'For host firewalls and segmentation inside a zone; a firewall between zones never sees these flows.',
    '',
    ...sectionsLines(request.withinZones, 'No flow stays within one zone.', list),
  ];
}

function sectionsLines(sections: readonly ZoneSection[], none: string, list: ListCell): Lines {
  if (sections.length === 0) return [none, ''];
  return sections.flatMap((s) => [
    `### ${cell(s.sourceZone)} → ${cell(s.destinationZone)}`,
    '',
    tableRow(header),
    tableRow(header.map(() => '---')),
    // Rows written in their cells: a cell may be megabytes of names.
    (line) => {
      for (const r of s.rows) line('| ', ...joinedParts(rowCells(r, list), ' | '), ' |');
    },
    '',
  ]);
}

function rowCells(r: ChangeRow, list: ListCell): string[] {
  return [
    cell(r.id),
    list(r.sources),
    list(r.sourceAddresses),
    list(r.destinations),
    list(r.destinationAddresses),
    cell(r.protocol),
    cell(r.ports),
    r.installOnly ? 'yes' : 'no',
    cell(r.why),
    cell(r.rows.join(', ')),
  ];
}

const tableRow = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;
