import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';

/**
 * Issue 8 item 16: the docs' console examples are the real output. Every ```console block of README.md and docs/
 * whose command is a pure scomfw command (plan, catalog, validate, render: nothing probed, nothing sent) on a file of
 * the repository is run; its lines must appear in the output in order, a "..." line standing for any lines.
 */
const repo = join(import.meta.dirname, '..', '..');
const pages = ['README.md', ...readdirSync(join(repo, 'docs')).filter((f) => f.endsWith('.md')).map((f) => `docs/${f}`)];
const pure = /^\$ (?:npx )?scomfw (plan|catalog|validate|render)\b(.*)$/;

interface Example {
  readonly page: string;
  readonly argv: string[];
  readonly expected: string[];
}

function examples(): Example[] {
  const out: Example[] = [];
  for (const page of pages) {
    const text = readFileSync(join(repo, page), 'utf8');
    for (const m of text.matchAll(/```console\n([\s\S]*?)```/g)) {
      const [command = '', ...expected] = (m[1] ?? '').replace(/\n$/, '').split('\n');
      const c = pure.exec(command);
      if (!c || command.includes('|')) continue; // a pipe into jq or the like: not scomfw's own output
      const argv = [c[1] ?? '', ...(c[2] ?? '').trim().split(/\s+/).filter(Boolean)];
      if (argv.slice(1).some((a) => /\.(ya?ml|json)$/.test(a) && !existsInRepo(a))) continue; // a user's file, not ours
      out.push({ page, argv, expected });
    }
  }
  return out;
}

function existsInRepo(path: string): boolean {
  try {
    readFileSync(join(repo, path));
    return true;
  } catch {
    return false;
  }
}

/** Each run of lines between "..." lines must appear, consecutively, after the previous run. */
function expectInOrder(actual: string[], expected: string[], where: string): void {
  const runs: string[][] = [[]];
  for (const line of expected) {
    if (line.trim() === '...') runs.push([]);
    else runs.at(-1)?.push(line);
  }
  let from = 0;
  for (const run of runs.filter((r) => r.length > 0)) {
    let at = -1;
    for (let i = from; i + run.length <= actual.length && at < 0; i++) if (run.every((l, k) => actual[i + k] === l)) at = i;
    expect(at, `${where}: these lines are not in the real output, in this order:\n${run.join('\n')}\n--- real output ---\n${actual.join('\n')}`).toBeGreaterThanOrEqual(0);
    from = at + run.length;
  }
}

describe('the docs\' console examples', () => {
  const found = examples();

  it('include the plan example of docs/plan.md', () => {
    expect(found.some((e) => e.page === 'docs/plan.md' && e.argv[0] === 'plan')).toBe(true);
  });

  it.each(found.map((e) => [`${e.page}: scomfw ${e.argv.join(' ')}`, e] as const))('%s prints what the page shows', async (where, e) => {
    const r = await runCli(e.argv);
    expectInOrder(r.stdout.replace(/\n$/, '').split('\n'), e.expected, where);
  });
});

describe('README', () => {
  it('names the Node.js version package.json engines asks for', () => {
    const engines = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
    const wanted = /^>=(\d+(?:\.\d+)*)$/.exec(engines)?.[1];
    expect(wanted).toBeDefined();
    expect(readFileSync(join(repo, 'README.md'), 'utf8')).toContain(`Node.js ${wanted ?? ''} or later`);
  });

  it('says how to install the CLI outside the checkout, from a tarball and from a clone', () => {
    const readme = readFileSync(join(repo, 'README.md'), 'utf8');
    expect(readme).toContain('npm install -g ./scomfw-0.1.0.tgz');
    expect(readme).toContain('npm install -g .');
    expect(readme).toContain(`scomfw-${(JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { version: string }).version}.tgz`);
  });
});
