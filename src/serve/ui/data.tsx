import { useEffect, useState, type ReactNode } from 'react';
import { getJson, startSession, Unauthorized } from './api';
import { useLiveVersion } from './live';

type Loaded<T> = { data: T; error?: undefined; locked?: false } | { data?: undefined; error: string; locked: boolean } | { data?: undefined; error?: undefined; locked?: false };

/** Fetches `path` now and again whenever live results arrive (when `live`); keeps the last data while refetching. */
export function useData<T>(path: string, live = true): Loaded<T> & { reload: () => void } {
  const version = useLiveVersion();
  const [state, setState] = useState<Loaded<T>>({});
  const [nonce, setNonce] = useState(0);
  const dependency = live ? version : 0;
  useEffect(() => {
    let cancelled = false;
    getJson<T>(path)
      .then((data) => { if (!cancelled) setState({ data }); })
      .catch((e: unknown) => { if (!cancelled) setState({ error: (e as Error).message, locked: e instanceof Unauthorized }); });
    return () => {
      cancelled = true;
    };
  }, [path, dependency, nonce]);
  return { ...state, reload: () => { setNonce((n) => n + 1); } };
}

/** Shows the page when its data is there, the token form when reading needs it, else the error or "loading". */
export function Guard<T>({ loaded, children }: { loaded: Loaded<T> & { reload: () => void }; children: (data: T) => ReactNode }) {
  if (loaded.data !== undefined) return <>{children(loaded.data)}</>;
  if (loaded.locked) return <TokenForm onDone={loaded.reload} />;
  if (loaded.error) return <p className="error">{loaded.error}</p>;
  return <p className="muted">loading…</p>;
}

function TokenForm({ onDone }: { onDone: () => void }) {
  const [token, setToken] = useState('');
  const [wrong, setWrong] = useState(false);
  return (
    <form
      className="token"
      onSubmit={(e) => {
        e.preventDefault();
        void startSession(token).then((ok) => { if (ok) onDone(); else setWrong(true); });
      }}
    >
      <p>This server listens beyond loopback: reading needs the token (the one scomfw serve printed or wrote).</p>
      <input type="password" value={token} onChange={(e) => { setToken(e.target.value); }} placeholder="token" autoComplete="off" />
      <button type="submit">Open</button>
      {wrong && <span className="error"> wrong token</span>}
    </form>
  );
}

export function Status({ status, children }: { status: string; children?: ReactNode }) {
  return <span className={`status ${status}`}>{children ?? status}</span>;
}

export function when(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}
