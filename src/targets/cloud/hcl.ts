/**
 * A small writer for the HCL native syntax that Terraform reads. Targets build blocks as data and this module,
 * the one place that knows HCL quoting, writes them: nothing a user wrote can become an expression, an
 * interpolation (`${…}`) or a directive (`%{…}`). The layout is what `terraform fmt` writes, so the output
 * passes `terraform fmt -check` and diffs stay small.
 */

const identifier = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** An expression written as is: only references built here from checked identifiers (`var.vpc_id`). */
export class Reference {
  private constructor(readonly text: string) {}

  static to(...parts: readonly string[]): Reference {
    for (const p of parts) if (!identifier.test(p)) throw new Error(`not an HCL identifier: ${JSON.stringify(p)}`);
    return new Reference(parts.join('.'));
  }

  /** `var.flag ? 1 : 0`: a `count` that turns an optional resource on from a boolean. */
  static oneIf(...parts: readonly string[]): Reference {
    return new Reference(`${Reference.to(...parts).text} ? 1 : 0`);
  }
}

export type HclValue = string | number | boolean | Reference | readonly HclValue[] | HclMap;
export interface HclMap {
  readonly [key: string]: HclValue;
}

export interface Attribute {
  readonly kind: 'attribute';
  readonly name: string;
  readonly value: HclValue;
}

export interface Block {
  readonly kind: 'block';
  readonly type: string;
  readonly labels: readonly string[];
  /** Comment lines written above the block. */
  readonly comments: readonly string[];
  readonly body: readonly BodyItem[];
}

export type BodyItem = Attribute | Block;

export const attribute = (name: string, value: HclValue): Attribute => ({ kind: 'attribute', name, value });

export function block(type: string, labels: readonly string[], body: readonly BodyItem[], comments: readonly string[] = []): Block {
  return { kind: 'block', type, labels, comments, body };
}

/** The file: an optional header comment, then the blocks separated by blank lines. */
export function hclFile(header: readonly string[], blocks: readonly Block[]): string {
  const parts = blocks.map((b) => blockLines(b, '').join('\n'));
  if (header.length) parts.unshift(header.map(commentLine).join('\n'));
  return `${parts.join('\n\n')}\n`;
}

function blockLines(b: Block, indent: string): string[] {
  const labels = b.labels.map((l) => ` ${quoted(l)}`).join('');
  return [
    ...b.comments.map((c) => `${indent}${commentLine(c)}`),
    `${indent}${checkedIdentifier(b.type)}${labels} {`,
    ...bodyLines(b.body, `${indent}  `),
    `${indent}}`,
  ];
}

/** Body items; a blank line before a nested block, `=` aligned over runs of one-line attributes like fmt. */
function bodyLines(items: readonly BodyItem[], indent: string): string[] {
  const entries: Entry[] = items.map((item) =>
    item.kind === 'block' ? { key: '', lines: [], block: item } : { key: checkedIdentifier(item.name), lines: valueLines(item.value, indent) },
  );
  const out: string[] = [];
  entries.forEach((e, i) => {
    if (e.block) {
      if (i > 0) out.push('');
      out.push(...blockLines(e.block, indent));
    } else out.push(...assignment(e.key, e.lines, alignedWidth(entries, i), indent));
  });
  return out;
}

/** An attribute written as lines, or a nested block. */
interface Entry {
  readonly key: string;
  readonly lines: readonly string[];
  readonly block?: Block;
}

const oneLine = (e: Entry | undefined): boolean => e !== undefined && !e.block && e.lines.length === 1;

/** The key width of the run of one-line attributes that entry i belongs to (its own width otherwise). */
function alignedWidth(entries: readonly Entry[], i: number): number {
  if (!oneLine(entries[i])) return entries[i]?.key.length ?? 0;
  let start = i;
  while (oneLine(entries[start - 1])) start--;
  let end = i;
  while (oneLine(entries[end + 1])) end++;
  return Math.max(...entries.slice(start, end + 1).map((e) => e.key.length));
}

function assignment(key: string, lines: readonly string[], width: number, indent: string): string[] {
  const [first = '', ...rest] = lines;
  return [`${indent}${key.padEnd(width)} = ${first}`, ...rest];
}

/** A value as lines: the first continues the `key =` line, the others are already indented. */
function valueLines(value: HclValue, indent: string): string[] {
  if (typeof value === 'string') return [quoted(value)];
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new Error(`not an integer: ${value}`);
    return [String(value)];
  }
  if (typeof value === 'boolean') return [String(value)];
  if (value instanceof Reference) return [value.text];
  if (Array.isArray(value)) return listLines(value as readonly HclValue[], indent);
  return mapLines(value as HclMap, indent);
}

/** Lists of one item stay on one line; longer lists put one item a line, so a diff shows each change. */
function listLines(items: readonly HclValue[], indent: string): string[] {
  const inner = items.map((v) => valueLines(v, `${indent}  `));
  if (inner.length <= 1 && inner.every((l) => l.length === 1)) return [`[${inner.map((l) => l[0]).join('')}]`];
  const itemLines = inner.flatMap(([first = '', ...rest]) => [`${indent}  ${first}`, ...rest].map((line, i, all) => (i === all.length - 1 ? `${line},` : line)));
  return ['[', ...itemLines, `${indent}]`];
}

function mapLines(map: HclMap, indent: string): string[] {
  const pairs = Object.entries(map);
  if (pairs.length === 0) return ['{}'];
  const entries = pairs.map(([key, value]) => ({ key: mapKey(key), lines: valueLines(value, `${indent}  `) }));
  const lines = ['{'];
  entries.forEach((e, i) => lines.push(...assignment(e.key, e.lines, alignedWidth(entries, i), `${indent}  `)));
  lines.push(`${indent}}`);
  return lines;
}

const mapKey = (key: string): string => (identifier.test(key) ? key : quoted(key));

function checkedIdentifier(name: string): string {
  if (!identifier.test(name)) throw new Error(`not an HCL identifier: ${JSON.stringify(name)}`);
  return name;
}

/**
 * A quoted HCL string holding exactly `text`: backslash escapes for quotes, backslashes and control
 * characters, and `$${` / `%%{` so that no template interpolation or directive can start inside it.
 */
export function quoted(text: string): string {
  let out = '';
  for (const ch of text) out += escapedChar(ch);
  // Function replacers: in a replacement string `$$` would itself mean one `$`.
  return `"${out.replace(/\$\{/g, () => '$${').replace(/%\{/g, () => '%%{')}"`;
}

const simpleEscapes: Readonly<Record<string, string>> = { '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapedChar(ch: string): string {
  const simple = simpleEscapes[ch];
  if (simple) return simple;
  const code = ch.codePointAt(0) ?? 0;
  // Control characters and the Unicode line and paragraph separators are written as escapes, so the file
  // holds printable text only and no editor or reviewer sees a line break that HCL does not.
  if (code < 0x20 || (code >= 0x7f && code <= 0x9f) || code === 0x2028 || code === 0x2029) {
    return `\\u${code.toString(16).padStart(4, '0')}`;
  }
  return ch;
}

/** A `#` comment line: printable ASCII only, so no text can end the comment and start HCL of its own. */
export function commentLine(text: string): string {
  return `# ${text.replace(/[^\x20-\x7e]/g, '?')}`.trimEnd();
}
