import { describe, expect, it } from 'vitest';
import { hasConverged } from '../../src/apply/applier/convergence.js';
import type { Change } from '../../src/model/plan.js';
import type { BucketPublicAccessBlockSpec } from '../../src/model/resources.js';
import { createPlan } from '../../src/plan/index.js';
import { NOW, desired, desiredState, observed, observedState } from '../fixtures/plan/builders.js';

const BUCKET = 'akosha-chat-media-prod';
const open: BucketPublicAccessBlockSpec = {
  blockPublicAcls: false,
  ignorePublicAcls: false,
  blockPublicPolicy: false,
  restrictPublicBuckets: false,
};
const blocked: BucketPublicAccessBlockSpec = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};

function planFor(existingBucket: boolean) {
  const bucket = { objectLockEnabled: false };
  return createPlan({
    desired: desiredState([desired('Bucket', BUCKET, bucket), desired('BucketPublicAccessBlock', BUCKET, open)]),
    observed: observedState(existingBucket ? [observed('Bucket', BUCKET, bucket)] : []),
    now: NOW,
  });
}

describe('an open public access block (publicAccess: open) and an absent one', () => {
  it('plans no change for an existing bucket that has no public access block', () => {
    const change = planFor(true).changes.find((c) => c.address.kind === 'BucketPublicAccessBlock');
    expect(change?.action).toBe('no-op');
  });

  it('still writes it for a new bucket, whose server default may block public access', () => {
    const change = planFor(false).changes.find((c) => c.address.kind === 'BucketPublicAccessBlock');
    expect(change?.action).toBe('create');
  });

  it('counts an opened block that reads back as absent as converged', () => {
    const opened: Change = {
      address: { system: 's3', kind: 'BucketPublicAccessBlock', name: BUCKET },
      action: 'update',
      before: blocked,
      after: open,
      attributes: [],
      risks: [],
    };
    expect(hasConverged(opened, undefined)).toBe(true);
    expect(hasConverged({ ...opened, after: blocked }, undefined)).toBe(false);
  });
});
