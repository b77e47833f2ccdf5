/** Throttled requests: the API server answers 429 (or 503) with Retry-After, and clients are expected to wait and retry. */
import { setTimeout as sleep } from 'node:timers/promises';
import { ApiException } from '@kubernetes/client-node';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** A longer Retry-After is cut to this, so a run never hangs on one answer. */
  maxWaitSeconds: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 4, maxWaitSeconds: 10 };

/**
 * Runs a request again after the wait the server asked for, as client-go does. Only answers that carry Retry-After
 * are retried: the server said the request was not processed and when to come back. Every request strata sends is
 * safe to repeat (reads, server-side apply, delete).
 */
export async function honouringRetryAfter<T>(
  request: () => Promise<T>,
  signal: AbortSignal,
  policy: RetryPolicy = DEFAULT_RETRY,
): Promise<T> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      return await request();
    } catch (error) {
      const wait = retryAfterSeconds(error);
      if (wait === undefined || attempt >= policy.attempts) throw error;
      await sleep(Math.min(wait, policy.maxWaitSeconds) * 1000, undefined, { signal });
    }
  }
}

function retryAfterSeconds(error: unknown): number | undefined {
  if (!(error instanceof ApiException) || (error.code !== 429 && error.code !== 503)) return undefined;
  const headers = (error.headers ?? {}) as Record<string, string>;
  const value = Object.entries(headers).find(([name]) => name.toLowerCase() === 'retry-after')?.[1];
  const seconds = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined;
}
