import { Option, type Command } from '@commander-js/extra-typings';
import { catalogFormats, formatCatalog } from '../catalog/format.js';
import { catalogRevision, defaultRevision, revisions } from '../catalog/index.js';
import type { CliContext } from './context.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('catalog')
    .summary('the port catalog: Microsoft\'s table, row by row, beside its reading')
    .description(
      'Prints each row of the table "Configuring a Firewall for Operations Manager" for one doc revision:\n' +
        'the doc\'s five cells verbatim, then the structured reading scomfw plans from, then the erratum if the doc is wrong.',
    )
    .addOption(new Option('-r, --revision <revision>', 'doc revision').choices(revisions).default(defaultRevision))
    .addOption(new Option('-f, --format <format>', 'output format').choices(catalogFormats).default('table' as const))
    .addHelpText('after', '\nExamples:\n  scomfw catalog\n  scomfw catalog --revision 2016-08 --format json | jq \'.rows | length\'')
    .action((opts) => {
      ctx.io.stdout.write(formatCatalog(catalogRevision(opts.revision), opts.format));
    });
}
