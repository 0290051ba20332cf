/**
 * "Did you mean …?" for misspelt keys, roles, enum values and host names: the closest candidate by
 * edit distance (adjacent swaps count as one edit), compared case-insensitively.
 */

/** The closest candidate, or undefined when none is near enough to be a likely typo. */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const target = word.toLowerCase();
  const limit = Math.max(1, Math.min(3, Math.floor(target.length / 3)));
  let best: string | undefined;
  let bestDistance = limit + 1;
  for (const candidate of candidates) {
    const lower = candidate.toLowerCase();
    if (Math.abs(lower.length - target.length) >= bestDistance) continue;
    const distance = lower === target ? 0 : editDistance(target, lower, bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best;
}

/** `did you mean X?` or undefined. */
export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const match = closestMatch(word, candidates);
  return match === undefined ? undefined : `did you mean ${match}?`;
}

/**
 * Optimal string alignment distance; stops early and returns `bound` once every path exceeds it,
 * so scanning many candidates costs little more than their lengths.
 */
function editDistance(a: string, b: string, bound: number): number {
  const cell = (row: readonly number[], j: number): number => row[j] ?? bound;
  let beforePrevious: number[] = [];
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const swapped = i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1];
      current.push(Math.min(cell(previous, j) + 1, cell(current, j - 1) + 1, cell(previous, j - 1) + cost, swapped ? cell(beforePrevious, j - 2) + 1 : bound));
    }
    if (Math.min(...current) >= bound) return bound;
    beforePrevious = previous;
    previous = current;
  }
  return Math.min(cell(previous, b.length), bound);
}
