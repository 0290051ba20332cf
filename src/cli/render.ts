import { resolve } from 'node:path';
import { Option, type Command } from '@commander-js/extra-typings';
import { chooseTargets, renderTargets, targetNames, targets, type TargetFiles } from '../targets/registry.js';
import { linuxPolicies, type RenderedFile } from '../targets/types.js';
import { writeTree } from './output.js';
import { linesOf, movedFile, textChunks } from '../targets/lines-file.js';
import { writeChunks } from './write-chunks.js';
import { phaseChoices, planFor, readDeployment, type CliContext } from './context.js';
import { wrap } from '../text/columns.js';

export function register(program: Command, ctx: CliContext): void {
  const names = targetNames();
  program
    .command('render')
    .summary('rule files, scripts and documents for one or more target platforms')
    .description(
      'Renders the plan for one platform, or for several from one load and one plan\n' +
        '(--target a,b,c or --target all). Without --out the files are printed (several\n' +
        'files are separated by "==> NAME <==" lines, as tail does); with --out they are\n' +
        'written into DIR. With several targets each target\'s files go under a directory\n' +
        'named after it (DIR/nftables/..., DIR/iptables/...), and printed names start\n' +
        'with it.\n\nTargets:\n' +
        names.map((n) => targetLine(n, targets.get(n)?.summary ?? '')).join('\n'),
    )
    .argument('<FILE>', 'deployment file (YAML or JSON)')
    .addOption(new Option('-t, --target <target>', 'output platform; several separated by commas, or all').makeOptionMandatory())
    .option('-o, --out <DIR>', 'write the files into DIR instead of printing them')
    .option('--host <NAME>', 'render only for this host (or zone pair where the target writes per zone pair)')
    .addOption(new Option('--phase <phase>', 'override the file\'s phase: operate leaves install-only flows out').choices(phaseChoices))
    .option('--keep <ENTRY...>', 'nftables/iptables/firewalld: management access to keep open, beside the file\'s managementAccess, e.g. tcp/22@10.0.0.0/24')
    .addOption(
      new Option('--linux-policy <POLICY>', 'nftables/iptables host rulesets: open-only (add the planned openings, leave the host\'s own rules in charge; default for Linux hosts) or drop-unplanned (drop everything not planned; default for stand-ins of other hosts)').choices(linuxPolicies),
    )
    .option('--profile <PROFILE>', 'windows-powershell/netsh: firewall profile(s) for the rules (default Any)')
    .option('--policy-store <STORE>', 'windows-powershell: policy store, e.g. a GPO "contoso.com\\SCOM Firewall"')
    .addHelpText(
      'after',
      '\nExamples:\n  scomfw render deployment.yaml --target windows-powershell --out fw/\n' +
        '  scomfw render deployment.yaml --target nftables --host lnx01.contoso.com\n' +
        '  scomfw render deployment.yaml --target iptables --linux-policy drop-unplanned --keep tcp/22@10.0.0.0/24 --out ipt/\n' +
        '  scomfw render deployment.yaml --target markdown > change-request.md\n' +
        '  scomfw render deployment.yaml --target windows-powershell,nftables,iptables --out fw/   # fw/nftables/...\n' +
        '  scomfw render deployment.yaml --target all --out fw/',
    )
    .action(async (file, opts) => {
      const chosen = chooseTargets(opts.target);
      const plan = planFor(await readDeployment(ctx, file), opts.phase);
      const rendered = renderTargets(chosen, plan, {
        ...(opts.host ? { host: opts.host } : {}),
        ...(opts.keep ? { keep: opts.keep } : {}),
        ...(opts.linuxPolicy ? { linuxPolicy: opts.linuxPolicy } : {}),
        ...(opts.profile ? { profile: opts.profile } : {}),
        ...(opts.policyStore ? { policyStore: opts.policyStore } : {}),
      });
      for (const { target, skipped } of rendered) if (skipped) ctx.io.stderr.write(`scomfw: ${target.name}: nothing to write for --host: ${skipped}\n`);
      const files = rendered.length === 1 ? rendered[0]!.files : underTargetNames(rendered);
      if (opts.out) writeFiles(ctx, resolve(ctx.io.cwd, opts.out), files);
      else await printFiles(ctx, files);
    });
}

/** Several targets' files, each under a directory named after its target. */
function underTargetNames(rendered: readonly TargetFiles[]): RenderedFile[] {
  return rendered.flatMap(({ target, files }) => files.map((f) => movedFile(f, `${target.name}/${f.path}`)));
}

function writeFiles(ctx: CliContext, dir: string, files: readonly RenderedFile[]): void {
  const count = writeTree(dir, files);
  ctx.io.stderr.write(`scomfw: wrote ${count} file${count === 1 ? '' : 's'} to ${dir}\n`);
}

/** The files one after another, as they are (never joined into one text: 113 MB for every target at 150,000 agents). */
function printFiles(ctx: CliContext, files: readonly RenderedFile[]): Promise<void> {
  return writeChunks(ctx.io.stdout, printedChunks(files));
}

function* printedChunks(files: readonly RenderedFile[]): Iterable<string> {
  for (const [i, f] of files.entries()) {
    if (files.length > 1) yield `${i > 0 ? '\n' : ''}==> ${f.path} <==\n`;
    yield* textOf(f);
  }
}

/** A file's text as it is made, in chunks where the target made it from lines. */
function textOf(file: RenderedFile): Iterable<string> {
  const maker = linesOf(file);
  return maker ? textChunks(maker) : [file.content];
}

/**
 * A target's line in --help, its summary wrapped under itself: commander wraps every description line at 80
 * columns, and a summary it wraps starts again at column 0, under the target names.
 */
function targetLine(name: string, summary: string): string {
  const [first = '', ...rest] = wrap(summary, 80 - 23);
  return [`  ${name.padEnd(20)} ${first}`, ...rest.map((l) => `${' '.repeat(23)}${l}`)].join('\n');
}
