import { Buffer } from 'node:buffer';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { writeChunks } from '../../src/cli/write-chunks.js';
import { ByteChunk } from '../../src/text/byte-chunk.js';

/*
 * The table is written as bytes made in one buffer that is used again whenever the stream says it holds none of
 * the last chunk. A stream that keeps a chunk for later (a pipe to a slow reader) must get every chunk intact.
 */

/** Lines 0..count-1 as the table's maker writes them: into a ByteChunk, taken every `size` bytes. */
function* lines(count: number, size: number): Generator<Buffer, void, boolean | undefined> {
  const out = new ByteChunk(size);
  for (let k = 0; k < count; k++) {
    out.fitted(`line ${k}`, 12);
    out.text('|é\n');
    if (out.length >= size && (yield out.take()) === true) out.reuse();
  }
  if (out.length > 0) yield out.take();
}

const expected = (count: number): string => Array.from({ length: count }, (_, k) => `${`line ${k}`.padEnd(12)}|é\n`).join('');

/** A stream that takes its chunks now (sync) or keeps them until later, as a pipe to a slow reader does. */
function collector(later: boolean): { stream: Writable; text: () => string } {
  const got: Buffer[] = [];
  const pending: (() => void)[] = [];
  const stream = new Writable({
    highWaterMark: 1 << 20,
    write(chunk: Buffer, _encoding, done) {
      const keep = () => {
        got.push(Buffer.from(chunk));
        done();
      };
      if (later) pending.push(keep);
      else keep();
    },
  });
  return {
    stream,
    text: () => {
      while (pending.length > 0) pending.shift()!();
      return Buffer.concat(got).toString('utf8');
    },
  };
}

describe('writeChunks with chunks of bytes', () => {
  it('gives a chunk back to its maker once the stream has written it, and the text is whole', async () => {
    const sink = collector(false);
    let reused = 0;
    const chunks = lines(5000, 256);
    const counting = {
      [Symbol.iterator]: () => ({
        next: (free?: boolean) => {
          if (free === true) reused++;
          return chunks.next(free);
        },
      }),
    };
    await writeChunks(sink.stream, counting);
    expect(sink.text()).toBe(expected(5000));
    expect(reused).toBeGreaterThan(100);
  });

  it('does not give back a chunk the stream still holds', async () => {
    const sink = collector(true);
    await writeChunks(sink.stream, lines(5000, 256));
    // Every chunk is still in the stream, none written yet: had one been given back, later ones would overwrite it.
    expect(sink.stream.writableLength).toBe(Buffer.byteLength(expected(5000)));
    expect(sink.text()).toBe(expected(5000));
  });

  it('gives a sink that is not a stream the bytes as text', async () => {
    let text = '';
    await writeChunks({ write: (t: string) => (text += t) }, lines(3000, 100));
    expect(text).toBe(expected(3000));
  });
});
