import { UserError } from './user-error.js';

/** Why an apply stopped scheduling steps although none failed. */
export type ApplyStopReason = 'interrupted' | 'lock-lost' | 'declined' | 'audit-failed';

/**
 * An apply run stopped early: steps already running were let finish and recorded, the rest were not attempted.
 * Carried on the apply result (the run still returns what happened), so the CLI can print it and exit non-zero. It
 * has no hint: the way forward names the plan file, which only the apply's footer knows (render/apply-text.ts).
 */
export class ApplyAbortedError extends UserError {
  override name = 'ApplyAbortedError';
  readonly reason: ApplyStopReason;

  constructor(reason: ApplyStopReason, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.reason = reason;
  }
}

export function isApplyAbortedError(error: unknown): error is ApplyAbortedError {
  return error instanceof ApplyAbortedError;
}
