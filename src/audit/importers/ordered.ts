import type { Decider, Decision, Fallback, PolicyRule } from '../model.js';

/**
 * A first-match list in which a rule the audit cannot fully evaluate still says what it would do if it matched.
 * model.ts's firstMatch makes every packet such a rule could touch undecidable; here the packets are followed past
 * it, and those that the rest of the list gives the same verdict are decided after all (a doubtful deny in front of
 * a deny-all changes nothing). Only the packets on which the outcome really depends stay undecidable.
 */
export interface DoubtfulRule extends PolicyRule {
  /** For a rule with verdict 'undecidable': what it does to the packets it matches. */
  readonly action?: 'allow' | 'deny';
}

/** Nesting beyond this many doubtful rules falls back to plain undecidable (bounds the work on hostile input). */
const maxDepth = 6;

export function firstMatchFollowing(rules: readonly DoubtfulRule[], fallback: Fallback): Decider {
  const from = (start: number, query: Decision['space'], depth: number): Decision[] => {
    const out: Decision[] = [];
    let rest = query;
    for (let j = start; j < rules.length && !rest.isEmpty; j++) {
      const r = rules[j]!;
      const hit = rest.intersect(r.space);
      if (hit.isEmpty) continue;
      rest = rest.subtract(r.space);
      if (r.verdict !== 'undecidable' || r.action === undefined || depth >= maxDepth) {
        out.push(decision(hit, r));
        continue;
      }
      for (const d of from(j + 1, hit, depth + 1)) {
        out.push(d.verdict === r.action ? d : decision(d.space, r));
      }
    }
    if (!rest.isEmpty) out.push({ space: rest, verdict: fallback.verdict, rule: fallback.rule, reason: fallback.reason });
    return out;
  };
  return (query) => from(0, query, 0);
}

function decision(space: Decision['space'], r: PolicyRule): Decision {
  return { space, verdict: r.verdict, rule: r.rule, reason: r.reason, ...(r.flags ? { flags: r.flags } : {}) };
}
