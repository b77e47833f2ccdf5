/**
 * One S3 client, one request limiter, the caller's abort signal and the request timeout: every request strata sends
 * goes through `call`, which bounds it (the SDK's retries of it included) and names it when no answer came in time.
 */
import type {
  $Command,
  S3Client,
  S3ClientResolvedConfig,
  ServiceInputTypes,
  ServiceOutputTypes,
} from '@aws-sdk/client-s3';
import { noAnswer } from '../request-timeouts.js';
import type { Limiter } from './limiter.js';

export interface S3Session {
  client: S3Client;
  limit: Limiter;
  signal: AbortSignal;
  /** Where the requests go, for messages. */
  endpoint: string;
  requestTimeoutMs: number;
}

type S3Command<Input extends ServiceInputTypes, Output extends ServiceOutputTypes> = $Command<
  Input,
  Output,
  S3ClientResolvedConfig,
  ServiceInputTypes,
  ServiceOutputTypes
>;

export function call<Input extends ServiceInputTypes, Output extends ServiceOutputTypes>(
  session: S3Session,
  command: S3Command<Input, Output>,
): Promise<Output> {
  return session.limit(async () => {
    session.signal.throwIfAborted();
    // Started once a slot is free: time spent waiting for one is not the server's.
    const answered = AbortSignal.timeout(session.requestTimeoutMs);
    const started = performance.now();
    try {
      return await session.client.send(command, { abortSignal: AbortSignal.any([session.signal, answered]) });
    } catch (error) {
      if (!answered.aborted && !session.signal.aborted) throw error;
      const request = { system: 's3', operation: operationOf(command), server: session.endpoint } as const;
      throw noAnswer(request, answered.aborted ? session.requestTimeoutMs : performance.now() - started, error);
    }
  });
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
