import { firstMatchWarnings, type Decider, type Decision, type ModelWarning, type PolicyRule, type RuleRef } from '../model.js';
import { PacketSet } from '../space.js';

/**
 * What nftables and iptables share: rules whose condition is known to match some packets and may match others
 * (`unknown`, where an expression is not understood), and chains evaluated in order with accept, drop, return,
 * jump and goto. One base chain is one filter on the packet's path; an accept ends only that chain.
 */
export interface Cond {
  readonly match: PacketSet;
  readonly unknown: PacketSet;
  readonly why?: string;
}

export const yes: Cond = { match: PacketSet.all, unknown: PacketSet.empty };
export const no: Cond = { match: PacketSet.empty, unknown: PacketSet.empty };
export const unknownWithin = (scope: PacketSet, why: string): Cond => ({ match: PacketSet.empty, unknown: scope, why });
export const exactly = (match: PacketSet): Cond => ({ match, unknown: PacketSet.empty });

/** Both conditions: known where both are known to match; unknown where both may match but not both surely do. */
export function and(a: Cond, b: Cond): Cond {
  if (a === yes) return b;
  if (b === yes) return a;
  const match = a.match.intersect(b.match);
  const maybe = a.unknown.isEmpty && b.unknown.isEmpty ? match : a.match.union(a.unknown).intersect(b.match.union(b.unknown));
  const unknown = maybe.subtract(match);
  const why = unknown.isEmpty ? undefined : (a.unknown.isEmpty ? b.why : a.why) ?? b.why;
  return why ? { match, unknown, why } : { match, unknown };
}

export function not(c: Cond): Cond {
  return { match: PacketSet.all.subtract(c.match.union(c.unknown)), unknown: c.unknown, ...(c.why ? { why: c.why } : {}) };
}

export function or(a: Cond, b: Cond): Cond {
  const match = a.match.union(b.match);
  const unknown = a.unknown.union(b.unknown).subtract(match);
  const why = a.why ?? b.why;
  return why && !unknown.isEmpty ? { match, unknown, why } : { match, unknown };
}

export type Action = { readonly kind: 'accept' | 'drop' | 'return' | 'continue' } | { readonly kind: 'jump' | 'goto'; readonly target: string };

export interface ChainRule {
  readonly cond: Cond;
  readonly action: Action;
  readonly ref: RuleRef;
}

export interface ChainDef {
  /** How reasons name the chain: `inet scomfw input`, `filter INPUT`. */
  readonly label: string;
  /** The chain's declaration, where its policy is written. */
  readonly ref: RuleRef;
  /** Base chains: what happens to packets that reach the end. */
  readonly policy?: 'accept' | 'drop';
  /** The packets the chain sees at all (its table's families); others pass it untouched. */
  readonly universe: PacketSet;
  /** nftables netdev chains are bound to one device: their drops cannot be placed. */
  readonly device?: string;
  readonly rules: readonly ChainRule[];
}

const maxJumpDepth = 16;

/** One base chain as a filter on the packet's path. */
export function chainDecider(chain: ChainDef, lookup: (target: string) => ChainDef): Decider {
  return (query) => {
    const seen = query.intersect(chain.universe);
    const out: Decision[] = [];
    const unseen = query.subtract(chain.universe);
    if (!unseen.isEmpty) out.push({ space: unseen, verdict: 'allow', rule: null, reason: `${chain.label} does not see this family` });
    if (seen.isEmpty) return out;
    const run = runChain(chain, seen, lookup, 0);
    out.push(...run.decided);
    if (!run.fallthrough.isEmpty) {
      out.push({ space: run.fallthrough, verdict: chain.policy === 'drop' ? 'deny' : 'allow', rule: chain.ref, reason: `policy ${chain.policy ?? 'accept'} of chain ${chain.label}` });
    }
    if (!chain.device) return out;
    return out.map((d) =>
      d.verdict === 'deny' ? { ...d, verdict: 'undecidable' as const, reason: `${d.reason}, but only on device ${chain.device}, and the audit does not know which device a packet arrives on` } : d,
    );
  };
}

/** The decisions a chain reaches for `query`, and the packets that fall off its end or return from it. */
export function runChain(chain: ChainDef, query: PacketSet, lookup: (target: string) => ChainDef, depth: number): { decided: Decision[]; fallthrough: PacketSet } {
  const decided: Decision[] = [];
  if (depth > maxJumpDepth) {
    return { decided: [{ space: query, verdict: 'undecidable', rule: chain.ref, reason: `jumps nest deeper than ${maxJumpDepth} chains (the kernel refuses such rulesets)` }], fallthrough: PacketSet.empty };
  }
  let rest = query;
  let fallthrough = PacketSet.empty;
  for (const rule of chain.rules) {
    if (rest.isEmpty) break;
    const unknown = rule.cond.unknown.isEmpty ? PacketSet.empty : rest.intersect(rule.cond.unknown);
    if (!unknown.isEmpty) {
      decided.push({ space: unknown, verdict: 'undecidable', rule: rule.ref, reason: rule.cond.why ?? 'not understood' });
      rest = rest.subtract(unknown);
    }
    if (rule.action.kind === 'continue') continue;
    const hit = rest.intersect(rule.cond.match);
    if (hit.isEmpty) continue;
    rest = rest.subtract(hit);
    switch (rule.action.kind) {
      case 'accept':
        decided.push({ space: hit, verdict: 'allow', rule: rule.ref, reason: `accepted in chain ${chain.label}` });
        break;
      case 'drop':
        decided.push({ space: hit, verdict: 'deny', rule: rule.ref, reason: `dropped in chain ${chain.label}; a drop is final` });
        break;
      case 'return':
        fallthrough = fallthrough.union(hit);
        break;
      case 'jump':
      case 'goto': {
        const inner = runChain(lookup(rule.action.target), hit, lookup, depth + 1);
        decided.push(...inner.decided);
        if (rule.action.kind === 'jump') rest = rest.union(inner.fallthrough);
        else fallthrough = fallthrough.union(inner.fallthrough);
        break;
      }
    }
  }
  return { decided, fallthrough: fallthrough.union(rest) };
}

/**
 * Shadowed and redundant rules of one chain, among the rules before its first jump (what a jump's callee does is
 * not a first-match fact). Rules that decide nothing for new connections (ct state established) are left out.
 */
export function chainWarnings(chain: ChainDef, isOwn: (rule: ChainRule) => boolean): ModelWarning[] {
  const firstJump = chain.rules.findIndex((r) => r.action.kind === 'jump' || r.action.kind === 'goto');
  const before = (firstJump === -1 ? chain.rules : chain.rules.slice(0, firstJump)).filter((r) => r.action.kind !== 'continue');
  const own = new Set(before.filter(isOwn));
  const rules: (PolicyRule & { own: boolean })[] = before.map((r) => ({
    space: r.cond.match,
    verdict: r.action.kind === 'accept' ? 'allow' : r.action.kind === 'drop' ? 'deny' : 'undecidable',
    rule: r.ref,
    reason: r.action.kind,
    own: own.has(r) && r.action.kind !== 'return',
  }));
  const closed = firstJump === -1 && chain.policy !== undefined;
  const fallback = { verdict: closed ? (chain.policy === 'drop' ? 'deny' : 'allow') : 'undecidable', rule: chain.ref, reason: `policy of chain ${chain.label}` } as const;
  return firstMatchWarnings(rules, fallback, (r) => (r as PolicyRule & { own: boolean }).own);
}
