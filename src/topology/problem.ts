import { shown } from './text.js';

/** A path into the parsed file: keys and list indexes, as zod reports them and `yaml` looks them up. */
export type Path = readonly (string | number)[];

/**
 * One problem found in the parsed value, before it has a position: the loader locates problems in
 * the source only when the file is refused, so a valid file never pays for positions.
 */
export interface Problem {
  readonly path: Path;
  readonly message: string;
  readonly hint: string;
  /** Point at the key of the path's last element rather than at its value (unknown or misplaced keys). */
  readonly atKey?: boolean;
  /** Index of the offending character inside the string value, when one character is to blame. */
  readonly charIndex?: number;
  /** The earlier node this one clashes with (a duplicate name); the hint gets its line. */
  readonly firstAt?: Path;
}

type Where = Partial<Pick<Problem, 'atKey' | 'charIndex' | 'firstAt'>>;

/** `hosts[2].roles[0]: expected …, found …`: the one sentence every loader error is made of. */
export function problem(path: Path, expected: string, found: string, hint: string, where: Where = {}): Problem {
  return { path, message: `${pathText(path)}: expected ${expected}, found ${found}`, hint, ...where };
}

/** `hosts[2].roles[0]`, or `the file` for the top; keys the user made up are quoted and escaped. */
export function pathText(path: Path): string {
  if (path.length === 0) return 'the file';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : !/^[\w$-]+$/.test(p) ? `[${shown(p)}]` : i === 0 ? p : `.${p}`)).join('');
}
