import type { ProbeReason, ProbeState } from './results.js';

/**
 * What one probe attempt saw, before any retry logic: the socket layer's words, not yet a verdict.
 * `answer` is the peer's own reply (SYN-ACK, an SSRP answer); `error` is an errno code from connect/send/recv;
 * `silence` is the engine's timer running out. The engine stamps the time; the socket code only says what happened.
 */
export type AttemptOutcome =
  | { readonly kind: 'answer'; readonly detail?: string }
  | { readonly kind: 'error'; readonly code: string; readonly message?: string }
  | { readonly kind: 'silence' };

export interface Verdict {
  readonly state: ProbeState;
  readonly reason: ProbeReason;
  readonly detail: string;
  /** True when the outcome is an answer from the destination itself, so its time is an RTT sample. */
  readonly rttSample: boolean;
  /** True when only silence was seen: the caller may retry before believing it. */
  readonly retryable: boolean;
}

/**
 * TCP connect outcomes, classified as nmap's connect scan and PortQry do (scan_engine_connect.cc):
 * an accepted connection is open; a RST (ECONNREFUSED) is closed; silence or an ICMP error is filtered.
 * Linux reports ICMP "communication administratively prohibited" as EHOSTUNREACH over IPv4 and as EACCES over
 * IPv6, and a drop by this machine's own OUTPUT hook as EPERM: the last two are admin-prohibited.
 */
const tcpErrors: Readonly<Record<string, Omit<Verdict, 'rttSample' | 'retryable'>>> = {
  ECONNREFUSED: { state: 'closed', reason: 'refused', detail: 'the host answered with a reset: nothing listens on the port, and the path lets it through' },
  EHOSTUNREACH: { state: 'filtered', reason: 'unreachable', detail: 'host unreachable (ICMP, or no neighbour answered; a router may also say this for an administrative block)' },
  ENETUNREACH: { state: 'filtered', reason: 'unreachable', detail: 'network unreachable: no route to the destination' },
  EHOSTDOWN: { state: 'filtered', reason: 'unreachable', detail: 'host down: no neighbour answered' },
  ENOPROTOOPT: { state: 'filtered', reason: 'unreachable', detail: 'protocol unreachable (ICMP)' },
  EACCES: { state: 'filtered', reason: 'admin-prohibited', detail: 'communication administratively prohibited (ICMP): a firewall rejects it' },
  EPERM: { state: 'filtered', reason: 'admin-prohibited', detail: "this machine's own firewall refused to send it (EPERM)" },
};

export function classifyTcp(outcome: AttemptOutcome): Verdict {
  switch (outcome.kind) {
    case 'answer':
      return { state: 'open', reason: 'syn-ack', detail: outcome.detail ?? 'connection accepted', rttSample: true, retryable: false };
    case 'silence':
      return { state: 'filtered', reason: 'timeout', detail: 'no answer: the SYN or its reply is dropped on the way', rttSample: false, retryable: true };
    case 'error':
      return errorVerdict(outcome, tcpErrors);
  }
}

/**
 * UDP 1434 with a real SQL Server Resolution Protocol request: only an answer proves the port open;
 * ICMP port unreachable (ECONNREFUSED on a connected UDP socket) proves it closed; silence proves nothing
 * either way, as nmap and PortQry say "open|filtered" (a Browser that is not running on a host whose
 * firewall drops ICMP looks the same as a firewall that drops the request).
 */
const udpErrors: Readonly<Record<string, Omit<Verdict, 'rttSample' | 'retryable'>>> = {
  ...tcpErrors,
  ECONNREFUSED: { state: 'closed', reason: 'refused', detail: 'ICMP port unreachable: nothing listens on UDP 1434 (SQL Server Browser not running), and the path lets it through' },
};

export function classifySsrp(outcome: AttemptOutcome): Verdict {
  switch (outcome.kind) {
    case 'answer':
      return { state: 'open', reason: 'ssrp-response', detail: outcome.detail ?? 'SQL Server Browser answered', rttSample: true, retryable: false };
    case 'silence':
      return { state: 'open|filtered', reason: 'no-response', detail: 'no answer to the SQL Server Browser request: the Browser is not running or a firewall drops it', rttSample: false, retryable: true };
    case 'error':
      return errorVerdict(outcome, udpErrors);
  }
}

function errorVerdict(outcome: Extract<AttemptOutcome, { kind: 'error' }>, table: typeof tcpErrors): Verdict {
  const known = table[outcome.code];
  // A refusal is the destination's own answer: its time is a true round trip. ICMP errors may come from a router.
  if (known) return { ...known, detail: `${known.detail} (${outcome.code})`, rttSample: outcome.code === 'ECONNREFUSED', retryable: false };
  // Anything else (EADDRNOTAVAIL, EMFILE, EINVAL…) is our failure to probe, not a fact about the path.
  return { state: 'unprovable', reason: 'error', detail: `the probe could not be sent: ${outcome.message ?? outcome.code}`, rttSample: false, retryable: false };
}
