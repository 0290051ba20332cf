import { checkPlan } from '../plan/trust.js';
import type { Plan } from '../plan/types.js';
import { UserError } from '../topology/errors.js';
import { aws } from './cloud/aws.js';
import { azure } from './cloud/azure.js';
import { dot } from './diagrams/dot.js';
import { mermaid } from './diagrams/mermaid.js';
import { csv } from './documents/csv.js';
import { markdown } from './documents/markdown.js';
import { firewalld } from './linux/firewalld.js';
import { iptables } from './linux/iptables.js';
import { nftables } from './linux/nftables.js';
import { HostNotSelectedError } from './select.js';
import type { RenderedFile, RenderOptionName, RenderOptions, Target } from './types.js';
import { netsh } from './windows/netsh.js';
import { windowsPowerShell } from './windows/powershell.js';
import { verifyPowerShell } from './windows/verify.js';

/**
 * Every output platform, by the name `scomfw render --target` takes. Adding a target is one file in its family's
 * folder under src/targets/ and one line here.
 */
const table: readonly Target[] = [
  // one line per target, kept in alphabetical order
  aws,
  azure,
  csv,
  dot,
  firewalld,
  iptables,
  markdown,
  mermaid,
  netsh,
  nftables,
  verifyPowerShell,
  windowsPowerShell,
];

export const targets: ReadonlyMap<string, Target> = new Map(table.map((t) => [t.name, t]));

export function targetNames(): string[] {
  return [...targets.keys()];
}

/** The command-line spelling of each render option. */
export const optionFlags: Readonly<Record<RenderOptionName, string>> = {
  host: '--host',
  keep: '--keep',
  linuxPolicy: '--linux-policy',
  profile: '--profile',
  policyStore: '--policy-store',
};

/** One target's files, from a render of several targets; `skipped` says why it wrote none for `--host`. */
export interface TargetFiles {
  readonly target: Target;
  readonly files: RenderedFile[];
  readonly skipped?: string;
}

/**
 * The targets a `--target` value names: one name, several separated by commas (each once, in the order given), or
 * `all` (every target, in table order). Unknown names are a UserError with the list to choose from.
 */
export function chooseTargets(spec: string): Target[] {
  const names = spec.split(',').map((n) => n.trim());
  if (names.length === 1 && names[0] === 'all') return [...table];
  const chosen: Target[] = [];
  for (const name of names) {
    const target = targets.get(name);
    if (!target) {
      const found = name === '' ? 'an empty name' : name === 'all' ? '"all" beside other names' : `"${name}"`;
      throw new UserError(`--target: expected a target name, found ${found}`, undefined, `choose one or more of ${targetNames().join(', ')} separated by commas, or all`);
    }
    if (!chosen.includes(target)) chosen.push(target);
  }
  return chosen;
}

/**
 * Renders several targets from one plan: the plan is checked once, and each target gets only the options it
 * reads. An option that none of the chosen targets reads is refused, as for one target. A `--host` that one
 * target cannot pick (a Windows host for nftables) skips that target, with the reason; one that no target can
 * pick is refused with the first target's words.
 */
export function renderTargets(chosen: readonly Target[], plan: Plan, options: RenderOptions): TargetFiles[] {
  if (chosen.length === 1) return [{ target: chosen[0]!, files: renderTarget(chosen[0]!, plan, options) }];
  refuseOptionsNoneTake(chosen, options);
  const checked = checkPlan(plan);
  const out: TargetFiles[] = [];
  let firstMiss: HostNotSelectedError | undefined;
  for (const target of chosen) {
    try {
      out.push({ target, files: refuseClashes(target, target.render(checked, optionsFor(target, options))) });
    } catch (e) {
      if (!(e instanceof HostNotSelectedError)) throw e;
      firstMiss ??= e;
      out.push({ target, files: [], skipped: e.message });
    }
  }
  if (firstMiss && out.every((t) => t.skipped !== undefined)) throw firstMiss;
  return out;
}

/** The options of `options` that `target` reads. */
function optionsFor(target: Target, options: RenderOptions): RenderOptions {
  const own: Partial<Record<RenderOptionName, unknown>> = {};
  for (const o of target.options) if (options[o] !== undefined) own[o] = options[o];
  return own as RenderOptions;
}

function refuseOptionsNoneTake(chosen: readonly Target[], options: RenderOptions): void {
  const given = (Object.keys(options) as RenderOptionName[]).filter((o) => options[o] !== undefined);
  const foreign = given.find((o) => !chosen.some((t) => t.options.includes(o)));
  if (foreign === undefined) return;
  const users = table.filter((t) => t.options.includes(foreign)).map((t) => t.name);
  throw new UserError(`none of the targets ${chosen.map((t) => t.name).join(', ')} has a use for ${optionFlags[foreign]}`, undefined, `${optionFlags[foreign]} is for ${users.join(', ')}`);
}

/**
 * Renders with the options and the plan checked first: an option the target does not read is a UserError, not
 * ignored; a plan that breaks its schema (src/plan/schema.ts) is an InvalidPlanError, so no target re-checks it.
 */
export function renderTarget(target: Target, plan: Plan, options: RenderOptions): RenderedFile[] {
  refuseForeignOptions(target, options);
  return refuseClashes(target, target.render(checkPlan(plan), options));
}

/**
 * Two files for one path (a host named `ms01.close-install` beside `ms01`'s close-install script), compared
 * regardless of case as Windows and macOS file systems do: one would overwrite the other, so it is refused.
 */
function refuseClashes(target: Target, files: RenderedFile[]): RenderedFile[] {
  const seen = new Map<string, string>();
  for (const f of files) {
    const key = f.path.toLowerCase();
    const first = seen.get(key);
    if (first !== undefined) {
      throw new UserError(
        `two ${target.name} files would both be written to ${f.path}${first === f.path ? '' : ` (and ${first}, the same file where case does not count)`}`,
        undefined,
        'rename the host so that its name does not end like another host\'s script (.close-install, .remove, .verify) or a zone pair (zoneA--zoneB)',
      );
    }
    seen.set(key, f.path);
  }
  return files;
}

function refuseForeignOptions(target: Target, options: RenderOptions): void {
  const given = (Object.keys(options) as RenderOptionName[]).filter((o) => options[o] !== undefined);
  const foreign = given.find((o) => !target.options.includes(o));
  if (foreign === undefined) return;
  const takes = target.options.length > 0 ? `it takes ${target.options.map((o) => optionFlags[o]).join(', ')}` : 'it takes no render option';
  const users = table.filter((t) => t.options.includes(foreign)).map((t) => t.name);
  throw new UserError(`the ${target.name} target has no use for ${optionFlags[foreign]}`, undefined, `${takes}; ${optionFlags[foreign]} is for ${users.join(', ')}`);
}
