import { audit, type Placed } from '../../src/audit/engine.js';
import type { AuditResult } from '../../src/audit/findings.js';
import { iptablesImporter } from '../../src/audit/importers/iptables.js';
import { nftablesImporter } from '../../src/audit/importers/nftables.js';
import type { Plan } from '../../src/plan/types.js';
import { iptables } from '../../src/targets/linux/iptables.js';
import { nftables } from '../../src/targets/linux/nftables.js';
import type { Lab } from './netns.js';

/** The two Linux formats the audit reads back from the real tools. */
export type LinuxTool = 'nftables' | 'iptables';

/** The export files of one host as the real tools write them: name → text. */
export type Exports = Map<string, string>;

/** Empties every ruleset of a lab host (nft flush also empties the iptables-nft tables). */
export function flushAll(lab: Lab, host: string): void {
  lab.exec(host, 'nft', ['flush', 'ruleset']);
}

/**
 * Loads the rendered ruleset of `target` (a host of the plan) into lab host `into`; with `closeInstall`, then its
 * close-install file as the administrator applies it after installation (when the host has one). Returns whether
 * a close-install file was applied.
 */
export function loadRendered(lab: Lab, into: string, plan: Plan, tool: LinuxTool, target: string, closeInstall = false): boolean {
  // The lab host stands in for the planned host alone: its ruleset must be the whole policy (drop-unplanned).
  const options = { host: target, linuxPolicy: 'drop-unplanned' } as const;
  if (tool === 'nftables') {
    const files = nftables.render(plan, options);
    const file = files.find((f) => f.path === `${target}.nft`);
    if (!file) throw new Error(`no nftables ruleset rendered for ${target}`);
    lab.exec(into, 'nft', ['-f', '-'], file.content);
    const close = files.find((f) => f.path === `${target}.close-install.nft`);
    if (closeInstall && close) lab.exec(into, 'nft', ['-f', '-'], close.content);
    return closeInstall && close !== undefined;
  }
  const files = iptables.render(plan, options);
  const closing = closeInstall && files.some((f) => f.path === `${target}.close-install.rules`);
  for (const [ext, cmd] of [['rules', 'iptables-restore'], ['rules6', 'ip6tables-restore']] as const) {
    const file = files.find((f) => f.path === `${target}.${closing ? 'close-install.' : ''}${ext}`);
    if (!file) throw new Error(`no ${ext} rendered for ${target}`);
    lab.exec(into, cmd, [], file.content);
  }
  return closing;
}

/** What the administrator would copy off the host: `nft -j list ruleset`, or iptables-save and ip6tables-save. */
export function exportRules(lab: Lab, host: string, tool: LinuxTool, name: string): Exports {
  if (tool === 'nftables') return new Map([[`${name}.json`, lab.exec(host, 'nft', ['-j', 'list', 'ruleset'])]]);
  return new Map([
    [`${name}.rules`, lab.exec(host, 'iptables-save', [])],
    [`${name}.rules6`, lab.exec(host, 'ip6tables-save', [])],
  ]);
}

/** Audits exports of one host with the importers and the engine, as the CLI does. */
export function auditExports(plan: Plan, host: string, exports: Exports, phase: 'install' | 'operate'): AuditResult {
  const placed: Placed[] = [];
  for (const [name, text] of exports) {
    const importer = name.endsWith('.json') ? nftablesImporter : iptablesImporter;
    for (const model of importer.parse(text, name, { host })) placed.push({ model, scope: { kind: 'host', host } });
  }
  return audit(plan, placed, { phase });
}

/** The 1-based line of the first line of `text` containing every fragment. */
export function lineOf(text: string, ...fragments: string[]): number {
  const index = text.split('\n').findIndex((l) => fragments.every((f) => l.includes(f)));
  if (index === -1) throw new Error(`no line with ${fragments.join(' & ')}`);
  return index + 1;
}
