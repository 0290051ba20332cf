import { describe, expect, it } from 'vitest';
import { progressBar } from '../../src/probe/progress.js';

describe('progress bar', () => {
  it('draws nothing on a pipe', () => {
    let out = '';
    const bar = progressBar({ write: (s: string) => (out += s) }, 'probing');
    bar.update(1, 2);
    bar.update(2, 2);
    bar.end();
    expect(out).toBe('');
  });

  it('draws on a terminal, always the last state, and erases itself', () => {
    let out = '';
    const bar = progressBar({ write: (s: string) => (out += s), isTTY: true }, 'probing', 10, 1_000_000);
    bar.update(1, 4); // first draw
    bar.update(2, 4); // throttled
    bar.update(4, 4); // the end is always drawn
    bar.end();
    expect(out).toBe('\rprobing [###.......] 1/4\rprobing [##########] 4/4\r\u001b[2K');
  });
});
