import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hashCommentLines, safeText } from '../../src/targets/linux/text.js';

/*
 * hashCommentLines joins each line once from its words (src/targets/linux/text.ts), for the 150,000 names of a large
 * rule. The lines must be those of the plain definition below, the one it replaced: each item made safe, every item
 * but the last followed by a comma, words added to the line while it stays within the width (a line that holds
 * only its label or a lead-in always takes the next word), continuation lines led by "#   ".
 */
function plainHashCommentLines(label: string, items: readonly string[], width = 100): string[] {
  const lines: string[] = [];
  let line = `# ${safeText(label)}`;
  items.forEach((item, i) => {
    const word = `${safeText(item)}${i < items.length - 1 ? ',' : ''}`;
    if (line.length + 1 + word.length > width && line.length > 2) {
      lines.push(line);
      line = `#   ${word}`;
    } else line = `${line} ${word}`;
  });
  lines.push(line);
  return lines;
}

const word = fc.oneof(fc.string({ maxLength: 30 }), fc.constantFrom('', 'srv000001.corp.example', 'a  b', ' x ', '#"\\', 'ü'));

describe('hash comment lines', () => {
  it('are the lines of the plain definition, whatever the label, items and width', () => {
    fc.assert(
      fc.property(word, fc.array(word, { maxLength: 60 }), fc.integer({ min: 0, max: 120 }), (label, items, width) => {
        expect(hashCommentLines(label, items, width)).toEqual(plainHashCommentLines(label, items, width));
      }),
      { numRuns: 2000 },
    );
  });

  it('wrap at 100 characters by default', () => {
    const items = Array.from({ length: 50 }, (_, i) => `srv${String(i).padStart(6, '0')}.corp.example`);
    const lines = hashCommentLines('from:', items);
    expect(lines).toEqual(plainHashCommentLines('from:', items));
    expect(lines.length).toBeGreaterThan(1);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(100);
  });
});
