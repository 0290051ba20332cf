import { protocols, singlePort } from '../net/port.js';
import type { Plan } from '../plan/types.js';
import { UserError } from '../topology/errors.js';
import { resultsFileSchema, summarize, type ProbeResult, type ProbeState, type ResultsFile } from './results.js';
import { portLabel } from './text.js';
import { fails, type FailRule } from './verdict.js';
import { plural } from '../text/names.js';

/** A result file as read from disk, with where it came from. */
export interface LoadedResults {
  readonly file: string;
  readonly data: ResultsFile;
}

/**
 * Parses and validates one result file. Every problem is a user error naming the file and the JSON path of
 * the first problem (`results[3].state`), as a PowerShell prober author needs to find it.
 */
export function parseResultsFile(text: string, file: string): LoadedResults {
  let json: unknown;
  try {
    json = JSON.parse(text.replace(/^\uFEFF/, '')); // PowerShell 5 writes UTF-8 with a byte order mark
  } catch (e) {
    throw new UserError(`${file}: not JSON: ${(e as Error).message}`, undefined, 'give result files written by scomfw check --format json');
  }
  const parsed = resultsFileSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new UserError(`${file}: ${jsonPath(issue?.path ?? []) || '(top level)'}: ${issue?.message ?? 'invalid'}`, undefined, 'the format is described in docs/results.md and schema/results.schema.json');
  }
  const data = parsed.data;
  const counted = summarize(data.results);
  for (const state of Object.keys(counted) as ProbeState[]) {
    if (counted[state] !== data.summary[state]) {
      throw new UserError(`${file}: summary.${state}: says ${data.summary[state]}, the results hold ${counted[state]}`, undefined, 'the summary counts the results by state');
    }
  }
  if (Date.parse(data.finishedAt) < Date.parse(data.startedAt)) throw new UserError(`${file}: finishedAt: before startedAt`);
  return { file, data };
}

/** `results[3].state`, `source.name`: how a person points into a JSON document. */
export function jsonPath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((acc, key) => (typeof key === 'number' ? `${acc}[${key}]` : acc ? `${acc}.${String(key)}` : String(key)), '');
}

export type MatrixState = ProbeState | 'not covered';

export interface MatrixRow {
  readonly source: string;
  readonly destination: string;
  readonly address: string;
  readonly port: string;
  readonly flow: string;
  readonly phase: ProbeResult['phase'];
  readonly state: MatrixState;
  readonly reason: string;
  readonly detail: string;
  readonly rttMs: number | null;
  /** The result file the row came from; empty for a planned flow no file covers. */
  readonly file: string;
  /** False when a plan was given and the flow is not in it (results of another version of the deployment). */
  readonly inPlan: boolean;
  readonly fails: boolean;
}

export interface Matrix {
  readonly managementGroup: string;
  readonly catalog: string;
  readonly files: readonly { readonly file: string; readonly source: string; readonly prober: string; readonly startedAt: string; readonly finishedAt: string }[];
  readonly rows: readonly MatrixRow[];
  readonly counts: Readonly<Record<MatrixState, number>>;
  readonly failing: number;
  /** What the reader should know: replaced duplicates, rows outside the plan. */
  readonly notes: readonly string[];
}

/**
 * Merges result files into one matrix, source × destination × port (× sampled address) → state.
 * The same (source, flow, address) in several files: the most recent finishedAt wins, and a note says so.
 * With a plan: a planned flow that no file covers is a row "not covered"; a row whose flow is not in the plan is
 * kept and marked. Exit rule as check (verdict.ts); "not covered" fails only with --strict.
 */
export function mergeResults(loaded: readonly LoadedResults[], rule: { strict: boolean }, plan?: Plan): Matrix {
  const group = managementGroupOf(loaded, plan);
  const latest = new Map<string, { row: ProbeResult; source: string; file: string; at: number }>();
  let replaced = 0;
  for (const { file, data } of loaded) {
    const at = Date.parse(data.finishedAt);
    for (const row of data.results) {
      const key = `${data.source.name}\u0000${row.flow}\u0000${row.address}`;
      const seen = latest.get(key);
      if (seen) replaced++;
      if (!seen || at >= seen.at) latest.set(key, { row, source: data.source.name, file, at });
    }
  }
  const failRule: FailRule = { strict: rule.strict, ...(plan ? { planPhase: plan.phase } : {}) };
  const planned = plan ? new Set(plan.flows.map((f) => f.id)) : undefined;
  const rows: MatrixRow[] = [...latest.values()].map(({ row, source, file }) => {
    const inPlan = planned ? planned.has(row.flow) : true;
    return { source, destination: row.destination, address: row.address, port: portLabel(row), flow: row.flow, phase: row.phase, state: row.state, reason: row.reason, detail: row.detail, rttMs: row.rttMs, file, inPlan, fails: inPlan && fails(row, failRule) };
  });
  if (plan) rows.push(...notCovered(plan, new Set(rows.map((r) => r.flow)), rule.strict));
  rows.sort(compareRows);
  const notes: string[] = [];
  if (replaced) notes.push(`${plural(replaced, 'result')} found in more than one file: the most recent is shown`);
  const outside = rows.filter((r) => !r.inPlan).length;
  if (outside) notes.push(`${plural(outside, 'result')} for flows that are not in the plan (another version of the deployment?): shown, never failing`);
  const counts = countStates(rows);
  return { managementGroup: group, catalog: plan?.catalog ?? loaded[0]?.data.catalog ?? '', files: loaded.map(fileInfo), rows, counts, failing: rows.filter((r) => r.fails).length, notes };
}

function managementGroupOf(loaded: readonly LoadedResults[], plan?: Plan): string {
  const groups = new Set(loaded.map((l) => l.data.managementGroup));
  if (plan) groups.add(plan.managementGroup);
  if (groups.size > 1) {
    const where = loaded.map((l) => `${l.file}: ${l.data.managementGroup}`).join('; ');
    throw new UserError(`the results are of different management groups (${where}${plan ? `; plan: ${plan.managementGroup}` : ''})`, undefined, 'report one management group at a time');
  }
  return [...groups][0] ?? '';
}

function notCovered(plan: Plan, covered: ReadonlySet<string>, strict: boolean): MatrixRow[] {
  return plan.flows
    .filter((f) => !covered.has(f.id))
    .map((f) => ({
      source: f.source.name,
      destination: f.destination.name,
      address: '-',
      port: portLabel({ protocol: f.protocol, port: singlePort(f.ports), flow: f.id }),
      flow: f.id,
      phase: f.phase,
      state: 'not covered' as const,
      reason: '-',
      detail: `no result file covers this flow: run scomfw check on ${f.source.name}`,
      rttMs: null,
      file: '',
      inPlan: true,
      fails: strict,
    }));
}

function fileInfo(l: LoadedResults): Matrix['files'][number] {
  return { file: l.file, source: l.data.source.name, prober: l.data.prober, startedAt: l.data.startedAt, finishedAt: l.data.finishedAt };
}

export const matrixStates: readonly MatrixState[] = ['open', 'closed', 'filtered', 'open|filtered', 'unprovable', 'not covered'];

function countStates(rows: readonly MatrixRow[]): Record<MatrixState, number> {
  const counts = Object.fromEntries(matrixStates.map((s) => [s, 0])) as Record<MatrixState, number>;
  for (const r of rows) counts[r.state]++;
  return counts;
}

const byText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function compareRows(a: MatrixRow, b: MatrixRow): number {
  return byText(a.source, b.source) || byText(a.destination, b.destination) || comparePorts(a.port, b.port) || byText(a.address, b.address);
}

/** tcp before udp before icmp, then by number, so that tcp/135 comes before tcp/1433. */
function comparePorts(a: string, b: string): number {
  const order = (p: string) => (protocols as readonly string[]).indexOf(p.split('/')[0] ?? '');
  const num = (p: string) => Number.parseInt(p.split('/')[1] ?? '', 10) || 0;
  return order(a) - order(b) || num(a) - num(b) || byText(a, b);
}
