import type { Plan } from '../../plan/types.js';
import type { DestinationSet } from './destinations.js';
import { summarizeNames } from '../../text/names.js';

/** What a cloud target writes for a plan, beside what one rule per flow and source CIDR would take. */
export interface CloudRuleCounts {
  /** Security groups (AWS) or network security groups (Azure), parts of split sets included. */
  readonly groups: number;
  /** Rules as the cloud counts them against its quota. */
  readonly rules: number;
  /** Rules without aggregation: one per flow and source CIDR (one per source address for single hosts). */
  readonly unaggregatedRules: number;
  /** Why render would refuse the plan, when it would (Azure: one host's flows need more than an NSG holds). */
  readonly refused?: string;
}

/** The first comment lines of a Terraform file: where it came from and how to change it. */
export function cloudHeader(plan: Plan, file: string): string[] {
  return [
    `${file}: written by scomfw from the plan of management group ${plan.managementGroup} (catalog ${plan.catalog}, phase ${plan.phase}).`,
    'Do not edit it by hand: change the deployment file and render again, then terraform plan and apply.',
    '',
  ];
}

/** Hosts listed in a comment before "and N more". */
const listedHosts = 10;

/** `Attach to: ms02.contoso.com, ms03.contoso.com`: the hosts a group is for. */
export function attachNote(set: DestinationSet): string {
  return `${set.name}: attach to ${summarizeNames(set.hosts.map((h) => h.name), listedHosts)}`;
}

/** Says so when sources of a family the hosts lack are left out: such sources can never reach them. */
export function familyNote(set: DestinationSet): string[] {
  return set.unreachableFamilies.map((family) => `IPv${family} sources are left out: no host of this set has an IPv${family} address.`);
}
