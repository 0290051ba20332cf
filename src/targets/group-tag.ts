import { createHash } from 'node:crypto';
import type { Plan } from '../plan/types.js';

/*
 * Several management groups can share a host (a SQL server, a domain controller), so every name a host target
 * writes carries the management group: each group's rerun or removal then touches only its own rules.
 */

/** What the deployment loader accepts as a management group name; a plan read from JSON is checked again here. */
const groupNamePattern = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** The plan's management group, checked to hold only characters safe in every language the targets write. */
export function managementGroupName(plan: Plan): string {
  const name = plan.managementGroup;
  if (!groupNamePattern.test(name)) throw new Error(`the management group name ${JSON.stringify(name)} cannot be written into firewall names`);
  return name;
}

/**
 * The management group as a name part of at most `max` characters from `[A-Za-z0-9_]` (nft identifiers, iptables
 * chains): the name itself when it is letters and digits only and fits, else a cut of it, `_` and a hash of the
 * whole name. Only the hashed form holds `_`, so two groups share a tag only if their hashes meet.
 */
export function managementGroupTag(plan: Plan, max: number): string {
  const name = managementGroupName(plan);
  if (name.length <= max && /^[A-Za-z0-9]+$/.test(name)) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 6);
  const head = name.replace(/[^A-Za-z0-9_]/g, '_').slice(0, Math.max(0, max - hash.length - 1));
  return head ? `${head}_${hash}` : hash;
}
