import { importScom } from '../src/import/index.js';
import { loadDeployment } from '../src/topology/index.js';
import { generateExport } from './generate-export.js';
import type { BenchSection } from './harness.js';

const runs = 5;

/** scomfw import scom on generated exports: time to the YAML text, and how small the file is. */
export function bench(): Promise<BenchSection[]> {
  const rows: (string | number)[][] = [];
  for (const [agents, spread] of [[15_000, 'subnet'], [15_000, 'round-robin'], [150_000, 'subnet']] as const) {
    const text = generateExport(agents, 10, spread);
    const times: number[] = [];
    let result = importScom(text, 'bench.json');
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      result = importScom(text, 'bench.json');
      times.push(performance.now() - t0);
    }
    const t1 = performance.now();
    loadDeployment(result.yaml, 'imported.yaml');
    const validateMs = performance.now() - t1;
    times.sort((a, b) => a - b);
    const lines = result.yaml.split('\n').length;
    rows.push([agents, spread, (text.length / 1024 / 1024).toFixed(1), times[0]!.toFixed(0), times[Math.floor(runs / 2)]!.toFixed(0), validateMs.toFixed(0), result.entries, lines, (result.yaml.length / 1024).toFixed(0)]);
  }
  return Promise.resolve([
    {
      title: `import scom (10 management servers; best and median of ${runs}, in one process)`,
      columns: ['agents', 'spread', 'export MiB', 'best ms', 'median ms', 'validate ms', 'host entries', 'YAML lines', 'YAML KiB'],
      rows,
      notes: [
        'subnet: 250 agents per subnet, one management server pair per subnet, one agent in twenty moved to another pair; round-robin: every 10th address per pair (worst case for aggregation)',
        'time: JSON text to YAML text (parse, check, group, aggregate, write); validate: loading the written file',
        `Node ${process.version}, ${process.arch}`,
      ],
    },
  ]);
}
