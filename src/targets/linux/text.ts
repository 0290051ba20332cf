import { UnsafeValueError } from '../escape.js';

/**
 * Text that goes into Linux firewall files. Names and notes can come from a hand-built plan, so nothing is
 * trusted: file names must be DNS-like or the render is refused, and free text is cut down to a character set
 * that has no meaning in nft, iptables-restore, XML or sh comments and strings.
 */

/** Characters kept in comments: letters, digits and punctuation that no target language gives a meaning to. */
const unsafeCommentCharacters = /[^A-Za-z0-9 ._,:/()#+@=-]+/g;

/** Text that safeText returns unchanged: safe characters only, and no space that it would collapse or trim. */
const safeWord = /^[A-Za-z0-9._,:/()#+@=-]*$/;

/** Longest comment nft keeps on a rule (NFT_USERDATA comment limit); iptables allows more, we keep one limit. */
export const ruleCommentLimit = 128;

/**
 * The text with every character outside the safe set replaced by `_` (a run of them by one `_`), spaces
 * collapsed, and cut to `limit` characters. Never contains a quote, backslash, newline or `$`.
 */
export function safeText(text: string, limit = Infinity): string {
  // Host names, most of the bytes of a large ruleset, are safe already: one test instead of two replaces and a trim.
  if (text.length <= limit && safeWord.test(text)) return text;
  const cleaned = text.replace(unsafeCommentCharacters, '_').replace(/ {2,}/g, ' ').trim();
  return cleaned.length <= limit ? cleaned : `${cleaned.slice(0, limit - 3).trimEnd()}...`;
}

/**
 * `# `-comment lines holding `items` after `label`, wrapped at `width` characters; every item made safe. Each line
 * is joined once from its words (the names of 150,000 agents: a string per word appended would be three per name).
 */
export function hashCommentLines(label: string, items: readonly string[], width = 100): string[] {
  const lines: string[] = [];
  let prefix = `# ${safeText(label)}`;
  let words: string[] = [];
  // The length of the line so far, each word but the last item with its comma.
  let length = prefix.length;
  for (let i = 0; i < items.length; i++) {
    const word = safeText(items[i]!);
    const written = i < items.length - 1 ? word.length + 1 : word.length;
    if (length + 1 + written > width && length > 2) {
      // A full line's last word is never the last item: it keeps its comma.
      lines.push(words.length > 0 ? `${prefix} ${words.join(', ')},` : prefix);
      prefix = '#  ';
      words = [];
      length = prefix.length;
    }
    words.push(word);
    length += 1 + written;
  }
  lines.push(words.length > 0 ? `${prefix} ${words.join(', ')}` : prefix);
  return lines;
}

const dnsLikeName = /^[A-Za-z0-9](?:[A-Za-z0-9._-]{0,251}[A-Za-z0-9_])?$/;

/**
 * A host or zone name checked for use as (part of) a file name. The loader only lets DNS-like names through, so a
 * name that gets here and fails is a bug (a hand-built plan), not a user's mistake: it is refused (UnsafeValueError,
 * exit 3, as in the Windows targets) rather than rewritten, so two names can never map to one file.
 */
export function fileStem(name: string, what: string): string {
  if (!dnsLikeName.test(name) || name.includes('..')) {
    throw new UnsafeValueError(safeText(name, 60), `a file name (the ${what} name)`, 'names must be DNS-like: letters, digits, ".", "_" and "-", starting and ending with a letter or digit');
  }
  return name;
}

/** A word for sh, in single quotes unless it is made only of characters sh leaves alone. */
export function shellWord(word: string): string {
  return /^[A-Za-z0-9._/=-]+$/.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

export { markupText as xmlText } from '../../text/markup.js';

/** Text for an XML comment: safe characters only, and no `--`, which would end or break the comment. */
export function xmlComment(text: string): string {
  return `<!-- ${safeText(text).replace(/-{2,}/g, '-')} -->`;
}
