import { describe, expect, it } from 'vitest';
import { checkPlan, InvalidPlanError } from '../../src/plan/trust.js';
import { scenarioPlan } from '../support/scenarios.js';

/*
 * This file loads the plan's trust (src/plan/trust.ts) without the plan contract (contract.ts, which installs the
 * zod schema check), as the CLI's render, plan and validate do. vitest gives each file its own modules, so the
 * check is absent here.
 */

describe('a plan the schema check has not vouched for, without the schema loaded', () => {
  it('is refused, not written from (fail closed)', () => {
    const plan = { ...scenarioPlan('minimal') };
    expect(() => checkPlan(plan)).toThrow(InvalidPlanError);
    expect(() => checkPlan(plan)).toThrow(/made neither by derivePlan nor by parsePlan/);
  });

  it('is the very plan when derivePlan made it', () => {
    const plan = scenarioPlan('minimal');
    expect(checkPlan(plan)).toBe(plan);
  });
});
