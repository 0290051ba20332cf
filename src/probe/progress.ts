/** A one-line progress bar on a terminal; nothing at all when the stream is a pipe or a file. */
export interface Progress {
  update(done: number, total: number): void;
  /** Erases the bar so that what follows starts on a clean line. */
  end(): void;
}

interface Stream {
  write(text: string): unknown;
  readonly isTTY?: boolean;
}

const silent: Progress = { update: () => undefined, end: () => undefined };

export function progressBar(stream: Stream, label: string, width = 30, minIntervalMs = 80): Progress {
  if (!stream.isTTY) return silent;
  let last = 0;
  let drawn = false;
  return {
    update(done, total) {
      const now = Date.now();
      // Redrawing on every probe would cost more than the probes on a fast LAN.
      if (done < total && now - last < minIntervalMs) return;
      last = now;
      const filled = total === 0 ? width : Math.round((done / total) * width);
      stream.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total}`);
      drawn = true;
    },
    end() {
      if (drawn) stream.write('\r\u001b[2K');
    },
  };
}
