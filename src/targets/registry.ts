import type { Target } from './types.js';
import { firewalld } from './firewalld.js';
import { iptables } from './iptables.js';
import { nftables } from './nftables.js';

/**
 * Every output platform, by the name `scomfw render --target` takes. Adding a target is one file under
 * src/targets/ and one line here.
 */
const table: readonly Target[] = [
  // one line per target, kept in alphabetical order
  firewalld,
  iptables,
  nftables,
];

export const targets: ReadonlyMap<string, Target> = new Map(table.map((t) => [t.name, t]));

export function targetNames(): string[] {
  return [...targets.keys()];
}
