import { existsSync, readFileSync, statSync } from 'node:fs';
import { extname, join, normalize, sep } from 'node:path';
import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { getCookie, setCookie } from 'hono/cookie';
import { streamSSE } from 'hono/streaming';
import type { z } from 'zod';
import { catalogRevision } from '../catalog/index.js';
import { jsonPath } from '../probe/report.js';
import { resultsFileSchema, summarize, type ProbeState, type ResultsFile } from '../probe/results.js';
import { renderTarget, targets } from '../targets/registry.js';
import { UserError } from '../topology/errors.js';
import { findingsDocumentSchema, type FindingsDocument } from './findings.js';
import type { EventHub } from './events.js';
import type { Dashboard, MatrixQuery } from './state.js';
import type { Store } from './store.js';
import { tokenHashKey, tokenMatches } from './token.js';
import { zipFiles } from './zip.js';

export interface ApiOptions {
  readonly store: Store;
  readonly dashboard: Dashboard;
  readonly events: EventHub;
  /** Reads need the token too (the server listens beyond loopback). */
  readonly readsNeedToken: boolean;
  /** Largest request body accepted, in bytes. */
  readonly maxBodyBytes: number;
  /** The built pages (index.html and assets), or undefined when they were not built. */
  readonly uiDir: string | undefined;
  /** One line per request: method, path (never the query or a header), status, milliseconds. */
  readonly log?: (line: string) => void;
}

const cookieName = 'scomfw_token';

/** The page policy: scripts and styles from this origin only (React Flow positions nodes with style attributes). */
const contentSecurityPolicy =
  "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/** A problem the client caused, answered with its status and one sentence (and the JSON path when there is one). */
class ClientError extends Error {
  constructor(
    readonly status: 400 | 401 | 404 | 413,
    message: string,
    readonly path?: string,
  ) {
    super(message);
  }
}

export function createApi(o: ApiOptions): Hono {
  const app = new Hono();

  app.use('*', async (c, next) => {
    const t0 = performance.now();
    await next();
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
    c.header('Cross-Origin-Opener-Policy', 'same-origin');
    c.header('Cross-Origin-Resource-Policy', 'same-origin');
    c.header('Content-Security-Policy', contentSecurityPolicy);
    if (!c.res.headers.has('Cache-Control')) c.header('Cache-Control', 'no-store');
    o.log?.(`${c.req.method} ${new URL(c.req.url).pathname} ${c.res.status} ${(performance.now() - t0).toFixed(1)}ms`);
  });

  app.onError((e, c) => {
    if (e instanceof ClientError) return c.json({ error: e.message, ...(e.path !== undefined ? { path: e.path } : {}) }, e.status);
    if (e instanceof UserError) return c.json({ error: e.format() }, 400);
    o.log?.(`internal error: ${e.message}`);
    return c.json({ error: 'internal error (see the server log)' }, 500);
  });
  app.notFound((c) => c.json({ error: 'no such page or API' }, 404));

  const tokenHash = () => o.store.meta(tokenHashKey);
  const presented = (c: Context): string | undefined => {
    const header = c.req.header('Authorization');
    const m = header !== undefined ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    return m?.[1] ?? getCookie(c, cookieName);
  };
  const mustWrite = (c: Context) => {
    const header = c.req.header('Authorization');
    const m = header !== undefined ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!m) throw new ClientError(401, 'this needs the token: send "Authorization: Bearer <token>"');
    if (!tokenMatches(m[1], tokenHash())) throw new ClientError(401, 'wrong token');
  };
  const mustRead = (c: Context) => {
    if (!o.readsNeedToken) return;
    if (!tokenMatches(presented(c), tokenHash())) throw new ClientError(401, 'this server listens beyond loopback: reading needs the token too');
  };
  const limit = bodyLimit({ maxSize: o.maxBodyBytes, onError: () => { throw new ClientError(413, `the body is larger than ${o.maxBodyBytes} bytes (serve --max-body)`); } });

  app.post('/api/results', limit, async (c) => {
    mustWrite(c);
    const file = validateResults(await bodyJson(c), o.dashboard.plan.managementGroup);
    const receivedAt = new Date().toISOString();
    const stored = o.store.addResults(file, receivedAt);
    if (!stored.created) return c.json({ id: stored.id, duplicate: true }, 200);
    const changed = o.dashboard.ingest(file, stored.id, receivedAt);
    o.events.publish('results', { source: file.source.name, id: stored.id, flows: changed.slice(0, 2000), more: changed.length > 2000 });
    return c.json({ id: stored.id, results: file.results.length }, 201);
  });

  app.post('/api/findings', limit, async (c) => {
    mustWrite(c);
    const doc = validate(findingsDocumentSchema, await bodyJson(c));
    const stored = o.store.addFindings(doc, new Date().toISOString());
    if (!stored.created) return c.json({ id: stored.id, duplicate: true }, 200);
    o.events.publish('findings', { id: stored.id, findings: doc.findings.length });
    return c.json({ id: stored.id, findings: doc.findings.length }, 201);
  });

  /** Trades the token for a cookie, so that a browser can read from a server bound beyond loopback. */
  app.post('/api/session', limit, async (c) => {
    const body = await bodyJson(c);
    const token = typeof body === 'object' && body !== null && 'token' in body && typeof body.token === 'string' ? body.token : undefined;
    if (!tokenMatches(token, tokenHash())) throw new ClientError(401, 'wrong token');
    setCookie(c, cookieName, token!, { httpOnly: true, sameSite: 'Strict', path: '/' });
    return c.json({ ok: true });
  });

  app.get('/api/overview', (c) => {
    mustRead(c);
    return c.json({ ...o.dashboard.overview(), readsNeedToken: o.readsNeedToken });
  });

  app.get('/api/matrix', (c) => {
    mustRead(c);
    const q = c.req.query();
    const limitText = q.limit ?? '2000';
    const query: MatrixQuery = { ...pick(q, ['host', 'role', 'zone', 'port', 'phase', 'state']), limit: limitText === 'all' ? Number.POSITIVE_INFINITY : Math.max(1, Math.min(100_000, Number(limitText) || 2000)) };
    return c.json({ ...o.dashboard.matrix(query), facets: o.dashboard.facets() });
  });

  app.get('/api/graph', (c) => {
    mustRead(c);
    return c.json(o.dashboard.graph());
  });

  app.get('/api/flows/:id', (c) => {
    mustRead(c);
    const id = c.req.param('id');
    const flow = o.dashboard.flow(id);
    if (!flow) throw new ClientError(404, `no flow ${id} in the plan`);
    const catalog = catalogRevision(o.dashboard.plan.catalog);
    const rows = flow.rows.map((r) => catalog.rows.find((row) => row.id === r)).filter((r) => r !== undefined);
    return c.json({ flow, state: o.dashboard.stateOf(id) ?? null, rows, history: o.store.history(id) });
  });

  app.get('/api/findings', (c) => {
    mustRead(c);
    const latest = o.store.latestFindings();
    return c.json(latest ? { id: latest.id, receivedAt: latest.receivedAt, ...(JSON.parse(latest.body) as FindingsDocument) } : { id: null, findings: [], summary: {} });
  });

  app.get('/api/catalog', (c) => {
    mustRead(c);
    return c.json(catalogRevision(o.dashboard.plan.catalog));
  });

  app.get('/api/targets', (c) => {
    mustRead(c);
    return c.json([...targets.values()].map((t) => ({ name: t.name, summary: t.summary })));
  });

  /** Renders a target on request: the whole set as a zip, or one file of it with ?file=. */
  app.get('/api/render/:target', (c) => {
    mustRead(c);
    const target = targets.get(c.req.param('target'));
    if (!target) throw new ClientError(404, `no target ${c.req.param('target')}; the targets are ${[...targets.keys()].join(', ')}`);
    const host = c.req.query('host');
    const files = renderTarget(target, o.dashboard.plan, host ? { host } : {});
    const wanted = c.req.query('file');
    if (wanted !== undefined) {
      const file = files.find((f) => f.path === wanted);
      if (!file) throw new ClientError(404, `target ${target.name} writes no file ${wanted}`);
      return c.body(file.content, 200, { 'Content-Type': 'text/plain; charset=utf-8', 'Content-Disposition': attachment(file.path) });
    }
    if (c.req.query('list') !== undefined) return c.json(files.map((f) => ({ path: f.path, bytes: Buffer.byteLength(f.content) })));
    return c.body(new Uint8Array(zipFiles(files)), 200, { 'Content-Type': 'application/zip', 'Content-Disposition': attachment(`${target.name}.zip`) });
  });

  app.get('/api/events', (c) => {
    mustRead(c);
    return streamSSE(c, async (stream) => {
      const unsubscribe = o.events.subscribe((event, data, id) => void stream.writeSSE({ event, data, id: String(id) }));
      stream.onAbort(unsubscribe);
      await stream.writeSSE({ event: 'hello', data: JSON.stringify({ at: new Date().toISOString() }) });
      while (!stream.aborted) {
        await stream.sleep(15_000);
        if (!stream.aborted) await stream.writeSSE({ event: 'ping', data: '{}' });
      }
      unsubscribe();
    });
  });

  app.get('*', (c) => {
    if (c.req.path.startsWith('/api/')) throw new ClientError(404, 'no such API');
    return servePage(c, o.uiDir);
  });

  return app;
}

async function bodyJson(c: Context): Promise<unknown> {
  const text = (await c.req.text()).replace(/^\uFEFF/, ''); // Windows PowerShell 5 may send a byte order mark
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new ClientError(400, `the body is not JSON: ${(e as Error).message}`, '');
  }
}

function validate<T extends z.ZodType>(schema: T, value: unknown): z.infer<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const path = jsonPath(issue?.path ?? []);
  throw new ClientError(400, `${path || '(top level)'}: ${issue?.message ?? 'invalid'}`, path);
}

/** A result file as `report` accepts it (schema, summary that matches, times in order) and of this plan's group. */
function validateResults(value: unknown, managementGroup: string): ResultsFile {
  const file = validate(resultsFileSchema, value);
  const counted = summarize(file.results);
  for (const state of Object.keys(counted) as ProbeState[]) {
    if (counted[state] !== file.summary[state]) throw new ClientError(400, `summary.${state}: says ${file.summary[state]}, the results hold ${counted[state]}`, `summary.${state}`);
  }
  if (Date.parse(file.finishedAt) < Date.parse(file.startedAt)) throw new ClientError(400, 'finishedAt: before startedAt', 'finishedAt');
  if (file.managementGroup !== managementGroup) {
    throw new ClientError(400, `managementGroup: the results are of ${file.managementGroup}, this server shows ${managementGroup}`, 'managementGroup');
  }
  return file;
}

function pick(q: Record<string, string>, keys: readonly (keyof MatrixQuery)[]): Partial<Record<keyof MatrixQuery, string>> {
  const out: Partial<Record<keyof MatrixQuery, string>> = {};
  for (const k of keys) if (q[k]) out[k] = q[k];
  return out;
}

function attachment(name: string): string {
  const ascii = name.replace(/[^\w.-]/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

const contentTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
};

/** A built page file, or index.html for the client-side routes; never a file outside the pages' folder. */
function servePage(c: Context, uiDir: string | undefined): Response {
  if (!uiDir) return c.text('The pages are not built: run `npm run build` (or `npm install`) in the scomfw folder.', 503);
  let decoded: string;
  try {
    decoded = decodeURIComponent(c.req.path);
  } catch {
    throw new ClientError(400, 'the address is not valid percent-encoding');
  }
  const rel = normalize(decoded).replace(/^([/\\])+/, '');
  const candidate = join(uiDir, rel);
  const inside = candidate === uiDir || candidate.startsWith(uiDir + sep);
  const file = inside && rel !== '' && existsSync(candidate) && statSync(candidate).isFile() ? candidate : join(uiDir, 'index.html');
  const immutable = file.includes(`${sep}assets${sep}`);
  return c.body(readFileSync(file), 200, {
    'Content-Type': contentTypes[extname(file)] ?? 'application/octet-stream',
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-store',
  });
}
