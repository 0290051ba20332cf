/**
 * A single-pass JSON scanner used only when a JSON file is refused: it finds the first syntax error
 * (V8's JSON.parse does not always say where), duplicate keys (JSON.parse silently keeps the last),
 * and the offsets of the nodes that problems point at. It builds no values, so even a file of
 * 150,000 hosts is scanned in a fraction of a second, where a YAML re-parse takes far longer.
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

type Expect = 'value' | 'valueOrClose' | 'key' | 'keyOrClose' | 'colon' | 'next';

interface Container {
  /** The document is the outermost container: it holds one value and then the end of the text. */
  readonly kind: 'document' | 'object' | 'array';
  /** Whether the visitor wants the inside of this container. */
  readonly visited: boolean;
  /** Objects: each key's offset, to find duplicates; and the key whose value comes next. */
  readonly keys?: Map<string, number>;
  key?: { readonly name: string; readonly offset: number };
  /** Arrays: the index of the next element. */
  next: number;
}

const numberPattern = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const valueWords = 'a value (a string in double quotes, a number, true, false, null, an object or a list)';

/** Scans a JSON text: the first syntax error if any, with every duplicate key found before it. */
export function scanJson(text: string, visit?: JsonVisitor): { error?: JsonSyntaxError; duplicates: JsonDuplicateKey[] } {
  const scanner = new Scanner(text, visit);
  const error = scanner.run();
  return { ...(error ? { error } : {}), duplicates: scanner.duplicates };
}

class Scanner {
  readonly duplicates: JsonDuplicateKey[] = [];
  private readonly document: Container;
  private readonly stack: Container[];
  private readonly path: (string | number)[] = [];
  private i = 0;
  private expect: Expect = 'value';
  private finished = false;

  constructor(
    private readonly text: string,
    private readonly visit: JsonVisitor | undefined,
  ) {
    this.document = container('document', true);
    this.stack = [this.document];
  }

  run(): JsonSyntaxError | undefined {
    while (!this.finished) {
      this.skipWhitespace();
      const error = this.step();
      if (error) return error;
    }
    return undefined;
  }

  private get top(): Container {
    return this.stack.at(-1) ?? this.document;
  }

  private step(): JsonSyntaxError | undefined {
    switch (this.expect) {
      case 'value':
      case 'valueOrClose':
        return this.value();
      case 'key':
      case 'keyOrClose':
        return this.key();
      case 'colon':
        return this.colon();
      case 'next':
        return this.next();
    }
  }

  private value(): JsonSyntaxError | undefined {
    const ch = this.text[this.i];
    if (this.expect === 'valueOrClose' && ch === ']') {
      this.close();
      return undefined;
    }
    const visited = this.enterValue();
    if (ch === '{' || ch === '[') {
      this.stack.push(container(ch === '{' ? 'object' : 'array', visited));
      this.i++;
      this.expect = ch === '{' ? 'keyOrClose' : 'valueOrClose';
      return undefined;
    }
    const end = ch === '"' ? this.stringEnd() : this.scalarEnd();
    if (typeof end !== 'number') return end;
    this.i = end;
    this.leaveValue();
    return undefined;
  }

  private key(): JsonSyntaxError | undefined {
    const ch = this.text[this.i];
    if (this.expect === 'keyOrClose' && ch === '}') {
      this.close();
      return undefined;
    }
    if (ch !== '"') return { offset: this.i, expected: this.expect === 'keyOrClose' ? 'a key in double quotes, or "}"' : 'a key in double quotes' };
    const offset = this.i;
    const end = this.stringEnd();
    if (typeof end !== 'number') return end;
    const name = JSON.parse(this.text.slice(offset, end)) as string;
    this.noteKey(name, offset);
    this.i = end;
    this.expect = 'colon';
    return undefined;
  }

  private colon(): JsonSyntaxError | undefined {
    if (this.text[this.i] !== ':') return { offset: this.i, expected: '":" after the key' };
    this.i++;
    this.expect = 'value';
    return undefined;
  }

  private next(): JsonSyntaxError | undefined {
    const { kind } = this.top;
    if (kind === 'document') {
      this.finished = true;
      return this.i < this.text.length ? { offset: this.i, expected: 'the end of the file after the top-level value' } : undefined;
    }
    const closer = kind === 'object' ? '}' : ']';
    const ch = this.text[this.i];
    if (ch === closer) {
      this.close();
      return undefined;
    }
    if (ch !== ',') return { offset: this.i, expected: `"," or "${closer}"` };
    this.i++;
    this.expect = kind === 'object' ? 'key' : 'value';
    return undefined;
  }

  private close(): void {
    this.stack.pop();
    this.i++;
    this.leaveValue();
  }

  /** Pushes the path segment of the value that starts here and reports it to the visitor. */
  private enterValue(): boolean {
    const parent = this.top;
    if (parent.kind === 'array') this.path.push(parent.next++);
    if (parent.kind === 'object') this.path.push(parent.key?.name ?? '');
    if (!this.visit || !parent.visited) return false;
    const key = parent.kind === 'object' ? parent.key?.offset : undefined;
    return this.visit(this.path, key === undefined ? { value: this.i } : { value: this.i, key });
  }

  private leaveValue(): void {
    if (this.top.kind !== 'document') this.path.pop();
    this.expect = 'next';
  }

  private noteKey(name: string, offset: number): void {
    const first = this.top.keys?.get(name);
    if (first === undefined) this.top.keys?.set(name, offset);
    else this.duplicates.push({ key: name, offset, firstOffset: first });
    this.top.key = { name, offset };
  }

  /** The end of a literal or number starting here, or what was expected instead. */
  private scalarEnd(): number | JsonSyntaxError {
    for (const word of ['true', 'false', 'null']) {
      if (this.text.startsWith(word, this.i)) return this.i + word.length;
    }
    numberPattern.lastIndex = this.i;
    if (numberPattern.test(this.text)) return numberPattern.lastIndex;
    return { offset: this.i, expected: valueWords };
  }

  /** The offset after the closing quote of the string starting here, or where it goes wrong. */
  private stringEnd(): number | JsonSyntaxError {
    let j = this.i + 1;
    for (;;) {
      const code = this.text.charCodeAt(j);
      if (Number.isNaN(code)) return { offset: j, expected: 'a closing double quote' };
      if (code === 0x22) return j + 1;
      if (code < 0x20) return { offset: j, expected: 'a closing double quote on the same line (control characters must be escaped, e.g. \\n)' };
      if (code === 0x5c) {
        const escape = /^(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/.exec(this.text.slice(j + 1, j + 6));
        if (!escape) return { offset: j, expected: 'an escape such as \\", \\\\, \\n or \\u0041' };
        j += 1 + escape[0].length;
      } else {
        j++;
      }
    }
  }

  private skipWhitespace(): void {
    while (this.i < this.text.length) {
      const code = this.text.charCodeAt(this.i);
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return;
      this.i++;
    }
  }
}

function container(kind: Container['kind'], visited: boolean): Container {
  return kind === 'object' ? { kind, visited, keys: new Map(), next: 0 } : { kind, visited, next: 0 };
}
