const unitMs: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 };

/**
 * "30s", "10m", "1h", "1h30m", "500ms", or a bare number of seconds; returns milliseconds, or undefined when the
 * text is not a duration. Zero is refused: a listener that stops at once is a mistake, not a wish.
 */
export function parseDuration(text: string): number | undefined {
  const t = text.trim().toLowerCase();
  if (/^\d+(\.\d+)?$/.test(t)) return positive(Number(t) * 1000);
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(t)) return undefined;
  let total = 0;
  for (const [, amount = '', unit = ''] of t.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) total += Number(amount) * (unitMs[unit] ?? 0);
  return positive(total);
}

function positive(ms: number): number | undefined {
  return Number.isFinite(ms) && ms >= 1 ? Math.round(ms) : undefined;
}

/** 600000 → "10m", 5400000 → "1h30m", 1500 → "1.5s". */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  if (ms % 60_000 !== 0) return `${ms / 1000}s`;
  const h = Math.floor(ms / 3_600_000);
  const m = (ms % 3_600_000) / 60_000;
  return `${h ? `${h}h` : ''}${m ? `${m}m` : ''}`;
}
