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
    try {
      // Raced against the signal too: the SDK waits out a retry's backoff before it sends again, aborted or not.
      return await Promise.race([session.send(command, signal), rejectedOnAbort(signal)]);
    } catch (error) {
      if (!answered.aborted && !session.signal.aborted) throw inAnotherRegion(error, operationOf(command)) ?? error;
      const request = { system: 's3', operation: operationOf(command), server: session.endpoint } as const;
      throw noAnswer(request, answered.aborted ? session.requestTimeoutMs : performance.now() - started, error);
    }
  });
}

function rejectedOnAbort(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) =>
    signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
  );
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
