import { basename, resolve } from 'node:path';
import { Option, type Command } from '@commander-js/extra-typings';
import { audit, type Placed, type Scope } from '../audit/engine.js';
import { auditFormats, formatAudit } from '../audit/format.js';
import { importerFor, importerNames, importers } from '../audit/importers/registry.js';
import type { FirewallModel } from '../audit/model.js';
import { AddressSyntaxError } from '../net/address.js';
import { AddressSet } from '../net/address-set.js';
import type { Plan } from '../plan/types.js';
import { UserError } from '../topology/errors.js';
import { phaseChoices, planFor, readDeployment, readText, type CliContext } from './context.js';
import { writeOutFile } from './output.js';
import { groupBy } from '../text/group.js';
import { scopeHost } from '../targets/select.js';

export function register(program: Command, ctx: CliContext): void {
  program
    .command('audit')
    .summary('audit firewall exports against the plan: blocked flows, over-permissive ports, stale install openings')
    .description(
      'Reads exports of the firewalls that exist (nft -j list ruleset, iptables-save, and the other formats listed ' +
        'below) and compares them with the plan: every planned flow must get through (missing, partly-open), every ' +
        'port the plan opens on a host must be open only to the sources the plan names (over-permissive), and in ' +
        'phase operate install-only openings must be closed (stale-install). Each finding names a witness packet ' +
        'and the deciding rule (the export\'s line) or default. Rules the audit does not understand make the packets ' +
        'they could touch undecidable, never assumed open or closed. See docs/audit.md.',
    )
    .argument('<DEPLOYMENT>', 'deployment file (YAML or JSON)')
    .argument('<EXPORT...>', 'firewall exports; a host export is named <host>.<ext> (as render --out writes them) or given --host')
    .option('--host <NAME>', 'the host the exports belong to (default: from each file name, <host>.<ext>)')
    .option('--zones <A,B>', 'the exports are of a firewall between these zones (forward path), not of a host')
    .addOption(new Option('--phase <phase>', 'install: install-only flows must be open; operate: they must be closed (default: the deployment\'s phase)').choices(phaseChoices))
    .addOption(new Option('-f, --format <format>', 'output format').choices(auditFormats).default('table' as const))
    .option('--input-format <format>', `force the export format instead of recognising it (${importerNames().join(', ')})`)
    .option('--vnet <CIDR...>', 'Azure: the addresses of the VirtualNetwork service tag')
    .option('-o, --out <FILE>', 'write the output to FILE instead of stdout')
    .addHelpText(
      'after',
      `\nExport formats:\n${importers()
        .map((i) => `  ${i.name.padEnd(12)} ${i.description}`)
        .join('\n')}\n\n` +
        'Exit codes: 0 no error finding; 1 an error finding (missing, partly-open, over-permissive, stale-install,\n' +
        'undecidable); 2 bad input or usage. Shadowed and redundant scomfw rules are warnings.\n\n' +
        'Examples:\n' +
        '  ssh sql01 nft -j list ruleset > sql01.json && scomfw audit deployment.yaml sql01.json\n' +
        '  scomfw audit deployment.yaml sql01.rules sql01.rules6 --phase operate\n' +
        '  scomfw audit deployment.yaml fw.json --zones dmz,core --format sarif --out audit.sarif',
    )
    .action(async (file, exportFiles, opts) => {
      const deployment = await readDeployment(ctx, file);
      const phase = opts.phase ?? deployment.phase;
      // Install-only flows are planned too, so that an operate audit can see them still open.
      const plan = planFor(deployment, 'install');
      const vnet = opts.vnet ? vnetOf(opts.vnet) : undefined;
      const zones = opts.zones !== undefined ? zonesOf(opts.zones, plan) : undefined;
      // --host is picked (and a mistake worded) as in render; the plan's own spelling of the name goes on.
      const host = scopeHost(plan, opts.host)?.name;
      const placed: Placed[] = [];
      const options = { ...(host !== undefined ? { host } : {}), ...(vnet ? { vnet } : {}) };
      // Cloud and firewalld exports come in several files that only together describe a firewall (security groups
      // and network interfaces; zones and the default zone): an importer with parseAll gets all of its files at once.
      const read = exportFiles.map((fileName) => ({ text: readText(fileName, ctx.io.cwd), fileName }));
      const groups = groupBy(read, (f) => importerFor(f.text, f.fileName, opts.inputFormat));
      for (const [importer, files] of groups) {
        const models = importer.parseAll ? importer.parseAll(files, options) : files.flatMap((f) => importer.parse(f.text, f.fileName, options));
        for (const model of models) placed.push({ model, scope: scopeOf(model, model.export, plan, host, zones) });
      }
      const result = audit(plan, placed, { phase });
      const text = formatAudit(result, opts.format, { managementGroup: plan.managementGroup, catalog: plan.catalog });
      if (opts.out !== undefined) {
        writeOutFile(resolve(ctx.io.cwd, opts.out), text);
        ctx.io.stderr.write(`scomfw: wrote ${result.findings.length} findings to ${opts.out}\n`);
      } else ctx.io.stdout.write(text);
      if (result.summary.errors > 0) ctx.exit(1);
    });
}

function scopeOf(model: FirewallModel, exportFile: string, plan: Plan, host: string | undefined, zones: readonly string[] | undefined): Scope {
  if (zones) return { kind: 'zones', zones };
  if (model.protects) return { kind: 'cloud' };
  const named = model.host ?? host;
  if (named !== undefined) {
    if (!plan.hosts.some((h) => h.name === named)) throw new UserError(`${exportFile}: host ${named} is not in the deployment`, undefined, 'give --host NAME with a host or group of the deployment');
    return { kind: 'host', host: named };
  }
  const stem = hostFromFileName(exportFile, plan);
  if (stem.kind === 'host') return stem;
  if (stem.kind === 'zones') return stem;
  throw new UserError(
    `${exportFile}: which host is this export of? Its name does not start with a host of the deployment`,
    undefined,
    'name the file <host>.<ext> (e.g. sql01.json, as render --out writes them), or give --host NAME (or --zones A,B for a firewall between zones)',
  );
}

/** `sql01.rules6` → sql01; `ms01.contoso.com.json` → ms01.contoso.com; `dmz--core.json` → the zones dmz and core. */
export function hostFromFileName(file: string, plan: Plan): Scope | { kind: 'none' } {
  const parts = basename(file).split('.');
  for (let n = parts.length - 1; n >= 1; n--) {
    const stem = parts.slice(0, n).join('.');
    if (plan.hosts.some((h) => h.name === stem)) return { kind: 'host', host: stem };
    const pair = stem.split('--');
    const known = new Set(plan.hosts.map((h) => h.zone));
    if (pair.length === 2 && pair.every((z) => known.has(z))) return { kind: 'zones', zones: pair };
  }
  return { kind: 'none' };
}

function zonesOf(text: string, plan: Plan): string[] {
  const zones = text.split(',').map((z) => z.trim()).filter(Boolean);
  const known = new Set(plan.hosts.map((h) => h.zone));
  const unknown = zones.filter((z) => !known.has(z));
  if (zones.length < 2 || unknown.length > 0) {
    throw new UserError(
      unknown.length > 0 ? `--zones names ${unknown.join(', ')}, which no host of the deployment is in` : '--zones needs at least two zones',
      undefined,
      `the deployment's zones: ${[...known].join(', ')}`,
    );
  }
  return zones;
}

function vnetOf(cidrs: readonly string[]): AddressSet {
  try {
    return AddressSet.parse(cidrs);
  } catch (e) {
    if (e instanceof AddressSyntaxError) throw new UserError(`--vnet: ${e.message}`, undefined, e.hint ?? 'give the virtual network\'s address prefixes, e.g. --vnet 10.0.0.0/16');
    throw e;
  }
}
