/** Where in a user's file a problem is. Lines and columns count from 1. */
export interface Position {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/**
 * A mistake the user can fix: bad input or usage. The CLI prints it as one sentence
 * (`file:line:column: message (hint)`) and exits with code 2, never with a stack trace.
 */
export class UserError extends Error {
  constructor(
    message: string,
    readonly position?: Position,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'UserError';
  }

  /** `file:line:column: message. Hint: …` */
  format(): string {
    const where = this.position ? `${this.position.file}:${this.position.line}:${this.position.column}: ` : '';
    const hint = this.hint ? ` Hint: ${this.hint}` : '';
    return `${where}${this.message}${/[.!?]$/.test(this.message) ? '' : '.'}${hint}`;
  }
}

/** Several user errors found in one pass; the loader reports all it can, not only the first. */
export class UserErrors extends UserError {
  constructor(readonly errors: readonly UserError[]) {
    super(errors[0]?.message ?? 'invalid input', errors[0]?.position, errors[0]?.hint);
    this.name = 'UserErrors';
  }

  override format(): string {
    return this.errors.map((e) => e.format()).join('\n');
  }
}
