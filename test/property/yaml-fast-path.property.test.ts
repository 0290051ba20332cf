import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import jsYaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { parseDocument, stringify } from 'yaml';
import { UserErrors } from '../../src/topology/errors.js';
import { loadDeployment } from '../../src/topology/index.js';
import { fastPlainData, tooDeepAt } from '../../src/topology/yaml-source.js';

/** A load's outcome, comparable across readers: the deployment, or the fact of refusal. */
function outcome(load: () => unknown): unknown {
  try {
    // Warnings are compared by message: the reference is read as JSON, so their positions differ by design.
    const accepted = load() as { warnings?: readonly { message: string }[] };
    return { accepted: { ...accepted, warnings: accepted.warnings?.map((w) => w.message) } };
  } catch (e) {
    if (e instanceof UserErrors) return 'refused';
    throw e;
  }
}

/** The reference reading alone: yaml's document, handed to the loader as JSON (which js-yaml never reads). */
function referenceOutcome(text: string): unknown {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) return 'refused';
  return outcome(() => loadDeployment(JSON.stringify(doc.toJS()), 'x.yaml')); // JSON text: read by JSON.parse
}

/**
 * The loader reads plain YAML with js-yaml for speed and falls back to yaml (the reference, with positions) when
 * the result does not validate. Wherever the fast path answers, it must read the same data as the reference,
 * or a file could mean one thing to the fast path and another to yaml.
 */
function expectAgreement(text: string): void {
  const fast = fastPlainData(text);
  if (!fast) return; // declined: the reference decides alone
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) return; // the reference refuses: the loader reports its errors, whatever js-yaml read
  expect(fast.value, text).toEqual(doc.toJS());
}

const repo = join(import.meta.dirname, '..', '..');
const yamlFiles = ['examples', 'test/scenarios', 'test/fixtures/bad'].flatMap((dir) =>
  readdirSync(join(repo, dir))
    .filter((f) => /\.ya?ml$/.test(f))
    .map((f) => join(dir, f)),
);

const tricky = ['yes', 'no', 'on', 'off', 'y', 'True', 'FALSE', 'null', 'Null', '~', '', '0755', '0o17', '0x1F', '0b101', '1e3', '.inf', '-.Inf', '.NaN', '-0', '-0.0', '+0', '010.0.0.1', '10.0.0.1', 'fd00::1', '2001:db8::5', '1_000', '1__0', '+12', '2024-11', '2001-12-14', '12:30', '1:20:30', '0.5', '.5', '5.', '1.0e+3', 'srv_01', '0', '00'];

describe('the js-yaml fast path reads what yaml reads', () => {
  it('takes the fast path for the examples (else it would be no faster)', () => {
    expect(fastPlainData(readFileSync(join(repo, 'examples', 'contoso.yaml'), 'utf8'))).toBeDefined();
  });

  it.each(yamlFiles)('%s', (path) => {
    expectAgreement(readFileSync(join(repo, path), 'utf8'));
  });

  it.each(tricky)('plain scalar %j, as a value, in a list and in flow style', (s) => {
    expectAgreement(`key: ${s}\n`);
    expectAgreement(`key:\n  - ${s}\n  - x\n`);
    expectAgreement(`key: [${s}, 1]\n`);
  });

  const scalar = fc.oneof(fc.string(), fc.constantFrom(...tricky), fc.integer(), fc.double({ noNaN: true }), fc.boolean(), fc.constant(null));
  const value = fc.letrec((tie) => ({
    node: fc.oneof({ maxDepth: 3 }, scalar, fc.array(tie('node'), { maxLength: 4 }), fc.dictionary(fc.string({ minLength: 1, maxLength: 8 }), tie('node'), { maxKeys: 4 })),
  })).node;

  it('on documents written by yaml and by js-yaml', () => {
    fc.assert(
      fc.property(value, (v) => {
        expectAgreement(stringify(v));
        expectAgreement(jsYaml.dump(v, { schema: jsYaml.CORE_SCHEMA }));
      }),
      { numRuns: 1000 },
    );
  });

  /**
   * What the loader guarantees: a file means the same whether the fast path or the reference reads it. The fast
   * path may read junk differently (a null key is "null" to js-yaml, "" to yaml), but junk is refused and then
   * read again by the reference, so the outcome is compared: the same Deployment, or refused both ways.
   */
  it('loads plain scalars in every position of a deployment the same way as the reference', () => {
    const plain = fc.stringMatching(/^[-+.:_0-9a-fA-FxobeEinfatrulsNIT~ ]{1,10}$/);
    const templates = [
      (s: string) => `managementGroup: ${s}\nhosts: []\n`,
      (s: string) => `managementGroup: X\ncatalog: ${s}\nhosts: []\n`,
      (s: string) => `managementGroup: X\nhosts:\n  - name: ${s}\n    address: 10.0.0.1\n    roles: [agent]\n`,
      (s: string) => `managementGroup: X\nhosts:\n  - name: db\n    address: 10.0.0.1\n    roles: [operational-database]\n    sqlPort: ${s}\n`,
      (s: string) => `managementGroup: X\nhosts:\n  - name: db\n    addresses:\n      - ${s}\n    roles: [agent]\n    zone: ${s}\n`,
      (s: string) => `managementGroup: X\nhosts:\n  - name: db\n    address: 10.0.0.1\n    roles: [operational-database]\n    sqlBrowser: ${s}\n`,
    ];
    fc.assert(
      fc.property(plain, fc.constantFrom(...templates), (s, template) => {
        const text = template(s);
        const reference = referenceOutcome(text);
        expect(outcome(() => loadDeployment(text, 'x.yaml')), text).toEqual(reference);
      }),
      { numRuns: 3000 },
    );
  });
});

/** The nesting check as it was written first (a copy of each line, two regular expressions): the reference. */
function tooDeepAtByLines(text: string, limit = 100): number | undefined {
  let flow = 0;
  for (let start = 0; start <= text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    const line = text.slice(start, end);
    const block = (/^ */.exec(line)?.[0].length ?? 0) + (line.match(/(?:^|[ \t])[-?:](?=[ \t]|$)/g)?.length ?? 0);
    if (block + flow > limit) return start;
    for (let i = line.search(/[[\]{}]/); i >= 0 && i < line.length; i++) {
      const ch = line[i];
      if (ch === '[' || ch === '{') flow++;
      else if ((ch === ']' || ch === '}') && flow > 0) flow--;
      if (block + flow > limit) return start + i;
    }
    start = end + 1;
  }
  return undefined;
}

describe('the nesting check before any YAML parser', () => {
  // Few characters, many of them structural; texts that start just short of the limit (90 to 101 brackets or
  // spaces), so that every indicator counted or not counted decides the answer.
  const unit = fc.constantFrom(' ', ' ', '\t', '-', '?', ':', '[', '{', ']', '}', 'a', '\n', '\r', '- ', ': ', '? ', '\n- ', '\n-', '\n:', '[[[[', '          ');
  const nearLimit = fc.integer({ min: 90, max: 101 });
  const tail = fc.string({ unit, maxLength: 80 });
  const textArb = fc.oneof(
    fc.string({ unit, maxLength: 400 }),
    fc.tuple(nearLimit, tail).map(([n, rest]) => `${'['.repeat(n)}${rest}`),
    fc.tuple(nearLimit, tail).map(([n, rest]) => `${'{'.repeat(n)}\n${rest}`),
    fc.tuple(nearLimit, tail).map(([n, rest]) => `a:\n${' '.repeat(n)}${rest}`),
  );

  it('finds the same offset as the line-by-line reading', () => {
    let deep = 0;
    fc.assert(
      fc.property(textArb, (text) => {
        const expected = tooDeepAtByLines(text);
        if (expected !== undefined) deep++;
        expect(tooDeepAt(text), JSON.stringify(text)).toBe(expected);
      }),
      { numRuns: 5000 },
    );
    expect(deep).toBeGreaterThan(100); // the texts do reach past the limit
  });
});
