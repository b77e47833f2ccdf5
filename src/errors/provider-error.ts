import type { ResourceAddress } from '../model/address.js';
import { addressKey } from '../model/address.js';
import { ReportedError } from './reported-error.js';

/**
 * A live system refused or failed a request; says which resource and what the server said. Not a UserError: a 503 or
 * a refused connection is no one's mistake in the environment files.
 */
export class ProviderError extends ReportedError {
  override name = 'ProviderError';
  readonly address: ResourceAddress | undefined;
  /** HTTP status, when the server answered. */
  readonly status: number | undefined;
  /** Worth trying again later (throttling, 5xx, connection reset). */
  readonly retryable: boolean;

  constructor(
    message: string,
    options: { address?: ResourceAddress; status?: number; retryable?: boolean; hint?: string; cause?: unknown } = {},
  ) {
    super(options.address ? `${addressKey(options.address)}: ${message}` : message, options);
    this.address = options.address;
    this.status = options.status;
    this.retryable = options.retryable ?? false;
  }
}

export function isProviderError(error: unknown): error is ProviderError {
  return error instanceof ProviderError;
}
