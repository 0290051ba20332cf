import { createRequire } from 'node:module';
import { Language, Parser, type Node } from 'web-tree-sitter';

/**
 * PowerShell syntax checking without pwsh: tree-sitter-powershell (WebAssembly) through web-tree-sitter.
 * The grammar reports some valid code as errors (param() and a statement on one line, `--bar=baz` arguments, a
 * backtick inside a command name), so generate code in a plain style, one statement a line, and treat every ERROR
 * or MISSING node as a failure.
 */

/** An ERROR or MISSING node: where the parser gave up. Lines and columns count from 1. */
export interface SyntaxProblem {
  readonly kind: 'ERROR' | 'MISSING';
  readonly line: number;
  readonly column: number;
  /** The source text the node covers (empty for MISSING), or the node MISSING stands for. */
  readonly text: string;
}

/**
 * One argument of a command: a `-Parameter` with the value after it, or a positional value. Values are read
 * literally: string literals decoded, bare words and numbers as written; variables and expressions appear only
 * in `text`. A parameter followed by another parameter (a switch) has no value.
 */
export interface CommandArgument {
  /** Without the dash: `RemoteAddress`; undefined for a positional argument. */
  readonly parameter?: string;
  /** The value's source text, empty for a switch. */
  readonly text: string;
  /** Every string literal (decoded), bare word and number in the value, in order. */
  readonly values: readonly string[];
}

export interface ParsedCommand {
  readonly name: string;
  readonly line: number;
  readonly arguments: readonly CommandArgument[];
}

/** A span of the source, as UTF-16 offsets (what String.prototype.slice takes). */
export interface Span {
  readonly start: number;
  readonly end: number;
}

export interface StringLiteral extends Span {
  /** The string's value: single-quoted strings decoded (`''` → `'`), others as written between the quotes. */
  readonly value: string;
  /** True for double-quoted and here-strings, where `$` and backtick are live. */
  readonly expandable: boolean;
}

export interface ParsedPowerShell {
  readonly errors: readonly SyntaxProblem[];
  /** Every command in source order, including those nested in blocks, pipelines and sub-expressions. */
  readonly commands: readonly ParsedCommand[];
  readonly strings: readonly StringLiteral[];
  readonly comments: readonly Span[];
}

let parserPromise: Promise<Parser> | undefined;

function parser(): Promise<Parser> {
  parserPromise ??= (async () => {
    await Parser.init();
    const wasm = createRequire(import.meta.url).resolve('tree-sitter-powershell/tree-sitter-powershell.wasm');
    const p = new Parser();
    p.setLanguage(await Language.load(wasm));
    return p;
  })();
  return parserPromise;
}

/** Parses a PowerShell script and returns its syntax problems, commands, string literals and comments. */
export async function parsePowerShell(text: string): Promise<ParsedPowerShell> {
  const tree = (await parser()).parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    const out = { errors: [] as SyntaxProblem[], commands: [] as ParsedCommand[], strings: [] as StringLiteral[], comments: [] as Span[] };
    visit(tree.rootNode, (node) => {
      if (node.isMissing) out.errors.push({ kind: 'MISSING', ...where(node), text: node.type });
      else if (node.type === 'ERROR') out.errors.push({ kind: 'ERROR', ...where(node), text: node.text });
      else if (node.type === 'command') out.commands.push(commandOf(node));
      else if (node.type === 'string_literal') out.strings.push(stringOf(node));
      else if (node.type === 'comment') out.comments.push(spanOf(node));
    });
    return out;
  } finally {
    tree.delete();
  }
}

/** Depth first, in source order; every node, named or not (MISSING nodes can be anonymous). */
function visit(node: Node, f: (n: Node) => void): void {
  f(node);
  for (const child of node.children) if (child) visit(child, f);
}

function where(node: Node): { line: number; column: number } {
  return { line: node.startPosition.row + 1, column: node.startPosition.column + 1 };
}

function commandOf(node: Node): ParsedCommand {
  const name = node.childForFieldName('command_name')?.text ?? '';
  const elements = node.childForFieldName('command_elements')?.namedChildren.filter((c) => c !== null && c.type !== 'command_argument_sep') ?? [];
  const args: CommandArgument[] = [];
  let pending: string | undefined;
  for (const el of elements) {
    if (el.type === 'command_parameter') {
      if (pending !== undefined) args.push({ parameter: pending, text: '', values: [] });
      const { parameter, inline } = splitParameter(el.text);
      if (!inline) pending = parameter;
      else {
        args.push({ parameter, text: inline, values: [inline] });
        pending = undefined;
      }
    } else {
      args.push({ ...(pending !== undefined ? { parameter: pending } : {}), text: el.text, values: literalValues(el) });
      pending = undefined;
    }
  }
  if (pending !== undefined) args.push({ parameter: pending, text: '', values: [] });
  return { name, line: node.startPosition.row + 1, arguments: args };
}

/** `-Name` → `Name`; `-Enabled:True` → `Enabled` with the inline value `True`. PowerShell takes dashes of any kind. */
function splitParameter(text: string): { parameter: string; inline?: string } {
  const body = text.replace(/^[-\u2013\u2014\u2015]/, '');
  const colon = body.indexOf(':');
  return colon < 0 ? { parameter: body } : { parameter: body.slice(0, colon), inline: body.slice(colon + 1) };
}

const literalTypes = new Set(['string_literal', 'generic_token', 'integer_literal', 'real_literal']);

function literalValues(node: Node): string[] {
  if (node.type === 'string_literal') return [decodeString(node.text).value];
  if (literalTypes.has(node.type)) return [node.text];
  return node.namedChildren.flatMap((c) => (c ? literalValues(c) : []));
}

function stringOf(node: Node): StringLiteral {
  return { ...spanOf(node), ...decodeString(node.text) };
}

function decodeString(text: string): { value: string; expandable: boolean } {
  if (text.startsWith("'") && text.endsWith("'") && text.length >= 2) return { value: text.slice(1, -1).replaceAll("''", "'"), expandable: false };
  if (text.startsWith("@'")) return { value: text.slice(2, -2).replace(/^\r?\n/, '').replace(/\r?\n$/, ''), expandable: false };
  return { value: text.replace(/^@?"/, '').replace(/"@?$/, ''), expandable: true };
}

/** web-tree-sitter parses JavaScript strings as UTF-16, so node indices are string offsets already. */
function spanOf(node: Node): Span {
  return { start: node.startIndex, end: node.endIndex };
}

/**
 * Calls `f` with every node of the script's syntax tree, named or not, depth first in source order. The nodes are
 * valid only during the call: the tree is freed afterwards.
 */
export async function walkPowerShell(text: string, f: (node: Node) => void): Promise<void> {
  const tree = (await parser()).parse(text);
  if (!tree) throw new Error('tree-sitter returned no tree');
  try {
    visit(tree.rootNode, f);
  } finally {
    tree.delete();
  }
}
