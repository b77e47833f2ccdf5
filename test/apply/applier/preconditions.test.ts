import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/apply/index.js';
import { at, specs, world } from './world.js';

describe('applyPlan: preconditions inside a parent the plan creates', () => {
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

  it('still refuses a setting someone else created on a bucket that already existed', async () => {
    const w = world([
      { address: at.versioning, action: 'create', after: specs.versioning() },
    ]);
    w.s3.writeConcurrently(at.versioning, { status: 'Suspended' });

    const result = await applyPlan(w.input());

    expect(result.outcome).toBe('failed');
    expect(result.failed[0]?.error.message).toContain('changed since the plan was made (someone else created it)');
  });
});
