import { isMap, isScalar, type Document, type LineCounter, type Node } from 'yaml';
import { UserError, type Position } from './errors.js';
import { scanJson, type JsonNodeOffsets } from './json-scan.js';
import type { Path, Problem } from './problem.js';

/** Gives problems their positions in the source; built only when a file is refused. */
export type Locate = (problems: readonly Problem[]) => UserError[];

/** Where a path leads: the node's offsets, or the nearest ancestor's when the node does not exist. */
interface Found {
  readonly offsets: JsonNodeOffsets;
  readonly exact: boolean;
  /** The offset of a character of the value, when the source spells the value out plainly. */
  charOffset(index: number): number | undefined;
}

type Find = (path: Path) => Found | undefined;

function locateWith(find: Find, at: (offset: number) => Position): Locate {
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

/** Positions from the `yaml` document: every node keeps its offsets, keys included. */
export function yamlLocator(doc: Document, lines: LineCounter, text: string, file: string): Locate {
  const at = (offset: number): Position => {
    const { line, col } = lines.linePos(Math.max(0, Math.min(offset, text.length)));
    return { file, line: Math.max(1, line), column: Math.max(1, col) };
  };
  const find: Find = (path) => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
      if (isNode(node)) return yamlFound(node, depth === path.length ? keyNodeOf(doc, path) : undefined, depth === path.length, text);
    }
    return undefined;
  };
  return locateWith(find, at);
}

function yamlFound(node: Node, key: Node | undefined, exact: boolean, text: string): Found {
  const value = node.range?.[0] ?? 0;
  return {
    offsets: key?.range ? { value, key: key.range[0] } : { value },
    exact,
    charOffset: (index) => {
      if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return undefined;
      const source = text.slice(node.range[0], node.range[1]);
      if (source === node.value) return value + index;
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
      return quoted && source.slice(1, -1) === node.value ? value + 1 + index : undefined;
    },
  };
}

function keyNodeOf(doc: Document, path: Path): Node | undefined {
  if (path.length === 0) return undefined;
  const parent = path.length === 1 ? doc.contents : doc.getIn(path.slice(0, -1), true);
  if (!isMap(parent)) return undefined;
  const name = String(path[path.length - 1]);
  const pair = parent.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === name);
  return isNode(pair?.key) ? pair.key : undefined;
}

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && 'range' in value && Array.isArray((value as Node).range);
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
