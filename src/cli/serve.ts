import { resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { integer } from './check.js';
import { planFor, readDeployment, type CliContext } from './context.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('serve')
    .summary('the dashboard: take in results from every host, show the plan and its proof in a browser')
    .description(
      'One process with a results store (SQLite, beside the deployment file) and pages: the overview, the drawing by ' +
        'zone, the flow matrix, each flow with its catalog rows and history, audit findings, the catalog and every ' +
        'render target to download. `scomfw check --report-to` and verify.ps1 -ReportTo post their results to ' +
        'POST /api/results with the bearer token; open pages update live. Binds loopback unless told otherwise; ' +
        'bound beyond loopback, reading needs the token too. See docs/serve.md.',
    )
    .argument('<DEPLOYMENT>', 'deployment file (YAML or JSON)')
    .option('--listen <ADDRESS:PORT>', 'where to listen (port 0: any free port)', '127.0.0.1:8080')
    .option('--db <PATH>', 'the results store (default: <DEPLOYMENT>.scomfw.db beside the deployment file)')
    .option('--token-file <FILE>', 'the token is in FILE (read if it exists, else a new one is written there, mode 600)')
    .option('--rotate-token', 'make a new token (printed, or written to --token-file), then exit')
    .option('--max-body <MIB>', 'largest request body accepted, in MiB', integer(1, 1024), 64)
    .option('--log-requests', 'print one line per request (method, path, status, time; never the token)')
    .addHelpText(
      'after',
      '\nExit codes: 0 stopped (Ctrl+C), 2 bad input or usage (e.g. the port is taken).\n\n' +
        'Examples:\n  scomfw serve deployment.yaml\n  scomfw serve deployment.yaml --listen 0.0.0.0:8443 --token-file /etc/scomfw/token\n' +
        '  scomfw serve deployment.yaml --rotate-token\n' +
        '  scomfw check deployment.yaml --report-to http://scom-fw:8080 --token-file token.txt',
    )
    .action(async (file, opts) => {
      // The server, its web framework and SQLite load when serve runs, not when --help lists every command.
      const [{ parseListen, setNewToken, startServer }, { Store }] = await Promise.all([import('../serve/server.js'), import('../serve/store.js')]);
      const deployment = await readDeployment(ctx, file);
      const dbPath = resolve(ctx.io.cwd, opts.db ?? `${file}.scomfw.db`);
      const tokenFile = opts.tokenFile !== undefined ? resolve(ctx.io.cwd, opts.tokenFile) : undefined;
      const say = (line: string) => void ctx.io.stderr.write(`${line}\n`);
      if (opts.rotateToken) {
        const store = new Store(dbPath);
        try {
          setNewToken(store, tokenFile, say);
        } finally {
          store.close();
        }
        return;
      }
      const listen = parseListen(opts.listen);
      const server = await startServer({ plan: planFor(deployment), dbPath, listen, ...(tokenFile !== undefined ? { tokenFile } : {}), maxBodyBytes: opts.maxBody * 1024 * 1024, say, logRequests: opts.logRequests === true });
      ctx.io.stdout.write(`scomfw serve: ${server.url}/ (store ${dbPath})\n`);
      await new Promise<void>((done) => {
        const stop = () => {
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          void server.close().then(done);
        };
        process.on('SIGINT', stop);
        process.on('SIGTERM', stop);
      });
    });
}
