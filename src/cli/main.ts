#!/usr/bin/env node
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError } from '@commander-js/extra-typings';
import { UserError } from '../topology/errors.js';
import type { CliContext, CliIo } from './context.js';

type Register = (program: Command, ctx: CliContext) => void;

/**
 * Every command, in the order `scomfw --help` lists them: one file per command, loaded only when needed. A run
 * that names its command loads that command's file alone (render does not load the audit engine, the web
 * server or the probes); help, version and unknown words load them all.
 */
const commands: readonly (readonly [string, () => Promise<{ register: Register }>])[] = [
  ['plan', () => import('./plan.js')],
  ['validate', () => import('./validate.js')],
  ['catalog', () => import('./catalog.js')],
  ['render', () => import('./render.js')],
  ['check', () => import('./check.js')],
  ['listen', () => import('./listen.js')],
  ['report', () => import('./report.js')],
  ['audit', () => import('./audit.js')],
  ['serve', () => import('./serve.js')],
  ['schema', () => import('./schema.js')],
  ['import', () => import('./import.js')],
  ['export-script', () => import('./export-script.js')],
];

/** The command files a run needs: none to print the version, the one it names (global options take no value), else all. */
export function neededCommands(argv: readonly string[]): typeof commands {
  // `scomfw --version` loaded every command (0.4 s, the audit engine's zod among them) to print one line.
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) return [];
  const word = argv.find((a) => !a.startsWith('-'));
  const named = commands.filter(([name]) => name === word);
  return named.length === 1 && word !== 'help' ? named : commands;
}

export const version = '0.1.0';

/**
 * Runs scomfw with `argv` (without node and script) and returns the exit code: 0 good, 1 problems found,
 * 2 bad input or usage, 3 an internal error (a bug: please report it).
 */
export async function run(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let code = 0;
  const ctx: CliContext = { io, exit: (c) => void (code = Math.max(code, c)) };
  const program = new Command('scomfw')
    .description('Plan, render and prove the firewall openings of a System Center Operations Manager management group.')
    .version(version)
    .option('--debug', 'print stack traces of internal errors')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run with --help for usage)')
    .addHelpText(
      'after',
      '\nExit codes: 0 good, 1 problems found (a flow not open), 2 bad input or usage.\n\n' +
        'Examples:\n  scomfw plan                       # the bundled example\n  scomfw plan deployment.yaml --format json\n' +
        '  scomfw render deployment.yaml --target windows-powershell --out fw/\n  scomfw catalog --revision 2016-08',
    );
  const loaded = await Promise.all(neededCommands(argv).map(([, load]) => load()));
  for (const { register } of loaded) register(program, ctx);
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (e) {
    return Math.max(code, errorExitCode(e, io, argv.includes('--debug')));
  }
  return code;
}

/** The exit code of an error, written to stderr: a UserError is bad input (2), anything else a bug (3). */
export function errorExitCode(e: unknown, io: CliIo, debug: boolean): number {
  if (e instanceof CommanderError) {
    // --help and --version end through here with exit code 0; usage mistakes are bad input.
    return e.exitCode === 0 ? 0 : 2;
  }
  if (e instanceof UserError) {
    io.stderr.write(`${e.format()}\n`);
    return 2;
  }
  const err = e instanceof Error ? e : new Error(String(e));
  io.stderr.write(`scomfw: internal error: ${err.message}${debug ? `\n${err.stack ?? ''}` : ' (run with --debug for details)'}\n`);
  return 3;
}

function processIo(): CliIo {
  return { stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() };
}

const invokedDirectly = process.argv[1] !== undefined && realpathSync(process.argv[1]) === fileURLToPath(import.meta.url);
if (invokedDirectly) {
  // `scomfw plan | head` closes the pipe early: that is the reader's choice, not an error.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
  process.exitCode = await run(process.argv.slice(2));
}
