/** Code-point order: the same on every machine and locale, so outputs are byte-identical. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `2016-08#3` before `2016-08#13`: revision, then row number. */
export function compareRowIds(a: string, b: string): number {
  if (a === b) return 0;
  const ia = a.indexOf('#');
  const ib = b.indexOf('#');
  // Without a '#', the whole id is the revision and the number is 0 (as split('#') read it).
  const ra = ia < 0 ? a : a.slice(0, ia);
  const rb = ib < 0 ? b : b.slice(0, ib);
  return compareText(ra, rb) || rowNumber(a, ia) - rowNumber(b, ib);
}

/** The number after the first '#' up to any second one (`2016-08#3` → 3; `x#a` → NaN, as Number() reads it). */
function rowNumber(id: string, hash: number): number {
  if (hash < 0) return 0;
  const next = id.indexOf('#', hash + 1);
  return Number(next < 0 ? id.slice(hash + 1) : id.slice(hash + 1, next));
}
