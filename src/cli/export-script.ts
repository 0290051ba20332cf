import { readFileSync } from 'node:fs';
import { Argument, type Command } from '@commander-js/extra-typings';
import type { CliContext } from './context.js';

/** Every exporter scomfw provides: its name, the asset file beside the module that reads it, and what it collects. One line each. */
const exportScripts: Readonly<Record<string, { readonly asset: URL; readonly summary: string }>> = {
  scom: { asset: new URL('../import/exporters/scom-inventory.ps1', import.meta.url), summary: 'SCOM inventory for scomfw import scom (run on a management server; read-only)' },
  windows: { asset: new URL('../audit/exporters/windows-firewall.ps1', import.meta.url), summary: 'Windows Firewall policy for scomfw audit (run on each Windows host; read-only)' },
};

export function register(program: Command, ctx: CliContext): void {
  const names = Object.keys(exportScripts);
  program
    .command('export-script')
    .summary('print a script that collects what exists, for scomfw import and audit')
    .description('Prints a PowerShell script to run elsewhere; it only reads, and writes one JSON file for scomfw import or scomfw audit.')
    .addArgument(new Argument('<NAME>', 'which script').choices(names))
    .addHelpText(
      'after',
      `\nScripts:\n${names.map((n) => `  ${n.padEnd(8)} ${exportScripts[n]!.summary}`).join('\n')}\n` +
        '\nExamples:\n  scomfw export-script scom > scom-inventory.ps1\n  # on a management server (Windows PowerShell 5.1, OperationsManager module):\n' +
        '  #   .\\scom-inventory.ps1 -OutFile scom-export.json\n  scomfw import scom scom-export.json --out deployment.yaml\n\n' +
        '  scomfw export-script windows > windows-firewall.ps1\n  # on each Windows host (Windows PowerShell 5.1 or PowerShell 7, as administrator):\n' +
        '  #   powershell -NoProfile -ExecutionPolicy Bypass -File .\\windows-firewall.ps1 -Path ms01.json\n  scomfw audit deployment.yaml ms01.json\n\nSee docs/import.md and docs/audit.md.',
    )
    .action((name) => {
      ctx.io.stdout.write(readFileSync(exportScripts[name]!.asset, 'utf8'));
    });
}
