/** The dashboard's view of the serve API: typed fetches, and the token prompt when reads need it. */
export type FlowStatus = 'open' | 'failing' | 'unproven';

export interface FlowSummary {
  id: string;
  source: string;
  destination: string;
  service: string;
  phase: 'always' | 'install';
  status: FlowStatus;
  reason: string;
  regression: boolean;
}

export interface Reporter {
  source: string;
  fileId: string;
  prober: string;
  finishedAt: string;
  receivedAt: string;
  summary: Record<string, number>;
}

export interface Overview {
  managementGroup: string;
  catalog: string;
  phase: string;
  counts: { planned: number; open: number; failing: number; unproven: number };
  regressions: FlowSummary[];
  failing: FlowSummary[];
  sources: number;
  silent: string[];
  silentCount: number;
  reporters: Reporter[];
  reporterCount: number;
  unknownFlows: number;
}

export interface Matrix {
  total: number;
  flows: FlowSummary[];
  facets: { zones: string[]; roles: string[]; phases: string[]; states: string[] };
}

export interface GraphData {
  folded: boolean;
  nodes: { id: string; label: string; zone: string; roles: string[]; members: number }[];
  edges: { id: string; source: string; target: string; status: FlowStatus; flows: number; open: number; failing: number; sample: string[] }[];
}

export interface DocCells {
  featureA: string;
  portAndDirection: string;
  featureB: string;
  configurable: string;
  note: string;
}

export interface Reading {
  source: string;
  destination: string;
  protocol: string;
  ports: { kind: 'fixed'; from: number; to: number } | { kind: 'setting'; setting: string } | { kind: 'none' };
  phase: string;
  pairing: string;
  when?: string;
}

export interface CatalogRow {
  id: string;
  number: number;
  doc: DocCells;
  readings: Reading[];
  configuredBy: string;
  erratum?: { text: string; evidence: string };
  feature?: string;
}

export interface Catalog {
  revision: string;
  title: string;
  source: string;
  rows: CatalogRow[];
}

export interface Endpoint {
  name: string;
  roles: string[];
  addresses: string[];
  zone: string;
  os: string;
}

export interface FlowPage {
  flow: { id: string; source: Endpoint; destination: Endpoint; protocol: string; ports: { from: number; to: number } | null; phase: string; rows: string[]; notes: string[] };
  state: { status: FlowStatus; state: string; reason: string; detail: string; rttMs: number | null; address: string; source: string; at: string; lastOpenAt: string | null } | null;
  rows: CatalogRow[];
  history: { fileId: string; source: string; address: string; port: number | null; state: string; reason: string; rttMs: number | null; attempts: number; detail: string; at: string }[];
}

export interface Finding {
  kind: string;
  severity: string;
  host: string;
  flow?: { id: string; source: { name: string }; destination: { name: string }; protocol: string; ports: { from: number; to: number } | null };
  witness: { source: string; destination: string; protocol: string; port: number | null };
  rule: { export: string; line: number; text: string } | null;
  message: string;
}

export interface Findings {
  id: string | null;
  receivedAt?: string;
  findings: Finding[];
  summary: Record<string, unknown>;
}

export class Unauthorized extends Error {}

export async function getJson<T>(path: string): Promise<T> {
  const res = await fetch(path, { credentials: 'same-origin' });
  if (res.status === 401) throw new Unauthorized('this server needs the token to read');
  const body = (await res.json()) as T & { error?: string };
  if (!res.ok) throw new Error(body.error ?? `${res.status} ${res.statusText}`);
  return body;
}

export async function startSession(token: string): Promise<boolean> {
  const res = await fetch('/api/session', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ token }), credentials: 'same-origin' });
  return res.ok;
}

export function flowHref(id: string): string {
  return `#/flow/${encodeURIComponent(id)}`;
}
