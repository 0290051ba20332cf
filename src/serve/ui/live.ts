import { useEffect, useState } from 'react';

/**
 * One EventSource for the page: every `results` or `findings` event bumps a counter that pages depend on, so they
 * fetch their data again. Several events within 150 ms make one fetch.
 */
let version = 0;
const listeners = new Set<(v: number) => void>();
let source: EventSource | undefined;
let timer: ReturnType<typeof setTimeout> | undefined;
let connected = false;
const connectionListeners = new Set<(c: boolean) => void>();

function connect(): void {
  if (source) return;
  source = new EventSource('/api/events');
  const bump = () => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      version++;
      for (const l of listeners) l(version);
    }, 150);
  };
  source.addEventListener('results', bump);
  source.addEventListener('findings', bump);
  source.addEventListener('hello', () => { setConnected(true); });
  source.onerror = () => { setConnected(false); };
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
