import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { InvalidArgumentError, Option, type Command } from '@commander-js/extra-typings';
import { checkDefaults, dryRunText, localIdentity, plannedProbes, probeCountText, runCheck } from '../probe/check.js';
import { checkFormats, formatCheck } from '../probe/check-format.js';
import { progressBar } from '../probe/progress.js';
import { maxSample } from '../probe/sample.js';
import { fails } from '../probe/verdict.js';
import { postResults, resultsEndpoint } from '../serve/client.js';
import { readableToken } from '../serve/token.js';
import { UserError } from '../topology/errors.js';
import { prepareFile, writeOutFile } from './output.js';
import { planFor, readDeployment, type CliContext } from './context.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('check')
    .summary('probe the flows that start on this machine: open, closed or filtered, with a reason')
    .description(
      'Finds this machine in the deployment (by its addresses, then its hostname, or --from) and probes every ' +
        'flow that starts here: a TCP connect per port, a SQL Server Browser request for UDP 1434. Other UDP ' +
        'ports, ICMP and port ranges are listed as unprovable. A group destination is probed on a sample of its ' +
        'addresses. Waits adapt to the measured round-trip time (never above --timeout); a silence is retried ' +
        'before it is called filtered. See docs/check.md.',
    )
    .argument('<FILE>', 'deployment file (YAML or JSON)')
    .option('--from <NAME>', 'the host or group this machine is (default: found by address or hostname)')
    .option('--timeout <MS>', 'longest wait for an answer, per attempt', integer(1, 600_000), checkDefaults.timeoutMs)
    .option('--retries <N>', 'extra attempts before a silence is believed', integer(0, 10), checkDefaults.retries)
    .option('--concurrency <N>', 'probes in flight at once', integer(1, 4096), checkDefaults.concurrency)
    .option('--fixed-timeout', 'every attempt waits --timeout (no adaptation to the round-trip time)')
    .option('--sample <N>', 'addresses probed per destination (a group is sampled)', integer(1, maxSample), checkDefaults.sample)
    .option('--strict', 'also fail on open|filtered and unprovable results')
    .option('--dry-run', 'list every probe (source, destination address, protocol/port) and send nothing')
    .addOption(new Option('-f, --format <format>', 'output format').choices(checkFormats).default('table' as const))
    .option('-o, --out <FILE>', 'write the output to FILE instead of stdout')
    .option('--report-to <URL>', 'also post the results to a scomfw serve dashboard (its address, e.g. http://scom-fw:8080)')
    .option('--token-file <FILE>', 'the dashboard token, for --report-to')
    .addHelpText(
      'after',
      '\nExit codes: 0 every required flow that could be proved is open; 1 a required flow is closed or\n' +
        'filtered (with --strict, also open|filtered or unprovable); 2 bad input or usage.\n\n' +
        'Examples:\n  scomfw check deployment.yaml --dry-run          # what would be probed; nothing is sent\n  scomfw check deployment.yaml\n  scomfw check deployment.yaml --from ms01.contoso.com --format json --out ms01.json\n' +
        '  scomfw check deployment.yaml --format junit --out check.xml --timeout 5000\n' +
        '  scomfw check deployment.yaml --report-to http://scom-fw:8080 --token-file token.txt',
    )
    .action(async (file, opts) => {
      const plan = planFor(await readDeployment(ctx, file));
      // Found out before the probes, not after them.
      if (opts.out !== undefined) prepareFile(resolve(ctx.io.cwd, opts.out));
      if (opts.dryRun) {
        const { located, targets } = plannedProbes(plan, { ...(opts.from !== undefined ? { from: opts.from } : {}), sample: opts.sample, identity: localIdentity() });
        ctx.io.stderr.write(`scomfw: dry run, nothing sent: ${probeCountText(targets)} from ${located.endpoint.name} (found by ${located.how})\n`);
        ctx.io.stdout.write(dryRunText(located.endpoint.name, targets));
        return;
      }
      const report = reportTarget(opts.reportTo, opts.tokenFile, ctx.io.cwd);
      const progress = progressBar(ctx.io.stderr, 'probing');
      const results = await runCheck(plan, {
        ...(opts.from !== undefined ? { from: opts.from } : {}),
        timeoutMs: opts.timeout,
        retries: opts.retries,
        concurrency: opts.concurrency,
        adaptive: !opts.fixedTimeout,
        sample: opts.sample,
        identity: localIdentity(),
        onStart: (located, probes, targets) => {
          const what = probes === 0 ? 'nothing to probe: no flow of the plan starts' : probeCountText(targets);
          ctx.io.stderr.write(`scomfw: ${what} from ${located.endpoint.name} (found by ${located.how})\n`);
        },
        onProgress: (done, total) => { progress.update(done, total); },
      }).finally(() => { progress.end(); });
      const rule = { planPhase: plan.phase, strict: opts.strict === true };
      const text = formatCheck(results, opts.format, rule, opts.out === undefined && ctx.io.stdout.isTTY === true);
      if (opts.out !== undefined) {
        writeOutFile(resolve(ctx.io.cwd, opts.out), text);
        ctx.io.stderr.write(`scomfw: wrote ${results.results.length} results to ${opts.out}\n`);
      } else {
        ctx.io.stdout.write(text);
      }
      if (report) {
        try {
          const answer = await postResults(report.url, report.token, results);
          ctx.io.stderr.write(`scomfw: reported to ${report.url.origin} (result ${answer.id}${answer.duplicate ? ', already there' : ''})\n`);
        } catch (e) {
          ctx.io.stderr.write(`scomfw: ${(e as Error).message}\n`);
          ctx.exit(2);
        }
      }
      if (results.results.some((r) => fails(r, rule))) ctx.exit(1);
    });
}

/** Where --report-to posts, and with which token; found out before the probes, not after them. */
function reportTarget(reportTo: string | undefined, tokenFile: string | undefined, cwd: string): { url: URL; token: string } | undefined {
  if (reportTo === undefined) {
    if (tokenFile !== undefined) throw new UserError('--token-file is for --report-to', undefined, 'add --report-to URL, or leave out --token-file');
    return undefined;
  }
  const url = resultsEndpoint(reportTo);
  if (tokenFile === undefined) throw new UserError('--report-to needs --token-file', undefined, 'give the file that holds the token scomfw serve made');
  let text: string;
  try {
    text = readFileSync(resolve(cwd, tokenFile), 'utf8');
  } catch (e) {
    throw new UserError(`cannot read ${tokenFile}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`, undefined, 'give the file that holds the token scomfw serve made');
  }
  const token = readableToken(text);
  if (!token) throw new UserError(`${tokenFile}: not a token`, undefined, 'the file holds the token scomfw serve printed or wrote, and nothing else');
  return { url, token };
}

/** A commander parser for an integer option within bounds; a bad value is a usage error (exit 2). */
export function integer(min: number, max: number): (value: string) => number {
  return (value) => {
    if (!/^\d+$/.test(value.trim())) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    const n = Number(value);
    if (n < min || n > max) throw new InvalidArgumentError(`expected a whole number from ${min} to ${max}`);
    return n;
  };
}
