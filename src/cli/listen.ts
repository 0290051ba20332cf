import { InvalidArgumentError, type Command } from '@commander-js/extra-typings';
import { formatDuration, parseDuration } from '../probe/duration.js';
import { listenSpec, type ListenSpec } from '../probe/listen-spec.js';
import { startListeners, type Listeners } from '../probe/listen.js';
import { listeningHosts } from '../targets/rules.js';
import { UserError } from '../topology/errors.js';
import { planFor, readDeployment, type CliContext } from './context.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('listen')
    .summary('stand-in listeners on every port a host must accept, to test a firewall before SCOM is installed')
    .description(
      'Opens a TCP listener on every port the plan makes NAME accept, and a stand-in SQL Server Browser on ' +
        'UDP 1434 where the plan opens it. Connections are accepted and closed at once. A port already in use ' +
        '(probably the real service) is reported and skipped. Port ranges, other UDP ports and ICMP get no ' +
        'listener (check reports them unprovable). Stops after --duration or on Ctrl-C. See docs/listen.md.',
    )
    .argument('<FILE>', 'deployment file (YAML or JSON)')
    .requiredOption('--as <NAME>', 'the host this machine stands in for')
    .option('--duration <TIME>', 'how long to listen: 30s, 10m, 1h, 1h30m', durationArg, 600_000)
    .option('--bind <ADDR>', 'bind only this address (default: every address, IPv6 and IPv4)')
    .addHelpText(
      'after',
      '\nExit codes: 0 listened and stopped; 1 no port could be opened; 2 bad input or usage.\n\n' +
        'Examples:\n  scomfw listen deployment.yaml --as sql01.contoso.com\n  scomfw listen deployment.yaml --as ms01.contoso.com --duration 1h --bind 10.0.1.11',
    )
    .action(async (file, opts) => {
      const plan = planFor(await readDeployment(ctx, file));
      const spec = listenSpec(plan, opts.as);
      if (!spec) {
        const known = plan.hosts.some((h) => h.name.toLowerCase() === opts.as.toLowerCase());
        const names = listeningHosts(plan).map((h) => h.name).join(', ');
        throw new UserError(known ? `${opts.as} accepts no flow in this plan` : `--as ${opts.as} names no host of the deployment`, undefined, `choose one of the hosts that accept flows: ${names}`);
      }
      if (spec.tcp.length === 0 && !spec.ssrp) {
        ctx.io.stdout.write(describe(spec, { bound: [], failed: [], close: () => Promise.resolve() }));
        ctx.io.stdout.write('nothing to stand in for: no flow to this host can be proved by a listener\n');
        return;
      }
      const listeners = await startListeners(spec, opts.bind !== undefined ? { bind: opts.bind } : {});
      ctx.io.stdout.write(describe(spec, listeners));
      if (listeners.bound.length === 0) {
        ctx.io.stderr.write('scomfw: no port could be opened: nothing to stand in for\n');
        ctx.exit(1);
        return;
      }
      ctx.io.stdout.write(`ready: listening for ${formatDuration(opts.duration)} or until Ctrl-C\n`);
      const why = await stopSignal(opts.duration);
      await listeners.close();
      ctx.io.stdout.write(`stopped (${why}): every port released\n`);
    });
}

function durationArg(value: string): number {
  const ms = parseDuration(value);
  if (ms === undefined) throw new InvalidArgumentError('expected a duration such as 30s, 10m, 1h or 1h30m');
  // A timer cannot wait longer than 2^31-1 ms; nobody needs a stand-in for more than a week.
  if (ms > 7 * 24 * 3_600_000) throw new InvalidArgumentError('at most a week (7d = 168h)');
  return ms;
}

function describe(spec: ListenSpec, listeners: Listeners): string {
  const lines = [`standing in for ${spec.host}:`];
  for (const b of listeners.bound) {
    const planned = b.protocol === 'tcp' ? spec.tcp.find((t) => t.port === b.port) : undefined;
    const who = b.protocol === 'udp' ? `SQL Server Browser stand-in for ${spec.ssrp?.sources.join(', ') ?? ''}` : `from ${planned?.sources.join(', ') ?? '?'}`;
    lines.push(`  listening ${b.protocol}/${b.port} on ${b.address === '::' ? 'every address' : b.address}  ${who}`);
  }
  for (const f of listeners.failed) lines.push(`  skipped   ${f.protocol}/${f.port}: ${f.why}`);
  for (const s of spec.skipped) lines.push(`  no listener ${s.what}: ${s.why}`);
  return `${lines.join('\n')}\n`;
}

/** Resolves after `ms`, or on SIGINT/SIGTERM, with what it was; the handlers are removed afterwards. */
function stopSignal(ms: number): Promise<string> {
  return new Promise((resolve) => {
    const stop = (why: string) => {
      clearTimeout(timer);
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
      resolve(why);
    };
    const onInt = () => { stop('interrupted'); };
    const onTerm = () => { stop('terminated'); };
    const timer = setTimeout(() => { stop(`after ${formatDuration(ms)}`); }, ms);
    process.once('SIGINT', onInt);
    process.once('SIGTERM', onTerm);
  });
}
