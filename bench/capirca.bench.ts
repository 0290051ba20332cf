import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { catalogRevision } from '../src/catalog/index.js';
import { derivePlan } from '../src/plan/derive.js';
import { loadDeployment } from '../src/topology/index.js';
import { writeCapircaInputs } from './capirca.js';
import { generateDeployment, toJson } from './generate.js';
import type { BenchSection } from './harness.js';
import { median, timed, which, type Run } from './process.js';

const agents = Number(process.env.SCOMFW_BENCH_CAPIRCA_AGENTS ?? 15_000);
const rounds = Number(process.env.SCOMFW_BENCH_CAPIRCA_ROUNDS ?? 5);
// The `scomfw` command users run: the bundle (scripts/bundle.mjs).
const cli = join(import.meta.dirname, '..', 'dist', 'bin', 'scomfw.js');
const scomfwTargets = 'windows-powershell,nftables,iptables';

/**
 * scomfw against Capirca (aclgen --optimize) on the same generated deployment: scomfw renders windows-powershell,
 * nftables and iptables for every host; Capirca writes windows_advfirewall, nftables and iptables for the
 * openings scomfw plans into the management servers (the part a Capirca user would write a policy for). Each
 * tool runs as its real command, timed from process start to exit; one paired run alternates them, so load on
 * the machine falls on both alike. Peak memory is the child's maximum RSS (GNU time), where /usr/bin/time exists.
 */
export function bench(): Promise<BenchSection[]> {
  const aclgen = which('aclgen');
  const skipped = (why: string): BenchSection[] => [{ title: 'scomfw vs Capirca', columns: ['skipped'], rows: [[why]] }];
  if (!aclgen) return Promise.resolve(skipped('aclgen not installed (Debian: apt-get install python3-capirca)'));
  if (!existsSync(cli)) return Promise.resolve(skipped('dist/bin/scomfw.js missing: run npm run build first'));
  const dir = mkdtempSync(join(tmpdir(), 'scomfw-capirca-'));
  try {
    const file = join(dir, `bench-${agents}.json`);
    const text = toJson(generateDeployment({ agents }));
    writeFileSync(file, text);
    const plan = derivePlan(loadDeployment(text, file), catalogRevision('2024-11'));
    const terms = writeCapircaInputs(join(dir, 'capirca'), plan);
    const scomfw = () => timed([process.execPath, cli, 'render', file, '--target', scomfwTargets, '--out', join(dir, 'scomfw-out')]);
    const capirca = () =>
      timed([aclgen, `--base_directory=${join(dir, 'capirca', 'policies')}`, `--definitions_directory=${join(dir, 'capirca', 'def')}`, `--output_directory=${join(dir, 'capirca-out')}`, '--optimize']);
    const load = loadavg()[0] ?? 0;
    // One warm-up of each (file cache, Python's bytecode), then the paired, alternating rounds.
    scomfw();
    capirca();
    const manifest = join(dir, 'floor-manifest.json');
    const outputs = filesUnder(join(dir, 'scomfw-out'));
    const written = outputs.length;
    writeFileSync(manifest, JSON.stringify(outputs));
    for (const out of ['capirca-out', 'scomfw-out']) rmSync(join(dir, out), { recursive: true, force: true });
    const floor = (...mode: string[]) => () => timed([process.execPath, join(import.meta.dirname, 'workers', 'floor.mjs'), file, manifest, join(dir, 'floor-out'), ...mode]);
    const writeFloor = floor();
    const parseFloor = floor('--parse');
    const bare = () => timed([process.execPath, '-e', '0']);
    const ours: Run[] = [];
    const theirs: Run[] = [];
    const floors: Run[] = [];
    const parses: Run[] = [];
    const bares: Run[] = [];
    for (let i = 0; i < rounds; i++) {
      ours.push(scomfw());
      theirs.push(capirca());
      floors.push(writeFloor());
      // Capirca skips writing files whose content did not change; remove them so every round writes. Every tool
      // writes into a new directory, so none pays for truncating the files of the round before.
      for (const out of ['capirca-out', 'scomfw-out', 'floor-out']) rmSync(join(dir, out), { recursive: true, force: true });
      parses.push(parseFloor());
      rmSync(join(dir, 'floor-out'), { recursive: true, force: true });
      bares.push(bare());
    }
    const mine = median(ours.map((r) => r.seconds));
    const peer = median(theirs.map((r) => r.seconds));
    const least = median(floors.map((r) => r.seconds));
    const parsed = median(parses.map((r) => r.seconds));
    const nothing = median(bares.map((r) => r.seconds));
    const peak = (runs: readonly Run[]) => {
      const known = runs.flatMap((r) => (r.peakMiB === undefined ? [] : [r.peakMiB]));
      return known.length > 0 ? Math.round(Math.max(...known)) : 'n/a';
    };
    const cpu = (runs: readonly Run[]) => {
      const known = runs.flatMap((r) => (r.cpuSeconds === undefined ? [] : [r.cpuSeconds]));
      return known.length > 0 ? median(known).toFixed(2) : 'n/a';
    };
    return Promise.resolve([
      {
        title: `scomfw vs Capirca, ${agents.toLocaleString('en')} agents, three formats each (${rounds} paired rounds, alternating)`,
        columns: ['tool', 'command', 'median s', 'all runs s', 'median CPU s', 'peak RSS MiB'],
        rows: [
          ['scomfw', `render --target ${scomfwTargets}`, mine.toFixed(2), ours.map((r) => r.seconds.toFixed(2)).join(' '), cpu(ours), peak(ours)],
          ['Capirca', 'aclgen --optimize (windows_advfirewall, nftables, iptables)', peer.toFixed(2), theirs.map((r) => r.seconds.toFixed(2)).join(' '), cpu(theirs), peak(theirs)],
          ['ratio', 'scomfw / Capirca (medians)', (mine / peer).toFixed(3), '', '', ''],
          ['floor', `node: read the deployment's bytes, write scomfw's ${written} files of filler`, least.toFixed(2), floors.map((r) => r.seconds.toFixed(2)).join(' '), cpu(floors), peak(floors)],
          ['floor ratio', 'floor / Capirca (medians)', (least / peer).toFixed(3), '', '', ''],
          ['parse floor', 'the floor, and JSON.parse of the deployment', parsed.toFixed(2), parses.map((r) => r.seconds.toFixed(2)).join(' '), cpu(parses), peak(parses)],
          ['parse floor ratio', 'parse floor / Capirca (medians)', (parsed / peer).toFixed(3), '', '', ''],
          ['node', 'node -e 0', nothing.toFixed(2), bares.map((r) => r.seconds.toFixed(2)).join(' '), cpu(bares), peak(bares)],
        ],
        notes: [
          `Capirca policy: ${terms} terms (every opening scomfw plans into the 10 management servers), sources listed address by address; scomfw renders every host and zone pair`,
          `floor: the least a Node.js program can take to give scomfw's answer here (its input read, the same files and bytes written, nothing parsed or computed): a ratio below it is out of reach for any Node.js program writing these files`,
          `parse floor: the floor, and the deployment parsed by V8's JSON.parse (C++): the least a Node.js program that reads its input can take; planning and writing the text come on top`,
          `each as a real process, timed from start to exit; ${cpus().length} CPUs, load average ${load.toFixed(2)} at the start; Node ${process.version}`,
        ],
      },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Every file under `root`, as [path relative to it, size in bytes]. */
function filesUnder(root: string): [string, number][] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => {
      const full = join(e.parentPath, e.name);
      return [relative(root, full), statSync(full).size];
    });
}
