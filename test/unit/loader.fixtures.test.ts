import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadDeployment, UserErrors } from '../../src/topology/index.js';

/**
 * Every file under test/fixtures/bad holds one user mistake. Its first line (for JSON: the sidecar
 * NAME.expect) says where the loader must point and words the one-line error must contain:
 * `# expect: <line>:<column> <words of the message or hint>`.
 */
const dir = join(import.meta.dirname, '..', 'fixtures', 'bad');
const files = readdirSync(dir).filter((f) => /\.(ya?ml|json)$/.test(f)).sort();

function expectation(file: string): { line: number; column: number; words: string } {
  const source = file.endsWith('.json') ? readFileSync(join(dir, file.replace(/\.json$/, '.expect')), 'utf8') : readFileSync(join(dir, file), 'utf8');
  const m = /^# expect: (\d+):(\d+) (.+)$/m.exec(source.split('\n')[0] ?? '');
  if (!m) throw new Error(`${file}: no "# expect: line:column words" line`);
  return { line: Number(m[1]), column: Number(m[2]), words: m[3] ?? '' };
}

describe('user mistakes in test/fixtures/bad', () => {
  it('has at least 15 distinct mistakes', () => {
    expect(files.length).toBeGreaterThanOrEqual(15);
  });

  it.each(files)('%s is refused at the expected line:column, with a hint', (file) => {
    const want = expectation(file);
    let thrown: unknown;
    try {
      loadDeployment(readFileSync(join(dir, file), 'utf8'), `test/fixtures/bad/${file}`);
    } catch (e) {
      thrown = e;
    }
    expect(thrown).toBeInstanceOf(UserErrors);
    const errors = (thrown as UserErrors).errors;
    const at = errors.filter((e) => e.position?.line === want.line && e.position.column === want.column);
    expect(at.map((e) => e.format()).join('\n'), (thrown as UserErrors).format()).toContain(want.words);
    expect(at.every((e) => (e.hint ?? '').length > 0)).toBe(true);
    expect(errors.every((e) => e.position?.file === `test/fixtures/bad/${file}`)).toBe(true);
  });
});
