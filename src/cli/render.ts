import { resolve } from 'node:path';
import { Option, type Command } from '@commander-js/extra-typings';
import { renderTarget, targetNames, targets } from '../targets/registry.js';
import { linuxPolicies, type RenderedFile } from '../targets/types.js';
import { UserError } from '../topology/errors.js';
import { writeTree } from './output.js';
import { phaseChoices, planFor, readDeployment, type CliContext } from './context.js';

export function register(program: Command, ctx: CliContext): void {
  const names = targetNames();
  program
    .command('render')
    .summary('rule files, scripts and documents for one target platform')
    .description(
      'Renders the plan for one platform. Without --out the files are printed (several files are separated by\n' +
        '"==> NAME <==" lines, as tail does); with --out they are written into DIR.\n\nTargets:\n' +
        names.map((n) => `  ${n.padEnd(20)} ${targets.get(n)?.summary ?? ''}`).join('\n'),
    )
    .argument('<FILE>', 'deployment file (YAML or JSON)')
    .addOption(new Option('-t, --target <target>', 'output platform').choices(names).makeOptionMandatory())
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
        '  scomfw render deployment.yaml --target markdown > change-request.md',
    )
    .action((file, opts) => {
      const target = targets.get(opts.target);
      if (!target) throw new UserError(`unknown target ${opts.target}`, undefined, `choose one of ${names.join(', ')}`);
      const plan = planFor(readDeployment(ctx, file), opts.phase);
      const files = renderTarget(target, plan, {
        ...(opts.host ? { host: opts.host } : {}),
        ...(opts.keep ? { keep: opts.keep } : {}),
        ...(opts.linuxPolicy ? { linuxPolicy: opts.linuxPolicy } : {}),
        ...(opts.profile ? { profile: opts.profile } : {}),
        ...(opts.policyStore ? { policyStore: opts.policyStore } : {}),
      });
      if (opts.out) writeFiles(ctx, resolve(ctx.io.cwd, opts.out), files);
      else printFiles(ctx, files);
    });
}

function writeFiles(ctx: CliContext, dir: string, files: readonly RenderedFile[]): void {
  const count = writeTree(dir, files);
  ctx.io.stderr.write(`scomfw: wrote ${count} file${count === 1 ? '' : 's'} to ${dir}\n`);
}

function printFiles(ctx: CliContext, files: readonly RenderedFile[]): void {
  if (files.length === 1) {
    ctx.io.stdout.write(files[0]!.content);
    return;
  }
  ctx.io.stdout.write(files.map((f) => `==> ${f.path} <==\n${f.content}`).join('\n'));
}
