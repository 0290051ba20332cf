import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Hono } from 'hono';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { resultsFileSchema, summarize, type ResultsFile } from '../../src/probe/results.js';
import { createApi } from '../../src/serve/api.js';
import { EventHub } from '../../src/serve/events.js';
import { Dashboard } from '../../src/serve/state.js';
import { Store, schemaVersion } from '../../src/serve/store.js';
import { tokenHash, tokenHashKey } from '../../src/serve/token.js';
import { scenarioPlan } from '../support/scenarios.js';

const plan = scenarioPlan('contoso');
const sample = resultsFileSchema.parse(JSON.parse(readFileSync(join(import.meta.dirname, '..', 'fixtures', 'results', 'sample-node.json'), 'utf8')));
const token = 'sfw_test-token-0123456789abcdef';

function resultsWith(edit: (f: ResultsFile) => ResultsFile): ResultsFile {
  const f = edit(structuredClone(sample));
  return { ...f, summary: summarize(f.results) };
}

describe('serve API', () => {
  let dir: string;
  let store: Store;
  let app: Hono;
  let events: EventHub;
  let logged: string[];

  const make = (o: { readsNeedToken?: boolean; maxBodyBytes?: number } = {}) => {
    events = new EventHub();
    logged = [];
    app = createApi({ store, dashboard: new Dashboard(plan, store), events, readsNeedToken: o.readsNeedToken ?? false, maxBodyBytes: o.maxBodyBytes ?? 1024 * 1024, uiDir: undefined, log: (l) => logged.push(l) });
  };
  const post = (body: unknown, auth: string | null = `Bearer ${token}`, path = '/api/results') =>
    app.request(path, { method: 'POST', body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'Content-Type': 'application/json', ...(auth !== null ? { Authorization: auth } : {}) } });

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'scomfw-serve-api-'));
    store = new Store(join(dir, 'store.db'));
    store.setMeta(tokenHashKey, tokenHash(token));
    make();
  });
  afterEach(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers 401 without a token and with a wrong one, and stores nothing', async () => {
    const none = await post(sample, null);
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: string }).error).toMatch(/Authorization: Bearer/);
    const wrong = await post(sample, 'Bearer sfw_not-the-token-at-all-000');
    expect(wrong.status).toBe(401);
    expect(store.fileCount()).toBe(0);
  });

  it('answers 201 with an id, and the same id (200, duplicate) when the same result comes again', async () => {
    const first = await post(sample);
    expect(first.status).toBe(201);
    const a = (await first.json()) as { id: string; results: number };
    expect(a.id).toMatch(/^[0-9a-f]{32}$/);
    expect(a.results).toBe(sample.results.length);
    const again = await post(sample);
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ id: a.id, duplicate: true });
    expect(store.fileCount()).toBe(1);
    const other = await post(resultsWith((f) => ({ ...f, finishedAt: '2024-11-20T09:16:00.000Z' })));
    expect(other.status).toBe(201);
    expect(((await other.json()) as { id: string }).id).not.toBe(a.id);
    expect(store.fileCount()).toBe(2);
  });

  it('answers 413 to a body over the limit', async () => {
    make({ maxBodyBytes: 2048 });
    const res = await post(sample);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/larger than 2048 bytes/);
  });

  it('answers 400 with the JSON path of the mistake', async () => {
    const bad = structuredClone(sample) as unknown as { results: { state: string }[] };
    bad.results[3]!.state = 'ajar';
    const res = await post(bad);
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: string; path: string };
    expect(body.path).toBe('results[3].state');
    expect(body.error).toMatch(/^results\[3\]\.state: /);
    const notJson = await post('{"format":');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error: string }).error).toMatch(/not JSON/);
    const summary = await post({ ...sample, summary: { ...sample.summary, open: sample.summary.open + 1 } });
    expect(((await summary.json()) as { path: string }).path).toBe('summary.open');
    const group = await post(resultsWith((f) => ({ ...f, managementGroup: 'FABRIKAM' })));
    expect(group.status).toBe(400);
    expect(((await group.json()) as { path: string }).path).toBe('managementGroup');
  });

  it('never answers with a stack trace, never logs the token', async () => {
    store.close();
    const res = await app.request(`/api/flows/${encodeURIComponent(plan.flows[0]!.id)}`, {});
    const text = await res.text();
    expect(res.status).toBe(500);
    expect(text).not.toMatch(/at .*\.ts:\d+/);
    store = new Store(join(dir, 'store.db'));
    make();
    await post(sample);
    await post(sample, 'Bearer sfw_wrong-wrong-wrong-wrong');
    expect(logged.join('\n')).not.toContain(token);
    expect(logged.join('\n')).not.toContain('sfw_');
    expect(logged.some((l) => /^POST \/api\/results 201 /.test(l))).toBe(true);
  });

  it('reads without a token on loopback; with one only when bound beyond it, also through the session cookie', async () => {
    expect((await app.request('/api/overview')).status).toBe(200);
    make({ readsNeedToken: true });
    expect((await app.request('/api/overview')).status).toBe(401);
    expect((await app.request('/api/overview', { headers: { Authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await post({ token: 'sfw_wrong-wrong-wrong-wrong' }, null, '/api/session')).status).toBe(401);
    const session = await post({ token }, null, '/api/session');
    expect(session.status).toBe(200);
    const cookie = session.headers.get('Set-Cookie') ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    expect((await app.request('/api/overview', { headers: { Cookie: cookie.split(';')[0]! } })).status).toBe(200);
  });

  it('sends security headers (CSP) on every answer', async () => {
    const res = await app.request('/');
    expect(res.headers.get('Content-Security-Policy')).toMatch(/script-src 'self'/);
    expect(res.headers.get('Content-Security-Policy')).toMatch(/frame-ancestors 'none'/);
    expect(res.headers.get('X-Content-Type-Options')).toBe('nosniff');
  });

  it('keeps the latest state per flow, history, the reporters, and marks a regression', async () => {
    const flow = 'ms01.contoso.com>sql01.contoso.com:tcp/1433';
    const open = resultsWith((f) => ({ ...f, results: f.results.map((r) => (r.flow === flow ? { ...r, state: 'open', reason: 'syn-ack', rttMs: 0.5 } : r)) }));
    const shut = resultsWith((f) => ({ ...f, finishedAt: '2024-11-21T09:00:00.000Z', results: f.results.map((r) => (r.flow === flow ? { ...r, state: 'filtered', reason: 'timeout', rttMs: null } : r)) }));
    const heard: string[] = [];
    events.subscribe((event, data) => heard.push(`${event} ${data}`));
    expect((await post(open)).status).toBe(201);
    expect((await post(shut)).status).toBe(201);
    const overview = (await (await app.request('/api/overview')).json()) as { regressions: { id: string }[]; reporters: { source: string }[]; silent: string[]; counts: Record<string, number> };
    expect(overview.regressions.map((r) => r.id)).toContain(flow);
    expect(overview.reporters.map((r) => r.source)).toEqual(['ms01.contoso.com']);
    expect(overview.silent).not.toContain('ms01.contoso.com');
    expect(overview.counts.planned).toBe(plan.flows.length);
    const page = (await (await app.request(`/api/flows/${encodeURIComponent(flow)}`)).json()) as { state: { status: string; reason: string }; history: { state: string }[]; rows: { id: string }[] };
    expect(page.state).toMatchObject({ status: 'failing', reason: 'timeout' });
    expect(page.history.map((h) => h.state)).toEqual(['filtered', 'open']);
    expect(page.rows.length).toBeGreaterThan(0);
    expect(heard.length).toBe(2);
    expect(heard[1]).toContain(flow);
    // A new Dashboard over the same store rebuilds the same state.
    const again = new Dashboard(plan, store);
    expect(again.stateOf(flow)).toMatchObject({ status: 'failing', lastOpenAt: open.finishedAt });
  });

  it('filters the matrix by host, port, phase and state', async () => {
    await post(sample);
    const all = (await (await app.request('/api/matrix')).json()) as { total: number; flows: { id: string; status: string; phase: string }[] };
    expect(all.total).toBe(plan.flows.length);
    const q = async (s: string) => ((await (await app.request(`/api/matrix?${s}`)).json()) as { total: number; flows: { id: string; status: string; phase: string; service: string }[] });
    const port = await q('port=1433');
    expect(port.total).toBeGreaterThan(0);
    expect(port.flows.every((f) => f.id.endsWith(':tcp/1433'))).toBe(true);
    const install = await q('phase=install');
    expect(install.flows.every((f) => f.phase === 'install')).toBe(true);
    const failing = await q('state=failing&host=ms01');
    expect(failing.total).toBeGreaterThan(0);
    expect(failing.flows.every((f) => f.status === 'failing' && f.id.includes('ms01'))).toBe(true);
  });

  it('takes audit findings of the agreed shape, refuses others with the path', async () => {
    const doc = {
      findings: [
        {
          kind: 'missing',
          severity: 'error',
          host: 'sql01.contoso.com',
          flow: { id: 'ms01.contoso.com>sql01.contoso.com:tcp/1433', source: { name: 'ms01.contoso.com' }, destination: { name: 'sql01.contoso.com' }, protocol: 'tcp', ports: { from: 1433, to: 1433 } },
          witness: { source: '10.0.1.11', destination: '10.0.2.20', protocol: 'tcp', port: 1433 },
          rule: null,
          message: 'no rule allows tcp/1433 from ms01',
        },
      ],
      summary: { error: 1 },
    };
    const res = await post(doc, `Bearer ${token}`, '/api/findings');
    expect(res.status).toBe(201);
    const got = (await (await app.request('/api/findings')).json()) as { findings: unknown[] };
    expect(got.findings).toHaveLength(1);
    const bad = await post({ ...doc, findings: [{ ...doc.findings[0], witness: { ...doc.findings[0]!.witness, port: 'x' } }] }, `Bearer ${token}`, '/api/findings');
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { path: string }).path).toBe('findings[0].witness.port');
    expect((await post(doc, null, '/api/findings')).status).toBe(401);
  });

  it('renders targets on request: a zip that unzip reads, and one file', async () => {
    const list = (await (await app.request('/api/render/nftables?list')).json()) as { path: string }[];
    expect(list.length).toBeGreaterThan(0);
    const zip = await app.request('/api/render/nftables');
    expect(zip.headers.get('Content-Type')).toBe('application/zip');
    const path = join(dir, 'n.zip');
    writeFileSync(path, Buffer.from(await zip.arrayBuffer()));
    const listing = execFileSync('python3', ['-c', 'import sys,zipfile; z=zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None; print("\\n".join(z.namelist()))', path], { encoding: 'utf8' });
    expect(listing.trim().split('\n')).toEqual(list.map((f) => f.path));
    const one = await app.request(`/api/render/nftables?file=${encodeURIComponent(list[0]!.path)}`);
    expect(await one.text()).toMatch(/table inet scomfw/);
    expect((await app.request('/api/render/nope')).status).toBe(404);
  });

  it('serves the built pages, and nothing outside their folder', async () => {
    const ui = join(dir, 'ui');
    mkdirSync(join(ui, 'assets'), { recursive: true });
    writeFileSync(join(ui, 'index.html'), '<!doctype html><title>pages</title>');
    writeFileSync(join(ui, 'assets', 'app.js'), 'console.log(1)');
    writeFileSync(join(dir, 'secret.txt'), 'secret');
    app = createApi({ store, dashboard: new Dashboard(plan, store), events, readsNeedToken: false, maxBodyBytes: 1024, uiDir: ui });
    expect(await (await app.request('/assets/app.js')).text()).toBe('console.log(1)');
    expect(await (await app.request('/#/matrix')).text()).toContain('<title>pages</title>');
    for (const path of ['/../secret.txt', '/..%2fsecret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt']) {
      const res = await app.request(path);
      expect(await res.text(), path).not.toContain('secret');
    }
    expect((await app.request('/%E0%A4%A')).status).toBe(400);
  });

  it('refuses a store written by a newer scomfw', () => {
    const path = join(dir, 'newer.db');
    const s = new Store(path);
    s.close();
    execFileSync('python3', ['-c', 'import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute("PRAGMA user_version = 99"); c.commit()', path]);
    expect(() => new Store(path)).toThrow(/newer scomfw \(schema 99/);
  });

  it('migrates a new store to the current schema version, WAL on', () => {
    expect(store.schemaVersion()).toBe(schemaVersion);
    const reopened = new Store(join(dir, 'store.db'));
    expect(reopened.schemaVersion()).toBe(schemaVersion);
    reopened.close();
    expect(readFileSync(join(dir, 'store.db')).subarray(18, 20)).toEqual(Buffer.from([2, 2])); // WAL read/write versions
  });
});
