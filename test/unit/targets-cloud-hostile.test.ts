import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/plan/types.js';
import { aws } from '../../src/targets/cloud/aws.js';
import { azure } from '../../src/targets/cloud/azure.js';
import { endpoint, flow, handPlan, hclSkeleton, hclStrings, hostileFields, hostilePlan, hostileStrings, roles } from './targets-cloud-fixtures.js';

const terraform = spawnSync('terraform', ['version'], { encoding: 'utf8' }).status === 0;
const hclParserPackage = '@cdktf/hcl2json';
const hcl2json = await import(hclParserPackage).then(
  (m: { parse?: (file: string, text: string) => Promise<unknown> }) => m.parse,
  () => undefined,
);

/** The attributes each resource type may have: hostile text must never add one. */
const allowedAttributes: Readonly<Record<string, readonly string[]>> = {
  aws_security_group: ['name', 'description', 'vpc_id', 'tags'],
  aws_vpc_security_group_ingress_rule: ['security_group_id', 'description', 'ip_protocol', 'from_port', 'to_port', 'cidr_ipv4', 'cidr_ipv6'],
  azurerm_network_security_group: ['name', 'location', 'resource_group_name', 'tags'],
  azurerm_network_security_rule: [
    'count',
    'name',
    'description',
    'priority',
    'direction',
    'access',
    'protocol',
    'source_port_range',
    'destination_port_range',
    'destination_port_ranges',
    'source_address_prefix',
    'source_address_prefixes',
    'destination_address_prefix',
    'destination_address_prefixes',
    'resource_group_name',
    'network_security_group_name',
  ],
};
/** Attributes that hold a reference, the only place an expression may be. */
const referenceAttributes = new Set(['vpc_id', 'security_group_id', 'location', 'resource_group_name', 'network_security_group_name', 'count', 'type']);

/** The top-level blocks of a skeleton, sorted: a hostile name may change the order groups come in, nothing else. */
const blocks = (skeleton: string): string[] => skeleton.split('\n\n').map((b) => b.trim()).sort();

const render = (target: typeof aws, plan: Plan): string => target.render(plan, {})[0]?.content ?? '';

/** One plan with every hostile string at once: as source names, zones, rows and the management group. */
async function sinkPlan(): Promise<Plan> {
  const hostile = await hostileStrings();
  const ms = endpoint('ms', ['10.0.0.1', 'fd00::1'], { roles: roles('management-server') });
  const sources = hostile.map((name, i) => endpoint(name, [`10.1.${i}.0/24`], { zone: hostile[(i + 1) % hostile.length] ?? '' }));
  return handPlan(
    sources.map((s, i) => flow(s, ms, { rows: [hostile[i] ?? ''], notes: [hostile[(i + 2) % hostile.length] ?? ''] })),
    hostile[5] ?? '',
  );
}

describe.each([aws, azure])('$name with hostile input', (target) => {
  it('either refuses with an Error or writes the same Terraform with the text only inside strings', async () => {
    const hostile = await hostileStrings();
    expect(hostile.length).toBeGreaterThanOrEqual(30);
    for (const field of hostileFields) {
      const benign = blocks(hclSkeleton(render(target, hostilePlan(field, 'benign'))));
      for (const value of hostile) {
        const context = `${field} = ${JSON.stringify(value)}`;
        let out: string;
        try {
          out = render(target, hostilePlan(field, value));
        } catch (e) {
          expect(e, context).toBeInstanceOf(Error);
          continue;
        }
        expect(blocks(hclSkeleton(out)), context).toEqual(benign);
        for (const s of hclStrings(out)) expect(s.value, `${context}: ${s.name}`).not.toMatch(/[\p{Cc}\u2028\u2029]/u);
      }
    }
  });

  it('refuses an address it cannot read', () => {
    const ms = endpoint('ms', ['10.0.0.1'], { roles: roles('management-server') });
    expect(() => render(target, handPlan([flow(endpoint('bad', ['10.0.0.0/8; rm -rf /']), ms)]))).toThrow(Error);
  });

  it.skipIf(!terraform)('writes Terraform that terraform fmt reads when every name is hostile', async () => {
    const run = spawnSync('terraform', ['fmt', '-check', '-no-color', '-'], { input: render(target, await sinkPlan()), encoding: 'utf8' });
    expect(run.status, run.stdout + run.stderr).toBe(0);
  });

  it.skipIf(!hcl2json)('parses to the expected resources and attributes only, with no expression but references', async () => {
    const parsed = (await hcl2json?.('hostile.tf', render(target, await sinkPlan()))) as Record<string, unknown>;
    expect(Object.keys(parsed).every((k) => ['terraform', 'provider', 'variable', 'resource'].includes(k))).toBe(true);
    const resources = parsed.resource as Record<string, Record<string, Record<string, unknown>[]>>;
    for (const [type, byLabel] of Object.entries(resources)) {
      for (const [label, [body]] of Object.entries(byLabel)) {
        expect(label).toMatch(/^[a-z_][a-z0-9_-]*$/);
        for (const [key, value] of Object.entries(body ?? {})) {
          expect(allowedAttributes[type], `${type}.${label}`).toContain(key);
          const text = JSON.stringify(value);
          if (!referenceAttributes.has(key)) expect(text.replace(/\$\$\{|%%\{/g, ''), `${type}.${label}.${key}`).not.toMatch(/\$\{|%\{/);
        }
      }
    }
  });
});
