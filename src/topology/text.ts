/**
 * The rules for free text in the deployment file (names, zones, descriptions) and the words the loader
 * uses to show a user's value back to them. Names and descriptions end up inside generated scripts and
 * rule files, so the rules allow only characters that are inert in every target language.
 */

/** Why a text was refused: what the user wrote, a way to fix it, and where in the text the culprit is. */
export interface TextFinding {
  readonly found: string;
  readonly hint: string;
  /** Index (UTF-16) of the offending character in the value, when one character is to blame. */
  readonly index?: number;
}

export interface TextRule {
  /** The JSON Schema pattern; the loader and editors check the same expression. */
  readonly pattern: RegExp;
  /** What the value must be, as the end of "expected …". */
  readonly expected: string;
  /** Why a value that fails `pattern` fails it. */
  explain(value: string): TextFinding;
}

const nameChars = /[A-Za-z0-9._-]/;

export const hostNameRule: TextRule = {
  pattern: /^(?=.{1,253}$)(?!.*\.\.)[A-Za-z0-9_](?:[A-Za-z0-9._-]*[A-Za-z0-9_])?$/,
  expected: 'a DNS-like name of letters, digits, ".", "_" and "-" (1 to 253 characters)',
  explain: (value) =>
    lengthFinding(value, 1, 253) ??
    charFinding(value, nameChars, 'a name may use only the letters A-Z and a-z, digits, ".", "_" and "-"') ??
    edgeFinding(value) ??
    emptyLabelFinding(value),
};

export const groupNameRule: TextRule = {
  pattern: /^[A-Za-z0-9._-]{1,64}$/,
  expected: 'a management group name of letters, digits, ".", "_" and "-" (1 to 64 characters)',
  explain: (value) =>
    lengthFinding(value, 1, 64) ??
    charFinding(value, nameChars, 'a management group name may use only the letters A-Z and a-z, digits, ".", "_" and "-"') ??
    unexplained(value),
};

export const zoneRule: TextRule = {
  pattern: /^(?!.*--)[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/,
  expected: 'a zone name of letters, digits, "_" and "-" that starts with a letter or digit (1 to 32 characters)',
  explain: (value) =>
    lengthFinding(value, 1, 32) ??
    charFinding(value, /[A-Za-z0-9_-]/, 'a zone name may use only the letters A-Z and a-z, digits, "_" and "-"') ??
    zoneStartFinding(value) ??
    doubleHyphenFinding(value),
};

export const descriptionRule: TextRule = {
  pattern: /^[A-Za-z0-9 .,:_()/+-]{0,200}$/,
  expected: 'a description of letters, digits, spaces and . , : _ ( ) / + - (at most 200 characters)',
  explain: (value) =>
    lengthFinding(value, 0, 200) ??
    charFinding(value, /[A-Za-z0-9 .,:_()/+-]/, 'descriptions are written into scripts as comments, so they may use only letters, digits, spaces and . , : _ ( ) / + -') ??
    unexplained(value),
};

export const textRules: readonly TextRule[] = [hostNameRule, groupNameRule, zoneRule, descriptionRule];

function lengthFinding(value: string, min: number, max: number): TextFinding | undefined {
  if (value.length === 0 && min > 0) return { found: 'an empty text', hint: 'write a value or remove the key' };
  if (value.length > max) return { found: `a text of ${value.length} characters`, hint: `shorten it to at most ${max} characters` };
  return undefined;
}

function charFinding(value: string, allowed: RegExp, rule: string): TextFinding | undefined {
  let index = 0;
  for (const ch of value) {
    if (ch.length !== 1 || !allowed.test(ch)) {
      const lookAlike = /\p{L}|\p{N}/u.test(ch) && !/^[\x20-\x7e]$/.test(ch) ? ' (it may look like an ASCII character: retype it)' : '';
      return { found: `${describeChar(ch)} at character ${index + 1}`, hint: `${rule}${lookAlike}`, index };
    }
    index += ch.length;
  }
  return undefined;
}

function edgeFinding(value: string): TextFinding | undefined {
  const at = /^[.-]/.test(value) ? 0 : /[.-]$/.test(value) ? value.length - 1 : -1;
  if (at < 0) return undefined;
  return {
    found: `${describeChar(value.charAt(at))} at the ${at === 0 ? 'start' : 'end'}`,
    hint: 'a name must start and end with a letter, digit or "_"',
    index: at,
  };
}

function emptyLabelFinding(value: string): TextFinding {
  const at = value.indexOf('..');
  if (at < 0) return unexplained(value);
  return { found: `an empty label ("..") at character ${at + 1}`, hint: 'remove the extra "."', index: at };
}

function zoneStartFinding(value: string): TextFinding | undefined {
  if (/^[A-Za-z0-9]/.test(value)) return undefined;
  return { found: `${describeChar(value.charAt(0))} at the start`, hint: 'a zone name must start with a letter or digit', index: 0 };
}

function doubleHyphenFinding(value: string): TextFinding {
  const at = value.indexOf('--');
  if (at < 0) return unexplained(value);
  return { found: `"--" at character ${at + 1}`, hint: 'zone pairs are written zoneA--zoneB in file names, so a zone name cannot contain "--"', index: at };
}

/** Only reached if a rule's pattern and its explanations disagree; still a clear refusal. */
function unexplained(value: string): TextFinding {
  return { found: shown(value), hint: 'check the value against the rule above' };
}

const charNames: Readonly<Record<string, string>> = {
  ' ': 'a space',
  '"': 'a double quote (")',
  "'": "a single quote (')",
  '`': 'a backtick (`)',
  '\n': 'a line break (U+000A)',
  '\r': 'a carriage return (U+000D)',
  '\t': 'a tab (U+0009)',
  '\0': 'a NUL character (U+0000)',
  '\u00a0': 'a no-break space (U+00A0)',
  '\u200b': 'a zero-width space (U+200B)',
  '\u202e': 'a right-to-left override (U+202E)',
  '\ufeff': 'a byte order mark (U+FEFF)',
};

/** Names a character without echoing anything a terminal could act on (controls, bidi overrides). */
export function describeChar(ch: string): string {
  const named = charNames[ch];
  if (named) return named;
  if (/^[\x21-\x7e]$/.test(ch)) return `"${ch}"`;
  const code = (ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return `the character U+${code}`;
}

/** A user's value as a message shows it: quoted, ASCII only, at most 60 characters. */
export function shown(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'nothing (null)';
  if (typeof value === 'string') return quoteAscii(value);
  if (typeof value === 'number') return Number.isFinite(value) ? `the number ${value}` : 'a number too large to use';
  if (typeof value === 'boolean') return `the boolean ${value}`;
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `a value of type ${typeof value}`;
}

function quoteAscii(value: string): string {
  const cut = value.length > 60 ? `${value.slice(0, 57)}...` : value;
  const escaped = JSON.stringify(cut).replace(/[^\x20-\x7e]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return cut === value ? escaped : `${escaped} (${value.length} characters)`;
}
