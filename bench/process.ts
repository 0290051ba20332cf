import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** One run of a command: wall seconds from spawn to exit; CPU seconds (user + system) and peak RSS from GNU time. */
export interface Run {
  readonly seconds: number;
  readonly cpuSeconds: number | undefined;
  readonly peakMiB: number | undefined;
  readonly status: number;
}

/** Runs a command to completion and measures it; throws with its stderr when its exit code is not one of `expected`. */
export function timed(argv: readonly string[], expected: readonly number[] = [0]): Run {
  const time = existsSync('/usr/bin/time') ? '/usr/bin/time' : undefined;
  const report = join(tmpdir(), `scomfw-time-${process.pid}.txt`);
  const [command, ...args] = time ? [time, '-f', '%U %S %M', '-o', report, ...argv] : argv;
  const t0 = process.hrtime.bigint();
  const r = spawnSync(command!, args, { stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  if (r.status === null || !expected.includes(r.status)) throw new Error(`${argv.join(' ')} failed (${r.status}): ${r.stderr.slice(-2000)}`);
  if (!time) return { seconds, cpuSeconds: undefined, peakMiB: undefined, status: r.status };
  const [user = NaN, system = NaN, kib = NaN] = (readFileSync(report, 'utf8').trim().split('\n').at(-1) ?? '').split(' ').map(Number);
  rmSync(report, { force: true });
  return { seconds, cpuSeconds: user + system, peakMiB: kib / 1024, status: r.status };
}

export function which(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const path = join(dir, name);
    if (dir && existsSync(path)) return path;
  }
  return undefined;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
