import type { Phase } from '../../catalog/types.js';
import type { Family } from '../../net/address.js';
import { AddressSet } from '../../net/address-set.js';
import { protocols, type Protocol } from '../../net/port.js';
import { AddressRange } from '../../net/range.js';
import type { Flow } from '../../plan/types.js';
import { addressSetOf, type Opening } from '../../plan/openings.js';

/** A destination port range; ICMP echo, which has no ports, is the range 0-0 here so one code path serves all. */
export interface Span {
  readonly from: number;
  readonly to: number;
}

/**
 * One aggregated opening: every address of `sources` may reach every range of `ports`, and together the blocks
 * of a destination set hold exactly the (source address, port) pairs its flows ask for: never wider.
 * `always` blocks hold the pairs always flows ask for; `install` blocks hold those of install-only flows that
 * no always block opens on the same ports, so they can be removed after setup without closing anything else.
 */
export interface Block {
  readonly family: Family;
  readonly protocol: Protocol;
  readonly phase: Phase;
  readonly sources: AddressSet;
  readonly ports: readonly Span[];
}

/** How a target counts what blocks cost it (AWS: one rule per CIDR and port range; Azure: address prefixes). */
export type Cost = (blocks: readonly Block[]) => number;

export const spanOf = (flow: Flow): Span => flow.ports ?? { from: 0, to: 0 };

/**
 * The blocks for flows into one destination set, per family the set has, protocol and phase. Two exact
 * shapes are built, one block per port range (port-major) or one block per set of sources that share their
 * ports (address-major), and the one `cost` prices lower is kept.
 */
export function aggregate(openings: readonly Opening[], families: readonly Family[], cost: Cost): Block[] {
  const blocks: Block[] = [];
  for (const family of families) {
    for (const protocol of protocols) {
      const entries = openings.filter((o) => o.protocol === protocol).map((o) => entryOf(o, family));
      const { always, install } = phaseSegments(entries.filter((e) => !e.sources.isEmpty));
      for (const [phase, segments] of [['always', always], ['install', install]] as const) {
        const context = { family, protocol, phase };
        const portMajor = segments.map((s) => ({ ...context, sources: s.sources, ports: [s.span] }));
        const addressMajor = addressMajorBlocks(segments).map((b) => ({ ...context, ...b }));
        blocks.push(...(cost(addressMajor) < cost(portMajor) ? addressMajor : portMajor));
      }
    }
  }
  return blocks;
}

interface Entry {
  readonly span: Span;
  readonly phase: Phase;
  readonly sources: AddressSet;
}

const entryOf = (o: Opening, family: Family): Entry => ({ span: o.ports ?? { from: 0, to: 0 }, phase: o.installOnly ? 'install' : 'always', sources: o.sources.only(family) });

interface Segment {
  readonly span: Span;
  readonly sources: AddressSet;
}

/**
 * The always segments, and the install-only ones less the addresses an always segment already opens on every
 * port of theirs. An install rule may overlap an always rule (security groups add up), which keeps it whole
 * (49152-65535 stays one range beside an always 50123), but it never repeats one.
 */
function phaseSegments(entries: readonly Entry[]): { always: Segment[]; install: Segment[] } {
  const always = segmentsOf(entries.filter((e) => e.phase === 'always'));
  const install: Segment[] = [];
  for (const s of segmentsOf(entries.filter((e) => e.phase === 'install'))) {
    appendJoined(install, { span: s.span, sources: s.sources.difference(openedThroughout(always, s.span)) });
  }
  return { always, install };
}

/** Cuts the ports at every range boundary and takes the union of sources on each piece; equal neighbours join. */
function segmentsOf(entries: readonly Entry[]): Segment[] {
  const bySpan = new Map<string, { span: Span; sources: AddressSet[] }>();
  for (const e of entries) {
    const key = `${e.span.from}-${e.span.to}`;
    const slot = bySpan.get(key) ?? { span: e.span, sources: [] };
    slot.sources.push(e.sources);
    bySpan.set(key, slot);
  }
  const slots = [...bySpan.values()].map((s) => ({ span: s.span, sources: AddressSet.unionAll(s.sources) }));
  const cuts = [...new Set(slots.flatMap((s) => [s.span.from, s.span.to + 1]))].sort((a, b) => a - b);
  const segments: Segment[] = [];
  let from: number | undefined;
  for (const cut of cuts) {
    if (from !== undefined) {
      const span = { from, to: cut - 1 };
      const covering = slots.filter((s) => s.span.from <= span.from && s.span.to >= span.to);
      appendJoined(segments, { span, sources: AddressSet.unionAll(covering.map((s) => s.sources)) });
    }
    from = cut;
  }
  return segments;
}

/** The addresses that the (sorted, disjoint) segments open on every port of `span`: none if a port is missed. */
function openedThroughout(segments: readonly Segment[], span: Span): AddressSet {
  const meeting = segments.filter((s) => spansMeet(s.span, span));
  let next = span.from;
  let opened: AddressSet | undefined;
  for (const s of meeting) {
    if (s.span.from > next) return AddressSet.empty;
    opened = opened ? opened.intersection(s.sources) : s.sources;
    next = s.span.to + 1;
  }
  return opened && next > span.to ? opened : AddressSet.empty;
}

function appendJoined(segments: Segment[], next: Segment): void {
  if (next.sources.isEmpty) return;
  const last = segments[segments.length - 1];
  if (last && last.span.to + 1 === next.span.from && last.sources.equals(next.sources)) {
    segments[segments.length - 1] = { span: { from: last.span.from, to: next.span.to }, sources: last.sources };
  } else segments.push(next);
}

/** Groups addresses by the exact set of segments (ports) they reach: one block per distinct port set. */
function addressMajorBlocks(segments: readonly Segment[]): { sources: AddressSet; ports: Span[] }[] {
  const events: { at: bigint; family: Family; segment: number; delta: 1 | -1 }[] = [];
  segments.forEach((s, segment) => {
    for (const r of s.sources.ranges()) {
      events.push({ at: r.first, family: r.family, segment, delta: 1 }, { at: r.last + 1n, family: r.family, segment, delta: -1 });
    }
  });
  events.sort((a, b) => a.family - b.family || (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const bySegments = new Map<string, { spans: Span[]; ranges: AddressRange[] }>();
  const active = new Map<number, Span>();
  events.forEach((e, i) => {
    if (e.delta === 1) active.set(e.segment, segments[e.segment]?.span ?? { from: 0, to: 0 });
    else active.delete(e.segment);
    const next = events[i + 1];
    if (!next || next.family !== e.family || next.at === e.at || active.size === 0) return;
    const reached = [...active.entries()].sort(([a], [b]) => a - b);
    const key = reached.map(([index]) => index).join(',');
    const group = bySegments.get(key) ?? { spans: reached.map(([, span]) => span), ranges: [] };
    group.ranges.push(AddressRange.of(e.family, e.at, next.at - 1n));
    bySegments.set(key, group);
  });
  return [...bySegments.values()].map((g) => ({ sources: AddressSet.of(g.ranges), ports: joinedSpans(g.spans) }));
}

/** Spans (sorted, disjoint) with touching neighbours joined: 5723 and 5724 become 5723-5724. */
function joinedSpans(spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const s of spans) {
    const last = out[out.length - 1];
    if (last && last.to + 1 === s.from) out[out.length - 1] = { from: last.from, to: s.to };
    else out.push(s);
  }
  return out;
}

/**
 * For each query range (sorted, disjoint, one family), the flows whose source addresses meet it: which flows
 * a rule serves, for its description. One sweep over both lists, not a test of every pair.
 */
export function flowsMeeting(queries: readonly AddressRange[], flows: readonly Flow[], family: Family): Flow[][] {
  const intervals = flows
    .flatMap((flow) => addressSetOf(flow.source).only(family).ranges().map((r) => ({ first: r.first, last: r.last, flow })))
    .sort((a, b) => (a.first < b.first ? -1 : a.first > b.first ? 1 : 0));
  let next = 0;
  let active: typeof intervals = [];
  return queries.map((q) => {
    for (let iv = intervals[next]; iv && iv.first <= q.last; iv = intervals[++next]) active.push(iv);
    active = active.filter((iv) => iv.last >= q.first);
    return [...new Set(active.map((iv) => iv.flow))];
  });
}

/** The flows that may have asked for a block's pairs: same protocol and phase, a port range that meets it. */
export function flowsOfBlock(block: Block, flows: readonly Flow[]): Flow[] {
  return flows.filter((f) => f.protocol === block.protocol && f.phase === block.phase && block.ports.some((s) => spansMeet(s, spanOf(f))));
}

export const spansMeet = (a: Span, b: Span): boolean => a.from <= b.to && b.from <= a.to;

/** Rules a generator without aggregation would write: one per flow and source CIDR, in the given families. */
export function unaggregatedRuleCount(flows: readonly Flow[], families: readonly Family[]): number {
  return flows.reduce((n, f) => n + families.reduce((m, family) => m + addressSetOf(f.source).only(family).toCidrs().length, 0), 0);
}
