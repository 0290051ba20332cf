import type { z } from 'zod';
import { scanJson } from '../../topology/json-scan.js';
import { UserError } from '../../topology/errors.js';

/**
 * Reading the JSON exports (the Windows exporter, the AWS and Azure CLIs): every refusal names the file, the line
 * and column, what was expected and how to get a good export, and every rule keeps the line it starts on.
 */

export type JsonPath = readonly (string | number)[];

/** The text without a byte order mark; UTF-16 read as UTF-8 (Windows PowerShell 5.1's `>` and Out-File) is refused. */
export function exportText(text: string, fileName: string, hint: string): string {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (/^(\uFFFD\uFFFD|\u00FF\u00FE|\u00FE\u00FF)/.test(body) || body.slice(0, 200).includes('\u0000')) {
    throw new UserError(`${fileName} is UTF-16 text, not UTF-8`, { file: fileName, line: 1, column: 1 }, `write the export as UTF-8 (${hint})`);
  }
  return body;
}

/** JSON.parse with a positioned error: the scanner finds where the text stops being JSON. */
export function parseJsonText(text: string, fileName: string, hint: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    const { error } = scanJson(text);
    const offset = error?.offset ?? text.length;
    const found = offset >= text.length ? 'the end of the file' : JSON.stringify(text.slice(offset, offset + 12));
    const truncated = offset >= text.trimEnd().length ? ' (is the file truncated?)' : '';
    throw new UserError(
      `expected ${error?.expected ?? 'JSON'}, found ${found}${truncated}`,
      { file: fileName, ...lineColumn(text, offset) },
      hint,
    );
  }
}

/** 1-based line and column of a UTF-16 offset. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}

/** Where each wanted node starts: one scan of the text, lines only for the paths `want` accepts. */
export function lineIndex(text: string, want: (path: JsonPath) => boolean, maxDepth = Infinity): Map<string, number> {
  const offsets = new Map<string, number>();
  scanJson(text, (path, node) => {
    if (want(path)) offsets.set(pathKey(path), node.value);
    return path.length < maxDepth; // nothing deeper is wanted: the scanner skips the inside without calls
  });
  const lines = new Map<string, number>();
  const sorted = [...offsets.entries()].sort((a, b) => a[1] - b[1]);
  let line = 1;
  let at = 0;
  for (const [key, offset] of sorted) {
    for (let i = text.indexOf('\n', at); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
      line++;
      at = i + 1;
    }
    lines.set(key, line);
  }
  return lines;
}

export function pathKey(path: JsonPath): string {
  return path.map(String).join('\u0000');
}

/** The position of a JSON path's node (or of its nearest existing ancestor). */
export function positionOf(text: string, path: JsonPath): { line: number; column: number } {
  let best = 0;
  let bestLength = -1;
  scanJson(text, (p, node) => {
    if (p.length <= path.length && p.length > bestLength && p.every((k, i) => k === path[i])) {
      best = node.key ?? node.value;
      bestLength = p.length;
    }
    return p.length < path.length && p.every((k, i) => k === path[i]);
  });
  return lineColumn(text, best);
}

export function pathText(path: JsonPath): string {
  return path.length === 0 ? 'the top level' : path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Validates with a zod schema; the first issue becomes a positioned UserError. */
export function validated<T>(schema: z.ZodType<T>, value: unknown, text: string, fileName: string, hint: string, base: JsonPath = []): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = [...base, ...issue.path.filter((p): p is string | number => typeof p !== 'symbol')];
  throw new UserError(`${pathText(path)}: ${issue.message}`, { file: fileName, ...positionOf(text, path) }, hint);
}

/** A positioned error at a JSON path, for problems the schema cannot express (a bad address in a string). */
export function errorAt(text: string, fileName: string, path: JsonPath, message: string, hint: string): UserError {
  return new UserError(`${pathText(path)}: ${message}`, { file: fileName, ...positionOf(text, path) }, hint);
}
