import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/apply/index.js';
import type { ResourceAddress } from '../../../src/model/address.js';
import { world } from './world.js';

const setting = (
  kind: 'BucketVersioning' | 'BucketPublicAccessBlock' | 'BucketTags',
  name: string,
): ResourceAddress => ({ system: 's3', kind, name });
const blocked = { blockPublicAcls: true, ignorePublicAcls: true, blockPublicPolicy: true, restrictPublicBuckets: true };

describe('applyPlan: settings of one bucket', () => {
  it('writes one setting of a bucket at a time, since the server keeps them in one record', async () => {
    const w = world([
      {
        address: setting('BucketVersioning', 'akosha-chat-archives-prod'),
        action: 'create',
        after: { status: 'Enabled' },
      },
      { address: setting('BucketPublicAccessBlock', 'akosha-chat-archives-prod'), action: 'create', after: blocked },
      {
        address: setting('BucketTags', 'akosha-chat-archives-prod'),
        action: 'create',
        after: { tags: { team: 'chat' } },
      },
    ]);
    w.s3.delayWrites(20);

    const result = await applyPlan(w.input({ concurrency: 4 }));

    expect(result.outcome).toBe('succeeded');
    expect(w.s3.maxInFlight).toBe(1);
  });

  it('still writes different buckets at the same time', async () => {
    const w = world([
      {
        address: setting('BucketVersioning', 'akosha-chat-archives-prod'),
        action: 'create',
        after: { status: 'Enabled' },
      },
      {
        address: setting('BucketVersioning', 'akosha-chat-media-prod'),
        action: 'create',
        after: { status: 'Enabled' },
      },
    ]);
    w.s3.delayWrites(20);

    await applyPlan(w.input({ concurrency: 4 }));

    expect(w.s3.maxInFlight).toBe(2);
  });
});
