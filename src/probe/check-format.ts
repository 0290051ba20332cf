import pc from 'picocolors';
import type { ProbeResult, ProbeState, ResultsFile } from './results.js';
import { fit, fitRight, wrap } from '../text/columns.js';
import { markupText } from '../text/markup.js';
import { portLabel } from './text.js';
import { fails, type FailRule } from './verdict.js';

export const checkFormats = ['table', 'json', 'junit'] as const;
export type CheckFormat = (typeof checkFormats)[number];

export function formatCheck(file: ResultsFile, format: CheckFormat, rule: FailRule, color = false): string {
  switch (format) {
    case 'json':
      return resultsJson(file);
    case 'junit':
      return checkJunit(file, rule);
    case 'table':
      return checkTable(file, rule, color);
  }
}

/** The result file: two-space indent, trailing newline, key order as docs/results.md shows it. */
export function resultsJson(file: ResultsFile): string {
  return `${JSON.stringify(file, null, 2)}\n`;
}

const paint: Readonly<Record<ProbeState, (s: string) => string>> = {
  open: pc.green,
  closed: pc.red,
  filtered: pc.red,
  'open|filtered': pc.yellow,
  unprovable: pc.dim,
};

const columns = [
  { title: 'DESTINATION', width: 20, value: (r: ProbeResult) => r.destination },
  { title: 'ADDRESS', width: 18, value: (r: ProbeResult) => r.address },
  { title: 'PORT', width: 17, value: (r: ProbeResult) => `${portLabel(r)}${r.phase === 'install' ? ' i' : ''}` },
  { title: 'STATE', width: 13, value: (r: ProbeResult) => r.state },
  { title: 'REASON', width: 16, value: (r: ProbeResult) => r.reason },
] as const;
const rttWidth = 8;
const width = 100;

/** The human table: fits 100 columns; the failing rows are explained below it, unprovable ones summed up. */
export function checkTable(file: ResultsFile, rule: FailRule, color = false): string {
  const head = [
    `${file.managementGroup}: ${file.results.length} probes from ${file.source.name}, catalog ${file.catalog}`,
    `timeout ${file.settings.timeoutMs} ms ${file.settings.adaptive ? 'adaptive' : 'fixed'}, ${file.settings.retries} ${file.settings.retries === 1 ? 'retry' : 'retries'}, concurrency ${file.settings.concurrency}`,
    '',
    [...columns.map((c) => fit(c.title, c.width)), fitRight('RTT ms', rttWidth)].join(' '),
  ];
  const rows = file.results.map((r) => {
    const cells = columns.map((c) => {
      const cell = fit(c.value(r), c.width);
      return color && c.title === 'STATE' ? paint[r.state](cell) : cell;
    });
    return [...cells, fitRight(r.rttMs === null ? '-' : r.rttMs.toFixed(2), rttWidth)].join(' ').trimEnd();
  });
  return `${[...head, ...rows, '', ...footer(file, rule).flatMap((l) => wrap(l, width, { indent: '  ', cutLongWords: true }))].join('\n')}\n`;
}

function footer(file: ResultsFile, rule: FailRule): string[] {
  const s = file.summary;
  const lines = [`summary: ${s.open} open, ${s.closed} closed, ${s.filtered} filtered, ${s['open|filtered']} open|filtered, ${s.unprovable} unprovable`];
  if (file.results.some((r) => r.phase === 'install')) lines.push('i: install-only flow (can be closed after installation)');
  const failing = file.results.filter((r) => fails(r, rule));
  for (const r of failing) lines.push(`FAIL ${portLabel(r)} to ${r.destination} (${r.address}): ${r.state}, ${r.reason}: ${r.detail}`);
  for (const [detail, count] of countBy(file.results.filter((r) => !fails(r, rule) && r.state !== 'open'), (r) => `${r.state}: ${r.detail}`)) {
    lines.push(`${count} × ${detail}`);
  }
  lines.push(failing.length ? `${failing.length} required ${failing.length === 1 ? 'flow is' : 'flows are'} not open` : 'every required flow that could be proved is open');
  return lines;
}

function countBy<T>(items: readonly T[], key: (t: T) => string): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
  return counts;
}

/**
 * JUnit XML, as CI servers read it: one testsuite for the source, one testcase per result. A required flow
 * proved not open is a <failure>; open|filtered and unprovable rows are <skipped> (not proved either way),
 * unless --strict makes them failures.
 */
export function checkJunit(file: ResultsFile, rule: FailRule): string {
  const seconds = Math.max(0, (Date.parse(file.finishedAt) - Date.parse(file.startedAt)) / 1000);
  const failures = file.results.filter((r) => fails(r, rule)).length;
  const skipped = file.results.filter((r) => !fails(r, rule) && r.state !== 'open').length;
  const a = (name: string, value: string | number) => `${name}="${markupText(String(value))}"`;
  const counts = [a('tests', file.results.length), a('failures', failures), a('errors', 0), a('skipped', skipped), a('time', seconds.toFixed(3))].join(' ');
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites ${a('name', `scomfw check ${file.managementGroup}`)} ${counts}>`,
    `  <testsuite ${a('name', `from ${file.source.name}`)} ${counts} ${a('timestamp', file.startedAt)}>`,
  ];
  for (const r of file.results) out.push(...testcase(file, r, rule));
  out.push('  </testsuite>', '</testsuites>');
  return `${out.join('\n')}\n`;
}

function testcase(file: ResultsFile, r: ProbeResult, rule: FailRule): string[] {
  const name = `${portLabel(r)} to ${r.destination} ${r.address}`;
  const time = r.rttMs === null ? '0' : (r.rttMs / 1000).toFixed(4);
  const open = `    <testcase classname="${markupText(`${file.source.name}>${r.destination}`)}" name="${markupText(name)}" time="${time}">`;
  const message = markupText(`${r.state} (${r.reason})`);
  if (fails(r, rule)) return [open, `      <failure message="${message}" type="${markupText(r.state)}">${markupText(`${r.flow}: ${r.detail}`)}</failure>`, '    </testcase>'];
  if (r.state !== 'open') return [open, `      <skipped message="${markupText(`${r.state} (${r.reason}): ${r.detail}`)}"/>`, '    </testcase>'];
  return [`${open.slice(0, -1)}/>`];
}
