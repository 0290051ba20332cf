/**
 * Writes text that comes in chunks (the plan's formats at 150,000 agents: 25 MB of table, 290 MB of JSON) as it
 * comes, never as one string, waiting for the stream to drain whenever it asks to (a pipe to a slow reader holds
 * at most a chunk or two in memory). A stream that closes early (`scomfw plan | head`) ends the writing quietly:
 * the reader chose to stop, which is not an error (main.ts ends the process on EPIPE with the exit code so far).
 */
export interface ChunkSink {
  write(text: string): unknown;
}

/** A writable stream's events, where the sink has them (process.stdout); a sink without them is never waited on. */
interface Drainable {
  once(event: 'drain' | 'close' | 'error', listener: (e?: unknown) => void): unknown;
  removeListener(event: 'drain' | 'close' | 'error', listener: (e?: unknown) => void): unknown;
  readonly destroyed?: boolean;
}

export async function writeChunks(sink: ChunkSink, chunks: Iterable<string>): Promise<void> {
  const events = drainable(sink) ? sink : undefined;
  for (const chunk of chunks) {
    if (events?.destroyed) return;
    if (sink.write(chunk) === false && events && !(await drained(events))) return;
  }
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
