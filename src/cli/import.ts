import { existsSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { importCsv, importScom, type ExistingFile, type ImportOutput } from '../import/index.js';
import { UserError, UserErrors } from '../topology/errors.js';
import { loadDeployment } from '../topology/index.js';
import { readText, type CliContext } from './context.js';

interface WhereOptions {
  out?: string;
  update?: string;
}

export function register(program: Command, ctx: CliContext): void {
  const cmd = program
    .command('import')
    .summary('a deployment file from a SCOM inventory export or a CSV host list')
    .description(
      'Writes a deployment file from what exists: agents that share roles, servers and zone become one entry with their ' +
        'addresses merged into the fewest exact CIDRs and ranges. Over an existing file (--out FILE that exists, or ' +
        '--update FILE) it keeps what you added by hand (zones, port settings, features, other hosts, comments) and ' +
        'reports hosts added, removed and moved. What the source cannot know is a TODO comment and a line on stderr. ' +
        'Exit 2 on a bad export or host list, with the JSON path or file:line:column and a hint.',
    )
    .addHelpText(
      'after',
      '\nExamples:\n  scomfw export-script scom > scom-inventory.ps1      # run it on a management server\n' +
        '  scomfw import scom scom-export.json --out deployment.yaml\n  scomfw import scom scom-export.json --update deployment.yaml   # next month\n' +
        '  scomfw import csv hosts.csv --management-group CONTOSO --out deployment.yaml\n\nSee docs/import.md.',
    );
  cmd
    .command('scom')
    .summary('from the JSON file scomfw export-script scom wrote')
    .description('Reads the export of scom-inventory.ps1 (format scomfw-scom-export, version 1; docs/import.md) and writes the deployment file.')
    .argument('<EXPORT>', 'the export (JSON)')
    .option('-o, --out <FILE>', 'write the deployment here (updated in place when it exists); default: standard output')
    .option('--update <FILE>', 'the existing deployment file to keep hand-made changes from (written back unless --out)')
    .action((file, opts) => {
      const existing = existingFile(ctx, opts);
      finish(ctx, importScom(readText(file, ctx.io.cwd), file, existing), opts);
    });
  cmd
    .command('csv')
    .summary('from a CSV host list: name, addresses, roles, reportsTo, zone, os')
    .description('Reads a CSV with a header row. Columns: name, addresses (or address), roles, reportsTo, zone, os, description; lists inside a cell separated by ";" or spaces.')
    .argument('<HOSTS>', 'the host list (CSV with a header row)')
    .option('-g, --management-group <NAME>', 'the management group name (needed for a new file)')
    .option('-o, --out <FILE>', 'write the deployment here (updated in place when it exists); default: standard output')
    .option('--update <FILE>', 'the existing deployment file to keep hand-made changes from (written back unless --out)')
    .action((file, opts) => {
      const existing = existingFile(ctx, opts);
      const options = { ...(opts.managementGroup ? { managementGroup: opts.managementGroup } : {}), ...(existing ? { existing } : {}) };
      finish(ctx, importCsv(readText(file, ctx.io.cwd), file, options), opts);
    });
}

function resolve(ctx: CliContext, path: string): string {
  return isAbsolute(path) ? path : join(ctx.io.cwd, path);
}

/** The file to update: --update, else --out when it exists already. */
function existingFile(ctx: CliContext, opts: WhereOptions): ExistingFile | undefined {
  const path = opts.update ?? (opts.out && existsSync(resolve(ctx, opts.out)) ? opts.out : undefined);
  return path === undefined ? undefined : { text: readText(path, ctx.io.cwd), file: path };
}

function finish(ctx: CliContext, output: ImportOutput, opts: WhereOptions): void {
  const err = ctx.io.stderr;
  const target = opts.out ?? opts.update;
  // What we write must load: an import that produced a file validate refuses is a bug, said plainly.
  try {
    loadDeployment(output.yaml, target ?? '(import output)');
  } catch (e) {
    const detail = e instanceof UserErrors || e instanceof UserError ? e.format() : String(e);
    throw new Error(`the imported deployment does not validate:\n${detail}`, { cause: e });
  }
  if (target) writeFileSync(resolve(ctx, target), output.yaml);
  else ctx.io.stdout.write(output.yaml);
  for (const t of output.todos) err.write(`TODO: ${t}\n`);
  const c = output.changes;
  if (c) {
    for (const a of c.added) err.write(`added: ${a}\n`);
    for (const r of c.removed) err.write(`removed: ${r}\n`);
    for (const m of c.moved) err.write(`moved: ${m}\n`);
    for (const d of c.differs) err.write(`differs: ${d}\n`);
    err.write(`changes: ${c.added.length} added, ${c.removed.length} removed, ${c.moved.length} moved\n`);
  }
  err.write(`${target ? `wrote ${target}: ` : ''}${output.machines} machines in ${output.entries} host entries, ${output.todos.length} TODOs; next: scomfw validate, scomfw plan\n`);
}
