import type { Role } from '../catalog/roles.js';
import type { FlowPhase } from '../catalog/types.js';
import type { PlanStage } from '../topology/types.js';

/**
 * Maintenance is not installation: the push-install ports come back for every agent repair and update, and SSH to
 * UNIX/Linux agents is how they are upgraded and repaired. The plan and the close-install scripts say so in words.
 * Plain ASCII: these sentences go into Windows scripts.
 */
export const closeInstallReminder: readonly string[] = [
  'Maintenance is not installation: agent push install, repair and update from the console need',
  'the push-install ports again (RPC/SMB from the primary management server or gateway), and',
  'UNIX/Linux agent upgrade and repair need SSH (it stays open). Reapply the full rules before you',
  'push, repair or update an agent, then close them again.',
];

/** What the notes need of a flow (a draft while the plan is built). */
interface FlowFacts {
  readonly destination: { readonly name: string };
  readonly destinationRoles: readonly Role[];
  readonly phase: FlowPhase;
  readonly notes: readonly string[];
}

const pushNote = 'destination install: push';

/**
 * The plan notes on maintenance, for the phase planned; `flows` are every flow, install-only ones included.
 * `entries` says how many host entries a destination stands for (a class of alike hosts planned once, see
 * src/plan/classes.ts); one each by default.
 */
export function maintenanceNotes(phase: PlanStage, flows: readonly FlowFacts[], entries: (destination: string) => number = () => 1): string[] {
  const pushedNames = new Set(flows.filter((f) => f.notes.includes(pushNote)).map((f) => f.destination.name));
  const pushed = [...pushedNames].reduce((sum, name) => sum + entries(name), 0);
  const otherInstall = flows.some((f) => f.phase === 'install' && !f.notes.includes(pushNote));
  const unix = flows.some((f) => f.destinationRoles.includes('unix-agent'));
  const notes: string[] = [];
  if (pushed > 0 && phase === 'install') {
    notes.push(`push install ports are needed again for every agent repair and update from the console, not only at installation: keep them open, or reopen them before a repair or update (${agents(pushed)} with install: push)`);
  }
  if (pushed > 0 && phase === 'operate') {
    notes.push(`phase operate breaks these console actions until the push install ports are reopened: push install from the Discovery Wizard, Repair and Update of agents (Pending Management, Agent Managed), for ${agents(pushed)} with install: push`);
  }
  if (otherInstall && phase === 'operate') {
    notes.push('phase operate also leaves out the setup ports (management server to management server 5724, SQL setup checks): installing another management server or reporting server needs them again');
  }
  if (unix) notes.push('SSH to UNIX/Linux agents stays open in every phase: agent upgrade, repair and removal use it, not only installation');
  return notes;
}

/** A count, not names: the notes go into per-host documents too, which name only their own host's peers. */
function agents(count: number): string {
  return count === 1 ? '1 agent entry' : `${count} agent entries`;
}
