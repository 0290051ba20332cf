import type * as z from 'zod';
import { problemsFromIssues } from './issues.js';
import type { Path, Problem } from './problem.js';

/** A mapping read key by key: the keys that passed, the raw input, and the keys that did not pass. */
export interface Parsed<T> {
  readonly value: Partial<T>;
  readonly raw: Readonly<Record<string, unknown>>;
  /** Keys that were present but invalid: checks that need them are skipped, so one mistake is reported once. */
  readonly broken: ReadonlySet<string>;
}

const nothingBroken: ReadonlySet<string> = new Set();

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export interface LenientOptions {
  /**
   * Keep the input itself when it passes. Only for schemas without defaults or transforms, whose output
   * equals their input: zod's output is then a copy, and keeping 150,000 copies alive costs more
   * (in garbage collection) than validating them did.
   */
  readonly keepInput?: boolean;
  /**
   * A quick check that says yes only to input the schema plainly accepts (with keepInput); anything else goes to
   * the schema, which decides and words the problems.
   */
  readonly plainlyValid?: (raw: unknown) => boolean;
}

/**
 * Validates a mapping against an object schema, recording every issue as a problem. A valid mapping
 * costs one schema call; an invalid one still yields its valid keys, so that the loader can go on to
 * check the rest and report all problems in one run. Undefined when the input is not a mapping.
 */
export function parseLeniently<S extends z.ZodObject>(schema: S, raw: Record<string, unknown>, path: Path, problems: Problem[], options?: LenientOptions): Parsed<z.output<S>>;
export function parseLeniently<S extends z.ZodObject>(schema: S, raw: unknown, path: Path, problems: Problem[], options?: LenientOptions): Parsed<z.output<S>> | undefined;
export function parseLeniently<S extends z.ZodObject>(schema: S, raw: unknown, path: Path, problems: Problem[], options: LenientOptions = {}): Parsed<z.output<S>> | undefined {
  if (options.keepInput && options.plainlyValid?.(raw)) return { value: raw as z.output<S>, raw: raw as Record<string, unknown>, broken: nothingBroken };
  // No reportInput: it makes every parse several times slower; problemsFromIssues looks inputs up by path.
  const result = schema.safeParse(raw);
  if (result.success) {
    const value = options.keepInput ? (raw as z.output<S>) : result.data;
    return { value, raw: raw as Record<string, unknown>, broken: nothingBroken };
  }
  problems.push(...problemsFromIssues(result.error.issues, raw, path));
  if (!isMapping(raw)) return undefined;
  const broken = new Set(result.error.issues.flatMap((issue) => (typeof issue.path[0] === 'string' ? [issue.path[0]] : [])));
  const value: Record<string, unknown> = {};
  for (const [key, field] of Object.entries<z.ZodType>(schema.shape)) {
    if (broken.has(key)) continue;
    const one = field.safeParse(raw[key]);
    if (one.success && one.data !== undefined) value[key] = one.data;
  }
  return { value: value as Partial<z.output<S>>, raw, broken };
}
