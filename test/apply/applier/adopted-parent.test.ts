import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/apply/index.js';
import type { ResourceAddress } from '../../../src/model/address.js';
import { at, specs, world } from './world.js';

const tags: ResourceAddress = { system: 's3', kind: 'BucketTags', name: 'akosha-backups-prod' };
const ownerTags = { 'managed-by': 'strata', 'strata.dev/environment': 'prod' };

describe('applyPlan: preconditions inside a bucket the plan adopts', () => {
  it('writes the tags an untagged bucket got from its adoption instead of calling them stale', async () => {
    const w = world([
      { address: at.bucket, action: 'adopt', before: specs.bucket(), after: specs.bucket() },
      { address: tags, action: 'create', after: { tags: { ...ownerTags, team: 'platform' } }, dependsOn: [1] },
    ]);
    // Adopting a bucket tags it as strata's at once, so the tags step finds the owner tags the plan did not see.
    const result = await applyPlan(
      w.input({
        observer: {
          onStepSucceeded: (step) => {
            if (step.index === 1) w.s3.writeConcurrently(tags, { tags: ownerTags });
          },
        },
      }),
    );

    expect(result.outcome).toBe('succeeded');
    expect(w.s3.get(tags)?.spec).toEqual({ tags: { ...ownerTags, team: 'platform' } });
  });

  it('still refuses tags that appeared on a bucket the plan only updates', async () => {
    const w = world([
      { address: at.bucket, action: 'update', before: specs.bucket(), after: specs.bucket() },
      { address: tags, action: 'create', after: { tags: { ...ownerTags, team: 'platform' } }, dependsOn: [1] },
    ]);
    w.s3.writeConcurrently(tags, { tags: { team: 'someone-else' } });

    const result = await applyPlan(w.input());

    expect(result.outcome).toBe('failed');
    expect(result.failed[0]?.error.message).toContain('someone else created it');
  });
});
