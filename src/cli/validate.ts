import type { Command } from '@commander-js/extra-typings';
import { flowCounts } from '../plan/counts.js';
import { planFor, readDeployment, type CliContext } from './context.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('validate')
    .summary('check a deployment file without printing the plan')
    .description('Loads and checks the deployment file: every mistake is reported with file:line:column and a hint; exit 2 if any.')
    .argument('<FILE>', 'deployment file (YAML or JSON)')
    .addHelpText('after', '\nExample:\n  scomfw validate deployment.yaml && echo ok')
    .action(async (file) => {
      const deployment = await readDeployment(ctx, file);
      const plan = planFor(deployment);
      // The counts, not the flows: a plan of classes answers without building 300,000 flows.
      const counts = flowCounts(plan);
      ctx.io.stdout.write(
        `${file}: valid: management group ${deployment.managementGroup}, catalog ${deployment.catalog}, ` +
          `${deployment.hosts.length} hosts, ${counts.flows} flows (${counts.installOnly} install-only)\n`,
      );
    });
}
