import type { LinuxPolicy } from '../catalog/roles.js';
import type { Plan } from '../plan/types.js';

export interface RenderOptions {
  /** Write only for this host (or zone pair, for network-firewall shapes). */
  readonly host?: string;
  /** Extra management access to keep open on Linux host rulesets, as `tcp/22@10.0.0.0/24` entries. */
  readonly keep?: readonly string[];
  /**
   * nftables/iptables host rulesets: `open-only` adds the planned openings and leaves the host's own policy to judge
   * the rest; `drop-unplanned` drops every new inbound connection not planned. Default per host: see linuxPolicyOf.
   */
  readonly linuxPolicy?: LinuxPolicy;
  /** Windows firewall profile(s) for the rules; default Any. */
  readonly profile?: string;
  /** Windows policy store (a GPO such as `contoso.com\SCOM Firewall`); default the local persistent store. */
  readonly policyStore?: string;
}

export { linuxPolicies, type LinuxPolicy } from '../catalog/roles.js';

/** The name of one render option, as `RenderOptions` spells it. */
export type RenderOptionName = keyof RenderOptions;

/** One output file; `path` is relative to the output directory. */
export interface RenderedFile {
  readonly path: string;
  readonly content: string;
}

/** One output platform. A target reads the plan and nothing else, and does no I/O. */
export interface Target {
  readonly name: string;
  /** One line for `scomfw render --help`. */
  readonly summary: string;
  /** The options this target reads; the registry refuses the others instead of ignoring them. */
  readonly options: readonly RenderOptionName[];
  render(plan: Plan, options: RenderOptions): RenderedFile[];
}
