/**
 * The size-filter probe decides from what it already knows before it asks anything: a size filter read back from a
 * bucket, or AWS itself. Its question to a server, radosgw's /swift/info, is shown against RGW in
 * test/e2e/lifecycle-size.test.ts. Each session here is aborted, so any request would fail the test; no server starts.
 */
import { describe, expect, it } from 'vitest';
import type { LifecycleRule, ObservedResource } from '../../../src/model/resources.js';
import { probeLifecycleSizeFilters } from '../../../src/providers/s3/lifecycle-size-capability.js';
import { createLimiter } from '../../../src/providers/s3/limiter.js';
import type { S3Session } from '../../../src/providers/s3/session.js';
import { lifecycleRule } from '../../fixtures/plan/builders.js';

const askingNothing = (): S3Session => ({
  send: () => Promise.reject(new Error('the probe sent an S3 request')),
  limit: createLimiter(1),
  signal: AbortSignal.abort(),
  endpoint: 'http://127.0.0.1:1',
  requestTimeoutMs: 1_000,
});

const lifecycle = (bucket: string, unmanaged: LifecycleRule[]): ObservedResource => ({
  address: { system: 's3', kind: 'BucketLifecycle', name: bucket },
  spec: { rules: [], unmanagedRules: unmanaged },
  fingerprint: '',
  owned: true,
});

describe('probing whether lifecycle size filters are kept', () => {
  it('takes a size filter read back from any bucket, even a rule someone else wrote, as proof', async () => {
    const observed = [
      lifecycle('akosha-logs', [lifecycleRule({ id: 'by-hand', expirationDays: 1 })]),
      lifecycle('akosha-code-analysis', [lifecycleRule({ id: 'by-hand', smallerThan: '1Gi', expirationDays: 90 })]),
    ];
    expect(await probeLifecycleSizeFilters(askingNothing(), 'http://rgw.internal:7480', observed)).toEqual({
      capability: 'lifecycle-size-filters',
      supported: true,
      detail: 'bucket akosha-code-analysis holds a lifecycle rule with a size filter',
    });
  });

  it('knows AWS S3 has them without asking', async () => {
    expect(await probeLifecycleSizeFilters(askingNothing(), undefined, [])).toMatchObject({ supported: true });
  });
});
