import type { Role } from '../catalog/roles.js';
import type { Phase } from '../catalog/types.js';
import type { PlanPhase } from '../topology/types.js';

/**
 * Maintenance is not installation: the push-install ports come back for every agent repair and update, and SSH to
 * UNIX/Linux agents is how they are upgraded and repaired. The plan and the close-install scripts say so in words.
 * Plain ASCII: these sentences go into Windows scripts.
 */
export const closeInstallReminder =
  'Closing them breaks agent push install, repair and update from the console (Windows agents: RPC/SMB from the primary management server or gateway; UNIX/Linux agents: SSH, which stays open): reapply the full rules before you push, repair or update an agent, then close them again.';

/** What the notes need of a flow (a draft while the plan is built). */
interface FlowFacts {
  readonly destination: { readonly name: string };
  readonly destinationRoles: readonly Role[];
  readonly phase: Phase;
  readonly notes: readonly string[];
}

const pushNote = 'destination install: push';

/** The plan notes on maintenance, for the phase planned; `flows` are every flow, install-only ones included. */
export function maintenanceNotes(phase: PlanPhase, flows: readonly FlowFacts[]): string[] {
  const pushed = [...new Set(flows.filter((f) => f.notes.includes(pushNote)).map((f) => f.destination.name))].sort();
  const otherInstall = flows.some((f) => f.phase === 'install' && !f.notes.includes(pushNote));
  const unix = flows.some((f) => f.destinationRoles.includes('unix-agent'));
  const notes: string[] = [];
  if (pushed.length && phase === 'install') {
    notes.push(`push install ports are needed again for every agent repair and update from the console, not only at installation: keep them open, or reopen them before a repair or update, for: ${list(pushed)}`);
  }
  if (pushed.length && phase === 'operate') {
    notes.push(`phase operate breaks these console actions until the push install ports are reopened: push install from the Discovery Wizard, Repair and Update of agents (Pending Management, Agent Managed), for: ${list(pushed)}`);
  }
  if (otherInstall && phase === 'operate') {
    notes.push('phase operate also leaves out the setup ports (management server to management server 5724, SQL setup checks): installing another management server or reporting server needs them again');
  }
  if (unix) notes.push('SSH to UNIX/Linux agents stays open in every phase: agent upgrade, repair and removal use it, not only installation');
  return notes;
}

function list(names: readonly string[]): string {
  return names.length <= 5 ? names.join(', ') : `${names.slice(0, 5).join(', ')} and ${names.length - 5} more`;
}
