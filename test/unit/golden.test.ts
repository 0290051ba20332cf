import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderTarget, targetNames, targets } from '../../src/targets/registry.js';
import { expectGolden } from '../support/golden.js';
import { scenarioNames, scenarioPlan } from '../support/scenarios.js';

/**
 * Every target of the registry over every scenario, against test/golden/<target>/<scenario>/ (UPDATE_GOLDEN=1
 * rewrites them: review the diff). Rendered through the registry as the CLI renders, twice, to the same bytes.
 */
describe.each(targetNames())('golden files of %s', (name) => {
  const target = targets.get(name)!;
  it.each(scenarioNames)('%s: as committed, and the same bytes on a second render', (scenario) => {
    const files = renderTarget(target, scenarioPlan(scenario), {});
    expect(renderTarget(target, scenarioPlan(scenario), {})).toEqual(files);
    expectGolden(name, scenario, files);
  });
});

it('keeps golden files for registered targets only (plan, import and audit have tests of their own)', () => {
  const others = ['plan', 'import', 'audit-platforms'];
  const dirs = readdirSync(join(import.meta.dirname, '..', 'golden')).filter((d) => !others.includes(d));
  expect(dirs.sort()).toEqual(targetNames().sort());
});
