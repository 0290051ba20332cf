import type { Family } from '../net/address.js';
import type { AddressSet } from '../net/address-set.js';
import { PacketSet } from './space.js';

/** Where a rule is: the export file as given, its 1-based line, and the rule's text (one line, trimmed). */
export interface RuleRef {
  readonly export: string;
  readonly line: number;
  /** 1-based column where the rule starts, when a line holds more than one (compact JSON prints a ruleset on one line). */
  readonly column?: number;
  readonly text: string;
}

export type Verdict = 'allow' | 'deny' | 'undecidable';

/** What a firewall does with a set of packets, and why. */
export interface Decision {
  /** The packets this decision covers; the decisions of one `decide` call are disjoint and cover the query exactly. */
  readonly space: PacketSet;
  readonly verdict: Verdict;
  /** The deciding rule; null when a default decided (policy, DefaultInboundAction, implicit deny), named in `reason`. */
  readonly rule: RuleRef | null;
  /** Why: "a block rule overrides allows", "chain INPUT policy DROP", "expression 'osf' not understood". */
  readonly reason: string;
  /** Extra facts about the deciding rule, e.g. 'program-scoped' (a Windows rule limited to a program still opens the port). */
  readonly flags?: readonly string[];
}

export type WarningKind = 'shadowed' | 'redundant';

export interface ModelWarning {
  readonly kind: WarningKind;
  readonly rule: RuleRef;
  readonly message: string;
}

export type Platform = 'windows' | 'nftables' | 'iptables' | 'firewalld' | 'aws' | 'azure';

/**
 * One firewall as the audit sees it. Evaluation is asked per query (the packets of one planned flow, or of one port
 * checked for over-permissiveness) rather than materialised over all packets: first-match lists of 10,000 rules
 * fragment the whole space badly, while the part of them a query touches stays small.
 */
export interface FirewallModel {
  readonly platform: Platform;
  /** The export file name as given on the command line. */
  readonly export: string;
  /** Host exports: the host they belong to (from --host or the file name `<host>.<ext>`); set by the CLI when absent. */
  readonly host?: string;
  /** Cloud exports: the addresses this model governs (an ENI's / NIC's addresses). Host exports leave it unset. */
  readonly protects?: AddressSet;
  /** The families the export speaks for (iptables-save is IPv4 only; ip6tables-save IPv6 only). */
  readonly families: readonly Family[];
  /**
   * Which hook the rules filter: 'input' (packets to this host) or 'forward' (packets through it, a zone firewall).
   * Cloud and Windows models are 'input' for the addresses they protect.
   */
  readonly hooks: readonly ('input' | 'forward')[];
  /** The decisions for exactly the packets of `query` and the given hook, disjoint. */
  decide(query: PacketSet, hook?: 'input' | 'forward'): Decision[];
  readonly warnings: readonly ModelWarning[];
}

export interface ImportOptions {
  /** --host: the host a host export belongs to. */
  readonly host?: string;
  /** Azure: the VirtualNetwork service tag's addresses, from --vnet or `az network vnet show`. */
  readonly vnet?: AddressSet;
}

export interface Importer {
  /** The --input-format value: windows-json | netsh | nftables | iptables | firewalld | aws | azure. */
  readonly name: string;
  /** One line for `scomfw audit --help`. */
  readonly description: string;
  /** True when the text is this format (from its content; the file name only as a tie-breaker). */
  detect(text: string, fileName: string): boolean;
  /**
   * The models in the export. Bad input: throw a positioned UserError (file:line:column, what was expected, a hint).
   * What is read but not understood becomes `undecidable` decisions with the line, never allow or deny.
   */
  parse(text: string, fileName: string, options: ImportOptions): FirewallModel[];
  /**
   * Formats that come in several files which only together describe a firewall (security groups with network
   * interfaces; firewalld zones with firewalld.conf) read all their files at once; the CLI prefers this when present.
   */
  parseAll?(files: readonly ExportFile[], options: ImportOptions): FirewallModel[];
}

/** One export file's text and the name it was given by. */
export interface ExportFile {
  readonly text: string;
  readonly fileName: string;
}

// ---------------------------------------------------------------------------------------------------------------
// Building blocks the importers share: one first-match evaluator and the conjunction of independent filters.

/** One entry of an ordered first-match list. */
export interface PolicyRule {
  readonly space: PacketSet;
  readonly verdict: Verdict;
  readonly rule: RuleRef | null;
  readonly reason: string;
  readonly flags?: readonly string[];
}

/** What decides when no rule matched: a policy or a default (rule null), or a rule that stands for one. */
export interface Fallback {
  readonly verdict: Verdict;
  readonly rule: RuleRef | null;
  readonly reason: string;
}

export type Decider = (query: PacketSet) => Decision[];

/**
 * The first rule whose space holds a packet decides it; packets no rule holds fall to `fallback`. Windows (blocks
 * listed before allows), AWS (allows, then deny), Azure (by priority) and flattened iptables chains all fit this.
 */
export function firstMatch(rules: readonly PolicyRule[], fallback: Fallback): Decider {
  return (query) => {
    const out: Decision[] = [];
    let rest = query;
    for (const r of rules) {
      if (rest.isEmpty) break;
      const hit = rest.intersect(r.space);
      if (hit.isEmpty) continue;
      out.push(decisionOf(hit, r));
      rest = rest.subtract(r.space);
    }
    if (!rest.isEmpty) out.push({ space: rest, verdict: fallback.verdict, rule: fallback.rule, reason: fallback.reason });
    return out;
  };
}

function decisionOf(space: PacketSet, r: PolicyRule): Decision {
  return r.flags ? { space, verdict: r.verdict, rule: r.rule, reason: r.reason, flags: r.flags } : { space, verdict: r.verdict, rule: r.rule, reason: r.reason };
}

/**
 * Filters a packet passes in turn, each of which may drop it (nftables base chains by priority; a host firewall
 * behind a zone firewall). A deny anywhere is final; otherwise an undecidable part stays undecidable; a packet every
 * filter accepts is allowed, credited to the last filter's accepting decision (the one that let it through at last).
 */
export function allMustAllow(parts: readonly Decider[]): Decider {
  return (query) => {
    if (parts.length === 0) return [];
    if (parts.length === 1) return parts[0]!(query);
    const final: Decision[] = [];
    let open = query; // packets no filter has denied yet
    let undecided: Decision[] = [];
    let allowed: Decision[] = [];
    for (const part of parts) {
      const pending = [...undecided, ...allowed];
      undecided = [];
      allowed = [];
      if (open.isEmpty) break;
      for (const d of part(open)) {
        if (d.verdict === 'deny') {
          final.push(d);
          continue;
        }
        // A packet undecided earlier stays undecided unless this filter denies it (pushed above).
        for (const p of pending) {
          const both = p.space.intersect(d.space);
          if (both.isEmpty) continue;
          if (p.verdict === 'undecidable') undecided.push({ ...p, space: both });
          else if (d.verdict === 'undecidable') undecided.push({ ...d, space: both });
          else allowed.push({ ...d, space: both, rule: d.rule ?? p.rule, reason: d.rule ? d.reason : p.rule ? p.reason : d.reason });
        }
        if (pending.length === 0) (d.verdict === 'undecidable' ? undecided : allowed).push(d);
      }
      open = PacketSet.unionAll([...undecided, ...allowed].map((d) => d.space));
    }
    return [...final, ...undecided, ...allowed];
  };
}

/** Lists longer than this are checked for shadowed rules only: the redundancy check costs one evaluation per rule. */
export const redundancyCheckLimit = 1500;

/**
 * Warnings for the rules whose `isNamed` is true (scomfw's own, by name or comment): shadowed when earlier rules
 * take every packet it could match; redundant when every packet it takes would get the same verdict without it
 * (for lists of at most `redundancyCheckLimit` rules). The earlier rules are kept as one growing union, so the
 * shadowing check of a long list is one subtraction per rule, not one per pair.
 */
export function firstMatchWarnings(rules: readonly PolicyRule[], fallback: Fallback, isNamed: (r: PolicyRule) => boolean): ModelWarning[] {
  const out: ModelWarning[] = [];
  let earlier = PacketSet.empty;
  rules.forEach((r, k) => {
    const named = r.rule && isNamed(r) && !r.space.isEmpty;
    const reach = named ? r.space.subtract(earlier) : PacketSet.empty;
    earlier = earlier.union(r.space);
    if (!named || !r.rule) return;
    if (reach.isEmpty) {
      out.push({ kind: 'shadowed', rule: r.rule, message: 'earlier rules match every packet this rule could match, so it never decides' });
      return;
    }
    if (rules.length > redundancyCheckLimit) return;
    const without = firstMatch(rules.slice(k + 1), fallback)(reach);
    if (without.every((d) => d.verdict === r.verdict)) {
      const by = without.find((d) => d.rule)?.rule;
      out.push({
        kind: 'redundant',
        rule: r.rule,
        message: `every packet this rule decides would get the same verdict (${r.verdict}) without it${by ? `, from line ${by.line}` : ` (${fallback.reason})`}`,
      });
    }
  });
  return out;
}

/** A one-line rule text for RuleRef: trimmed, at most 200 characters. */
export function ruleText(text: string): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > 200 ? `${t.slice(0, 197)}...` : t;
}
