import { settle } from '../plan/settle.js';
import { crlfText, lfText } from '../text/lines.js';
import type { RenderedFile } from './types.js';

/**
 * A file whose text is made from its lines only when it is read or written, never held by the target.
 *
 * Why: at 150,000 agents the iptables files alone are 62 MB of text. Joined into strings they were the largest cost
 * of `render` (iptables spent 477 of its 600 ms joining lines, most of it in touching fresh memory), and every
 * target's texts were held together until written. A writer that asks `linesOf` writes the lines one by one through
 * memory it reuses, one file at a time; anyone who reads `content` gets the same text as before, made then and
 * kept (the getter settles into an ordinary property, so JSON, spreading and deep equality see a plain file).
 *
 * `lines` must be pure and must not throw: a target decides and refuses while rendering, and only formats here.
 */
export function linesFile(path: string, lines: () => Lines, eol: LineEnd = '\n'): RenderedFile {
  const file = {
    path,
    get content(): string {
      makers.delete(file);
      return settle(file, 'content', (eol === '\n' ? lfText : crlfText)(flatLines(lines())));
    },
  };
  makers.set(file, { lines, eol });
  return file;
}

export type LineEnd = '\n' | '\r\n';

/**
 * A file's lines in order: each entry a line, a run of lines given as the list that holds them, or a writer that
 * gives its lines one by one as they are written. A target puts a large list between its header and footer as it
 * is: copying it into the file's list and that list into another was a tenth of iptables' time at 150,000 agents.
 * A writer's lines are never held at all: each is written and dropped while it is young (an iptables ruleset's
 * 300,000 rule lines, 36 MB, were kept for its two files, moved to the old generation and faulted in there).
 */
export type Lines = readonly (string | readonly string[] | LineWriter)[];

/**
 * Gives its lines, in order, to `line`; pure and never throwing, as a target's `lines` (it may be called again). A
 * line may be given in parts, which the line is when joined: a table row of a change request holds the names of
 * 150,000 agents, and joining it first copied them once more. Parts are whole characters: each is encoded alone,
 * and half of a surrogate pair alone would be written as U+FFFD.
 */
export type LineWriter = (line: (...parts: string[]) => void) => void;

/** `items` with `separator` between each two: the parts of a line that would be `items.join(separator)`. */
export function joinedParts(items: readonly string[], separator: string): string[] {
  const parts: string[] = [];
  items.forEach((item, i) => {
    if (i > 0) parts.push(separator);
    parts.push(item);
  });
  return parts;
}

/** The lines one by one, each run's and writer's in place: what lfText and crlfText join. */
export function flatLines(lines: Lines): string[] {
  const out: string[] = [];
  const add = (...parts: string[]): void => {
    out.push(parts.length === 1 ? parts[0]! : parts.join(''));
  };
  for (const entry of lines) {
    if (typeof entry === 'string') out.push(entry);
    else if (typeof entry === 'function') entry(add);
    else for (const line of entry) out.push(line);
  }
  return out;
}

export interface LinesMaker {
  readonly lines: () => Lines;
  readonly eol: LineEnd;
}

/** Files made by linesFile whose text has not been made yet, with what makes it. */
const makers = new WeakMap<RenderedFile, LinesMaker>();

/** How to make the file's text, if it was made by linesFile and nobody has read its content yet. */
export function linesOf(file: RenderedFile): LinesMaker | undefined {
  return makers.get(file);
}

/** The file under another path, its text still made only when needed. */
export function movedFile(file: RenderedFile, path: string): RenderedFile {
  const maker = linesOf(file);
  return maker ? linesFile(path, maker.lines, maker.eol) : { path, content: file.content };
}

/**
 * The file's text in pieces of about `size` characters, whole lines each, that joined are exactly its `content`
 * (lfText and crlfText: every line ends in the line end; a file of no lines is one LF, or nothing with CRLF).
 */
export function* textChunks(maker: LinesMaker, size = 1 << 16): Generator<string> {
  const lines = flatLines(maker.lines());
  if (lines.length === 0) {
    if (maker.eol === '\n') yield '\n';
    return;
  }
  const piece: string[] = [];
  let length = 0;
  for (const line of lines) {
    piece.push(line);
    length += line.length + maker.eol.length;
    if (length >= size) {
      yield joinedPiece(piece, maker.eol);
      piece.length = 0;
      length = 0;
    }
  }
  if (piece.length > 0) yield joinedPiece(piece, maker.eol);
}

function joinedPiece(lines: string[], eol: LineEnd): string {
  lines.push('');
  return lines.join(eol);
}
