import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as scomfw from '../../src/index.js';

describe('the library entry point (package.json "exports")', () => {
  it("runs the pipeline the CLI runs: load, plan, render, with the same plan JSON", () => {
    const path = join(import.meta.dirname, '..', '..', 'examples', 'minimal.yaml');
    const deployment = scomfw.loadDeployment(readFileSync(path, 'utf8'), 'examples/minimal.yaml');
    const plan = scomfw.derivePlan(deployment, scomfw.catalogRevision(deployment.catalog));
    const golden = readFileSync(join(import.meta.dirname, '..', 'golden', 'plan', 'minimal', 'plan.json'), 'utf8');
    expect(scomfw.planJson(plan)).toBe(golden);
    const files = scomfw.renderTarget(scomfw.targets.get('nftables')!, plan, {});
    expect(scomfw.parsePlan(scomfw.planJson(plan))).toEqual(plan);
    expect(files.map((f) => f.path)).toContain('sql01.nft');
    expect(() => scomfw.loadDeployment('managementGroup: X\nhosts: 3\n', 'x.yaml')).toThrow(scomfw.UserErrors);
  });
});
