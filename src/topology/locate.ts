import { UserError, type Position } from './errors.js';
import { scanJson, type JsonNodeOffsets } from './json-scan.js';
import type { Path, Problem } from './problem.js';

/*
 * Positions of problems in a JSON source. YAML's positions come from the `yaml` document (yaml-locate.ts), kept
 * apart so that a command reading JSON by the fast lane never loads the `yaml` package.
 */

/** Gives problems their positions in the source; built only when a file is refused. */
export type Locate = (problems: readonly Problem[]) => UserError[];

/** Where a path leads: the node's offsets, or the nearest ancestor's when the node does not exist. */
export interface Found {
  readonly offsets: JsonNodeOffsets;
  readonly exact: boolean;
  /** The offset of a character of the value, when the source spells the value out plainly. */
  charOffset(index: number): number | undefined;
}

export type Find = (path: Path) => Found | undefined;

export function locateWith(find: Find, at: (offset: number) => Position): Locate {
  return (problems) =>
    problems.map((p) => {
      const found = find(p.path);
      const offset = !found ? 0 : p.atKey && found.exact && found.offsets.key !== undefined ? found.offsets.key : (pointInside(found, p) ?? found.offsets.value);
      const first = p.firstAt ? find(p.firstAt) : undefined;
      const hint = first?.exact ? `${p.hint}; the first is on line ${at(first.offsets.value).line}` : p.hint;
      return new UserError(p.message, at(offset), hint);
    });
}

function pointInside(found: Found, p: Problem): number | undefined {
  return found.exact && p.charIndex !== undefined ? found.charOffset(p.charIndex) : undefined;
}

/**
 * Positions from one scan of the JSON text, recording only the nodes the problems lead to (and their
 * ancestors), so locating a few problems in a huge file stays a single linear pass.
 */
export function jsonLocator(text: string, file: string): Locate {
  return (problems) => {
    const wanted = new Set(problems.flatMap((p) => [...prefixesOf(p.path), ...(p.firstAt ? prefixesOf(p.firstAt) : [])]));
    const offsets = new Map<string, JsonNodeOffsets>();
    scanJson(text, (path, node) => {
      const id = JSON.stringify(path);
      if (!wanted.has(id)) return false;
      offsets.set(id, node);
      return true;
    });
    const find: Find = (path) => {
      for (let depth = path.length; depth >= 0; depth--) {
        const node = offsets.get(JSON.stringify(path.slice(0, depth)));
        if (node) return jsonFound(node, depth === path.length, text);
      }
      return undefined;
    };
    return locateWith(find, offsetToPosition(text, file))(problems);
  };
}

function prefixesOf(path: Path): string[] {
  return Array.from({ length: path.length + 1 }, (_, depth) => JSON.stringify(path.slice(0, depth)));
}

function jsonFound(offsets: JsonNodeOffsets, exact: boolean, text: string): Found {
  return {
    offsets,
    exact,
    // Without an escape before the character, the index in the value is the index in the source.
    charOffset: (index) => {
      if (text[offsets.value] !== '"') return undefined;
      const before = text.slice(offsets.value + 1, offsets.value + 2 + index);
      return /["\\]/.test(before) ? undefined : offsets.value + 1 + index;
    },
  };
}

/** Line and column (1-based, UTF-16 units like `yaml`'s LineCounter) of offsets in a text. */
export function offsetToPosition(text: string, file: string): (offset: number) => Position {
  const starts = [0];
  for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] ?? 0) <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { file, line: lo + 1, column: offset - (starts[lo] ?? 0) + 1 };
  };
}
