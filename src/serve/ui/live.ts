import { useEffect, useState } from 'react';
import type { FlowSummary } from './api';

/**
 * One EventSource for the page: every `results` or `findings` event bumps a counter that pages depend on, so they
 * fetch their data again. Several events within 150 ms make one fetch.
 */
let version = 0;
const listeners = new Set<(v: number) => void>();
let source: EventSource | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;
let connected = false;
/** The newest state of every flow an event named, applied at once (before any refetch) by the matrix. */
const pushed = new Map<string, FlowSummary>();
let pushedVersion = 0;
const pushListeners = new Set<(v: number) => void>();
let first = true;
const connectionListeners = new Set<(c: boolean) => void>();

function connect(): void {
  if (source) return;
  const stream = new EventSource('/api/events');
  source = stream;
  const bump = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      version++;
      for (const l of listeners) l(version);
    }, 150);
  };
  stream.addEventListener('results', (e: MessageEvent<string>) => {
    const payload = JSON.parse(e.data) as { flows?: FlowSummary[] };
    for (const f of payload.flows ?? []) pushed.set(f.id, f);
    pushedVersion++;
    for (const l of pushListeners) l(pushedVersion);
    bump();
  });
  stream.addEventListener('findings', bump);
  stream.addEventListener('hello', () => {
    if (!first) bump(); // results may have come while the stream was away
    first = false;
    setConnected(true);
  });
  stream.onerror = () => {
    setConnected(false);
    // The browser retries a dropped stream by itself, but not one refused (401 before the token was given, a
    // server that was down): then a new one is opened a little later.
    if (stream.readyState === EventSource.CLOSED) {
      source = undefined;
      setTimeout(connect, 2000);
    }
  };
}

function setConnected(c: boolean): void {
  connected = c;
  for (const l of connectionListeners) l(c);
}

/** The live version: changes whenever new results arrive. */
export function useLiveVersion(): number {
  const [v, setV] = useState(version);
  useEffect(() => {
    connect();
    listeners.add(setV);
    return () => void listeners.delete(setV);
  }, []);
  return v;
}

export function useConnected(): boolean {
  const [c, setC] = useState(connected);
  useEffect(() => {
    connect();
    connectionListeners.add(setC);
    return () => void connectionListeners.delete(setC);
  }, []);
  return c;
}

/** Flow states pushed by the server since the page loaded: id → summary. Re-renders on every push, undebounced. */
export function usePushedFlows(): ReadonlyMap<string, FlowSummary> {
  const [, setV] = useState(pushedVersion);
  useEffect(() => {
    connect();
    pushListeners.add(setV);
    return () => void pushListeners.delete(setV);
  }, []);
  return pushed;
}
