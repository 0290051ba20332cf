import { roleLabels, type Role } from '../../catalog/roles.js';
import type { FlowPhase } from '../../catalog/types.js';
import { describePortList, type PortRange, type Protocol } from '../../net/port.js';
import { compareRowIds, compareText } from '../../plan/order.js';
import type { Flow } from '../../plan/types.js';
import { fitted, sanitized, type NameRule } from './names.js';
import { plural, summarizeNames } from '../../text/names.js';

/** More source names than this would not fit any cloud's description anyway. */
const maxNames = 3;

/**
 * A rule's description: who talks to whom and why, e.g.
 * `agent, ACS forwarder to management server (TCP 5723) from corp-servers [2024-11#16]`, with `install only`
 * for rules setup alone needs. Source names are shortened to fit the cloud's limit; the rows never are.
 */
export function ruleDescription(flows: readonly Flow[], protocol: Protocol, spans: readonly PortRange[], phase: FlowPhase, rule: NameRule): string {
  const names = [...new Set(flows.map((f) => f.source.name))].sort(compareText);
  const rows = [...new Set(flows.flatMap((f) => f.rows))].sort(compareRowIds);
  const label = `${rolesText(flows.flatMap((f) => f.sourceRoles))} to ${rolesText(flows.flatMap((f) => f.destinationRoles))} (${describePortList(protocol, spans)})`;
  const tail = `[${rows.join(' ')}]${phase === 'install' ? ' install only' : ''}`;
  for (let shown = Math.min(names.length, maxNames); shown >= 0; shown--) {
    const text = sanitized(`${label} from ${sourcesText(names, shown)} ${tail}`, rule);
    if (text.length <= rule.max) return text;
  }
  return fitted(`${label} ${tail}`, rule);
}

/** `a, b and 3 more`, or `5 sources` when no name is shown. */
function sourcesText(names: readonly string[], shown: number): string {
  return shown === 0 ? plural(names.length, 'source') : summarizeNames(names, shown);
}

function rolesText(list: readonly Role[]): string {
  return [...new Set(list)]
    .sort(compareText)
    .map((r) => roleLabels[r] ?? r)
    .join(', ');
}
