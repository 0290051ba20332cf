// Shared by the cloud, document and limits tests: plans built by hand (bypassing the loader), hostile strings,
// and lexers that blank the strings and comments of each output language.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Role } from '../../src/catalog/roles.js';
import type { Phase } from '../../src/catalog/types.js';
import type { Protocol } from '../../src/net/port.js';
import { flowId } from '../../src/plan/derive.js';
import { compareText } from '../../src/plan/order.js';
import type { Endpoint, Flow, Plan } from '../../src/plan/types.js';
import { PortRange } from '../../src/net/port.js';

export function endpoint(name: string, addresses: readonly string[], extra: Partial<Endpoint> = {}): Endpoint {
  return { name, addresses, roles: ['agent'], zone: 'corp', os: 'windows', ...extra };
}

export interface FlowSpec {
  readonly protocol?: Protocol;
  readonly ports?: PortRange | null;
  readonly phase?: Phase;
  readonly rows?: readonly string[];
  readonly notes?: readonly string[];
}

export function flow(source: Endpoint, destination: Endpoint, spec: FlowSpec = {}): Flow {
  const protocol = spec.protocol ?? 'tcp';
  const ports = spec.ports === undefined ? PortRange.of(5723) : spec.ports;
  return {
    id: flowId(source.name, destination.name, protocol, ports),
    source,
    destination,
    protocol,
    ports,
    phase: spec.phase ?? 'always',
    sourceRoles: source.roles,
    destinationRoles: destination.roles,
    rows: spec.rows ?? ['2024-11#16'],
    notes: spec.notes ?? [],
  };
}

/** A plan from flows alone: its hosts are the flows' endpoints (and `extra`), sorted by name. */
export function handPlan(flows: readonly Flow[], managementGroup = 'HAND', extra: readonly Endpoint[] = [], notes: readonly string[] = []): Plan {
  const hosts = new Map<string, Endpoint>();
  for (const e of [...flows.flatMap((f) => [f.source, f.destination]), ...extra]) hosts.set(e.name, e);
  return {
    managementGroup,
    catalog: '2024-11',
    phase: 'install',
    hosts: [...hosts.values()].sort((a, b) => compareText(a.name, b.name)),
    flows,
    notes,
  };
}

export const roles = (...list: Role[]): Role[] => list;

const ownHostile: readonly string[] = [
  '"',
  "'",
  '`',
  '\u2018quoted\u2019',
  '\u201cquoted\u201d',
  '${var.secret}',
  '$${already}',
  '%{ if true }x%{ endif }',
  '%%{',
  '$(rm -rf /)',
  '`id`',
  'a; rm -rf /',
  'a && b',
  'a | b',
  'a || b',
  'line1\nline2',
  'cr\rhere',
  'crlf\r\n}\nresource "x" "y" {',
  '\u2028sep\u2029',
  '# not a comment',
  '// not a comment',
  '/* not */',
  '=1+1',
  '+cmd|calc',
  '-2+3',
  '@SUM(A1)',
  '\tTAB',
  '\r=cr',
  'a,b,"c"',
  '<script>alert(1)</script>',
  '<br/>',
  '[link](http://example.invalid)',
  '| col | col |',
  '**bold** _em_',
  '%% mermaid comment',
  '%%{init: {"theme": "dark"}}%%',
  'end',
  'subgraph',
  '-->|x| h0',
  '#quot;',
  '\\',
  '\\N\\G\\l',
  'a\\"b',
  '\u0000nul',
  '\u001bescape',
  '\u00a0nbsp',
  'ｍｓ０１．ｃｏｎｔｏｓｏ．ｃｏｍ',
  'раураl.com',
  '\u202eevil\u202c',
  'emoji 🔥',
  '{ } [ ] ( )',
  'x'.repeat(300),
];

/** Our hostile strings, and test/fixtures/hostile.ts `hostileStrings` once the loader's engineer adds it. */
export async function hostileStrings(): Promise<string[]> {
  const shared = join(import.meta.dirname, '..', 'fixtures', 'hostile.ts');
  if (!existsSync(shared)) return [...ownHostile];
  const mod = (await import(pathToFileURL(shared).href)) as { hostileStrings?: unknown };
  const theirs = Array.isArray(mod.hostileStrings) ? mod.hostileStrings.filter((s): s is string => typeof s === 'string') : [];
  return [...new Set([...ownHostile, ...theirs])];
}

export type HostileField = 'managementGroup' | 'sourceName' | 'destinationName' | 'zone' | 'note' | 'row';
export const hostileFields: readonly HostileField[] = ['managementGroup', 'sourceName', 'destinationName', 'zone', 'note', 'row'];

/** A small plan (TCP, UDP, ICMP, an install-only flow) with `value` in one field and benign text elsewhere. */
export function hostilePlan(field: HostileField, value: string): Plan {
  const pick = (f: HostileField, benign: string) => (f === field ? value : benign);
  const extra = { notes: [pick('note', 'reportsTo: primary')], rows: [pick('row', '2024-11#16')] };
  const ms = endpoint(pick('destinationName', 'ms01.example'), ['10.0.0.1', 'fd00::1'], { roles: ['management-server'], zone: pick('zone', 'corp') });
  const agents = endpoint(pick('sourceName', 'agents'), ['10.1.0.0/24', 'fd00:1::/64'], { zone: 'branch' });
  return handPlan(
    [
      flow(agents, ms, extra),
      flow(agents, ms, { ...extra, protocol: 'udp', ports: PortRange.of(161) }),
      flow(agents, ms, { ...extra, protocol: 'icmp', ports: null }),
      flow(ms, agents, { ...extra, ports: PortRange.of(135), phase: 'install' }),
    ],
    pick('managementGroup', 'HAND'),
    [],
    [pick('note', 'a plan note')],
  );
}

/**
 * HCL with every quoted string emptied and every comment blanked: what Terraform evaluates. Throws on an
 * unescaped `${` or `%{` inside a string (an interpolation or directive) and on an unterminated string.
 */
export function hclSkeleton(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '#') {
      while (i < text.length && text[i] !== '\n') i++;
      out += '#';
    } else if (c === '"') {
      i = endOfHclString(text, i + 1);
      out += '""';
    } else {
      out += c ?? '';
      i++;
    }
  }
  return out;
}

function endOfHclString(text: string, start: number): number {
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '\\') i++;
    else if (c === '"') return i + 1;
    else if (c === '\n') throw new Error(`line break inside an HCL string at ${i}`);
    else if ((c === '$' || c === '%') && next === c && text[i + 2] === '{') i += 2;
    else if ((c === '$' || c === '%') && next === '{') throw new Error(`template sequence ${c}{ inside an HCL string at ${i}: ${text.slice(i, i + 40)}`);
  }
  throw new Error('unterminated HCL string');
}

/** The text of one HCL string literal's body (between its quotes), unescaped as Terraform reads it. */
export function hclUnquote(body: string): string {
  return body
    .replace(/\\u([0-9a-f]{4})|\\(.)|(\$\$\{)|(%%\{)/g, (_, hex: string | undefined, ch: string | undefined, dollar: string | undefined) => {
      if (hex) return String.fromCharCode(parseInt(hex, 16));
      if (dollar) return '${';
      if (ch === undefined) return '%{';
      return ({ n: '\n', r: '\r', t: '\t' } as Record<string, string>)[ch] ?? ch;
    });
}

/** Every `name = "value"` string of an HCL file, unescaped, with the attribute name. */
export function hclStrings(text: string): { name: string; value: string }[] {
  return [...text.matchAll(/^\s*("?[A-Za-z0-9_:-]+"?)\s*=\s*"((?:[^"\\]|\\.)*)"$/gm)].map((m) => ({ name: m[1] ?? '', value: hclUnquote(m[2] ?? '') }));
}

export type HclTestValue = string | number | boolean | string[] | Record<string, string> | { readonly expression: string };

export interface HclResource {
  readonly type: string;
  readonly label: string;
  readonly attributes: Readonly<Record<string, HclTestValue>>;
}

/**
 * The resources of a file in the layout the targets write (one attribute a line; lists and maps one item a
 * line): a reader for tests that need the rules themselves, not a general HCL parser.
 */
export function hclResources(text: string): HclResource[] {
  const out: HclResource[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const head = /^resource "([^"]+)" "([^"]+)" \{$/.exec(lines[i] ?? '');
    if (!head) continue;
    const attributes: Record<string, HclTestValue> = {};
    for (i++; lines[i] !== '}'; i++) {
      const m = /^ {2}(\w+)\s*= (.*)$/.exec(lines[i] ?? '');
      if (!m) throw new Error(`unexpected line ${i + 1}: ${lines[i]}`);
      const [, key = '', value = ''] = m;
      if (value === '[' || value === '{') {
        const items: string[] = [];
        for (i++; lines[i] !== (value === '[' ? '  ]' : '  }'); i++) items.push((lines[i] ?? '').trim());
        attributes[key] = value === '[' ? items.map((l) => scalar(l.replace(/,$/, '')) as string) : mapOf(items);
      } else attributes[key] = scalar(value);
    }
    out.push({ type: head[1] ?? '', label: head[2] ?? '', attributes });
  }
  return out;
}

function scalar(text: string): HclTestValue {
  const inline = /^\[(.*)\]$/.exec(text);
  if (inline) return inline[1] ? [scalar(inline[1]) as string] : [];
  if (/^"(?:[^"\\]|\\.)*"$/.test(text)) return hclUnquote(text.slice(1, -1));
  if (/^-?\d+$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return { expression: text };
}

function mapOf(items: readonly string[]): Record<string, string> {
  return Object.fromEntries(
    items.map((l) => {
      const m = /^("?)([^"=]+?)\1\s*= "((?:[^"\\]|\\.)*)"$/.exec(l);
      if (!m) throw new Error(`unexpected map item: ${l}`);
      return [m[2] ?? '', hclUnquote(m[3] ?? '')];
    }),
  );
}
