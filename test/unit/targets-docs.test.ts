import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { csv, ruleCounts } from '../../src/targets/documents/csv.js';
import { alikeThreshold } from '../../src/targets/alike.js';
import { dot, quoted as dotQuoted } from '../../src/targets/diagrams/dot.js';
import { markdown } from '../../src/targets/documents/markdown.js';
import { csvField, markdownCell as cell } from '../../src/text/cells.js';
import { label as mermaidLabel, mermaid } from '../../src/targets/diagrams/mermaid.js';
import type { Target } from '../../src/targets/types.js';
import { UserError } from '../../src/topology/errors.js';
import { scenarioNames, scenarioPlan } from '../support/scenarios.js';
import { endpoint, flow, handPlan, hostileFields, hostilePlan, hostileStrings, roles } from './targets-cloud-fixtures.js';
import { PortRange } from '../../src/net/port.js';

const graphviz = spawnSync('dot', ['-V'], { encoding: 'utf8' }).status === 0;
if (!graphviz) console.warn('graphviz (dot) is not installed: the DOT parse tests are skipped (apt-get install graphviz)');

const text = (target: Target, plan: Plan): string => target.render(plan, {})[0]?.content ?? '';

/** RFC 4180 records: fields split on commas, quoted fields may hold commas, CRLF and doubled quotes. */
function csvRecords(content: string): string[][] {
  const records: string[][] = [];
  const pattern = /("(?:[^"]|"")*"|[^",\r\n]*)(,|\r\n|$)/gy;
  let record: string[] = [];
  for (let m = pattern.exec(content); m && m.index < content.length; m = pattern.exec(content)) {
    const [, field = '', end] = m;
    record.push(field.startsWith('"') ? field.slice(1, -1).replace(/""/g, '"') : field);
    if (end !== ',') {
      records.push(record);
      record = [];
    }
  }
  return records;
}

/** The unescaped `|` of a Markdown table line: its column borders. */
const borders = (line: string): number => [...line.matchAll(/(?<!\\)\|/g)].length;

/** The lines of a diagram with its node and zone ids made alike and sorted: what is drawn, not in which order. */
const shape = (content: string): string[] => content.replace(/\b([hz])\d+\b/g, '$1').split('\n').sort();
/** Mermaid with every quoted label emptied: the diagram's structure. */
const mermaidSkeleton = (content: string): string[] => shape(content.replace(/"[^"\n]*"/g, '""'));
/** DOT with every quoted string emptied and the comment line blanked. */
const dotSkeleton = (content: string): string[] => shape(content.replace(/"(?:[^"\\\n]|\\.)*"/g, '""').replace(/^\/\/.*$/m, '//'));

function dotParses(content: string): { ok: boolean; message: string } {
  const run = spawnSync('dot', ['-Tcanon'], { input: content, encoding: 'utf8' });
  return { ok: run.status === 0, message: run.stderr };
}

describe.each([csv, markdown, mermaid, dot])('$name target', (target) => {
  it('renders only the flows of one host with --host, and refuses an unknown host', () => {
    const one = text(target, { ...scenarioPlan('contoso') }).length;
    const scoped = target.render(scenarioPlan('contoso'), { host: 'sqlacs.contoso.com' })[0]?.content ?? '';
    expect(scoped.length).toBeLessThan(one);
    expect(scoped).toContain('sqlacs.contoso.com');
    expect(scoped).not.toContain('dmz-web-servers');
    expect(() => target.render(scenarioPlan('contoso'), { host: 'nobody' })).toThrow(UserError);
  });
});

describe('csv: a change request for a network team', () => {
  const contoso = csvRecords(text(csv, scenarioPlan('contoso')));

  it('is RFC 4180 with one record per rule and the same columns in each', () => {
    expect(contoso[0]).toEqual(['id', 'source zone', 'destination zone', 'crosses zones', 'sources', 'source addresses', 'destinations', 'destination addresses', 'protocol', 'ports', 'install only', 'why', 'catalog rows', 'notes']);
    for (const r of contoso) expect(r).toHaveLength(14);
    expect(contoso.length - 1).toBe(ruleCounts(scenarioPlan('contoso')).rules);
  });

  it('lists zone crossings first, then flows within one zone, numbered in that order', () => {
    const crossing = contoso.slice(1).map((r) => r[3]);
    expect(crossing.indexOf('no')).toBeGreaterThan(0);
    expect(crossing.slice(crossing.indexOf('no'))).not.toContain('yes');
    expect(contoso.slice(1).map((r) => r[0])).toEqual(contoso.slice(1).map((_, i) => `R${String(i + 1).padStart(3, '0')}`));
  });

  it('quotes fields with commas, quotes and line breaks, and defuses formulas', () => {
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField('=1+1')).toBe("'=1+1");
    expect(csvField('+1')).toBe("'+1");
    expect(csvField('-1')).toBe("'-1");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\tx')).toBe("'\tx");
    expect(csvField('\r=x')).toBe('"\'\r=x"');
    expect(csvField('10.0.0.0/8 10.1.0.0/16')).toBe('10.0.0.0/8 10.1.0.0/16');
  });

  it('marks install-only rows', () => {
    expect(contoso.filter((r) => r[10] === 'yes').map((r) => r[11])).toContain('management server to agent (TCP 135)');
  });
});

describe('markdown: the change request as tables', () => {
  const contoso = text(markdown, scenarioPlan('contoso'));

  it('gives every table line the same columns', () => {
    for (const line of contoso.split('\n').filter((l) => l.startsWith('|'))) expect(borders(line)).toBe(11);
  });

  it('escapes pipes, backticks, markup and line breaks in cells', () => {
    expect(cell('a|b')).toBe('a\\|b');
    expect(cell('`x`')).toBe('\\`x\\`');
    expect(cell('<b>&')).toBe('&lt;b&gt;&amp;');
    expect(cell('one\ntwo\r\nthree')).toBe('one two three');
    expect(cell('[x](y) *z* _w_')).toBe('\\[x\\](y) \\*z\\* \\_w\\_');
  });

  it('has a section for zone crossings and one for flows within a zone', () => {
    expect(contoso).toMatch(/## Zone crossings\n\n### admin → corp/);
    expect(contoso).toMatch(/## Within one zone\n[\s\S]*### corp → corp/);
  });
});

describe('mermaid and dot: the deployment drawn', () => {
  const ms = endpoint('ms', ['10.0.0.1'], { roles: roles('management-server') });
  const agents = endpoint('agents', ['10.1.0.0/24']);
  const plan = handPlan([
    flow(agents, ms),
    flow(agents, ms, { ports: PortRange.of(5724) }),
    flow(agents, ms, { protocol: 'udp', ports: PortRange.of(161) }),
    flow(ms, agents, { ports: PortRange.of(135), phase: 'install' }),
    flow(ms, agents, { ports: PortRange.of(445), phase: 'install' }),
  ]);

  it('merges parallel flows into one edge per direction and phase, install-only dashed', () => {
    const m = text(mermaid, plan);
    expect(m).toContain('  h0 -->|"TCP 5723, 5724; UDP 161"| h1');
    expect(m).toContain('  h1 -.->|"TCP 135, 445"| h0');
    const d = text(dot, plan);
    expect(d).toContain('  h0 -> h1 [label="TCP 5723, 5724; UDP 161"];');
    expect(d).toContain('  h1 -> h0 [label="TCP 135, 445", style=dashed];');
  });

  it('clusters hosts by zone and balances every subgraph', () => {
    for (const name of scenarioNames) {
      const lines = text(mermaid, scenarioPlan(name)).split('\n');
      expect(lines.filter((l) => l.trim().startsWith('subgraph')).length).toBe(lines.filter((l) => l.trim() === 'end').length);
      for (const l of lines.slice(2).filter(Boolean)) {
        expect(l).toMatch(/^ {2}(subgraph z\d+\["[^"]*"\]|end| {2}h\d+\["[^"]*<br\/>[^"]*"\]|h\d+ (-->|-\.->)\|"[^"]*"\| h\d+)$/);
      }
    }
  });

  it(`draws ${alikeThreshold} or more hosts alike (zone, roles, the same flows) as one node, and fewer one by one`, () => {
    const ms1 = endpoint('ms1', ['10.0.0.1'], { roles: roles('management-server') });
    const ms2 = endpoint('ms2', ['10.0.0.2'], { roles: roles('management-server') });
    const many = Array.from({ length: alikeThreshold }, (_, i) => endpoint(`a${String(i).padStart(2, '0')}`, [`10.1.0.${i + 1}`]));
    const few = Array.from({ length: alikeThreshold - 1 }, (_, i) => endpoint(`b${i}`, [`10.2.0.${i + 1}`]));
    const elsewhere = endpoint('c0', ['10.3.0.1'], { zone: 'branch' }); // the flows of the many, in another zone
    const pushed = endpoint('a99', ['10.1.0.99']); // the flows of the many, and one more: not alike
    const flows = [
      ...[...many, elsewhere, pushed].flatMap((a) => [flow(a, ms1), flow(a, ms2)]),
      flow(ms1, pushed, { ports: PortRange.of(445), phase: 'install' }),
      ...few.map((b) => flow(b, ms2)),
    ].sort((x, y) => (x.id < y.id ? -1 : 1));
    const plan = handPlan(flows);
    const m = text(mermaid, plan);
    const nodes = m.split('\n').filter((l) => /^ {4}h\d+\[/.test(l));
    expect(nodes.filter((l) => l.includes('more alike'))).toEqual([expect.stringContaining(`"a00 and ${alikeThreshold - 1} more alike<br/>agent"`)]);
    expect(nodes.length).toBe(2 + 1 + few.length + 2); // the servers, the many as one, the few, c0 and a99
    const many0 = /^ {4}(h\d+)\["a00 /m.exec(m)?.[1];
    const edgesOfMany = m.split('\n').filter((l) => l.startsWith(`  ${many0 ?? '?'} `));
    expect(edgesOfMany).toHaveLength(2); // to ms1 and to ms2, once each
    for (const name of ['a01', 'a09']) expect(m).not.toContain(`"${name}`);
    for (const name of ['b0', 'b8', 'c0', 'a99']) expect(m).toContain(`["${name}<br/>`);
    // The edges into the servers are those of every host, drawn from one node per class.
    const d = text(dot, plan);
    expect(d).toContain(`label="a00 and ${alikeThreshold - 1} more alike\\nagent"`);
    expect(d.split('\n').filter((l) => / -> /.test(l))).toHaveLength(m.split('\n').filter((l) => /-->|-\.->/.test(l)).length);
    if (graphviz) expect(dotParses(d).ok).toBe(true);
  });

  it('escapes labels for each language', () => {
    expect(mermaidLabel('a "b" #c <d>')).toBe('a #quot;b#quot; #35;c #60;d#62;');
    expect(dotQuoted('a "b" \\N\nc')).toBe('"a \\"b\\" \\\\N\\nc"');
  });

  it.skipIf(!graphviz).each(scenarioNames)('writes %s as DOT that graphviz reads', (name) => {
    const result = dotParses(text(dot, scenarioPlan(name)));
    expect(result.ok, result.message).toBe(true);
  });
});

describe('hostile input', () => {
  const docs = [csv, markdown, mermaid, dot];

  it.each(docs)('$name keeps hostile text inside its fields, labels and strings', async (target) => {
    const hostile = await hostileStrings();
    expect(hostile.length).toBeGreaterThanOrEqual(30);
    for (const field of hostileFields) {
      const benign = text(target, hostilePlan(field, 'benign'));
      for (const value of hostile) {
        const context = `${field} = ${JSON.stringify(value)}`;
        const out = text(target, hostilePlan(field, value));
        if (target === csv) {
          const records = csvRecords(out);
          expect(records.length, context).toBe(csvRecords(benign).length);
          for (const r of records) {
            expect(r, context).toHaveLength(14);
            for (const c of r) expect(c, context).not.toMatch(/^[=+\-@\t\r]/);
          }
        } else if (target === markdown) {
          expect(out.split('\n').length, context).toBe(benign.split('\n').length);
          for (const line of out.split('\n').filter((l) => l.startsWith('|'))) expect(borders(line), context).toBe(11);
          expect(out, context).not.toMatch(/<(?!\/?br)/);
        } else if (target === mermaid) {
          expect(mermaidSkeleton(out), context).toEqual(mermaidSkeleton(benign));
        } else {
          expect(dotSkeleton(out), context).toEqual(dotSkeleton(benign));
        }
      }
    }
  });

  it.skipIf(!graphviz)('dot: graphviz reads a graph whose every name and zone is hostile', async () => {
    const hostile = await hostileStrings();
    const ms = endpoint('ms', ['10.0.0.1'], { roles: roles('management-server') });
    const sources = hostile.map((name, i) => endpoint(name, [`10.1.${i}.0/24`], { zone: hostile[(i + 1) % hostile.length] ?? '' }));
    const result = dotParses(text(dot, handPlan(sources.map((s) => flow(s, ms)), hostile[0] ?? '')));
    expect(result.ok, result.message).toBe(true);
  });
});
