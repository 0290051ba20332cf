import type { Target } from './types.js';
import { aws } from './aws.js';
import { azure } from './azure.js';
import { csv } from './csv.js';
import { dot } from './dot.js';
import { firewalld } from './firewalld.js';
import { iptables } from './iptables.js';
import { markdown } from './markdown.js';
import { mermaid } from './mermaid.js';
import { netsh } from './netsh.js';
import { nftables } from './nftables.js';
import { verifyPowerShell } from './verify-powershell.js';
import { windowsPowerShell } from './windows-powershell.js';

/**
 * Every output platform, by the name `scomfw render --target` takes. Adding a target is one file under
 * src/targets/ and one line here.
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
