import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { expect } from 'vitest';
import type { RenderedFile } from '../../src/targets/types.js';

const root = join(import.meta.dirname, '..', 'golden');

/**
 * Compares rendered files with test/golden/<target>/<scenario>/. With UPDATE_GOLDEN=1 it rewrites them instead
 * (review the diff before committing). Extra or missing files fail too.
 */
export function expectGolden(target: string, scenario: string, files: readonly RenderedFile[]): void {
  const dir = join(root, target, scenario);
  if (process.env.UPDATE_GOLDEN === '1') {
    rmSync(dir, { recursive: true, force: true });
    for (const f of files) {
      mkdirSync(dirname(join(dir, f.path)), { recursive: true });
      writeFileSync(join(dir, f.path), f.content);
    }
    return;
  }
  const committed = listFiles(dir);
  expect(files.map((f) => f.path).sort(), `files under test/golden/${target}/${scenario}`).toEqual(committed);
  for (const f of files) {
    expect(f.content, `test/golden/${target}/${scenario}/${f.path}`).toBe(readFileSync(join(dir, f.path), 'utf8'));
  }
}

function listFiles(dir: string, prefix = ''): string[] {
  let entries;
  try {
    entries = readdirSync(join(dir, prefix), { withFileTypes: true });
  } catch {
    return [];
  }
  return entries
    .flatMap((e) => (e.isDirectory() ? listFiles(dir, join(prefix, e.name)) : [join(prefix, e.name)]))
    .sort();
}
