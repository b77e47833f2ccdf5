/** One S3 client, one request limiter and the caller's abort signal: every request strata sends goes through `call`. */
import type { S3Client } from '@aws-sdk/client-s3';
import type { Limiter } from './limiter.js';

export interface S3Session {
  client: S3Client;
  limit: Limiter;
  signal: AbortSignal;
}

export function call<T>(session: S3Session, request: (client: S3Client, options: { abortSignal: AbortSignal }) => Promise<T>): Promise<T> {
  return session.limit(() => {
    session.signal.throwIfAborted();
    return request(session.client, { abortSignal: session.signal });
  });
}

/** The request's answer, or `undefined` when the server says it holds no such configuration. */
export async function unlessMissing<T>(request: Promise<T>, isMissing: (error: unknown) => boolean): Promise<T | undefined> {
  try {
    return await request;
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}
