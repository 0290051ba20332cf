import type { Endpoint, Flow, Plan } from '../plan/types.js';
import type { ProbeResult, ResultsFile } from '../probe/results.js';
import type { ProbeRecord, Store } from './store.js';

/**
 * What the dashboard shows, kept in memory beside the store: the plan's flows and the latest proof of each. It is
 * rebuilt from the store at start and updated by every result file posted, so reading a page never scans history.
 *
 * A flow's status comes from the newest result file (by the prober's finish time) that probed it:
 * - `failing`: some probed address answered closed or filtered (proved not open);
 * - `open`: every probed address is open;
 * - `unproven`: nothing reported yet, or only open|filtered / unprovable rows (no proof either way).
 * A regression is a flow that is failing now and was open in an earlier result.
 */
export const flowStatuses = ['open', 'failing', 'unproven'] as const;
export type FlowStatus = (typeof flowStatuses)[number];

export interface FlowState {
  readonly status: FlowStatus;
  /** The state of the row that decided the status (the worst one), and why. */
  readonly state: ProbeResult['state'];
  readonly reason: ProbeResult['reason'];
  readonly detail: string;
  readonly rttMs: number | null;
  readonly address: string;
  readonly source: string;
  readonly fileId: string;
  readonly at: string;
  /** When an earlier result proved the flow open (kept across later results). */
  readonly lastOpenAt: string | null;
}

/** A flow as the matrix and the drawing list it. */
export interface FlowSummary {
  readonly id: string;
  readonly source: string;
  readonly destination: string;
  readonly service: string;
  readonly phase: Flow['phase'];
  readonly status: FlowStatus;
  readonly reason: string;
  readonly regression: boolean;
}

export interface MatrixQuery {
  readonly host?: string;
  readonly role?: string;
  readonly zone?: string;
  readonly port?: string;
  readonly phase?: string;
  readonly state?: string;
  readonly limit?: number;
}

export interface Reporter {
  readonly source: string;
  readonly fileId: string;
  readonly prober: string;
  readonly finishedAt: string;
  readonly receivedAt: string;
  readonly summary: ResultsFile['summary'];
}

type Row = Pick<ProbeRecord, 'flow' | 'address' | 'state' | 'reason' | 'detail' | 'rttMs'>;

const badness: Readonly<Record<ProbeResult['state'], number>> = { closed: 4, filtered: 4, 'open|filtered': 2, unprovable: 1, open: 0 };

export class Dashboard {
  private readonly index = new Map<string, number>();
  private readonly latest: (FlowState | undefined)[];
  private readonly services: string[];
  private readonly reporters = new Map<string, Reporter>();
  /** Result rows naming a flow the plan does not have (a prober run against another deployment file). */
  unknownFlows = 0;

  constructor(
    readonly plan: Plan,
    private readonly store: Store,
  ) {
    plan.flows.forEach((f, i) => this.index.set(f.id, i));
    this.latest = new Array<FlowState | undefined>(plan.flows.length);
    this.services = plan.flows.map((f) => serviceOf(f));
    this.rebuild();
  }

  /** Replays every stored probe, oldest first, file by file. */
  private rebuild(): void {
    let pending: ProbeRecord[] = [];
    const flush = () => {
      const first = pending[0];
      if (first) this.apply(pending, first.source, first.fileId, first.at);
      pending = [];
    };
    for (const p of this.store.allProbes()) {
      if (pending.length > 0 && pending[0]!.fileId !== p.fileId) flush();
      pending.push(p);
    }
    flush();
    for (const r of this.store.lastPerSource()) {
      const body = JSON.parse(r.body) as ResultsFile;
      this.reporters.set(r.source, { source: r.source, fileId: r.fileId, prober: r.prober, finishedAt: r.finishedAt, receivedAt: r.receivedAt, summary: body.summary });
    }
  }

  /** Takes in a stored result file; returns the flows whose state it changed, for the live events. */
  ingest(file: ResultsFile, fileId: string, receivedAt: string): FlowSummary[] {
    const previous = this.reporters.get(file.source.name);
    if (!previous || Date.parse(previous.finishedAt) <= Date.parse(file.finishedAt)) {
      this.reporters.set(file.source.name, { source: file.source.name, fileId, prober: file.prober, finishedAt: file.finishedAt, receivedAt, summary: file.summary });
    }
    return this.apply(file.results, file.source.name, fileId, file.finishedAt).map((i) => this.summaryOf(i));
  }

  private apply(rows: readonly Row[], source: string, fileId: string, at: string): number[] {
    const byFlow = new Map<number, Row[]>();
    for (const r of rows) {
      const i = this.index.get(r.flow);
      if (i === undefined) {
        this.unknownFlows++;
        continue;
      }
      const list = byFlow.get(i);
      if (list) list.push(r);
      else byFlow.set(i, [r]);
    }
    const changed: number[] = [];
    const when = Date.parse(at);
    for (const [i, list] of byFlow) {
      const before = this.latest[i];
      if (before && Date.parse(before.at) > when) continue; // an older file arriving late does not overwrite
      const worst = list.reduce((a, b) => (badness[b.state] > badness[a.state] ? b : a));
      const status: FlowStatus = badness[worst.state] >= 4 ? 'failing' : list.every((r) => r.state === 'open') ? 'open' : 'unproven';
      const lastOpenAt = status === 'open' ? at : (before?.lastOpenAt ?? null);
      this.latest[i] = { status, state: worst.state, reason: worst.reason, detail: worst.detail, rttMs: worst.rttMs, address: worst.address, source, fileId, at, lastOpenAt };
      changed.push(i);
    }
    return changed;
  }

  private summaryOf(i: number): FlowSummary {
    const f = this.plan.flows[i]!;
    const s = this.latest[i];
    return {
      id: f.id,
      source: f.source.name,
      destination: f.destination.name,
      service: this.services[i]!,
      phase: f.phase,
      status: s?.status ?? 'unproven',
      reason: s ? `${s.state} (${s.reason})` : 'no result yet',
      regression: isRegression(s),
    };
  }

  stateOf(id: string): FlowState | undefined {
    const i = this.index.get(id);
    return i === undefined ? undefined : this.latest[i];
  }

  flow(id: string): Flow | undefined {
    const i = this.index.get(id);
    return i === undefined ? undefined : this.plan.flows[i];
  }

  overview() {
    const counts = { planned: this.plan.flows.length, open: 0, failing: 0, unproven: 0 };
    const regressions: FlowSummary[] = [];
    const failing: FlowSummary[] = [];
    for (let i = 0; i < this.plan.flows.length; i++) {
      const s = this.latest[i];
      counts[s?.status ?? 'unproven']++;
      if (s?.status === 'failing') {
        if (failing.length < 200) failing.push(this.summaryOf(i));
        if (isRegression(s) && regressions.length < 200) regressions.push(this.summaryOf(i));
      }
    }
    const sources = new Set(this.plan.flows.map((f) => f.source.name));
    const silent = [...sources].filter((s) => !this.reporters.has(s)).sort();
    return {
      managementGroup: this.plan.managementGroup,
      catalog: this.plan.catalog,
      phase: this.plan.phase,
      counts,
      regressions,
      failing,
      sources: sources.size,
      silent: silent.slice(0, 500),
      silentCount: silent.length,
      // The newest first, so that a rollout of thousands of hosts shows what just came in.
      reporters: [...this.reporters.values()].sort((a, b) => b.receivedAt.localeCompare(a.receivedAt) || a.source.localeCompare(b.source)).slice(0, 500),
      reporterCount: this.reporters.size,
      unknownFlows: this.unknownFlows,
    };
  }

  /** The flows that pass every filter, in plan order, at most `limit` (the total is counted regardless). */
  matrix(q: MatrixQuery): { total: number; flows: FlowSummary[] } {
    const test = matcher(q);
    const limit = q.limit ?? Number.POSITIVE_INFINITY;
    const flows: FlowSummary[] = [];
    let total = 0;
    for (let i = 0; i < this.plan.flows.length; i++) {
      const f = this.plan.flows[i]!;
      const status = this.latest[i]?.status ?? 'unproven';
      if (!test(f, this.services[i]!, status)) continue;
      total++;
      if (flows.length < limit) flows.push(this.summaryOf(i));
    }
    return { total, flows };
  }

  /**
   * The drawing: endpoints by zone and one edge per (source, destination) pair coloured by its worst flow. A large
   * plan folds agents (and UNIX/Linux agents) of one zone into one node, so the drawing stays readable.
   */
  graph(fold = this.plan.hosts.length > 120) {
    const keyOf = (e: Endpoint) => (fold && e.roles.every((r) => r === 'agent' || r === 'unix-agent') ? `${e.zone}/${e.roles.join('+')}s` : e.name);
    const nodes = new Map<string, { id: string; label: string; zone: string; roles: string[]; members: number }>();
    for (const e of this.plan.hosts) {
      const key = keyOf(e);
      const node = nodes.get(key);
      if (node) node.members++;
      else nodes.set(key, { id: key, label: key === e.name ? e.name : `${e.roles.join(', ')} (${e.zone})`, zone: e.zone, roles: [...e.roles], members: 1 });
    }
    const rank: Record<FlowStatus, number> = { failing: 2, unproven: 1, open: 0 };
    const edges = new Map<string, { id: string; source: string; target: string; status: FlowStatus; flows: number; open: number; failing: number; sample: string[] }>();
    for (let i = 0; i < this.plan.flows.length; i++) {
      const f = this.plan.flows[i]!;
      const [a, b] = [keyOf(f.source), keyOf(f.destination)];
      const id = `${a}>${b}`;
      const status = this.latest[i]?.status ?? 'unproven';
      let edge = edges.get(id);
      if (!edge) {
        edge = { id, source: a, target: b, status, flows: 0, open: 0, failing: 0, sample: [] };
        edges.set(id, edge);
      }
      edge.flows++;
      if (status === 'open') edge.open++;
      if (status === 'failing') edge.failing++;
      if (rank[status] > rank[edge.status]) edge.status = status;
      if (edge.sample.length < 12) edge.sample.push(f.id);
    }
    return { folded: fold, nodes: [...nodes.values()], edges: [...edges.values()] };
  }

  /** The filter choices the matrix offers. */
  facets() {
    const zones = new Set<string>();
    const roles = new Set<string>();
    for (const h of this.plan.hosts) {
      zones.add(h.zone);
      for (const r of h.roles) roles.add(r);
    }
    return { zones: [...zones].sort(), roles: [...roles].sort(), phases: ['always', 'install'], states: [...flowStatuses] };
  }
}

function isRegression(s: FlowState | undefined): boolean {
  return s?.status === 'failing' && s.lastOpenAt !== null;
}

/** `tcp/5723`, `tcp/49152-65535`, `icmp/echo`. */
export function serviceOf(f: Flow): string {
  return f.id.slice(f.id.lastIndexOf(':') + 1);
}

function matcher(q: MatrixQuery): (f: Flow, service: string, status: FlowStatus) => boolean {
  const host = q.host?.trim().toLowerCase() || undefined;
  const port = q.port?.trim() || undefined;
  const portNumber = port !== undefined && /^\d+$/.test(port) ? Number(port) : undefined;
  return (f, service, status) => {
    if (q.state && q.state !== status) return false;
    if (q.phase && q.phase !== f.phase) return false;
    if (q.zone && f.source.zone !== q.zone && f.destination.zone !== q.zone) return false;
    if (q.role && !f.sourceRoles.includes(q.role as never) && !f.destinationRoles.includes(q.role as never)) return false;
    if (host && !f.source.name.toLowerCase().includes(host) && !f.destination.name.toLowerCase().includes(host)) return false;
    if (port !== undefined) {
      if (portNumber !== undefined) return f.ports !== null && f.ports.from <= portNumber && portNumber <= f.ports.to;
      return service === port || service.startsWith(`${port}/`);
    }
    return true;
  };
}
