import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resultsFileSchema, resultsJsonSchema, summarize } from '../../src/probe/results.js';
import { scenarioPlan } from '../support/scenarios.js';

const repo = join(import.meta.dirname, '..', '..');
const fixture = (name: string) => JSON.parse(readFileSync(join(repo, 'test', 'fixtures', 'results', name), 'utf8').replace(/^\uFEFF/, '')) as unknown;

describe('the result file format (version 1)', () => {
  it('schema/results.schema.json is generated from the zod schema (UPDATE_SCHEMA=1 rewrites it)', () => {
    const path = join(repo, 'schema', 'results.schema.json');
    const generated = `${JSON.stringify(resultsJsonSchema(), null, 2)}\n`;
    if (process.env.UPDATE_SCHEMA === '1') writeFileSync(path, generated);
    expect(readFileSync(path, 'utf8')).toBe(generated);
  });

  it('the schema is draft 2020-12 and closed (no unknown keys anywhere)', () => {
    const schema = resultsJsonSchema() as { $schema: string; additionalProperties: boolean; properties: { results: { items: { additionalProperties: boolean; required: string[] } } } };
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.results.items.additionalProperties).toBe(false);
    expect(schema.properties.results.items.required).toEqual(['flow', 'destination', 'address', 'protocol', 'port', 'phase', 'state', 'reason', 'rttMs', 'attempts', 'detail']);
  });

  it.each(['sample-node.json', 'sample-powershell.json'])('the committed sample %s validates, and its summary counts its results', (name) => {
    const parsed = resultsFileSchema.parse(fixture(name));
    expect(parsed.summary).toEqual(summarize(parsed.results));
  });

  it('every flow of the samples is a flow of the contoso plan, probed from the named source', () => {
    const plan = scenarioPlan('contoso');
    const ids = new Set(plan.flows.map((f) => f.id));
    for (const name of ['sample-node.json', 'sample-powershell.json']) {
      const parsed = resultsFileSchema.parse(fixture(name));
      for (const r of parsed.results) {
        expect(ids.has(r.flow), r.flow).toBe(true);
        expect(r.flow.startsWith(`${parsed.source.name}>`)).toBe(true);
      }
    }
  });

  it('rejects unknown keys, unknown states, and times without a UTC offset', () => {
    const good = fixture('sample-node.json') as Record<string, unknown> & { results: Record<string, unknown>[] };
    expect(resultsFileSchema.safeParse({ ...good, extra: 1 }).success).toBe(false);
    expect(resultsFileSchema.safeParse({ ...good, results: [{ ...good.results[0], state: 'up' }] }).success).toBe(false);
    expect(resultsFileSchema.safeParse({ ...good, startedAt: '2024-11-20T09:15:02' }).success).toBe(false);
    expect(resultsFileSchema.safeParse({ ...good, version: 2 }).success).toBe(false);
  });
});
