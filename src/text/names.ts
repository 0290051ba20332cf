/** `a, b, c` or `a, b and 7 more`: a list of names that stays short however long it grows. */
export function summarizeNames(names: readonly string[], max: number, separator = ', '): string {
  if (names.length <= max) return names.join(separator);
  return `${names.slice(0, max).join(separator)} and ${names.length - max} more`;
}

/** `1 rule`, `5 rules`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
