import { Option, type Command } from '@commander-js/extra-typings';
import { planFormats, planOutputChunks } from '../plan/format.js';
import { phaseChoices, planFor, readDeployment, type CliContext } from './context.js';
import { writeChunks } from './write-chunks.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('plan')
    .summary('the flow matrix of a deployment, each flow traced to its catalog rows')
    .description(
      'Derives every flow the deployment needs from the port catalog: source, destination, protocol, ports,\n' +
        'phase (always, or install: can be closed after installation) and the rows of Microsoft\'s table that ask for it.',
    )
    .argument('[FILE]', 'deployment file (YAML or JSON); default: the bundled example')
    .addOption(new Option('-f, --format <format>', 'output format').choices(planFormats).default('table' as const))
    .addOption(new Option('--phase <phase>', 'override the file\'s phase: operate leaves install-only flows out').choices(phaseChoices))
    .addHelpText(
      'after',
      '\nExamples:\n  scomfw plan examples/contoso.yaml\n  scomfw plan deployment.yaml --format json > plan.json\n  scomfw plan deployment.yaml --format json-normalized > plan.min.json   # flows name their hosts\n  scomfw plan deployment.yaml --phase operate --format csv',
    )
    .action(async (file, opts) => {
      const plan = planFor(await readDeployment(ctx, file), opts.phase);
      // Written as it is formatted, from the plan's classes: no per-host flow and no whole text in memory.
      await writeChunks(ctx.io.stdout, planOutputChunks(plan, opts.format));
    });
}
