import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { writeTree } from '../../src/cli/output.js';
import { joinedParts, linesFile, linesOf, movedFile, textChunks, type LineEnd, type LineWriter } from '../../src/targets/lines-file.js';
import { crlfText, lfText } from '../../src/text/lines.js';

/*
 * A file made from lines (src/targets/lines-file.ts) is written in chunks and never held as one text by the CLI.
 * Whatever the lines and the chunk size, the chunks must join to exactly the text lfText or crlfText makes, the
 * file's content must be that text, and a file written by writeTree must hold those bytes (UTF-8, lines longer
 * than the writer's buffer included).
 */
const dir = mkdtempSync(join(tmpdir(), 'scomfw-lines-file-'));
afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

const anyLine = fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), fc.constantFrom('', '\n', '\r\n', 'x\ny', 'ü€😀'));
const anyLines = fc.array(anyLine, { maxLength: 40 });

/** An entry of a file's lines, and the lines it stands for. */
interface Part {
  readonly entry: string | readonly string[] | LineWriter;
  readonly given: readonly string[];
}

/**
 * A writer of these lines; every other line given in parts (its halves, with an empty part between), cut between
 * characters as the contract asks (half of a surrogate pair alone is not a character, and is written as U+FFFD).
 */
const writerOf =
  (run: readonly string[]): LineWriter =>
  (line) => {
    run.forEach((l, i) => {
      const characters = Array.from(l);
      const half = characters.length >> 1;
      if (i % 2 === 1) line(...joinedParts([characters.slice(0, half).join(''), characters.slice(half).join('')], ''));
      else line(l);
    });
  };
const anyEnd = fc.constantFrom<LineEnd>('\n', '\r\n');
const textOf = (lines: readonly string[], eol: LineEnd): string => (eol === '\n' ? lfText : crlfText)(lines);

describe('files made from lines', () => {
  it('come in chunks that join to the text of their lines, at any chunk size', () => {
    fc.assert(
      fc.property(anyLines, anyEnd, fc.integer({ min: 1, max: 64 }), (lines, eol, size) => {
        const file = linesFile('f', () => lines, eol);
        const chunks = [...textChunks(linesOf(file)!, size)];
        expect(chunks.join('')).toBe(textOf(lines, eol));
        // Whole lines only, and no empty chunk (a file of no lines with CRLF is no chunk at all).
        for (const c of chunks) expect(c === '\n' || c.endsWith(eol)).toBe(true);
        expect(file.content).toBe(textOf(lines, eol));
      }),
      { numRuns: 400 },
    );
  });

  it('read once, are an ordinary file: content kept, nothing left to make', () => {
    let made = 0;
    const file = linesFile('a/b.txt', () => {
      made += 1;
      return ['one', 'two'];
    });
    expect(made).toBe(0);
    expect(linesOf(file)).toBeDefined();
    expect(file.content).toBe('one\ntwo\n');
    expect(file.content).toBe('one\ntwo\n');
    expect(made).toBe(1);
    expect(linesOf(file)).toBeUndefined();
    expect(Object.getOwnPropertyDescriptor(file, 'content')).toMatchObject({ value: 'one\ntwo\n', enumerable: true });
    expect(JSON.parse(JSON.stringify(file))).toEqual({ path: 'a/b.txt', content: 'one\ntwo\n' });
    expect({ ...file }).toEqual({ path: 'a/b.txt', content: 'one\ntwo\n' });
  });

  it('moved under another path, are still made only when needed', () => {
    let made = 0;
    const file = linesFile('b.ps1', () => {
      made += 1;
      return ['x'];
    }, '\r\n');
    const moved = movedFile(file, 'target/b.ps1');
    expect(made).toBe(0);
    expect(moved.path).toBe('target/b.ps1');
    expect(linesOf(moved)?.eol).toBe('\r\n');
    expect(moved.content).toBe('x\r\n');
    expect(movedFile({ path: 'c', content: 'text' }, 'd/c')).toEqual({ path: 'd/c', content: 'text' });
  });

  it('are written by writeTree as the bytes of their text, long lines and non-ASCII included', () => {
    fc.assert(
      fc.property(anyLines, anyEnd, fc.nat({ max: 3 }), (lines, eol, run) => {
        // A line of 100,000 three-byte characters is more than the writer's 256 KiB buffer holds.
        const all = run === 0 ? [...lines, '€'.repeat(100_000), ...lines] : lines;
        const out = join(dir, `t${run}`);
        writeTree(out, [linesFile('deep/f.txt', () => all, eol), { path: 'plain.txt', content: 'plain\n' }]);
        expect(readFileSync(join(out, 'deep/f.txt'), 'utf8')).toBe(textOf(all, eol));
        expect(readFileSync(join(out, 'deep/f.txt')).equals(Buffer.from(textOf(all, eol)))).toBe(true);
        expect(readFileSync(join(out, 'plain.txt'), 'utf8')).toBe('plain\n');
      }),
      { numRuns: 60 },
    );
  });

  it('given runs and writers of lines among their lines, are the text of every line in order, however read or written', () => {
    // Runs and writers empty or not, next to each other or first or last: a file whose every run and writer is empty
    // is a file of no lines. A writer gives the lines of its list (`given`), so the expected text is known.
    const anyRun = fc.array(anyLine, { maxLength: 6 });
    const anyEntry = fc.oneof(
      anyLine.map((line): Part => ({ entry: line, given: [line] })),
      anyRun.map((run): Part => ({ entry: run, given: run })),
      anyRun.map((run): Part => ({ entry: writerOf(run), given: run })),
    );
    let n = 0;
    fc.assert(
      fc.property(fc.array(anyEntry, { maxLength: 12 }), anyEnd, fc.integer({ min: 1, max: 64 }), (parts, eol, size) => {
        const entries = parts.map((p) => p.entry);
        const text = textOf(parts.flatMap((p) => p.given), eol);
        const chunks = [...textChunks(linesOf(linesFile('f', () => entries, eol))!, size)];
        expect(chunks.join('')).toBe(text);
        expect(linesFile('f', () => entries, eol).content).toBe(text);
        const out = join(dir, `runs${n++}`);
        writeTree(out, [linesFile('f.txt', () => entries, eol)]);
        expect(readFileSync(join(out, 'f.txt')).equals(Buffer.from(text))).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});
