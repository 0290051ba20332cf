/**
 * Hosts alike: what a target may write once for many hosts. A management group lists up to 15,000 agents one by
 * one (inventory exports do), and most of them differ only in name and address. A diagram with a node per agent
 * cannot be read, and a probe script per agent is 15,000 copies of one script. Each target says what "alike" means
 * for what it writes (the same edges in a drawing; the same flows to probe); this file holds the rule they share.
 */

/** At least this many hosts alike are written once; fewer are written one by one, as every host was before. */
export const alikeThreshold = 10;

/**
 * The groups of at least `alikeThreshold` items whose keys are equal, each in the items' order, the groups in the
 * order of their first items. An item whose key is undefined is never grouped.
 */
export function alikeGroups<T>(items: readonly T[], keyOf: (item: T, index: number) => string | undefined): T[][] {
  const byKey = new Map<string, T[]>();
  items.forEach((item, i) => {
    const key = keyOf(item, i);
    if (key === undefined) return;
    const list = byKey.get(key);
    if (list) list.push(item);
    else byKey.set(key, [item]);
  });
  return [...byKey.values()].filter((g) => g.length >= alikeThreshold);
}
