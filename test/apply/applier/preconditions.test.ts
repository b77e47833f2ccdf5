import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/apply/index.js';
import { at, specs, world } from './world.js';

describe('applyPlan: preconditions inside a parent this run creates', () => {
  it('writes the settings a new bucket came with instead of calling them stale', async () => {
    const w = world();
    // S3 gives every new bucket a versioning state of its own the moment it exists.
    const result = await applyPlan(
      w.input({
        observer: {
          onStepSucceeded: (step) => {
            if (step.index === 5) w.s3.writeConcurrently(at.versioning, { status: 'Suspended' });
          },
        },
      }),
    );

    expect(result.outcome).toBe('succeeded');
    expect(w.s3.get(at.versioning)?.spec).toEqual(specs.versioning());
  });

  it('refuses a setting that appeared in a bucket this run found already in place, though the plan creates it', async () => {
    const w = world([
      { address: at.bucket, action: 'create', after: specs.bucket() },
      { address: at.versioning, action: 'create', after: specs.versioning(), dependsOn: [1] },
    ]);
    // Both appeared after this apply observed: the bucket step writes nothing, so the versioning did not come with it.
    w.s3.seed(at.bucket, specs.bucket());
    w.s3.writeConcurrently(at.versioning, { status: 'Suspended' });

    const result = await applyPlan(w.input());

    expect(result.converged).toEqual([1]);
    expect(result.failed[0]?.error.message).toContain('changed since the plan was made (someone else created it)');
    expect(w.s3.get(at.versioning)?.spec).toEqual({ status: 'Suspended' });
  });

  it('still refuses a setting someone else created on a bucket that already existed', async () => {
    const w = world([{ address: at.versioning, action: 'create', after: specs.versioning() }]);
    w.s3.writeConcurrently(at.versioning, { status: 'Suspended' });

    const result = await applyPlan(w.input());

    expect(result.outcome).toBe('failed');
    expect(result.failed[0]?.error.message).toContain('changed since the plan was made (someone else created it)');
  });
});
