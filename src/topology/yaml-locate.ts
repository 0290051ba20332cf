import { isMap, isScalar, type Document, type LineCounter, type Node } from 'yaml';
import type { Position } from './errors.js';
import { locateWith, type Find, type Found, type Locate } from './locate.js';
import type { Path } from './problem.js';

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

