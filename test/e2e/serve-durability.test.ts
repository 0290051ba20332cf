import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resultsFileSchema, type ResultsFile } from '../../src/probe/results.js';
import { Store } from '../../src/serve/store.js';
import { repo, startServe, transpileCli } from '../support/serve-lab.js';

/**
 * 100 concurrent posters against a real `scomfw serve` process on loopback; the server is killed with SIGKILL
 * mid-run and started again on the same store. Every result answered 201 must be in the store, and no result twice.
 */
const posters = 100;
const perPoster = 25;
const sample = resultsFileSchema.parse(JSON.parse(readFileSync(join(repo, 'test', 'fixtures', 'results', 'sample-node.json'), 'utf8')));

/** A distinct result file: the same probes, finished at another millisecond. */
function fileNumber(n: number): ResultsFile {
  const t = Date.parse('2026-01-01T00:00:00.000Z') + n;
  return { ...sample, startedAt: new Date(t - 500).toISOString(), finishedAt: new Date(t).toISOString() };
}

describe('serve durability', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sfwdur-'));
  const children: ChildProcess[] = [];
  afterAll(() => {
    for (const c of children) c.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps every result answered 201, none twice, across a SIGKILL and a restart', async () => {
    const cli = transpileCli(join(dir, 'js'));
    const args = [join(repo, 'examples', 'contoso.yaml'), '--listen', '127.0.0.1:0', '--db', join(dir, 'store.db'), '--token-file', join(dir, 'token')];
    let server = await startServe(cli, args);
    children.push(server.child);
    const token = readFileSync(join(dir, 'token'), 'utf8').trim();
    let url = server.url;

    const created = new Map<string, number>(); // id answered 201 → how many times
    const duplicates = new Set<string>(); // id answered 200 (already there)
    let failures = 0;
    let answered = 0;
    let killedAt = -1;
    let restarting: Promise<void> | undefined;

    const restart = async () => {
      server = await startServe(cli, args);
      children.push(server.child);
      url = server.url;
    };

    const postOne = async (file: ResultsFile): Promise<void> => {
      for (;;) {
        try {
          const res = await fetch(`${url}/api/results`, { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify(file) });
          const body = (await res.json()) as { id: string };
          if (res.status === 201) created.set(body.id, (created.get(body.id) ?? 0) + 1);
          else if (res.status === 200) duplicates.add(body.id);
          else throw new Error(`unexpected ${res.status}`);
          answered++;
          if (answered === 600 && killedAt < 0) {
            killedAt = answered;
            server.child.kill('SIGKILL');
            restarting = new Promise((r) => setTimeout(r, 300)).then(restart);
          }
          return;
        } catch (e) {
          if ((e as Error).message.startsWith('unexpected')) throw e;
          failures++; // the server is down: try the same file again once it is back
          await (restarting ?? new Promise((r) => setTimeout(r, 100)));
        }
      }
    };

    await Promise.all(
      Array.from({ length: posters }, async (_, p) => {
        for (let k = 0; k < perPoster; k++) await postOne(fileNumber(p * perPoster + k));
      }),
    );
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));

    const store = new Store(join(dir, 'store.db'));
    try {
      const stored = store.fileIds();
      const storedSet = new Set(stored);
      console.log(`${answered} answered (${created.size} created, ${duplicates.size} already there after a lost answer), ${failures} failed attempts around the kill, ${stored.length} files stored`);
      expect(killedAt).toBe(600);
      expect(failures).toBeGreaterThan(0); // the kill did hit posts in flight
      expect([...created.values()].every((n) => n === 1)).toBe(true);
      for (const id of created.keys()) expect(storedSet.has(id)).toBe(true);
      expect(stored.length).toBe(storedSet.size);
      expect(stored.length).toBe(posters * perPoster);
      expect(new Set([...created.keys(), ...duplicates]).size).toBe(posters * perPoster);
      const probes = [...store.allProbes()].length;
      expect(probes).toBe(posters * perPoster * sample.results.length);
    } finally {
      store.close();
    }
  }, 180_000);
});
