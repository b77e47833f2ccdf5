/**
 * What one S3 request leaves behind once it is done. The session's `send` here stands in for the S3 client, which the
 * wire tests (wire.test.ts) drive against RGW; these tests only look at the signal `call` hands it.
 */
import { getEventListeners } from 'node:events';
import { GetBucketVersioningCommand } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import type { Send } from '../../../src/providers/s3/connect.js';
import { createLimiter } from '../../../src/providers/s3/limiter.js';
import { call, type S3Session } from '../../../src/providers/s3/session.js';

function sessionAnswering(answer: (signal: AbortSignal) => Promise<unknown>): {
  session: S3Session;
  signals: AbortSignal[];
} {
  const signals: AbortSignal[] = [];
  const send = ((_command, signal) => {
    signals.push(signal);
    return answer(signal);
  }) as Send;
  return {
    session: {
      send,
      limit: createLimiter(1),
      signal: new AbortController().signal,
      endpoint: 'http://127.0.0.1:1',
      requestTimeoutMs: 30_000,
    },
    signals,
  };
}

const versioning = () => new GetBucketVersioningCommand({ Bucket: 'akosha-backups-prod' });

describe('an S3 request once it is done', () => {
  it('leaves nothing listening on its signal after an answer', async () => {
    const { session, signals } = sessionAnswering(() => Promise.resolve({ Status: 'Enabled' }));
    await call(session, versioning());
    expect(getEventListeners(signals[0]!, 'abort')).toEqual([]);
  });

  it('leaves nothing listening on its signal after an error', async () => {
    const { session, signals } = sessionAnswering(() => Promise.reject(new Error('NoSuchBucketPolicy')));
    await expect(call(session, versioning())).rejects.toThrow('NoSuchBucketPolicy');
    expect(getEventListeners(signals[0]!, 'abort')).toEqual([]);
  });
});
