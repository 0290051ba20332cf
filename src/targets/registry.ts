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
  profile: '--profile',
  policyStore: '--policy-store',
};

/** Renders with the options checked first: an option the target does not read is a UserError, not ignored. */
export function renderTarget(target: Target, plan: Plan, options: RenderOptions): RenderedFile[] {
  refuseForeignOptions(target, options);
  return target.render(plan, options);
}

function refuseForeignOptions(target: Target, options: RenderOptions): void {
  const given = (Object.keys(options) as RenderOptionName[]).filter((o) => options[o] !== undefined);
  const foreign = given.find((o) => !target.options.includes(o));
  if (foreign === undefined) return;
  const takes = target.options.length > 0 ? `it takes ${target.options.map((o) => optionFlags[o]).join(', ')}` : 'it takes no render option';
  const users = table.filter((t) => t.options.includes(foreign)).map((t) => t.name);
  throw new UserError(`the ${target.name} target has no use for ${optionFlags[foreign]}`, undefined, `${takes}; ${optionFlags[foreign]} is for ${users.join(', ')}`);
}
