import { Option, type Command } from '@commander-js/extra-typings';
import { mergeResults, parseResultsFile } from '../probe/report.js';
import { formatReport, reportFormats } from '../probe/report-format.js';
import { UserError } from '../topology/errors.js';
import { planFor, readDeployment, readText, type CliContext } from './context.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('report')
    .summary('merge check results from many hosts into one matrix')
    .description(
      'Reads result files (scomfw check --format json, or the PowerShell prober), validates each, and merges ' +
        'them into one matrix: source × destination × port → state. With --plan, planned flows that no result ' +
        'covers are listed as "not covered". See docs/report.md.',
    )
    .argument('<RESULTS...>', 'result files (JSON)')
    .option('--plan <FILE>', 'the deployment file: mark planned flows that no result covers')
    .option('--strict', 'also fail on open|filtered, unprovable and not covered')
    .addOption(new Option('-f, --format <format>', 'output format').choices(reportFormats).default('table' as const))
    .addHelpText(
      'after',
      '\nExit codes: 0 every required flow that could be proved is open; 1 a required flow is closed or\n' +
        'filtered (with --strict, also open|filtered, unprovable or not covered); 2 bad input or usage.\n\n' +
        'Examples:\n  scomfw report results/*.json\n  scomfw report results/*.json --plan deployment.yaml --format html > check.html',
    )
    .action(async (files, opts) => {
      const loaded = files.map((f) => parseResultsFile(readResults(f, ctx.io.cwd), f));
      const plan = opts.plan !== undefined ? planFor(await readDeployment(ctx, opts.plan)) : undefined;
      const matrix = mergeResults(loaded, { strict: opts.strict === true }, plan);
      ctx.io.stdout.write(formatReport(matrix, opts.format));
      if (matrix.failing > 0) ctx.exit(1);
    });
}

function readResults(file: string, cwd: string): string {
  try {
    return readText(file, cwd);
  } catch (e) {
    if (e instanceof UserError) throw new UserError(e.message, undefined, 'give result files written by scomfw check --format json --out FILE');
    throw e;
  }
}
