import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { audit } from '../../src/audit/engine.js';
import { firewalldImporter } from '../../src/audit/importers/firewalld.js';
import { PacketSet } from '../../src/audit/space.js';
import { AddressSet } from '../../src/net/address-set.js';
import { targets } from '../../src/targets/registry.js';
import { runCli } from '../support/cli.js';
import { expectGolden } from '../support/golden.js';
import { scenarioPlan } from '../support/scenarios.js';

const repo = new URL('../..', import.meta.url).pathname;
const file = (name: string) => ({ text: readFileSync(join(repo, 'test/fixtures/audit/firewalld', name), 'utf8'), fileName: name });
const tcp = (sources: string, port: number) =>
  PacketSet.product({ sources: AddressSet.parse([sources]), destinations: AddressSet.parse(['10.1.0.10']), protocols: [{ lo: 6n, hi: 6n }], ports: [{ lo: BigInt(port), hi: BigInt(port) }] });

describe('firewalld zone files audited', () => {
  it('the golden findings: zone by source, a negative-priority reject, interfaces in zones that disagree', async () => {
    const files = ['scomfw.xml', 'public.xml', 'internal.xml', 'firewalld.conf'].map((f) => `test/fixtures/audit/firewalld/${f}`);
    const r = await runCli(['audit', 'test/fixtures/audit/lab.yaml', ...files, '--host', 'scom01', '--format', 'json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(1);
    expectGolden('audit-platforms', 'firewalld', [{ path: 'findings.json', content: r.stdout }]);
  });

  const [model] = firewalldImporter.parseAll(['scomfw.xml', 'public.xml', 'internal.xml', 'firewalld.conf'].map(file), {});

  it('the zone a source is bound to decides: its rich rules by priority, then its target', () => {
    expect(model!.decide(tcp('10.1.1.5', 5723)).map((d) => [d.verdict, d.rule?.line])).toEqual([['deny', 7]]);
    expect(model!.decide(tcp('10.1.1.6', 5723)).map((d) => [d.verdict, d.rule?.line])).toEqual([['allow', 8]]);
    expect(model!.decide(tcp('10.1.1.6', 22)).map((d) => [d.verdict, d.reason])).toEqual([['deny', 'no rule of zone scomfw matches; its target is DROP']]);
  });

  it('an ICMP block rejects that type only; target DROP drops the rest of ICMP too', () => {
    const icmp = (type: number) => PacketSet.product({ family: 4, sources: AddressSet.parse(['10.1.1.6']), protocols: [{ lo: 1n, hi: 1n }], ports: [{ lo: BigInt(type), hi: BigInt(type) }] });
    expect(model!.decide(icmp(8))[0]!.reason).toMatch(/icmp-block echo-request/);
    expect(model!.decide(icmp(0))[0]!.reason).toMatch(/target is DROP/);
  });

  it('other sources: the interface zones and the default zone; agreeing zones decide, disagreeing ones do not', () => {
    expect(model!.decide(tcp('172.16.0.1', 22)).map((d) => d.verdict)).toEqual(['allow']); // ssh in both
    expect(model!.decide(tcp('172.16.0.1', 1433)).map((d) => d.verdict)).toEqual(['deny']); // neither
    expect(model!.decide(tcp('172.16.0.1', 5723)).map((d) => d.verdict)).toEqual(['undecidable']); // internal only
  });

  it('without firewalld.conf and with several zones, the default zone is not known', () => {
    const [m] = firewalldImporter.parseAll(['scomfw.xml'].map(file), {});
    expect(m!.decide(tcp('172.16.0.1', 5723)).map((d) => d.verdict)).toEqual(['undecidable']);
  });

  it('what render --target firewalld writes audits clean with a drop default zone, and a planted accept is found', () => {
    const plan = scenarioPlan('minimal');
    const zone = targets.get('firewalld')!.render(plan, { host: 'scom01' }).find((f) => f.path === 'scom01.xml')!;
    const conf = { text: 'DefaultZone=drop\n', fileName: 'firewalld.conf' };
    const clean = audit(plan, firewalldImporter.parseAll([{ text: zone.content, fileName: 'scomfw.xml' }, conf], {}).map((model) => ({ model, scope: { kind: 'host', host: 'scom01' } as const })), { phase: plan.phase });
    expect(clean.findings).toEqual([]);
    expect(clean.summary.flowsChecked).toBe(1);
    const planted = zone.content.replace('</zone>', '  <source address="192.168.50.0/24"/>\n  <port port="5723" protocol="tcp"/>\n</zone>');
    const open = audit(plan, firewalldImporter.parseAll([{ text: planted, fileName: 'scomfw.xml' }, conf], {}).map((model) => ({ model, scope: { kind: 'host', host: 'scom01' } as const })), { phase: plan.phase });
    expect(open.findings.map((f) => [f.kind, f.witness?.source, f.rule?.text])).toEqual([['over-permissive', '192.168.50.1', '<port port="5723" protocol="tcp"/>']]);
  });
});
