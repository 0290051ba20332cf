import { visit as jsoncVisit, type ParseErrorCode } from 'jsonc-parser';

/**
 * A single pass over JSON text used only when a JSON file is refused (or when a refused export needs positions): it
 * finds the first syntax error (V8's JSON.parse does not always say where), duplicate keys (JSON.parse silently keeps
 * the last), and the offsets of the nodes that problems point at. It builds no values: jsonc-parser's `visit` does the
 * scanning (measured against the hand-written scanner it replaced and against `parseTree` in bench/parsers.bench.ts).
 */

export interface JsonSyntaxError {
  readonly offset: number;
  /** What the grammar allows at `offset`, as the end of "expected …". */
  readonly expected: string;
}

export interface JsonDuplicateKey {
  readonly key: string;
  readonly offset: number;
  readonly firstOffset: number;
}

/** Where a node is: its value's first character, and its key's when it is an object member. */
export interface JsonNodeOffsets {
  readonly value: number;
  readonly key?: number;
}

/** Called for every value with its path; return false to skip the value's inside. */
export type JsonVisitor = (path: readonly (string | number)[], offsets: JsonNodeOffsets) => boolean;

const valueWords = 'a value (a string in double quotes, a number, true, false, null, an object or a list)';
const escapeWords = 'an escape such as \\", \\\\, \\n or \\u0041';

/** jsonc-parser's error codes (a const enum in its types, so spelt out here). */
const code = {
  invalidSymbol: 1,
  invalidNumberFormat: 2,
  propertyNameExpected: 3,
  valueExpected: 4,
  colonExpected: 5,
  commaExpected: 6,
  closeBraceExpected: 7,
  closeBracketExpected: 8,
  endOfFileExpected: 9,
  invalidCommentToken: 10,
  unexpectedEndOfComment: 11,
  unexpectedEndOfString: 12,
  unexpectedEndOfNumber: 13,
  invalidUnicode: 14,
  invalidEscapeCharacter: 15,
  invalidCharacter: 16,
} as const;

interface Frame {
  readonly kind: 'object' | 'array';
  /** Objects: each key's offset, to find duplicates. */
  readonly keys?: Map<string, number>;
  /** No member seen yet: a missing key may also be the closing brace. */
  empty: boolean;
}

/** Thrown from the visitor to end the pass at the first syntax error (jsonc-parser would recover and go on). */
class Stop extends Error {}

/**
 * Scans a JSON text: the first syntax error if any, with every duplicate key found before it. Inside a value the
 * visitor skips, jsonc-parser reports nothing, so errors and duplicates are those of the visited values (callers
 * that skip do so on text JSON.parse has already accepted).
 */
export function scanJson(text: string, visit?: JsonVisitor): { error?: JsonSyntaxError; duplicates: JsonDuplicateKey[] } {
  const duplicates: JsonDuplicateKey[] = [];
  const frames: Frame[] = [];
  let keyOffset: number | undefined;
  let error: JsonSyntaxError | undefined;
  /** A bad token: jsonc-parser says what it wanted in the error that follows, so keep the offset until then. */
  let badToken: number | undefined;
  let badTokenFrame: Frame | undefined;

  const enter = (offset: number, path: () => (string | number)[]): boolean => {
    const key = frames.at(-1)?.kind === 'object' ? keyOffset : undefined;
    return visit ? visit(path(), key === undefined ? { value: offset } : { value: offset, key }) : true;
  };
  const fail = (found: JsonSyntaxError): never => {
    error = found;
    throw new Stop();
  };

  try {
    jsoncVisit(
      text,
      {
        onObjectBegin: (offset, _length, _line, _column, path) => {
          const inside = enter(offset, path);
          frames.push({ kind: 'object', keys: new Map(), empty: true });
          return inside;
        },
        onArrayBegin: (offset, _length, _line, _column, path) => {
          const inside = enter(offset, path);
          frames.push({ kind: 'array', empty: true });
          return inside;
        },
        onObjectEnd: () => void frames.pop(),
        onArrayEnd: () => void frames.pop(),
        onObjectProperty: (name, offset) => {
          const frame = frames.at(-1);
          if (frame) frame.empty = false;
          const first = frame?.keys?.get(name);
          if (first === undefined) frame?.keys?.set(name, offset);
          else duplicates.push({ key: name, offset, firstOffset: first });
          keyOffset = offset;
        },
        ...(visit ? { onLiteralValue: (_value: unknown, offset: number, _length: number, _line: number, _column: number, path: () => (string | number)[]) => void enter(offset, path) } : {}),
        onError: (errorCode, offset, length) => {
          const found = syntaxError(text, errorCode, offset, length, frames.at(-1));
          if (found === undefined) {
            if (badToken === undefined) [badToken, badTokenFrame] = [offset, frames.at(-1)];
          } else fail(badToken === undefined ? found : { offset: badToken, expected: found.expected });
        },
      },
      { disallowComments: true, allowTrailingComma: false },
    );
  } catch (e) {
    // jsonc-parser recurses once per level: text nested thousands deep (valid to JSON.parse) overflows the stack.
    if (e instanceof RangeError) return { error: { offset: deepestOffset(text), expected: nestingWords }, duplicates: [] };
    if (!(e instanceof Stop)) throw e;
  }
  if (!error && badToken !== undefined) error = { offset: badToken, expected: expectedBefore(text, badToken, badTokenFrame) };
  const before = error?.offset ?? Infinity;
  return { ...(error ? { error } : {}), duplicates: duplicates.filter((d) => d.offset < before) };
}

/** The error at a token, in the words of "expected …"; undefined for a bad token, whose context comes next. */
function syntaxError(text: string, errorCode: ParseErrorCode, offset: number, length: number, frame: Frame | undefined): JsonSyntaxError | undefined {
  const closer = frame?.kind === 'array' ? ']' : '}';
  switch (errorCode as number) {
    case code.closeBraceExpected:
      return { offset, expected: '"," or "}"' };
    case code.closeBracketExpected:
      return { offset, expected: '"," or "]"' };
    case code.invalidSymbol:
    case code.invalidCommentToken:
    case code.unexpectedEndOfComment:
      return undefined;
    case code.propertyNameExpected:
      return { offset, expected: frame?.empty ? 'a key in double quotes, or "}"' : 'a key in double quotes' };
    case code.colonExpected:
      return { offset, expected: '":" after the key' };
    case code.commaExpected:
      return { offset, expected: `"," or "${closer}"` };
    case code.endOfFileExpected:
      return { offset, expected: 'the end of the file after the top-level value' };
    case code.unexpectedEndOfString:
      return offset + length < text.length
        ? { offset: offset + length, expected: 'a closing double quote on the same line (control characters must be escaped, e.g. \\n)' }
        : { offset: offset + length, expected: 'a closing double quote' };
    case code.invalidCharacter:
      return { offset: controlCharacterIn(text, offset, length), expected: 'a closing double quote on the same line (control characters must be escaped, e.g. \\n)' };
    case code.invalidEscapeCharacter:
    case code.invalidUnicode:
      return { offset: badEscapeIn(text, offset, length), expected: escapeWords };
    case code.unexpectedEndOfNumber:
    case code.invalidNumberFormat:
      return { offset: offset + length, expected: 'a digit' };
    default:
      return { offset, expected: valueWords };
  }
}

/**
 * What the grammar wanted where a stray token (or comment) stands, when jsonc-parser skipped it and found nothing
 * else wrong: read from the character before it.
 */
function expectedBefore(text: string, offset: number, frame: Frame | undefined): string {
  const before = text.slice(0, offset).trimEnd().at(-1);
  if (before === undefined || before === ',' || before === '[' || before === ':') return valueWords;
  if (before === '{') return 'a key in double quotes, or "}"';
  if (frame === undefined) return 'the end of the file after the top-level value';
  return `"," or "${frame.kind === 'array' ? ']' : '}'}"`;
}

const nestingWords = 'at most a few thousand levels of nesting (brackets)';

/** Where the text nests deepest, counting brackets outside strings: what a refusal of runaway nesting points at. */
function deepestOffset(text: string): number {
  let depth = 0;
  let deepest = 0;
  let at = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c) i++;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > deepest) [deepest, at] = [depth, i];
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return at;
}

function controlCharacterIn(text: string, offset: number, length: number): number {
  for (let i = offset + 1; i < offset + length; i++) if (text.charCodeAt(i) < 0x20) return i;
  return offset;
}

function badEscapeIn(text: string, offset: number, length: number): number {
  const token = text.slice(offset, offset + length);
  const bad = /\\(?!["\\/bfnrt]|u[0-9a-fA-F]{4})/.exec(token.replace(/\\\\/g, '  '));
  return bad ? offset + bad.index : offset;
}
