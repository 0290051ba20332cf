import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve } from '@hono/node-server';
import type { Plan } from '../plan/types.js';
import { UserError } from '../topology/errors.js';
import { createApi } from './api.js';
import { EventHub } from './events.js';
import { Dashboard } from './state.js';
import { Store } from './store.js';
import { newToken, readableToken, tokenHash, tokenHashKey } from './token.js';

export interface Listen {
  readonly host: string;
  readonly port: number;
}

export interface ServeOptions {
  readonly plan: Plan;
  readonly dbPath: string;
  readonly listen: Listen;
  readonly tokenFile?: string;
  readonly maxBodyBytes: number;
  /** Where the server says what it does (the token once, the address, one line per request when verbose). */
  readonly say: (line: string) => void;
  readonly logRequests: boolean;
}

export interface RunningServer {
  readonly url: string;
  readonly store: Store;
  close(): Promise<void>;
}

/** The built pages: dist/serve/ui of the package, the same from src/serve (tests) and dist/serve (the CLI). */
export function builtPages(): string | undefined {
  const dir = join(import.meta.dirname, '..', '..', 'dist', 'serve', 'ui');
  return existsSync(join(dir, 'index.html')) ? dir : undefined;
}

/** `127.0.0.1:8080`, `[::1]:8080`, `0.0.0.0:0` (0: any free port). */
export function parseListen(text: string): Listen {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([^:\s[\]]+)):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[3]) : NaN;
  if (!m || port > 65535) throw new UserError(`--listen ${text}: expected ADDRESS:PORT`, undefined, 'e.g. --listen 127.0.0.1:8080, --listen [::1]:8080, --listen 0.0.0.0:8080 (then reads need the token too)');
  return { host: (m[1] ?? m[2])!, port };
}

export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/**
 * Makes sure the store has a token hash. With --token-file, the file holds the token: read if it exists, written
 * (mode 600) with a new one if not. Without it, a new token is printed once, at the first start only.
 */
export function ensureToken(store: Store, tokenFile: string | undefined, say: (line: string) => void): void {
  if (tokenFile !== undefined && existsSync(tokenFile)) {
    const token = readableToken(readFileSync(tokenFile, 'utf8'));
    if (!token) throw new UserError(`${tokenFile}: not a token (16 to 512 printable characters, no spaces)`, undefined, 'remove the file to have serve write a new token there');
    store.setMeta(tokenHashKey, tokenHash(token));
    return;
  }
  if (tokenFile === undefined && store.meta(tokenHashKey) !== undefined) return;
  setNewToken(store, tokenFile, say);
}

/** Replaces the token: the old one stops working at once. Written to the token file, or printed once. */
export function setNewToken(store: Store, tokenFile: string | undefined, say: (line: string) => void): void {
  const token = newToken();
  if (tokenFile !== undefined) {
    writeFileSync(tokenFile, `${token}\n`, { mode: 0o600 });
    say(`scomfw serve: a new token is in ${tokenFile} (only its hash is stored)`);
  } else {
    say(`scomfw serve: the token, shown this once (only its hash is stored; --rotate-token makes a new one):\n\n    ${token}\n`);
  }
  store.setMeta(tokenHashKey, tokenHash(token));
}

export async function startServer(o: ServeOptions): Promise<RunningServer> {
  const store = new Store(o.dbPath);
  try {
    ensureToken(store, o.tokenFile, o.say);
    const dashboard = new Dashboard(o.plan, store);
    const uiDir = builtPages();
    if (!uiDir) o.say('scomfw serve: the pages are not built (npm run build); the API works without them');
    const app = createApi({
      store,
      dashboard,
      events: new EventHub(),
      readsNeedToken: !isLoopback(o.listen.host),
      maxBodyBytes: o.maxBodyBytes,
      uiDir,
      ...(o.logRequests ? { log: o.say } : {}),
    });
    const server = await new Promise<Server>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, hostname: o.listen.host, port: o.listen.port }) as Server;
      s.once('listening', () => { resolve(s); });
      s.once('error', (e: NodeJS.ErrnoException) => {
        reject(new UserError(`cannot listen on ${o.listen.host}:${o.listen.port}: ${e.code ?? e.message}`, undefined, e.code === 'EADDRINUSE' ? 'another program uses that port: give --listen another one' : 'give --listen an address of this machine'));
      });
    });
    const address = server.address() as AddressInfo;
    const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
    return {
      url: `http://${host}:${address.port}`,
      store,
      close: () =>
        new Promise<void>((resolve) => {
          server.close(() => {
            store.close();
            resolve();
          });
          server.closeAllConnections();
        }),
    };
  } catch (e) {
    store.close();
    throw e;
  }
}
