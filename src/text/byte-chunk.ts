import { Buffer } from 'node:buffer';
import { fit } from './columns.js';

/** Room past the chunk size for the line that crosses it, so that a chunk seldom has to grow. */
const slack = 1024;

const none = Buffer.alloc(0);

/**
 * A chunk of UTF-8 output made in place: lines are copied into it as they come and it is taken whole, so that no
 * string per line is made and nothing has to encode the text again on its way to the stream. A chunk taken is not
 * written into again unless it is given back (reuse): a stream may still hold it after write() returns. Given back,
 * one buffer serves the whole output, where a new one per chunk made 25 MB of fresh memory to fault in and collect.
 */
export class ByteChunk {
  private buffer: Buffer = none;
  private at = 0;
  /** The buffer of the chunk last taken, until the next one is begun. */
  private lent: Buffer | undefined;

  constructor(private readonly size: number) {}

  /** Bytes so far. */
  get length(): number {
    return this.at;
  }

  /** `text` as fit(text, n) makes it, without making that string where the text is ASCII and fits. */
  fitted(text: string, n: number): void {
    if (text.length > n) {
      this.text(fit(text, n));
      return;
    }
    this.room(n);
    const buffer = this.buffer;
    let at = this.at;
    for (let k = 0; k < text.length; k++) {
      const c = text.charCodeAt(k);
      // Not ASCII: one UTF-16 unit is not one byte; padEnd and the encoder count them as fit() does.
      if (c >= 0x80) {
        this.text(text.padEnd(n));
        return;
      }
      buffer[at++] = c;
    }
    for (let k = text.length; k < n; k++) buffer[at++] = 0x20;
    this.at = at;
  }

  text(text: string): void {
    // At most three bytes per UTF-16 unit.
    this.room(3 * text.length);
    this.at += this.buffer.write(text, this.at, 'utf8');
  }

  bytes(bytes: Uint8Array): void {
    this.room(bytes.length);
    // A loop, not set(): the pieces are a line's end (about 60 bytes), where set()'s call costs more than the copy.
    const buffer = this.buffer;
    let at = this.at;
    for (let k = 0; k < bytes.length; k++) buffer[at++] = bytes[k]!;
    this.at = at;
  }

  /** The chunk so far; the next one starts in a new buffer, unless this one is given back first. */
  take(): Buffer {
    const chunk = this.buffer.subarray(0, this.at);
    this.lent = this.buffer;
    this.buffer = none;
    this.at = 0;
    return chunk;
  }

  /** The chunk last taken is no longer needed by anyone: the next one is made in its buffer. */
  reuse(): void {
    if (this.lent && this.at === 0) this.buffer = this.lent;
    this.lent = undefined;
  }

  private room(n: number): void {
    if (this.at + n <= this.buffer.length) return;
    const larger = Buffer.allocUnsafe(Math.max(this.size + slack, 2 * this.buffer.length, this.at + n));
    this.buffer.copy(larger, 0, 0, this.at);
    this.buffer = larger;
  }
}
