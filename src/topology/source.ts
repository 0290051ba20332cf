import { UserError, UserErrors } from './errors.js';
import { scanJson } from './json-scan.js';
import { jsonLocator, offsetToPosition, type Locate } from './locate.js';
import { describeChar } from './text.js';
import { readYaml } from './yaml-source.js';

/** The file's content as plain data, and how to find positions in it when it is refused. */
export interface Source {
  readonly value: unknown;
  readonly locate: Locate;
  /**
   * A slower, exact reading of the same text (the reference parser, with node positions), when `value` came from
   * a fast path. A refused file is read again this way, so its problems are found and placed by the reference.
   */
  readonly exact?: () => Source;
}

/**
 * Reads YAML or JSON text into plain data. Syntax errors (and duplicate keys, which both formats
 * would otherwise resolve silently) are thrown as UserErrors with positions.
 */
export function readSource(text: string, file: string): Source {
  if (looksUtf16(text)) throw utf16Error(file);
  const body = text.startsWith('\ufeff') ? text.slice(1) : text;
  const declaredJson = /\.json$/i.test(file);
  if (declaredJson || body.trimStart().startsWith('{')) {
    const json = readJson(body, file, declaredJson);
    if (json) return json;
  }
  return readYaml(body, file);
}

/** JSON.parse for speed; undefined when the text is not JSON and the file does not claim to be. */
function readJson(text: string, file: string, strict: boolean): Source | undefined {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    if (!strict) return undefined;
    throw jsonSyntaxErrors(text, file);
  }
  if (memberCount(text) !== keyCount(value)) throw jsonSyntaxErrors(text, file);
  return { value, locate: jsonLocator(text, file) };
}

function jsonSyntaxErrors(text: string, file: string): UserErrors {
  const { error, duplicates } = scanJson(text);
  const at = offsetToPosition(text, file);
  const errors = duplicates.map(
    (d) =>
      new UserError(
        `JSON: expected each key once in an object, found the key ${JSON.stringify(d.key)} again`,
        at(d.offset),
        `remove or rename one of them (JSON readers keep only the last); the first is on line ${at(d.firstOffset).line}`,
      ),
  );
  if (error) {
    const found = error.offset < text.length ? describeChar(text.charAt(error.offset)) : 'the end of the file';
    errors.push(new UserError(`JSON syntax: expected ${error.expected}, found ${found}`, at(error.offset), jsonHint(text, error.offset)));
  }
  return new UserErrors(errors.length > 0 ? errors : [new UserError('JSON syntax: expected valid JSON', at(0), 'check the file with a JSON linter')]);
}

function jsonHint(text: string, offset: number): string {
  const ch = text.charAt(offset);
  if (ch === "'") return 'JSON strings take double quotes';
  if (ch === '}' || ch === ']') return 'JSON allows no comma before a closing bracket';
  if (ch === '/' || ch === '#') return 'JSON has no comments; use a YAML file (.yaml) for comments';
  if (/[A-Za-z_]/.test(ch)) return 'put keys and text in double quotes';
  return 'check the brackets, commas and quotes just before this point';
}

/**
 * The number of object members the JSON text spells out. In valid JSON every `"` outside a string
 * opens a string, so stepping from string to string sees every string exactly once, and a string
 * followed by `:` is a key. Fewer keys in the parsed value than in the text means a duplicate.
 */
function memberCount(text: string): number {
  let count = 0;
  for (let open = text.indexOf('"'); open >= 0; ) {
    const close = closingQuote(text, open);
    let after = close + 1;
    while (isJsonSpace(text.charCodeAt(after))) after++;
    if (text.charCodeAt(after) === 0x3a) count++;
    open = text.indexOf('"', close + 1);
  }
  return count;
}

const isJsonSpace = (code: number): boolean => code === 0x20 || code === 0x0a || code === 0x0d || code === 0x09;

/** The closing quote of the string opened at `open` (a quote after an odd run of backslashes is escaped). */
function closingQuote(text: string, open: number): number {
  let close = text.indexOf('"', open + 1);
  for (;;) {
    if (close < 0) return text.length;
    let backslashes = 0;
    while (text.charCodeAt(close - 1 - backslashes) === 0x5c) backslashes++;
    if (backslashes % 2 === 0) return close;
    close = text.indexOf('"', close + 1);
  }
}

function keyCount(value: unknown): number {
  let count = 0;
  const pending: unknown[] = [value];
  // No Object.values: an array per object is garbage that 150,000 hosts make expensive.
  while (pending.length > 0) {
    const item = pending.pop();
    if (typeof item !== 'object' || item === null) continue;
    if (Array.isArray(item)) {
      for (const child of item) if (typeof child === 'object' && child !== null) pending.push(child);
      continue;
    }
    for (const key in item) {
      if (!Object.hasOwn(item, key)) continue;
      count++;
      const child = (item as Record<string, unknown>)[key];
      if (typeof child === 'object' && child !== null) pending.push(child);
    }
  }
  return count;
}

/**
 * UTF-16 read as UTF-8: Windows PowerShell 5.1's ">" and Out-File write UTF-16LE with a byte order mark, which
 * decodes to two U+FFFD characters, and every ASCII character comes with a NUL byte.
 */
function looksUtf16(text: string): boolean {
  if (text.charCodeAt(0) === 0xfffd && text.charCodeAt(1) === 0xfffd) return true;
  const head = text.slice(0, 200);
  let nuls = 0;
  for (let i = 0; i < head.length; i++) if (head.charCodeAt(i) === 0) nuls++;
  return head.length >= 8 && nuls * 3 >= head.length;
}

function utf16Error(file: string): UserErrors {
  const quoted = (s: string) => `'${s.replace(/'/g, "''")}'`;
  const out = file.replace(/(\.[^./\\]*)?$/, (ext) => `.utf8${ext || '.yaml'}`);
  const hint =
    `save it as UTF-8: in PowerShell, Get-Content -Path ${quoted(file)} | Set-Content -Encoding utf8 -Path ${quoted(out)}; ` +
    `on Linux or macOS, iconv -f UTF-16 -t UTF-8 ${quoted(file)} > ${quoted(out)}; then give scomfw ${out}`;
  return new UserErrors([new UserError('expected a UTF-8 text file, found UTF-16 (what Windows PowerShell 5.1\'s ">" and Out-File write)', { file, line: 1, column: 1 }, hint)]);
}
