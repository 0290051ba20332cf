import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crlfText, lfText } from '../../src/text/lines.js';

/*
 * File texts are joined in one pass (src/text/lines.ts), for speed and so that no rope is left for the writer to
 * copy. Whatever the lines (none, empty ones, ones holding line ends themselves), the text must be each line
 * followed by its line end, as the plain definition says, and a text with no lines is LF's one empty line.
 */
describe('file texts from lines', () => {
  it('are every line followed by its line end', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom('', '\n', '\r\n', 'x\ny'))), (lines) => {
        expect(crlfText(lines)).toBe(lines.map((l) => `${l}\r\n`).join(''));
        expect(lfText(lines)).toBe(`${lines.join('\n')}\n`);
      }),
      { numRuns: 500 },
    );
    expect(lfText([])).toBe('\n');
    expect(crlfText([])).toBe('');
  });
});
