import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { Language, Parser, type Node } from 'web-tree-sitter';
import { describe, expect, it } from 'vitest';
import type { Role } from '../../src/catalog/roles.js';
import type { Endpoint, Flow, Plan } from '../../src/plan/types.js';
import { resultsFileSchema, summarize } from '../../src/probe/results.js';
import { maxSample, sampleAddresses } from '../../src/probe/sample.js';
import { methodOf, probeTargets } from '../../src/probe/plan-probes.js';
import { UnsafeValueError } from '../../src/targets/escape.js';
import { targets } from '../../src/targets/registry.js';
import { verifyPowerShell } from '../../src/targets/windows/verify.js';
import { alikeThreshold } from '../../src/targets/alike.js';
import { endpoint as fixtureEndpoint, flow, handPlan as planOfFlows } from './targets-cloud-fixtures.js';
import { UserError } from '../../src/topology/errors.js';
import { parsePowerShell, type ParsedPowerShell } from '../support/powershell-parser.js';
import { hostileStrings } from '../fixtures/hostile.js';
import { scenarioNames, scenarioPlan } from '../support/scenarios.js';
import { PortRange } from '../../src/net/port.js';
import { AddressSet } from '../../src/net/address-set.js';

const render = (plan: Plan, host?: string) => verifyPowerShell.render(plan, host === undefined ? {} : { host });

/** The content of the one script a plan (or one host of it) renders to. */
function onlyScript(plan: Plan, host?: string): string {
  const files = render(plan, host);
  if (files.length !== 1 || !files[0]) throw new Error(`expected one script, got ${files.length}`);
  return files[0].content;
}

describe('verify-powershell over every scenario', () => {
  it.each(scenarioNames)('%s: writes at least one script', (scenario) => {
    expect(render(scenarioPlan(scenario)).length).toBeGreaterThan(0);
  });

  it('is in the target registry under its name', () => {
    expect(targets.get('verify-powershell')).toBe(verifyPowerShell);
  });
});

describe('verify-powershell scripts', () => {
  for (const scenario of scenarioNames) {
    it(`${scenario}: one script per Windows host that starts a flow (one for ${alikeThreshold} or more alike), each parsing cleanly and embedding exactly its flows`, async () => {
      const plan = scenarioPlan(scenario);
      const files = render(plan);
      const sources = new Set(plan.flows.map((f) => f.source.name));
      const windows = plan.hosts.filter((h) => h.os === 'windows' && sources.has(h.name));
      // Alike: one single address, and the same flows (destination, protocol, ports, phase) as the others.
      const flowsOf = (name: string) => plan.flows.filter((f) => f.source.name === name);
      const one = (h: Endpoint) => AddressSet.parse(h.addresses).count(4) + AddressSet.parse(h.addresses).count(6) === 1n;
      const signature = (h: Endpoint) => (one(h) ? JSON.stringify(flowsOf(h.name).map((f) => [f.destination.name, f.protocol, f.ports?.from, f.ports?.to, f.phase])) : h.name);
      const bySignature = new Map<string, Endpoint[]>();
      for (const h of windows) bySignature.set(signature(h), [...(bySignature.get(signature(h)) ?? []), h]);
      const groups = [...bySignature.values()].filter((g) => g.length >= alikeThreshold);
      const expected = windows.flatMap((h) => {
        const group = groups.find((g) => g.includes(h));
        if (!group) return [`${h.name}.verify.ps1`];
        return group[0] === h ? [`${h.name}.and-${group.length - 1}-alike.verify.ps1`, `${h.name}.and-${group.length - 1}-alike.hosts.txt`] : [];
      });
      expect(files.map((f) => f.path)).toEqual(expected);
      for (const file of files.filter((f) => f.path.endsWith('.ps1'))) {
        const first = file.path.replace(/(\.and-\d+-alike)?\.verify\.ps1$/, '');
        const parsed = await parsePowerShell(file.content);
        expect(parsed.errors, file.path).toEqual([]);
        expect(parsed.strings.filter((s) => s.expandable), `${file.path}: double-quoted strings`).toEqual([]);
        const group = groups.find((g) => g[0]!.name === first);
        const want = expectedFlows(flowsOf(first)).map((f) => (group ? { ...f, Id: f.Id.slice(first.length) } : f));
        expect(await embeddedFlows(file.content), file.path).toEqual(want);
        if (group) {
          expect(await embeddedMembers(file.content), file.path).toEqual(group.map((h) => ({ Name: h.name, Address: AddressSet.parse(h.addresses).toRangeEntries()[0] })));
          expect(files.find((f) => f.path === file.path.replace(/\.verify\.ps1$/, '.hosts.txt'))?.content).toBe(group.map((h) => `${h.name}\r\n`).join(''));
        }
      }
      if (scenario === 'branch-agents') expect(groups.map((g) => g.length)).toEqual([12]);
    });
  }

  it('probes a group on its sample: the first -Sample embedded addresses are what scomfw check probes', async () => {
    const plan = scenarioPlan('contoso');
    const flows = await embeddedFlows(onlyScript(plan, 'gw01.dmz.contoso.com'));
    const push = flows.find((f) => f.Id === 'gw01.dmz.contoso.com>dmz-web-servers:tcp/135');
    // 192.168.50.16/28 loses its network and broadcast addresses; the range 192.168.50.40-45 keeps its ends.
    expect(push?.Addresses).toEqual(['192.168.50.17', '192.168.50.40', '192.168.50.30', '192.168.50.45']);
    const checked = probeTargets(plan, 'gw01.dmz.contoso.com', 2).filter((t) => t.flow === push?.Id);
    expect(checked.map((t) => t.address)).toEqual(push?.Addresses.slice(0, 2));
  });

  it('renders one host with --host, and refuses a host it cannot write for with a hint', () => {
    const plan = scenarioPlan('contoso');
    expect(render(plan, 'ms01.contoso.com').map((f) => f.path)).toEqual(['ms01.contoso.com.verify.ps1']);
    expect(render(plan, 'corp-servers').map((f) => f.path)).toEqual(['corp-servers.verify.ps1']);
    for (const [host, message] of [
      ['nosuch.contoso.com', 'is not a host of this plan'],
      ['linux-app-servers', 'is not a Windows host'],
      ['sql01.contoso.com', 'starts no flow'],
    ] as const) {
      const error = catchError(() => render(plan, host));
      expect(error, host).toBeInstanceOf(UserError);
      expect((error as UserError).message).toContain(message);
      expect((error as UserError).hint).toContain('ms01.contoso.com');
    }
  });
});

describe('verify-powershell for hosts alike', () => {
  const ms = fixtureEndpoint('ms1', ['10.0.0.1'], { roles: ['management-server'] });
  const agents = (texts: readonly string[]) => texts.map((t, i) => fixtureEndpoint(`a${String(i).padStart(2, '0')}`, [t]));
  const paths = (texts: readonly string[]) => render(planOfFlows(agents(texts).map((a) => flow(a, ms)))).map((f) => f.path);
  const singles = Array.from({ length: alikeThreshold - 1 }, (_, i) => `10.1.0.${i + 1}`);

  it('takes a host written as one address in CIDR (/32) as one address, and writes the address as the machine shows it', async () => {
    const files = render(planOfFlows(agents([...singles, '10.1.0.99/32']).map((a) => flow(a, ms))));
    expect(files.map((f) => f.path)).toEqual([`a00.and-${alikeThreshold - 1}-alike.verify.ps1`, `a00.and-${alikeThreshold - 1}-alike.hosts.txt`]);
    expect((await embeddedMembers(files[0]!.content)).at(-1)).toEqual({ Name: `a${String(alikeThreshold - 1).padStart(2, '0')}`, Address: '10.1.0.99' });
  });

  it('gives a host with a range its own script: no local address says which machine of a range runs it', () => {
    expect(paths([...singles, '10.1.1.0/30'])).toHaveLength(alikeThreshold);
  });
});

describe('verify-powershell with hostile names', () => {
  const printable = /^[\x20-\x7e]*$/;
  /** PowerShell's own traps besides the shared list: quotes to double, here-string and stop-parsing openers. */
  const powerShellTraps = ["'", "''", "a'b''c'''d", "'+(iex 'calc')+'", "@'", "'@", '@"', '<# block #>', '#>', '`n`r`0`', '--% stop parsing'];
  /** Printable ASCII: written, single-quoted, as inert data. */
  const hostile = [...hostileStrings.filter((t) => printable.test(t)), ...powerShellTraps];
  /** Line breaks, control characters and non-ASCII look-alikes: no quoting makes them safe to show, so refused. */
  const refused = hostileStrings.filter((t) => !printable.test(t));

  it(`keeps ${hostile.length} hostile names inside single-quoted literals, with the script's own commands only`, async () => {
    expect(hostile.length).toBeGreaterThanOrEqual(30);
    const attack = await parsed(onlyScript(handPlan(hostile.join(''), hostile)));
    const benign = await parsed(onlyScript(handPlan('BENIGN', hostile.map((_, i) => `dest-${i}`))));
    expect(attack.errors).toEqual([]);
    // Only string contents differ: with literals and comments blanked, the two scripts are the same text.
    expect(skeleton(attack)).toBe(skeleton(benign));
    expect(attack.strings.filter((s) => s.expandable)).toEqual([]);
    const values = new Set(attack.strings.map((s) => s.value));
    for (const name of hostile) expect(values.has(name), name).toBe(true);
    expect(values.has(hostile.join(''))).toBe(true);
    const own = ownFunctions(attack.text);
    const foreign = attack.commands.map((c) => c.name).filter((n) => !own.has(n) && !builtins.has(n));
    expect(foreign).toEqual([]);
  });

  it('refuses names that no quoting makes safe to show', () => {
    expect(refused.length).toBeGreaterThanOrEqual(15);
    for (const name of refused) {
      expect(() => render(handPlan('BENIGN', [name])), JSON.stringify(name)).toThrow(UnsafeValueError);
      expect(() => render(handPlan(name, ['dest-0'])), JSON.stringify(name)).toThrow(UnsafeValueError);
    }
  });

  it('refuses a source name that is not a safe file name', () => {
    const plan = handPlan('BENIGN', ['dest-0'], '..\\evil');
    expect(() => render(plan)).toThrow(/file name/);
  });
});

describe('the committed sample result file', () => {
  const text = readFileSync(join(import.meta.dirname, '..', 'fixtures', 'results', 'sample-powershell.json'), 'utf8');

  it('is what the script writes: UTF-8 without a byte order mark, valid against the result schema', () => {
    expect(text.charCodeAt(0)).toBe('{'.charCodeAt(0));
    expect(resultsFileSchema.safeParse(JSON.parse(text)).error).toBeUndefined();
  });

  it('holds one row per probe a contoso script makes with the defaults, and a summary that counts them', () => {
    const file = resultsFileSchema.parse(JSON.parse(text));
    expect([file.prober, file.settings.adaptive]).toEqual(['powershell', false]);
    const probes = probeTargets(scenarioPlan('contoso'), file.source.name, 2);
    const key = (r: { flow: string; address: string; port: number | null; phase: string }) => `${r.flow}@${r.address}:${r.port}/${r.phase}`;
    expect(file.results.map(key)).toEqual(probes.map(key));
    expect(file.summary).toEqual(summarize(file.results));
    for (const r of file.results) {
      if (r.state === 'unprovable') expect([r.attempts, r.rttMs]).toEqual([0, null]);
      if (r.reason === 'timeout' || r.reason === 'no-response') expect([r.attempts, r.rttMs]).toEqual([file.settings.retries + 1, null]);
    }
  });
});

// ---------------------------------------------------------------------------------------------------------------

const builtins = new Set(['Set-StrictMode', 'Select-Object', 'Format-Table', 'Out-String', 'Write-Host', 'Test-Path', 'Write-Warning', 'Invoke-RestMethod']);

function ownFunctions(text: string): Set<string> {
  return new Set([...text.matchAll(/^function ([A-Za-z-]+) \{\r?$/gm)].map((m) => m[1] ?? ''));
}

function catchError(f: () => unknown): unknown {
  try {
    f();
  } catch (e) {
    return e;
  }
  return undefined;
}

async function parsed(text: string): Promise<ParsedPowerShell & { text: string }> {
  return { ...(await parsePowerShell(text)), text };
}

/** The script with every string literal emptied and every comment removed. */
function skeleton(p: ParsedPowerShell & { text: string }): string {
  const spans = [...p.strings.map((s) => ({ ...s, keep: "''" })), ...p.comments.map((c) => ({ ...c, keep: '' }))].sort((a, b) => b.start - a.start);
  let out = p.text;
  for (const s of spans) out = out.slice(0, s.start) + s.keep + out.slice(s.end);
  return out;
}

function endpoint(name: string, address: string, roles: Role[]): Endpoint {
  return { name, roles, addresses: [address], zone: 'default', os: 'windows' };
}

/** A plan built by hand: one management server reaching one destination per name on TCP 5723. */
function handPlan(managementGroup: string, names: readonly string[], sourceName = 'ms01.contoso.com'): Plan {
  const source = endpoint(sourceName, '10.9.0.1', ['management-server']);
  const destinations = names.map((n, i) => endpoint(n, `10.9.1.${i + 1}`, ['gateway']));
  const flows: Flow[] = destinations.map((destination) => ({
    id: `${source.name}>${destination.name}:tcp/5723`,
    source,
    destination,
    protocol: 'tcp',
    sourceRoles: ['management-server'],
    destinationRoles: ['gateway'],
    ports: PortRange.of(5723),
    phase: 'always',
    rows: ['2024-11#1'],
    notes: [],
  }));
  return { managementGroup, catalog: '2024-11', phase: 'install', hosts: [source, ...destinations], flows, notes: [] };
}

// Reading the $Flows data back from the parse tree ---------------------------------------------------------------

interface EmbeddedFlow {
  Id: string;
  Destination: string;
  Protocol: string;
  Port: number | null;
  Phase: string;
  Method: string;
  Detail: string;
  Addresses: string[];
}

function expectedFlows(flows: readonly Flow[]): EmbeddedFlow[] {
  return flows.map((f) => {
    const method = methodOf(f);
    return {
      Id: f.id,
      Destination: f.destination.name,
      Protocol: f.protocol,
      Port: f.ports && f.ports.from === f.ports.to ? f.ports.from : null,
      Phase: f.phase,
      Method: method.kind,
      Detail: method.kind === 'none' ? method.detail : '',
      Addresses: sampleAddresses(f.destination.addresses, maxSample),
    };
  });
}

let language: Promise<Parser> | undefined;

function treeParser(): Promise<Parser> {
  language ??= (async () => {
    await Parser.init();
    const p = new Parser();
    p.setLanguage(await Language.load(createRequire(import.meta.url).resolve('tree-sitter-powershell/tree-sitter-powershell.wasm')));
    return p;
  })();
  return language;
}

/** The hashtables assigned to $Flows, each entry read as a literal: strings decoded, numbers, $null, arrays. */
async function embeddedFlows(text: string): Promise<EmbeddedFlow[]> {
  return embeddedTables(text, '$Flows') as Promise<EmbeddedFlow[]>;
}

async function embeddedMembers(text: string): Promise<unknown[]> {
  return embeddedTables(text, '$Members');
}

/** The hashtable literals assigned to `variable`, as objects. */
async function embeddedTables(text: string, variable: string): Promise<unknown[]> {
  const tree = (await treeParser()).parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    const assignment = tree.rootNode.descendantsOfType('assignment_expression').find((n) => n.child(0)?.text === variable);
    if (!assignment) throw new Error(`no ${variable} assignment`);
    return assignment
      .descendantsOfType('hash_literal_expression')
      .map((table) => Object.fromEntries(table.descendantsOfType('hash_entry').map(entryOf)));
  } finally {
    tree.delete();
  }
}

function entryOf(entry: Node): [string, unknown] {
  const key = entry.namedChildren.find((c) => c?.type === 'key_expression')?.text;
  const value = entry.lastNamedChild;
  if (key === undefined || !value) throw new Error(`not a key = value entry: ${entry.text}`);
  const leaves = value.descendantsOfType(['string_literal', 'integer_literal', 'variable']);
  const values = leaves.map((n) => {
    if (n.type === 'string_literal') {
      if (!n.text.startsWith("'")) throw new Error(`${key}: ${n.text} is not single-quoted`);
      return n.text.slice(1, -1).replaceAll("''", "'");
    }
    if (n.type === 'integer_literal') return Number(n.text);
    if (n.text === '$null') return null;
    throw new Error(`${key}: a variable in the data: ${n.text}`);
  });
  return [key, key === 'Addresses' ? values : values[0]];
}
