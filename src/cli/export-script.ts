import { readFileSync } from 'node:fs';
import { Argument, type Command } from '@commander-js/extra-typings';
import type { CliContext } from './context.js';

/** Every exporter scomfw provides: its name, the asset file beside the module that reads it, and what it collects. One line each. */
const exportScripts: Readonly<Record<string, { readonly asset: URL; readonly summary: string }>> = {
  windows: { asset: new URL('../audit/exporters/windows-firewall.ps1', import.meta.url), summary: 'Windows Firewall policy for scomfw audit (run on each Windows host; read-only)' },
};

export function register(program: Command, ctx: CliContext): void {
  const names = Object.keys(exportScripts);
  program
    .command('export-script')
    .summary('print a script that collects what exists, for scomfw import and audit')
    .description(
      'Prints a PowerShell script to run elsewhere; it only reads and writes one JSON file.\n' +
        names.map((n) => `  ${n.padEnd(8)} ${exportScripts[n]!.summary}`).join('\n'),
    )
    .addArgument(new Argument('<NAME>', 'which script').choices(names))
    .addHelpText(
      'after',
      '\nExamples:\n  scomfw export-script windows > windows-firewall.ps1\n  # on each Windows host (Windows PowerShell 5.1 or PowerShell 7, as administrator):\n' +
        '  #   powershell -NoProfile -ExecutionPolicy Bypass -File .\\windows-firewall.ps1 -Path ms01.json\n  scomfw audit deployment.yaml ms01.json\n\nSee docs/audit.md.',
    )
    .action((name) => {
      ctx.io.stdout.write(readFileSync(exportScripts[name]!.asset, 'utf8'));
    });
}
