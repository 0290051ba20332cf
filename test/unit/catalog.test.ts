import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogRevision } from '../../src/catalog/index.js';
import type { CatalogRow, DocCells } from '../../src/catalog/types.js';

const fixtures = join(import.meta.dirname, '..', 'fixtures', 'reference');

/** The body rows of the first markdown table in a file, split into trimmed cells. */
function tableRows(path: string): string[][] {
  const lines = readFileSync(path, 'utf8').split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const table = lines.slice(start).filter((l, i, all) => l.startsWith('|') && all.slice(0, i).every((x) => x.startsWith('|')));
  return table.slice(2).map((l) => l.slice(1, l.lastIndexOf('|')).split('|').map((c) => c.trim()));
}

const docCells = (row: CatalogRow) => {
  const d: DocCells = row.doc;
  return [d.featureA, d.portAndDirection, d.featureB, d.configurable, d.note];
};

describe('catalog 2016-08', () => {
  const seed = tableRows(join(fixtures, 'seed-2016-08.md'));
  const rows = catalogRevision('2016-08').rows;

  it('holds exactly the 19 rows of the seed page', () => {
    expect(seed).toHaveLength(19);
    expect(rows).toHaveLength(19);
  });

  it('keeps every cell of the seed table verbatim, in page order', () => {
    expect(rows.map(docCells)).toEqual(seed);
  });
});

/**
 * The reference quotes the 2024-11 table with some notes shortened: "…" stands for omitted text,
 * "(install-time note as above)" for row 1's note, "*(empty)*" for an empty cell.
 */
function matchesQuoted(actual: string, quoted: string, firstRowNote: string): boolean {
  if (quoted === '*(empty)*') return actual === '';
  if (quoted === '(install-time note as above)') return actual === firstRowNote;
  if (!quoted.includes('...')) return actual === quoted;
  const parts = quoted.split('...').map((p) => p.trim()).filter(Boolean);
  let at = 0;
  for (const [i, part] of parts.entries()) {
    const found = actual.indexOf(part, at);
    if (found < 0 || (i === 0 && !quoted.startsWith('...') && found !== 0)) return false;
    at = found + part.length;
  }
  return true;
}

describe('catalog 2024-11', () => {
  const quoted = tableRows(join(fixtures, 'scom-ports-1.7.md'));
  const rows = catalogRevision('2024-11').rows;

  it('holds exactly the 28 rows of reference/scom-ports.md §1.7', () => {
    expect(quoted).toHaveLength(28);
    expect(rows).toHaveLength(28);
  });

  it.each(rows.map((r, i) => [r.id, r, i] as const))('%s matches the quoted cells', (_id, row, i) => {
    const expected = quoted[i]!;
    const actual = docCells(row);
    const firstNote = rows[0]!.doc.note;
    const mismatches = actual.flatMap((cell, c) => (matchesQuoted(cell, expected[c]!, firstNote) ? [] : [{ cell: c, actual: cell, quoted: expected[c] }]));
    expect(mismatches).toEqual([]);
  });

  it('the quote matcher rejects a changed cell', () => {
    expect(matchesQuoted('Port 5724/TCP must be open to install', 'Port 5724/TCP must be open to install ...', '')).toBe(true);
    expect(matchesQuoted('Port 5723/TCP must be open to install', 'Port 5724/TCP must be open to install ...', '')).toBe(false);
    expect(matchesQuoted('x', '*(empty)*', '')).toBe(false);
  });
});

describe('catalog data', () => {
  it.each(['2016-08', '2024-11'] as const)('%s: row ids are unique and numbered in page order', (rev) => {
    const rows = catalogRevision(rev).rows;
    expect(rows.map((r) => r.id)).toEqual(rows.map((_, i) => `${rev}#${i + 1}`));
  });

  it.each(['2016-08', '2024-11'] as const)('%s: every reading uses roles of its revision and valid ports', (rev) => {
    const cat = catalogRevision(rev);
    for (const row of cat.rows) {
      expect(row.readings.length, row.id).toBeGreaterThan(0);
      for (const r of row.readings) {
        expect(cat.roles, row.id).toContain(r.source);
        expect(cat.roles, row.id).toContain(r.destination);
        if (r.ports.kind === 'fixed') expect(r.ports.from <= r.ports.to && r.ports.from >= 1 && r.ports.to <= 65535, row.id).toBe(true);
        expect(r.ports.kind === 'none', row.id).toBe(r.protocol === 'icmp');
      }
    }
  });

  it('the errata the issue names are data with evidence', () => {
    const c16 = catalogRevision('2016-08');
    const row = (n: number) => c16.rows[n - 1]!;
    expect(row(8).readings[0]!.ports).toEqual({ kind: 'fixed', from: 5724, to: 5724 });
    expect(row(8).erratum?.evidence).toMatch(/§2\.2/);
    expect(row(3).readings).toEqual(row(13).readings);
    expect(row(4).readings[0]!.ports).toEqual({ kind: 'setting', setting: 'sqlPort' });
    expect(row(4).erratum?.text).toMatch(/sqlPort/);
    // Issue 7 item 8: 51908 stays in the cell, the default is the IIS site's 80.
    expect(c16.rows[8]!.doc.portAndDirection).toBe('51908 --->');
    expect(c16.portDefaults.webConsolePort).toBe(80);
    expect(catalogRevision('2024-11').portDefaults.webConsolePort).toBe(80);
  });
});
