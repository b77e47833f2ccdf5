/**
 * An error the CLI reports as `error: <message>` and `hint: <hint>`, without a stack trace: it says what happened and
 * what to do. The subclass says whose it is: a UserError the user can fix, a ProviderError is what a live system
 * answered. Anything that is not a ReportedError is a bug and is reported as one.
 */
export abstract class ReportedError extends Error {
  /** A follow-up line: the command to run, the flag to add. */
  readonly hint: string | undefined;

  constructor(message: string, options: { hint?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.hint = options.hint;
  }
}

export function isReportedError(error: unknown): error is ReportedError {
  return error instanceof ReportedError;
}
