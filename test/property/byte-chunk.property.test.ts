import { Buffer } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ByteChunk } from '../../src/text/byte-chunk.js';
import { fit } from '../../src/text/columns.js';

/*
 * A ByteChunk (src/text/byte-chunk.ts) is where the plan table and every file made from lines are written: text,
 * fitted cells and byte pieces of any length, taken whenever the writer likes and its buffer given back or not.
 * Whatever the operations, the chunks taken must join to the UTF-8 of what was put in.
 */
type Op = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'fitted'; readonly text: string; readonly n: number } | { readonly kind: 'bytes'; readonly bytes: Uint8Array } | { readonly kind: 'take'; readonly reuse: boolean };

const anyText = fc.oneof(fc.string({ maxLength: 40 }), fc.string({ unit: 'grapheme', maxLength: 20 }), fc.constantFrom('', 'ü€😀', 'x'.repeat(300)));
const anyOp: fc.Arbitrary<Op> = fc.oneof(
  anyText.map((text): Op => ({ kind: 'text', text })),
  fc.record({ text: anyText, n: fc.integer({ min: 1, max: 40 }) }).map(({ text, n }): Op => ({ kind: 'fitted', text, n })),
  // Pieces longer than a small chunk, so that the chunk must grow.
  fc.uint8Array({ maxLength: 200 }).map((bytes): Op => ({ kind: 'bytes', bytes })),
  fc.boolean().map((reuse): Op => ({ kind: 'take', reuse })),
);

describe('ByteChunk', () => {
  it('gives back, across every take, the bytes of what was put in, whatever the pieces and the chunk size', () => {
    fc.assert(
      fc.property(fc.array(anyOp, { maxLength: 60 }), fc.integer({ min: 1, max: 256 }), (ops, size) => {
        const chunk = new ByteChunk(size);
        const taken: Buffer[] = [];
        const expected: Buffer[] = [];
        for (const op of ops) {
          if (op.kind === 'text') {
            chunk.text(op.text);
            expected.push(Buffer.from(op.text, 'utf8'));
          } else if (op.kind === 'fitted') {
            chunk.fitted(op.text, op.n);
            expected.push(Buffer.from(fit(op.text, op.n), 'utf8'));
          } else if (op.kind === 'bytes') {
            chunk.bytes(op.bytes);
            expected.push(Buffer.from(op.bytes));
          } else {
            // A chunk given back is written over by the next: keep a copy, as a writer that is done with it would.
            taken.push(Buffer.from(chunk.take()));
            if (op.reuse) chunk.reuse();
          }
        }
        taken.push(Buffer.from(chunk.take()));
        expect(Buffer.concat(taken).equals(Buffer.concat(expected))).toBe(true);
      }),
      { numRuns: 400 },
    );
  });
});
