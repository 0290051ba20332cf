import type { Command } from '@commander-js/extra-typings';
import { deploymentJsonSchema } from '../topology/index.js';
import type { CliContext } from './context.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('schema')
    .summary('the JSON Schema of the deployment file')
    .description('Prints the JSON Schema (draft 2020-12) of the deployment file, for editors and other tools.')
    .addHelpText(
      'after',
      '\nExamples:\n  scomfw schema > deployment.schema.json\n  # then, first line of a YAML deployment file:\n  # yaml-language-server: $schema=./deployment.schema.json',
    )
    .action(() => {
      ctx.io.stdout.write(`${JSON.stringify(deploymentJsonSchema(), null, 2)}\n`);
    });
}
