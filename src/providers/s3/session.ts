/**
 * One S3 client, one request limiter, the caller's abort signal and the request timeout: every request strata sends
 * goes through `call`, which bounds it (the SDK's retries of it included) and names it when no answer came in time.
 */
import type { ServiceInputTypes, ServiceOutputTypes } from '@aws-sdk/client-s3';
import { noAnswer } from '../request-timeouts.js';
import type { S3Command, Send } from './connect.js';
import { inAnotherRegion } from './errors.js';
import type { Limiter } from './limiter.js';

export interface S3Session {
  send: Send;
  limit: Limiter;
  signal: AbortSignal;
  /** Where the requests go, for messages. */
  endpoint: string;
  requestTimeoutMs: number;
}

export function call<Input extends ServiceInputTypes, Output extends ServiceOutputTypes>(
  session: S3Session,
  command: S3Command<Input, Output>,
): Promise<Output> {
  return session.limit(async () => {
    session.signal.throwIfAborted();
    // Started once a slot is free: time spent waiting for one is not the server's.
    const answered = AbortSignal.timeout(session.requestTimeoutMs);
    const started = performance.now();
    const signal = AbortSignal.any([session.signal, answered]);
    const aborted = whenAborted(signal);
    try {
      // Raced against the signal too: the SDK waits out a retry's backoff before it sends again, aborted or not.
      return await Promise.race([session.send(command, signal), aborted.rejection]);
    } catch (error) {
      if (!answered.aborted && !session.signal.aborted) throw inAnotherRegion(error, operationOf(command)) ?? error;
      const request = { system: 's3', operation: operationOf(command), server: session.endpoint } as const;
      throw noAnswer(request, answered.aborted ? session.requestTimeoutMs : performance.now() - started, error);
    } finally {
      aborted.stopListening();
    }
  });
}

/**
 * A promise rejected when `signal` aborts. Its listener must go once the request is done: Node keeps a signal made by
 * AbortSignal.any alive while it has listeners, and with it all the listener reaches, the request's answer included
 * (a plan of 1,000 buckets held on to 2,000 S3 error responses, and their HTTP requests, until it ended).
 */
function whenAborted(signal: AbortSignal): { rejection: Promise<never>; stopListening(): void } {
  let listener = () => {};
  const rejection = new Promise<never>((_, reject) => {
    listener = () => reject(signal.reason as Error);
    signal.addEventListener('abort', listener, { once: true });
  });
  return { rejection, stopListening: () => signal.removeEventListener('abort', listener) };
}

/** `PutBucketLifecycleConfiguration on akosha-backups-prod`, `ListBuckets`. */
function operationOf(command: { input: object }): string {
  const name = command.constructor.name.replace(/Command$/, '');
  const bucket = (command.input as { Bucket?: string }).Bucket;
  return bucket ? `${name} on ${bucket}` : name;
}

/** The request's answer, or `undefined` when the server says it holds no such configuration. */
export async function unlessMissing<T>(
  request: Promise<T>,
  isMissing: (error: unknown) => boolean,
): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}
