import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { scenarioNames, scenarioPlan, scenarios } from '../support/scenarios.js';
import { renderTarget, targetNames, targets } from '../../src/targets/registry.js';

/*
 * The golden files hold each file's `content`; `render --out` writes the large ones (src/targets/lines-file.ts)
 * line by line through its own buffer instead, and `render` without --out prints them in chunks. Both must give the
 * golden bytes: every file of every target for every scenario, as the CLI writes and prints them.
 */
const golden = join(import.meta.dirname, '..', 'golden');
const out = mkdtempSync(join(tmpdir(), 'scomfw-render-out-'));
afterAll(() => {
  rmSync(out, { recursive: true, force: true });
});

function filesUnder(dir: string, prefix = ''): string[] {
  if (!existsSync(join(dir, prefix))) return [];
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? filesUnder(dir, join(prefix, e.name)) : [join(prefix, e.name)]))
    .sort();
}

describe('render --out writes the golden bytes', () => {
  it.each(scenarioNames)('%s, --target all', async (scenario) => {
    const dir = join(out, scenario);
    const r = await runCli(['render', scenarios[scenario], '--target', 'all', '--out', dir]);
    expect(r.code, r.stderr).toBe(0);
    for (const target of targetNames()) {
      const expected = join(golden, target, scenario);
      expect(filesUnder(join(dir, target)), `${target}/${scenario}`).toEqual(filesUnder(expected));
      for (const file of filesUnder(expected)) {
        const written = readFileSync(join(dir, target, file));
        expect(written.equals(readFileSync(join(expected, file))), `${target}/${scenario}/${file}`).toBe(true);
      }
    }
  });
});

describe('render without --out prints the golden text', () => {
  it.each(['iptables', 'nftables', 'csv', 'markdown', 'verify-powershell'])('%s of branch-agents', async (target) => {
    const r = await runCli(['render', scenarios['branch-agents'], '--target', target]);
    expect(r.code, r.stderr).toBe(0);
    // In the target's order, which the golden listing (sorted) need not be.
    const files = renderTarget(targets.get(target)!, scenarioPlan('branch-agents'), {}).map((f) => f.path);
    expect([...files].sort()).toEqual(filesUnder(join(golden, target, 'branch-agents')));
    const printed = files.length === 1
      ? readFileSync(join(golden, target, 'branch-agents', files[0]!), 'utf8')
      : files.map((f, i) => `${i > 0 ? '\n' : ''}==> ${f} <==\n${readFileSync(join(golden, target, 'branch-agents', f), 'utf8')}`).join('');
    expect(r.stdout).toBe(printed);
  });
});
