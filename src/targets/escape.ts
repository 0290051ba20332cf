/**
 * Quoting for the languages targets write. Every value that reaches a script or rule file goes through one of
 * these: it is checked against a safe set first and refused (UnsafeValueError) when it falls outside, then quoted.
 * Refusing is deliberate: a value we cannot prove inert is never emitted, even if the plan was built by hand.
 */

/** A value a target refused to write, with the language and the reason. */
export class UnsafeValueError extends Error {
  constructor(
    readonly value: string,
    readonly language: string,
    readonly reason: string,
  ) {
    super(`refusing to write ${JSON.stringify(value)} into ${language}: ${reason}`);
    this.name = 'UnsafeValueError';
  }
}

/** Printable ASCII, space to tilde. */
const printableAscii = /^[\x20-\x7e]*$/;

/**
 * Outside ASCII, PowerShell reads U+2018–U+201B as single quotes and U+201C–U+201E as double quotes, and cmd.exe
 * reads a batch file in the OEM code page. Printable ASCII keeps every script free of both traps and of control
 * characters (newlines end comments and statements).
 */
function requirePrintableAscii(value: string, language: string): string {
  if (!printableAscii.test(value)) {
    throw new UnsafeValueError(value, language, 'only printable ASCII is allowed (no control characters, no non-ASCII look-alikes)');
  }
  return value;
}

/**
 * A PowerShell single-quoted string. Inside single quotes `$`, backtick, `;`, `|`, `#` and `"` are plain
 * characters; the only special character is `'` itself, written twice.
 */
export function powerShellString(value: string): string {
  return `'${requirePrintableAscii(value, 'PowerShell').replaceAll("'", "''")}'`;
}

/** Text for a PowerShell `#` comment: one line that cannot end early or spill onto the next. */
export function powerShellCommentText(value: string): string {
  return requirePrintableAscii(value, 'a PowerShell comment');
}

/**
 * Characters refused in cmd.exe values, quoted or not: `%` expands variables even inside quotes, `^` `&` `|`
 * `<` `>` act outside them, `"` would end the quoting. `\` is refused too because netsh splits its arguments
 * like the C runtime does, where `\"` is an escaped quote: a value ending in `\` would run on into the next
 * argument and could smuggle in parameters of its own. (`!` is harmless: the scripts turn delayed expansion off.)
 */
const cmdSpecial = /[%^&|<>"\\]/;

/** Text safe anywhere in a .cmd line: in a `rem` comment, an `echo`, or between double quotes. */
export function cmdText(value: string): string {
  requirePrintableAscii(value, 'a cmd script');
  const bad = cmdSpecial.exec(value);
  if (bad) throw new UnsafeValueError(value, 'a cmd script', `the character ${JSON.stringify(bad[0])} is not allowed`);
  return value;
}

/** A double-quoted argument for a command in a .cmd file (netsh `name="…"`). */
export function cmdQuoted(value: string): string {
  return `"${cmdText(value)}"`;
}
