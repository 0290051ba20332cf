import jsYaml from 'js-yaml';
import { isCollection, isMap, isScalar, LineCounter, parseDocument, visit, type Document, type Pair, type YAMLError } from 'yaml';
import { UserError, UserErrors, type Position } from './errors.js';
import { offsetToPosition } from './locate.js';
import { yamlLocator } from './yaml-locate.js';
import type { Source } from './source.js';
import { shown } from './text.js';
import { plural } from '../text/names.js';

/**
 * Reads YAML with node positions. Syntax errors, duplicate keys and unresolved tags (whose values
 * `yaml` would keep while dropping the tag) are thrown as positioned UserErrors.
 */
export function readYaml(text: string, file: string): Source {
  const deep = tooDeepAt(text);
  if (deep !== undefined) {
    const message = `YAML: expected at most ${nestingLimit} levels of nesting (indentation, "- ", "? ", ":" and brackets), found more`;
    throw new UserErrors([new UserError(message, offsetToPosition(text, file)(deep), 'a deployment nests a few levels deep; look for runaway indentation or unclosed brackets')]);
  }
  const fast = fastPlainData(text);
  if (fast === undefined) return readYamlExactly(text, file);
  const exact = () => readYamlExactly(text, file);
  return { value: fast.value, locate: (problems) => exact().locate(problems), exact };
}

/**
 * The data of plain YAML read by js-yaml, about ten times faster than building yaml's document with positions
 * (measured: 150,000 hosts, 2.3 s against 30 s). Only for text without anchors, aliases, tags or complex keys,
 * and only as long as the result validates: a refused file is read again by readYamlExactly, which finds and
 * places its problems, and which also decides when the two parsers disagree. Undefined when not used.
 */
export function fastPlainData(text: string): { value: unknown } | undefined {
  if (needsTheReference(text)) return undefined;
  try {
    return { value: jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA, json: false }) };
  } catch {
    return undefined; // the exact reader says what is wrong, with a position
  }
}

/**
 * Text the fast path leaves to the reference: anchors, aliases and tags (&, *, !), complex keys ("? "), and the
 * number spellings js-yaml reads the YAML 1.1 way (1_000 or ._0 with underscores, 0o17 or 010 as octal, -0 as the
 * integer 0, .inf) where yaml reads them as YAML 1.2 strings or floats, so the fast path never accepts a value the
 * reference would refuse (test/property/yaml-fast-path.property.test.ts). Each pattern is tried alone, and only
 * when the text has the characters it needs: one expression of four alternatives with look-behinds took 0.2 to
 * 0.4 s on 25 MB (150,000 hosts), the guarded parts a tenth of that.
 */
function needsTheReference(text: string): boolean {
  if (text.includes('&') || text.includes('*') || text.includes('!')) return true;
  return referencePatterns.some(({ needs, pattern }) => (needs === undefined || text.includes(needs)) && pattern.test(text));
}

const referencePatterns: readonly { readonly needs?: string; readonly pattern: RegExp }[] = [
  { needs: '?', pattern: /^[ \t-]*\?/m },
  { needs: '_', pattern: /(?<![\w.:+-])[-+]?[\d.:eE_]*_[\d.:eE_]*(?![\w.:+-])/i },
  { pattern: /(?<![\w.:-])[-+]?0[\dxob]/i },
  { pattern: /\.(?:inf|nan)\b/i },
  { needs: '-0', pattern: /(?<![\w.])-0(?![\w:])/i },
];

/** Reads YAML with yaml's document model: node positions, duplicate keys, tags, one document. */
function readYamlExactly(text: string, file: string): Source {
  const lines = new LineCounter();
  // logLevel 'error': no console output from a pure function, but a second document stays an error ('silent' drops it).
  const doc = parseDocument(text, { lineCounter: lines, logLevel: 'error', uniqueKeys: true });
  const syntax = [...doc.errors, ...doc.warnings];
  if (syntax.length > 0) {
    const at = offsetToPosition(text, file);
    throw new UserErrors(syntax.map((e) => syntaxError(e, doc, at, text)));
  }
  const complexKeys = collectionKeys(doc);
  if (complexKeys.length > 0) {
    const at = offsetToPosition(text, file);
    const message = 'YAML: expected a plain key such as "name:", found a list or mapping used as a key';
    throw new UserErrors(complexKeys.map((offset) => new UserError(message, at(offset), 'remove the "?" or the brackets before the ":"')));
  }
  return { value: plainData(doc, text, file), locate: yamlLocator(doc, lines, text, file) };
}

/**
 * Deeper than any deployment needs. `yaml` recurses once or more per level, and input a few thousand levels
 * deep (2 kB of "[") has crashed the whole process, not just thrown; so such text never reaches it.
 */
const nestingLimit = 100;

/**
 * Where the text first nests deeper than the limit, counting indentation, block indicators ("-", "?" or ":" between
 * blanks or line ends) and open brackets. One pass over the characters, no line copies: it runs on every YAML file,
 * 25 MB for 150,000 hosts (test/property/yaml-fast-path.property.test.ts compares it with the line-by-line reading
 * it replaced).
 */
export function tooDeepAt(text: string): number | undefined {
  let flow = 0;
  for (let start = 0; start <= text.length; ) {
    const newline = text.indexOf('\n', start);
    const end = newline < 0 ? text.length : newline;
    let block = 0;
    while (start + block < end && text.charCodeAt(start + block) === 0x20) block++;
    let bracket = -1;
    for (let i = start + block; i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x2d || c === 0x3f || c === 0x3a) {
        if ((i === start || isBlank(text.charCodeAt(i - 1))) && (i + 1 === end || isBlank(text.charCodeAt(i + 1)))) block++;
      } else if (bracket < 0 && (c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d)) bracket = i;
    }
    if (block + flow > nestingLimit) return start;
    for (let i = bracket; i >= 0 && i < end; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x5b || c === 0x7b) {
        if (block + ++flow > nestingLimit) return i;
      } else if ((c === 0x5d || c === 0x7d) && flow > 0) flow--;
    }
    start = end + 1;
  }
  return undefined;
}

const isBlank = (c: number): boolean => c === 0x20 || c === 0x09;

/**
 * Offsets of keys that are lists or mappings (`? [a, b]: x`). No key of the format is one, and turning
 * them into text (as toJS does) takes time exponential in their nesting.
 */
function collectionKeys(doc: Document): number[] {
  const offsets: number[] = [];
  visit(doc, {
    Pair(_, pair) {
      if (isCollection(pair.key)) offsets.push(pair.key.range?.[0] ?? 0);
    },
  });
  return offsets;
}

function plainData(doc: Document, text: string, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // toJS refuses aliases to unknown anchors and alias bombs; point at the first alias.
    let offset = 0;
    visit(doc, {
      Alias(_, node) {
        offset = node.range?.[0] ?? 0;
        return visit.BREAK;
      },
    });
    const message = `YAML: expected aliases (*name) to anchors (&name) defined above them, found ${(e as Error).message}`;
    throw new UserErrors([new UserError(message, offsetToPosition(text, file)(offset), 'define the anchor before the alias, or write the value out')]);
  }
}

const hints: Readonly<Record<string, string>> = {
  TAB_AS_INDENT: 'indent with spaces; YAML does not allow tabs for indentation',
  BAD_INDENT: 'line up the keys of one mapping (and the "-" of one list) in the same column',
  MISSING_CHAR: 'close the quote or bracket that was opened',
  MULTIPLE_DOCS: 'keep one document per file: remove the "---" line and what follows, or merge them',
  BLOCK_AS_IMPLICIT_KEY: 'put a nested mapping on its own lines, indented under its key',
  MULTILINE_IMPLICIT_KEY: 'a key must fit on one line; check for a missing ":" or quote',
  TAG_RESOLVE_FAILED: 'remove the tag (the "!..." before the value)',
  UNEXPECTED_TOKEN: 'check the line for a stray character',
};

function syntaxError(e: YAMLError, doc: Document, at: (offset: number) => Position, text: string): UserError {
  if (e.code === 'DUPLICATE_KEY') return duplicateKeyError(e, doc, at);
  const what = e.code === 'MULTIPLE_DOCS' ? 'expected one document, found a second one after "---"' : (/^[^\n]*/.exec(e.message)?.[0] ?? e.message).replace(/ at line \d+, column \d+:?$/, '');
  const opened = e.code === 'MISSING_CHAR' ? openingQuoteBefore(doc, e.pos[0]) : undefined;
  if (opened !== undefined) return new UserError(`YAML syntax: ${what}`, at(opened), 'close the quote opened here');
  const hint = colonValueHint(text, e.pos[0]) ?? indentationHint(e, text) ?? hints[e.code] ?? 'check the indentation, quotes and brackets near this point';
  return new UserError(`YAML syntax: ${what}`, at(e.pos[0]), hint);
}

/** The line of the text around `offset`, and where it starts. */
function lineAt(text: string, offset: number): { line: string; start: number } {
  const start = text.lastIndexOf('\n', Math.max(0, offset - 1)) + 1;
  const end = text.indexOf('\n', start);
  return { line: text.slice(start, end < 0 ? text.length : end).replace(/\r$/, ''), start };
}

/** `address: 10.0.0.1` followed by a key indented further: YAML reads the second line as part of the value. */
function deeperKeyAfter(text: string, line: string, start: number): string | undefined {
  const m = /^( *)(- +)?[\w$.-]+:\s+\S/.exec(line);
  if (!m) return undefined;
  const keyColumn = (m[1]?.length ?? 0) + (m[2]?.length ?? 0);
  const rest = text.slice(start).split('\n');
  const nextIndex = rest.findIndex((l, i) => i > 0 && l.trim() !== '');
  const next = rest[nextIndex];
  if (next === undefined || !/^ *[\w$.-]+:(\s|$)/.test(next)) return undefined;
  const indent = /^ */.exec(next)?.[0].length ?? 0;
  if (indent <= keyColumn) return undefined;
  const lineNo = text.slice(0, start).split('\n').length + nextIndex;
  return `line ${lineNo} is indented ${indent} spaces, deeper than the key above it: line it up with that key (${keyColumn} spaces)`;
}

/** `address: fd00::` unquoted: YAML reads the value as a mapping inside a mapping; the value wants quotes. */
function colonValueHint(text: string, offset: number): string | undefined {
  const m = /^\s*(?:-\s+)?[\w$.-]+:\s+([^\s"'#[{][^#]*?:)\s*(?:#.*)?$/.exec(lineAt(text, offset).line);
  return m ? `YAML reads a plain value ending in ":" as a mapping; put it in quotes: "${m[1] ?? ''}"` : undefined;
}

/**
 * A key indented differently from the keys above it ("Sequence item without - indicator", "All mapping items must
 * start at the same column"): say which column its siblings start at, instead of a hint about quotes.
 */
function indentationHint(e: YAMLError, text: string): string | undefined {
  if (e.code !== 'MISSING_CHAR' && e.code !== 'BAD_INDENT' && e.code !== 'BLOCK_AS_IMPLICIT_KEY' && e.code !== 'MULTILINE_IMPLICIT_KEY') return undefined;
  const { line, start } = lineAt(text, e.pos[0]);
  const deeper = deeperKeyAfter(text, line, start);
  if (deeper) return deeper;
  if (!/^\s*[\w$.-]+:(\s|$)/.test(line)) return undefined;
  const indent = /^ */.exec(line)?.[0].length ?? 0;
  const before = text.slice(0, Math.max(0, start - 1)).split('\n').reverse().find((l) => l.trim() !== '' && !l.trimStart().startsWith('#'));
  if (before === undefined) return undefined;
  const m = /^( *)(- +)?/.exec(before);
  const siblings = (m?.[1]?.length ?? 0) + (m?.[2]?.length ?? 0);
  if (siblings === indent) return undefined;
  return `this key is indented ${plural(indent, 'space')}; the keys above it start at column ${siblings + 1}: line it up with them (${siblings} spaces)`;
}

/** The second of two equal keys, named, with the line of the first. */
function duplicateKeyError(e: YAMLError, doc: Document, at: (offset: number) => Position): UserError {
  let pairs: { key: string; first?: number } | undefined;
  visit(doc, {
    Map(_, map) {
      const second = map.items.find((p) => rangeStart(p.key) === e.pos[0]);
      if (!second) return undefined;
      const key = keyText(second);
      const first = map.items.find((p) => keyText(p) === key);
      pairs = { key, ...(first && first !== second ? { first: rangeStart(first.key) } : {}) };
      return visit.BREAK;
    },
  });
  const firstLine = pairs?.first === undefined ? '' : `; the first is on line ${at(pairs.first).line}`;
  return new UserError(`YAML: expected each key once in a mapping, found the key ${shown(pairs?.key ?? '')} again`, at(e.pos[0]), `remove or rename one of them${firstLine}`);
}

/** Where the quoted scalar that runs to `offset` without its closing quote starts. */
function openingQuoteBefore(doc: Document, offset: number): number | undefined {
  let start: number | undefined;
  visit(doc, {
    Scalar(_, node) {
      const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
      if (quoted && node.range && node.range[0] < offset && offset <= node.range[2]) start = node.range[0];
    },
  });
  return start;
}

function keyText(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

function rangeStart(node: unknown): number | undefined {
  return isScalar(node) || isMap(node) ? node.range?.[0] : undefined;
}
