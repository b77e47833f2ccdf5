/**
 * An error the user can fix: the CLI prints its message (which says where and what to do) without a stack trace.
 * Anything that is not a UserError is a bug and is reported as one.
 */
export class UserError extends Error {
  override name = 'UserError';
  /** A follow-up line: the command to run, the flag to add. */
  readonly hint: string | undefined;

  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint;
  }
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
