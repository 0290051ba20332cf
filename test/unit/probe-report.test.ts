import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { mergeResults, parseResultsFile, type LoadedResults } from '../../src/probe/report.js';
import { formatReport } from '../../src/probe/report-format.js';
import type { ResultsFile } from '../../src/probe/results.js';
import { UserError } from '../../src/topology/errors.js';
import { scenarioPlan } from '../support/scenarios.js';

const dir = join(import.meta.dirname, '..', 'fixtures', 'results');
const load = (name: string): LoadedResults => parseResultsFile(readFileSync(join(dir, name), 'utf8'), name);
const node = () => load('sample-node.json');
const ps = () => load('sample-powershell.json');

function firstRow<T>(holder: { data: { results: readonly T[] } } | { rows: readonly T[] }): T {
  const row = 'rows' in holder ? holder.rows[0] : holder.data.results[0];
  if (!row) throw new Error('empty');
  return row;
}

function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(UserError);
    return (e as UserError).format();
  }
  throw new Error('no error');
}

describe('reading result files', () => {
  it('reads the PowerShell sample', () => {
    expect(ps().data.prober).toBe('powershell');
  });

  it('reads what Windows PowerShell 5 writes: a byte order mark, 7-digit fractions and a UTC offset (Get-Date -Format o)', () => {
    const data = JSON.parse(readFileSync(join(dir, 'sample-node.json'), 'utf8')) as ResultsFile;
    const text = `\uFEFF${JSON.stringify({ ...data, prober: 'powershell', startedAt: '2024-11-20T10:15:02.1140000+01:00', finishedAt: '2024-11-20T10:15:02.7712345+01:00' })}`;
    expect(parseResultsFile(text, 'ps.json').data.finishedAt).toBe('2024-11-20T10:15:02.7712345+01:00');
  });

  it('a file that is not JSON names the file', () => {
    expect(errorOf(() => parseResultsFile('{ nope', 'bad.json'))).toMatch(/^bad\.json: not JSON/);
  });

  it('a schema problem names the file and the JSON path', () => {
    const data = JSON.parse(readFileSync(join(dir, 'sample-node.json'), 'utf8')) as ResultsFile;
    const broken = { ...data, results: data.results.map((r, i) => (i === 3 ? { ...r, state: 'up' } : r)) };
    expect(errorOf(() => parseResultsFile(JSON.stringify(broken), 'ms01.json'))).toMatch(/^ms01\.json: results\[3\]\.state: /);
    expect(errorOf(() => parseResultsFile(JSON.stringify({ ...data, format: 'x' }), 'f.json'))).toMatch(/^f\.json: format: /);
  });

  it('a summary that does not count the results is refused', () => {
    const data = JSON.parse(readFileSync(join(dir, 'sample-node.json'), 'utf8')) as ResultsFile;
    expect(errorOf(() => parseResultsFile(JSON.stringify({ ...data, summary: { ...data.summary, open: 99 } }), 'f.json'))).toMatch(/summary\.open: says 99, the results hold 16/);
  });
});

describe('merging results into one matrix', () => {
  it('keeps every row of every file, sorted by source, destination and port', () => {
    const m = mergeResults([ps(), node()], { strict: false });
    expect(m.rows.length).toBe(node().data.results.length + ps().data.results.length);
    expect(m.rows[0]?.source).toBe('gw01.dmz.contoso.com');
    const ms01 = m.rows.filter((r) => r.source === 'ms01.contoso.com' && r.destination === 'sql01.contoso.com').map((r) => r.port);
    expect(ms01).toEqual(['tcp/135', 'tcp/445', 'tcp/1433', 'tcp/49152-65535', 'udp/137']);
  });

  it('fails on closed and filtered only; --strict also on open|filtered and unprovable', () => {
    const m = mergeResults([node(), ps()], { strict: false });
    expect(m.rows.filter((r) => r.fails).map((r) => `${r.source}>${r.address}:${r.port}:${r.state}`)).toEqual([
      'gw01.dmz.contoso.com>10.0.1.13:tcp/5723:filtered',
      'ms01.contoso.com>10.21.5.7:tcp/445:filtered',
      'ms01.contoso.com>10.0.1.12:tcp/5724:closed',
    ]);
    const strict = mergeResults([node(), ps()], { strict: true });
    expect(strict.failing).toBe(m.failing + m.counts['open|filtered'] + m.counts.unprovable);
  });

  it('the same result in two files: the later one wins, and a note says so', () => {
    const first = node();
    const later: LoadedResults = {
      file: 'again.json',
      data: { ...first.data, finishedAt: '2024-11-21T08:00:00.000Z', results: first.data.results.map((r) => (r.state === 'closed' ? { ...r, state: 'open', reason: 'syn-ack' } : r)) },
    };
    const m = mergeResults([later, first], { strict: false });
    expect(m.rows.length).toBe(first.data.results.length);
    expect(m.rows.find((r) => r.port === 'tcp/5724' && r.address === '10.0.1.12')?.state).toBe('open');
    expect(m.notes[0]).toMatch(/found in more than one file: the most recent is shown/);
  });

  it('with the plan: every planned flow no file covers is "not covered" (failing only with --strict)', () => {
    const plan = scenarioPlan('contoso');
    const m = mergeResults([node(), ps()], { strict: false }, plan);
    const covered = new Set([...node().data.results, ...ps().data.results].map((r) => r.flow));
    const missing = plan.flows.filter((f) => !covered.has(f.id));
    expect(m.counts['not covered']).toBe(missing.length);
    expect(m.rows.filter((r) => r.state === 'not covered').every((r) => !r.fails && r.detail.includes(`run scomfw check on ${r.source}`))).toBe(true);
    expect(mergeResults([node()], { strict: true }, plan).rows.filter((r) => r.state === 'not covered').every((r) => r.fails)).toBe(true);
  });

  it('with an operate plan, install-only results no longer fail', () => {
    const plan = { ...scenarioPlan('contoso'), phase: 'operate' as const };
    const m = mergeResults([node()], { strict: false }, plan);
    expect(m.rows.find((r) => r.port === 'tcp/445' && r.address === '10.21.5.7')).toMatchObject({ state: 'filtered', fails: false });
  });

  it('rows for flows outside the plan are kept, marked, and never fail', () => {
    const first = node();
    const odd: LoadedResults = { file: 'odd.json', data: { ...first.data, results: [{ ...firstRow(first), flow: 'ms01.contoso.com>gone:tcp/1', destination: 'gone', state: 'closed', reason: 'refused' }], summary: { open: 0, closed: 1, filtered: 0, 'open|filtered': 0, unprovable: 0 } } };
    const m = mergeResults([odd], { strict: false }, scenarioPlan('contoso'));
    expect(m.rows.find((r) => r.destination === 'gone')).toMatchObject({ inPlan: false, fails: false });
    expect(m.notes.join(' ')).toMatch(/not in the plan/);
  });

  it('results of different management groups are not merged', () => {
    const other: LoadedResults = { file: 'fab.json', data: { ...node().data, managementGroup: 'FABRIKAM' } };
    expect(errorOf(() => mergeResults([node(), other], { strict: false }))).toMatch(/different management groups .*fab\.json: FABRIKAM/);
  });
});

describe('report formats', () => {
  const matrix = () => mergeResults([node(), ps()], { strict: false }, scenarioPlan('contoso'));

  it('the table fits 100 columns and ends with the verdict', () => {
    const text = formatReport(matrix(), 'table');
    expect(Math.max(...text.split('\n').map((l) => Array.from(l).length))).toBeLessThanOrEqual(100);
    expect(text.trimEnd().split('\n').at(-1)).toBe('3 required flows are not open');
  });

  it('json carries the rows, counts and verdict', () => {
    const json = JSON.parse(formatReport(matrix(), 'json')) as { format: string; version: number; failing: number; rows: unknown[]; summary: Record<string, number> };
    expect([json.format, json.version, json.failing]).toEqual(['scomfw-report', 1, 3]);
    expect(json.rows.length).toBe(matrix().rows.length);
  });

  it('markdown escapes cell text', () => {
    const m = matrix();
    const hostile = { ...m, rows: [{ ...firstRow(m), detail: 'a | b <script>' }] };
    expect(formatReport(hostile, 'markdown')).toContain('a \\| b &lt;script&gt;');
  });

  it('html is one self-contained page and escapes every value', () => {
    const m = matrix();
    const hostile = { ...m, managementGroup: '<img src=x onerror=alert(1)>', rows: [{ ...firstRow(m), destination: '"><script>alert(1)</script>' }] };
    const html = formatReport(hostile, 'html');
    expect(html).not.toMatch(/<script|<img|<link|src=["']?http/i);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
  });
});
