import type { ResourceAddress } from '../model/address.js';
import { UserError } from './user-error.js';

/**
 * The world moved since the plan was made: the desired files changed, or a resource was written by someone else.
 * The fix is always the same, to plan again, so the message says so.
 */
export class StalePlanError extends UserError {
  override name = 'StalePlanError';
  /** The resource that moved; absent when the desired files changed. */
  readonly address: ResourceAddress | undefined;

  constructor(message: string, options: { address?: ResourceAddress; hint?: string; cause?: unknown } = {}) {
    super(message, options);
    this.address = options.address;
  }
}

export function isStalePlanError(error: unknown): error is StalePlanError {
  return error instanceof StalePlanError;
}
