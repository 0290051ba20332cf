import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import type { BenchSection } from './harness.js';
import { median, timed, type Run } from './process.js';

const repo = join(import.meta.dirname, '..');
const rounds = Number(process.env.SCOMFW_BENCH_STARTUP_ROUNDS ?? 7);

/** The two ways to start the CLI: tsc's module tree, and the esbuild bundle that is the `scomfw` command. */
const builds = [
  ['modules (dist/cli/main.js)', join(repo, 'dist', 'cli', 'main.js')],
  ['bundle (dist/bin/scomfw.js)', join(repo, 'dist', 'bin', 'scomfw.js')],
] as const;

const commands: readonly (readonly string[])[] = [
  ['--version'],
  ['validate', 'examples/minimal.yaml'],
  ['plan', 'examples/contoso.yaml'],
  ['render', 'examples/contoso.yaml', '--target', 'all'],
];

/**
 * Start-up: small commands, where loading the program is most of the time, run from tsc's modules and from the
 * bundle in alternating rounds, so load on the machine falls on both alike.
 */
export function bench(): Promise<BenchSection[]> {
  const missing = builds.find(([, path]) => !existsSync(path));
  if (missing) return Promise.resolve([{ title: 'start-up', columns: ['skipped'], rows: [[`${missing[1]} missing: run npm run build first`]] }]);
  const load = loadavg()[0] ?? 0;
  const rows = commands.flatMap((argv) => {
    const runs = builds.map((): Run[] => []);
    for (let i = 0; i < rounds; i++) builds.forEach(([, path], b) => runs[b]!.push(timed([process.execPath, path, ...argv])));
    return builds.map(([name], b) => {
      const r = runs[b]!;
      const cpu = r.flatMap((x) => (x.cpuSeconds === undefined ? [] : [x.cpuSeconds]));
      return [`scomfw ${argv.join(' ')}`, name, median(r.map((x) => x.seconds)).toFixed(3), cpu.length ? median(cpu).toFixed(3) : 'n/a', Math.round(Math.max(...r.map((x) => x.peakMiB ?? 0)))];
    });
  });
  return Promise.resolve([
    {
      title: `start-up: modules against the bundle (${rounds} paired rounds, alternating)`,
      columns: ['command', 'build', 'median wall s', 'median CPU s', 'peak RSS MiB'],
      rows,
      notes: [`${cpus().length} CPUs, load average ${load.toFixed(2)} at the start; Node ${process.version}; node -e 0 for reference: ${timed([process.execPath, '-e', '0']).seconds.toFixed(3)} s`],
    },
  ]);
}
