import { describe, expect, it } from 'vitest';
import { catalogRevision } from '../../src/catalog/index.js';
import { classFields, hostClasses } from '../../src/plan/classes.js';
import { flowCounts } from '../../src/plan/counts.js';
import { derivePlan } from '../../src/plan/derive.js';
import { planHostsWhere } from '../../src/plan/expand.js';
import { planJson } from '../../src/plan/format.js';
import type { Deployment, Host } from '../../src/topology/types.js';
import { deployment, host } from '../support/build.js';

const rows = catalogRevision('2024-11').rows;
const classesOf = (d: Deployment) => hostClasses(d, rows);
/** True when the hosts named `a` and `b` were put in one class. */
const together = (d: Deployment, a: string, b: string) => {
  const c = classesOf(d);
  const at = (name: string) => c.classIndex[d.hosts.findIndex((h) => h.name === name)];
  return at(a) === at(b);
};

const ms = host('ms1', ['management-server']);
const agent = (name: string, extra: Partial<Host> = {}) => host(name, ['agent'], { reportsTo: ['ms1'], ...extra });

/** Two values that differ, for each kind of field the class key compares. */
const differing: Record<string, [unknown, unknown]> = {
  text: ['x', 'y'],
  flag: [true, false],
  list: [['ms1'], ['ms1', 'ms2']],
  ports: [{ sqlPort: 1433 }, { sqlPort: 1434 }],
  never: [undefined, 'OTHER'],
};

describe('classes of alike hosts', () => {
  it('puts agents that differ only in name and address in one class, their server alone', () => {
    const d = deployment([ms, agent('a1'), agent('a2'), agent('a3', { zone: 'dmz' }), agent('a4')]);
    const c = classesOf(d);
    expect(c.planned.map((h) => h.name)).toEqual(['ms1', 'a1', 'a3']);
    expect(c.members(c.planned[1]!).map((h) => h.name)).toEqual(['a1', 'a2', 'a4']);
    expect(c.classed).toBe(3);
  });

  // `alike` compares the fields by name (fast) and `classKey` by the table: a field one of them forgot would join
  // hosts that differ. Each field, changed alone between neighbours, must split them.
  it.each(Object.entries(classFields))('keeps hosts apart that differ only in %s', (field, kind) => {
    const [one, other] = field === 'roles' ? [['agent'], ['agent', 'web-console-browser']] : (differing[kind ?? 'never'] ?? []);
    const a: Host = { ...agent('a1'), [field]: one };
    const b: Host = { ...agent('a2'), [field]: other };
    expect(together(deployment([ms, agent('a0'), a, b]), 'a1', 'a2')).toBe(false);
    expect(together(deployment([ms, a, agent('a0'), b]), 'a1', 'a2')).toBe(false);
  });

  it('plans by itself a host that is named, a pool, one whose roles pair with themselves, and one with an unknown field', () => {
    const d = deployment([
      ms,
      host('ms2', ['management-server']),
      agent('a1'),
      agent('a2'),
      agent('named', { reportsTo: ['ms1'] }),
      host('gw1', ['gateway'], { reportsTo: ['ms1'] }),
      host('dc1', ['domain-controller']),
      host('dc2', ['domain-controller']),
      agent('pool', { addressTexts: ['10.9.0.0/30'] }),
      { ...agent('odd'), futureField: 1 } as Host,
      host('b1', ['agent'], { reportsTo: ['named'] }),
      host('b2', ['agent'], { reportsTo: ['named'] }),
    ]);
    expect(together(d, 'a1', 'a2')).toBe(true);
    expect(together(d, 'dc1', 'dc2')).toBe(true);
    expect(together(d, 'b1', 'b2')).toBe(true);
    for (const alone of ['ms2', 'named', 'pool', 'odd']) expect(together(d, 'a1', alone), alone).toBe(false);
    expect(together(d, 'ms1', 'ms2')).toBe(false);
    expect(derivePlan(d, catalogRevision('2024-11'))).toEqual(derivePlan(d, catalogRevision('2024-11'), { classes: false }));
  });

  it('counts the flows of a plan of classes without building them, as building them would', () => {
    const agents = Array.from({ length: 50 }, (_, i) => agent(`srv${i}`, { install: 'push' }));
    const d = deployment([ms, ...agents], { phase: 'install' });
    const plan = derivePlan(d, catalogRevision('2024-11'));
    const counts = flowCounts(plan);
    expect(typeof Object.getOwnPropertyDescriptor(plan, 'flows')?.get).toBe('function');
    expect(counts).toEqual({ flows: plan.flows.length, installOnly: plan.flows.filter((f) => f.phase === 'install').length });
    // Read once, the flows are an ordinary property at the same place among the keys.
    expect(Object.getOwnPropertyDescriptor(plan, 'flows')?.value).toBe(plan.flows);
    expect(planJson(plan)).toBe(planJson(derivePlan(d, catalogRevision('2024-11'), { classes: false })));
  });

  it('plans a host that keeps no list of its one address as one that does', () => {
    const withTexts = [ms, ...Array.from({ length: 20 }, (_, i) => agent(`srv${String(i).padStart(2, '0')}`))];
    // What the loader makes of `address: 10.0.0.5`: the set alone (Host.addressTexts).
    const withoutTexts: Host[] = withTexts.map((h) => {
      const { addressTexts, ...rest } = h;
      expect(addressTexts).toBeDefined();
      return rest;
    });
    expect(withoutTexts[3]!.addressTexts).toBeUndefined();
    const revision = catalogRevision('2024-11');
    for (const classes of [true, false]) {
      const a = derivePlan(deployment(withTexts), revision, { classes });
      const b = derivePlan(deployment(withoutTexts), revision, { classes });
      expect(planJson(b)).toBe(planJson(a));
    }
  });

  it('keeps a pool planned by itself when a library host gives it without the list of its texts', () => {
    // Host.addressTexts may be absent for any host made by hand: the set, not the missing list, says what it is.
    const withoutTexts = (h: Host): Host => {
      const { addressTexts, ...rest } = h;
      expect(addressTexts).toBeDefined();
      return rest;
    };
    const d = deployment([ms, agent('a1'), agent('a2'), withoutTexts(agent('pool', { addressTexts: ['10.9.0.0/30'] })), withoutTexts(agent('duo', { addressTexts: ['10.9.1.1', 'fd00::1'] }))]);
    expect(together(d, 'a1', 'a2')).toBe(true);
    expect(together(d, 'a1', 'pool')).toBe(false);
    expect(together(d, 'a1', 'duo')).toBe(true);
    const revision = catalogRevision('2024-11');
    expect(planJson(derivePlan(d, revision))).toBe(planJson(derivePlan(d, revision, { classes: false })));
  });

  it('picks hosts of a plan of classes by name without making every endpoint', () => {
    const agents = Array.from({ length: 30 }, (_, i) => agent(`srv${String(i).padStart(2, '0')}`));
    const d = deployment([ms, host('gw1', ['gateway'], { reportsTo: ['ms1'] }), ...agents]);
    const plan = derivePlan(d, catalogRevision('2024-11'));
    const wanted = new Set(['ms1', 'srv07', 'gw1', 'none']);
    const picked = planHostsWhere(plan, (name) => wanted.has(name));
    expect(typeof Object.getOwnPropertyDescriptor(plan, 'hosts')?.get).toBe('function');
    expect(picked.map((h) => h.name)).toEqual(['gw1', 'ms1', 'srv07']);
    // The same endpoints, in the same order, as the plan's hosts once read.
    const all = plan.hosts.filter((h) => wanted.has(h.name));
    expect(picked).toEqual(all);
    picked.forEach((h, i) => {
      expect(h).toBe(all[i]);
    });
    expect(planHostsWhere(plan, (name) => wanted.has(name))).toEqual(all);
  });
});
