/**
 * Writes text that comes in chunks (the plan's formats at 150,000 agents: 25 MB of table, 290 MB of JSON) as it
 * comes, never as one string, waiting for the stream to drain whenever it asks to (a pipe to a slow reader holds
 * at most a chunk or two in memory). A stream that closes early (`scomfw plan | head`) ends the writing quietly:
 * the reader chose to stop, which is not an error (main.ts ends the process on EPIPE with the exit code so far).
 */
import { Buffer } from 'node:buffer';
import { Writable } from 'node:stream';

export interface ChunkSink {
  write(text: string): unknown;
}

/** A writable stream's events, where the sink has them (process.stdout); a sink without them is never waited on. */
interface Drainable {
  once(event: 'drain' | 'close' | 'error', listener: (e?: unknown) => void): unknown;
  removeListener(event: 'drain' | 'close' | 'error', listener: (e?: unknown) => void): unknown;
  readonly destroyed?: boolean;
}

/**
 * Chunks of text, or of its UTF-8 bytes where the maker has them: a stream (process.stdout) takes the bytes as they
 * are, any other sink (a test's) is given them as text. After each chunk of bytes the maker is told (next(true))
 * whether nothing holds that chunk any more, so that it may make the next one in the same memory.
 */
export async function writeChunks(sink: ChunkSink, chunks: Iterable<string | Uint8Array>): Promise<void> {
  const events = drainable(sink) ? sink : undefined;
  const iterator = chunks[Symbol.iterator]();
  let released: boolean | undefined;
  for (let next = iterator.next(); !next.done; next = iterator.next(released)) {
    if (events?.destroyed) return;
    const chunk = next.value;
    const written = writeOne(sink, chunk);
    released = typeof chunk !== 'string' && nothingHeld(sink);
    if (written === false && events && !(await drained(events))) return;
  }
}

function writeOne(sink: ChunkSink, chunk: string | Uint8Array): unknown {
  if (typeof chunk === 'string') return sink.write(chunk);
  return sink instanceof Writable ? sink.write(chunk) : sink.write(utf8(chunk));
}

/**
 * Nothing of what was written is held any more: a stream that has written it all (a file, or a pipe that took it
 * at once) counts none of it in writableLength; a sink that is not a stream was given a copy, as text.
 */
function nothingHeld(sink: ChunkSink): boolean {
  return !(sink instanceof Writable) || sink.writableLength === 0;
}

function utf8(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
}

function drainable(sink: ChunkSink): sink is ChunkSink & Drainable {
  const s = sink as Partial<Drainable>;
  return typeof s.once === 'function' && typeof s.removeListener === 'function';
}

/** True once the stream drains; false if it closes or fails first (the failure is the stream's owner's to report). */
function drained(stream: Drainable): Promise<boolean> {
  return new Promise((resolve) => {
    const done = (ok: boolean) => () => {
      stream.removeListener('drain', onDrain);
      stream.removeListener('close', onEnd);
      stream.removeListener('error', onEnd);
      resolve(ok);
    };
    const onDrain = done(true);
    const onEnd = done(false);
    stream.once('drain', onDrain);
    stream.once('close', onEnd);
    stream.once('error', onEnd);
  });
}
