import { Buffer } from 'node:buffer';
import { portsText, protocolPorts } from '../net/port.js';
import { csvField, markdownCell } from '../text/cells.js';
import { ByteChunk } from '../text/byte-chunk.js';
import { fit, fittedRow } from '../text/columns.js';
import { planJson, planJsonNormalized } from './json.js';
import { flowCounts } from './counts.js';
import { planRows, type PlanRows, type RowClass, type RowFlow, type RowHost } from './expand.js';
import { normalizedPlanFormat, planFormat, planVersion } from './version.js';
import { hole, jsonAt, Stencil } from './stencil.js';
import type { Flow, Plan } from './types.js';

export { planJson, planJsonNormalized };

export const planFormats = ['table', 'json', 'json-normalized', 'csv', 'markdown'] as const;
export type PlanFormat = (typeof planFormats)[number];

/*
 * The plan's formats, written from the plan's rows (src/plan/expand.ts planRows): a class of alike hosts has its
 * rows rendered once, and each member's name, addresses and flow ids are stamped into them. The text comes in
 * chunks of about 64 KiB, for the CLI to write as they come: 150,000 agents make 25 MB of table and 290 MB of
 * JSON, which need never be one string. Pure: chunks are strings (the table's also as UTF-8 bytes, for the CLI),
 * the writing is the caller's.
 */

/** About this many UTF-16 units per chunk, unless told. */
const defaultChunkSize = 1 << 16;

export interface ChunkOptions {
  /** Rows are gathered into chunks of at least this many UTF-16 units (the table's: bytes; the last may be shorter); 64 Ki by default. */
  readonly chunkSize?: number;
}

/** The plan in a format, in chunks whose concatenation is the whole text. */
export function planChunks(plan: Plan, format: PlanFormat, { chunkSize = defaultChunkSize }: ChunkOptions = {}): Iterable<string> {
  switch (format) {
    case 'json':
      return jsonChunks(plan, true, chunkSize);
    case 'json-normalized':
      return jsonChunks(plan, false, chunkSize);
    case 'csv':
      return csvChunks(plan, chunkSize);
    case 'markdown':
      return markdownChunks(plan, chunkSize);
    case 'table':
      return tableChunks(plan, chunkSize);
  }
}

/** The plan in a format as the CLI writes it: the table as UTF-8 bytes made in place, the other formats as text. */
export function planOutputChunks(plan: Plan, format: PlanFormat): Iterable<string | Buffer, void, boolean | undefined> {
  return format === 'table' ? tableByteChunks(plan) : planChunks(plan, format);
}

/** The plan in a format, as one string. */
export function formatPlan(plan: Plan, format: PlanFormat): string {
  const chunks: string[] = [];
  for (const chunk of planChunks(plan, format)) chunks.push(chunk);
  return chunks.join('');
}

/** "tcp/5723", "tcp/49152-65535", "icmp/echo". */
export function portText(f: Pick<Flow, 'protocol' | 'ports'>): string {
  return protocolPorts(f.protocol, f.ports);
}

/** The id of a source host's flow: its own where the plan is not one of classes. */
function idOf(source: RowHost, o: RowFlow): string {
  return o.id ?? `${source.name}>${o.destination.name}${o.idEnd}`;
}

/**
 * Every row, as `line(source prefix, rest)`: the prefix made once per source host, the rest (destination and
 * template cells) once per flow of a class and kept for the class's other members.
 */
function* rowLines(chunkSize: number, rows: PlanRows, prefixOf: (source: RowHost) => string, restOf: (o: RowFlow) => string, joined: (source: RowHost, prefix: string, o: RowFlow, rest: string) => string): Generator<string> {
  const kept = new Map<RowClass, readonly string[]>();
  let text = '';
  for (const [source, out] of rows.runs()) {
    if (out.length === 0) continue;
    const prefix = prefixOf(source);
    let rests = kept.get(source.of);
    if (!rests && source.of.shared) kept.set(source.of, (rests = out.map(restOf)));
    for (let i = 0; i < out.length; i++) {
      const o = out[i]!;
      text += joined(source, prefix, o, rests ? rests[i]! : restOf(o));
      if (text.length >= chunkSize) {
        yield text;
        text = '';
      }
    }
  }
  if (text) yield text;
}

/** A value per template, kept where templates are shared (a plan of classes has a few dozen). */
function perTemplate<T>(rows: PlanRows, make: (t: Flow) => T): (t: Flow) => T {
  if (!rows.byClass) return make;
  const kept = new Map<Flow, T>();
  return (t) => {
    let value = kept.get(t);
    if (value === undefined) kept.set(t, (value = make(t)));
    return value;
  };
}

const csvColumns = ['id', 'source', 'source_zone', 'source_addresses', 'destination', 'destination_zone', 'destination_addresses', 'protocol', 'ports', 'phase', 'rows', 'notes'];

/** CSV with CRLF line ends (RFC 4180). */
function* csvChunks(plan: Plan, chunkSize: number): Generator<string> {
  yield `${csvColumns.join(',')}\r\n`;
  const rows = planRows(plan);
  const host = (h: RowHost) => `${csvField(h.name)},${csvField(h.of.representative.zone)},${csvField(h.addresses.join(' '))}`;
  const tail = perTemplate(rows, (t) => [t.protocol, portsText(t.ports), t.phase, t.rows.join(' '), t.notes.join('; ')].map(csvField).join(','));
  yield* rowLines(chunkSize, rows, host, (o) => `${host(o.destination)},${tail(o.template)}`, (source, prefix, o, rest) => `${csvField(idOf(source, o))},${prefix},${rest}\r\n`);
}

function* markdownChunks(plan: Plan, chunkSize: number): Generator<string> {
  const head = [
    `# Flow plan: ${markdownCell(plan.managementGroup)}`,
    '',
    `Catalog ${plan.catalog}, phase ${plan.phase}, ${flowCounts(plan).flows} flows.`,
    '',
    ...plan.notes.map((n) => `- ${markdownCell(n)}`),
    '',
    '| source | destination | protocol/port | phase | rows | notes |',
    '|---|---|---|---|---|---|',
  ];
  yield `${head.join('\n')}\n`;
  const rows = planRows(plan);
  const tail = perTemplate(rows, (t) => [portText(t), t.phase, t.rows.join(', '), t.notes.join('; ')].map(markdownCell).join(' | '));
  yield* rowLines(chunkSize, rows, (h) => `| ${markdownCell(h.name)} | `, (o) => `${markdownCell(o.destination.name)} | ${tail(o.template)} |`, (_, prefix, __, rest) => `${prefix}${rest}\n`);
}

const width = 100;
const nameWidth = 26;

/** Row ids without the revision (the header names it): "#16 #17". */
const shortRows = (f: Flow) => f.rows.map((r) => r.slice(r.indexOf('#'))).join(' ');

/** The columns after the names: fitted once per kind of flow (TailCells). */
const tailColumns: readonly Column[] = [
  { width: 15, value: portText },
  { width: 7, value: (f: Flow) => f.phase },
  { width: width - nameWidth - nameWidth - 15 - 7 - 4, value: shortRows },
];

/** A table that fits 100 columns: long names are shortened with an ellipsis, never wrapped. */
function* tableChunks(plan: Plan, chunkSize: number): Generator<string> {
  // Made as bytes (what the CLI writes) and read back per chunk: one way of making the table, not two.
  for (const bytes of tableByteChunks(plan, chunkSize)) yield bytes.toString('utf8');
}

/**
 * The table as UTF-8 bytes in chunks of at least `chunkSize` bytes (the last may be shorter), each ending at a
 * line's end. 300,000 rows are copied into the chunk in place: each class's row ends are encoded once, each name
 * is copied per row; no row string is made, and the stream need not encode 25 MB of text again (measured: 90 ms
 * of Buffer.from at 150,000 agents, and the garbage of the joined strings). Whoever takes a chunk may answer true
 * (next(true)) once nothing holds it any more: the next chunk is then made in the same buffer.
 */
export function* tableByteChunks(plan: Plan, chunkSize = defaultChunkSize): Generator<Buffer, void, boolean | undefined> {
  const counts = flowCounts(plan);
  const head = `${plan.managementGroup}: ${counts.flows} flows (${counts.installOnly} install-only), catalog ${plan.catalog}, phase ${plan.phase}`;
  const titles = fittedRow(['SOURCE', 'DESTINATION', 'PORT', 'PHASE', 'ROWS'], [nameWidth, nameWidth, ...tailColumns.map((c) => c.width)]);
  yield Buffer.from(`${head}\n\n${titles}\n`, 'utf8');
  let cutCell = false;
  const tails = new TailCells(tailColumns);
  const rest = (o: RowFlow): Buffer => {
    const tail = tails.of(o.template);
    if (tail.cut || o.destination.name.length > nameWidth) cutCell = true;
    return Buffer.from(` ${fit(o.destination.name, nameWidth)} ${tail.text}\n`, 'utf8');
  };
  const out = new ByteChunk(chunkSize);
  const kept = new Map<RowClass, readonly Buffer[]>();
  // Sources by name and class: the rows need no more of them (namedRuns makes no object per host for a plan of classes).
  for (const [name, of, flows] of planRows(plan).namedRuns()) {
    if (flows.length === 0) continue;
    if (name.length > nameWidth) cutCell = true;
    let rests = kept.get(of);
    if (!rests && of.shared) kept.set(of, (rests = flows.map(rest)));
    for (let i = 0; i < flows.length; i++) {
      out.fitted(name, nameWidth);
      out.bytes(rests ? rests[i]! : rest(flows[i]!));
      if (out.length >= chunkSize && (yield out.take()) === true) out.reuse();
    }
  }
  if (out.length > 0) yield out.take();
  const notes = plan.notes.map((n) => fit(`note: ${n}`, width).trimEnd());
  // Said in the output itself, where the shortened text is: a reader must not take "…" for the whole note.
  const cut = plan.notes.some((n) => `note: ${n}`.length > width) || cutCell;
  yield Buffer.from(`${['', ...notes, ...(cut ? [shortenedNotice] : [])].join('\n')}\n`, 'utf8');
}

interface Column {
  readonly width: number;
  readonly value: (f: Flow) => string;
}

/**
 * The row's end (PORT, PHASE, ROWS), fitted once for every flow with the same rows list, protocol, ports and phase:
 * the flows of one class of alike hosts share their rows list, so 300,000 rows fit a few dozen ends.
 */
class TailCells {
  private readonly cache = new Map<readonly string[], { readonly flow: Flow; readonly text: string; readonly cut: boolean }[]>();

  constructor(private readonly cols: readonly Column[]) {}

  of(f: Flow): { readonly text: string; readonly cut: boolean } {
    let list = this.cache.get(f.rows);
    if (!list) this.cache.set(f.rows, (list = []));
    const same = list.find(({ flow }) => flow.protocol === f.protocol && flow.ports === f.ports && flow.phase === f.phase);
    if (same) return same;
    const cells = this.cols.map((c) => c.value(f));
    const made = { flow: f, text: fittedRow(cells, this.cols.map((c) => c.width)), cut: cells.some((c, i) => c.length > this.cols[i]!.width) };
    list.push(made);
    return made;
  }
}

/** The table's last line when a name or note did not fit: how to read them whole. */
export const shortenedNotice = '(… marks a name or note cut to fit 100 columns: --format json or markdown shows it whole)';

/*
 * JSON, as planJson (two-space indent, endpoints embedded in flows) or planJsonNormalized (compact, flows name
 * their endpoints) writes it, from stencils: the plan's head with holes for flows and hosts, each class's endpoint
 * with holes for name and addresses, each template's flow with holes for id, source and destination.
 */

const flowsHole = hole('flows');
const hostsHole = hole('hosts');
const nameHole = hole('name');
const addressesHole = hole('addresses');
const idHole = hole('id');
const sourceHole = hole('source');
const destinationHole = hole('destination');

function* jsonChunks(plan: Plan, indented: boolean, chunkSize: number): Generator<string> {
  // planJson spreads the plan (flows and hosts in their places); planJsonNormalized puts hosts then flows last.
  const top = indented ? { format: planFormat, version: planVersion, ...planHead(plan, true) } : { format: normalizedPlanFormat, version: planVersion, ...planHead(plan, false), hosts: hostsHole, flows: flowsHole };
  // Keys holding a marker's text are impossible in a plan made by derivePlan; should one be there, write it whole.
  const frame = Stencil.of(top, 0, indented, [flowsHole, hostsHole]);
  if (!frame) {
    yield indented ? planJson(plan) : planJsonNormalized(plan);
    return;
  }
  const rows = planRows(plan);
  const endpoints = new EndpointJson(rows.byClass, indented);
  const arrays = [flowChunks(rows, endpoints, indented, chunkSize), hostChunks(rows, endpoints, indented, chunkSize)];
  // The holes in the order they appear: flows then hosts (json), hosts then flows (normalized).
  yield frame.parts[0]!;
  yield* arrays[frame.order[0]!]!;
  yield frame.parts[1]!;
  yield* arrays[frame.order[1]!]!;
  yield `${frame.parts[2]!}\n`;
}

/**
 * The plan's own keys in order, flows and hosts as holes (or left out), without reading (and so building) flows
 * or hosts.
 */
function planHead(plan: Plan, withHoles: boolean): Record<string, unknown> {
  const head: Record<string, unknown> = {};
  for (const key of Object.keys(plan)) {
    if (key === 'flows' || key === 'hosts') {
      if (withHoles) head[key] = key === 'flows' ? flowsHole : hostsHole;
    } else head[key] = (plan as unknown as Record<string, unknown>)[key];
  }
  return head;
}

/** The items of an array at depth 1 of the document, in chunks: `[]` when empty. */
function* arrayChunks(items: Iterable<string>, indented: boolean, chunkSize: number): Generator<string> {
  const first = indented ? '\n    ' : '';
  const between = indented ? ',\n    ' : ',';
  let text = '';
  let any = false;
  for (const item of items) {
    text += (any ? between : `[${first}`) + item;
    any = true;
    if (text.length >= chunkSize) {
      yield text;
      text = '';
    }
  }
  yield any ? `${text}${indented ? '\n  ' : ''}]` : '[]';
}

function hostChunks(rows: PlanRows, endpoints: EndpointJson, indented: boolean, chunkSize: number): Generator<string> {
  return arrayChunks(
    (function* () {
      for (const h of rows.hosts()) yield endpoints.text(h, 2);
    })(),
    indented,
    chunkSize,
  );
}

function flowChunks(rows: PlanRows, endpoints: EndpointJson, indented: boolean, chunkSize: number): Generator<string> {
  const stencil = perTemplate(rows, (t) => Stencil.of(flowWithHoles(t), 2, indented, [idHole, sourceHole, destinationHole]) ?? null);
  const reference = indented ? (h: RowHost) => endpoints.text(h, 3) : (h: RowHost) => JSON.stringify(h.name);
  const flowText = (source: RowHost, sourceText: string, o: RowFlow, destinationText: string): string => {
    // A plan not planned by class: every flow is its own template, written as it is.
    if (o.id !== undefined && !rows.byClass) return indented ? jsonAt(o.template, 2, true) : JSON.stringify({ ...o.template, source: source.name, destination: o.destination.name });
    const s = stencil(o.template);
    const id = idOf(source, o);
    if (s) return s.stamp([JSON.stringify(id), sourceText, destinationText]);
    const endpoint = (h: RowHost) => (indented ? { ...h.of.representative, name: h.name, addresses: h.addresses } : h.name);
    return jsonAt({ ...o.template, id, source: endpoint(source), destination: endpoint(o.destination) }, 2, indented);
  };
  return arrayChunks(
    (function* () {
      const kept = new Map<RowClass, readonly string[]>();
      for (const [source, out] of rows.runs()) {
        if (out.length === 0) continue;
        const sourceText = rows.byClass ? reference(source) : '';
        let destinations = kept.get(source.of);
        if (!destinations && source.of.shared) kept.set(source.of, (destinations = out.map((o) => reference(o.destination))));
        for (let i = 0; i < out.length; i++) {
          const o = out[i]!;
          yield flowText(source, sourceText, o, destinations ? destinations[i]! : rows.byClass ? reference(o.destination) : '');
        }
      }
    })(),
    indented,
    chunkSize,
  );
}

/** The template with its id, source and destination as holes, its keys in their order. */
function flowWithHoles(t: Flow): Record<string, unknown> {
  return { ...t, id: idHole, source: sourceHole, destination: destinationHole };
}

/** An endpoint's JSON at a depth: its class's stencil with the host's name and addresses. */
class EndpointJson {
  private readonly stencils = new Map<RowClass, (Stencil | null)[]>();

  constructor(private readonly byClass: boolean, private readonly indented: boolean) {}

  text(h: RowHost, depth: number): string {
    const rep = h.of.representative;
    if (!this.byClass) return jsonAt(rep, depth, this.indented);
    let list = this.stencils.get(h.of);
    if (!list) this.stencils.set(h.of, (list = []));
    let s = list[depth];
    if (s === undefined) list[depth] = s = Stencil.of({ ...rep, name: nameHole, addresses: addressesHole }, depth, this.indented, [nameHole, addressesHole]) ?? null;
    if (!s) return jsonAt({ ...rep, name: h.name, addresses: h.addresses }, depth, this.indented);
    return s.stamp([JSON.stringify(h.name), jsonAt(h.addresses, depth + 1, this.indented)]);
  }
}
