import { UserError } from '../../topology/errors.js';
import { lineColumn } from './json-source.js';

/**
 * A small, strict XML reader for firewalld's zone and service files: elements, attributes, text, comments,
 * the XML declaration and the five predefined entities plus character references. No DTDs, no namespaces,
 * no processing instructions other than the declaration: what firewalld never writes is refused with its position.
 */
export interface XmlElement {
  readonly name: string;
  readonly attributes: ReadonlyMap<string, string>;
  readonly children: readonly XmlElement[];
  readonly text: string;
  readonly line: number;
  readonly column: number;
}

const nameChars = /[A-Za-z_][\w.-]*/y;

export function parseXml(text: string, fileName: string, hint: string): XmlElement {
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const fail = (message: string, at = i): UserError => new UserError(message, { file: fileName, ...lineColumn(text, at) }, hint);
  const skipSpace = (): void => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const skipMisc = (): void => {
    for (;;) {
      skipSpace();
      if (text.startsWith('<!--', i)) {
        const end = text.indexOf('-->', i + 4);
        if (end < 0) throw fail('expected the end of a comment "-->", found the end of the file');
        i = end + 3;
      } else if (text.startsWith('<?xml', i)) {
        const end = text.indexOf('?>', i);
        if (end < 0) throw fail('expected the end of the XML declaration "?>"');
        i = end + 2;
      } else return;
    }
  };
  const name = (): string => {
    nameChars.lastIndex = i;
    const m = nameChars.exec(text);
    if (!m) throw fail(`expected a name, found ${JSON.stringify(text.slice(i, i + 10) || 'the end of the file')}`);
    i += m[0].length;
    return m[0];
  };
  const decode = (raw: string, at: number): string =>
    raw.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);|&/g, (all, ref: string | undefined, offset: number) => {
      if (ref === undefined) throw fail('expected an entity such as &amp; after "&"', at + offset);
      if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
      if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
      const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
      if (!(ref in named)) throw fail(`expected a predefined entity (&amp; &lt; &gt; &quot; &apos;), found &${ref};`, at + offset);
      return named[ref]!;
    });
  const element = (): XmlElement => {
    const start = i;
    if (text[i] !== '<') throw fail(`expected an element "<...>", found ${JSON.stringify(text.slice(i, i + 10) || 'the end of the file')}`);
    i++;
    const tag = name();
    const attributes = new Map<string, string>();
    for (;;) {
      skipSpace();
      if (text.startsWith('/>', i)) {
        i += 2;
        return { name: tag, attributes, children: [], text: '', ...lineColumn(text, start) };
      }
      if (text[i] === '>') {
        i++;
        break;
      }
      const attrAt = i;
      const key = name();
      skipSpace();
      if (text[i] !== '=') throw fail(`expected "=" after attribute ${key}`);
      i++;
      skipSpace();
      const quote = text[i];
      if (quote !== '"' && quote !== "'") throw fail(`expected a quoted value for attribute ${key}`);
      const end = text.indexOf(quote, i + 1);
      if (end < 0) throw fail(`expected the closing quote of attribute ${key}, found the end of the file`);
      if (attributes.has(key)) throw fail(`attribute ${key} is given twice`, attrAt);
      attributes.set(key, decode(text.slice(i + 1, end), i + 1));
      i = end + 1;
    }
    const children: XmlElement[] = [];
    let body = '';
    for (;;) {
      const lt = text.indexOf('<', i);
      if (lt < 0) throw fail(`expected </${tag}>, found the end of the file (is the file truncated?)`, text.length);
      body += decode(text.slice(i, lt), i);
      i = lt;
      if (text.startsWith('<!--', i)) {
        const end = text.indexOf('-->', i + 4);
        if (end < 0) throw fail('expected the end of a comment "-->", found the end of the file');
        i = end + 3;
      } else if (text.startsWith('</', i)) {
        i += 2;
        const closing = name();
        if (closing !== tag) throw fail(`expected </${tag}>, found </${closing}>`, lt);
        skipSpace();
        if (text[i] !== '>') throw fail(`expected ">" to close </${tag}`);
        i++;
        return { name: tag, attributes, children, text: body.trim(), ...lineColumn(text, start) };
      } else if (text.startsWith('<!', i) || text.startsWith('<?', i)) {
        throw fail('expected an element, text or a comment (DTDs, CDATA and processing instructions are not read)');
      } else children.push(element());
    }
  };
  skipMisc();
  if (text.startsWith('<!', i)) throw fail('expected the root element (DTDs are not read)');
  const root = element();
  skipMisc();
  if (i < text.length) throw fail(`expected the end of the file after </${root.name}>, found ${JSON.stringify(text.slice(i, i + 10))}`);
  return root;
}
