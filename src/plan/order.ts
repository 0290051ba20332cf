/** Code-point order: the same on every machine and locale, so outputs are byte-identical. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `2016-08#3` before `2016-08#13`: revision, then row number. */
export function compareRowIds(a: string, b: string): number {
  const [ra = '', na = '0'] = a.split('#');
  const [rb = '', nb = '0'] = b.split('#');
  return compareText(ra, rb) || Number(na) - Number(nb);
}
