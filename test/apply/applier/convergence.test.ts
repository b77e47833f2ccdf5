import { describe, expect, it } from 'vitest';
import { hasConverged } from '../../../src/apply/applier/convergence.js';
import type { Change } from '../../../src/model/plan.js';
import type { LifecycleRule, ObservedResource } from '../../../src/model/resources.js';

const address = { system: 's3' as const, kind: 'BucketLifecycle' as const, name: 'akosha-backups-prod' };
const legalHold: LifecycleRule = {
  id: 'legal-hold-archive',
  enabled: true,
  prefix: 'legal/',
  tags: {},
  transitions: [{ days: 30, storageClass: 'GLACIER' }],
  noncurrentTransitions: [],
};
const removeStrataRules: Change = {
  address,
  action: 'delete',
  attributes: [],
  risks: [],
  after: { rules: [], unmanagedRules: [legalHold] },
  preserved: ['lifecycle rule "legal-hold-archive"'],
};

function live(rules: LifecycleRule[]): ObservedResource {
  return { address, spec: { rules, unmanagedRules: [legalHold] }, fingerprint: 'sha256:1', owned: true };
}

describe('convergence of a delete', () => {
  it('accepts a lifecycle that keeps only the rules strata does not manage', () => {
    expect(hasConverged(removeStrataRules, live([]))).toBe(true);
  });

  it("refuses a lifecycle that still holds one of strata's rules", () => {
    const tiering: LifecycleRule = { ...legalHold, id: 'tiering', prefix: '' };
    expect(hasConverged(removeStrataRules, live([tiering]))).toBe(false);
  });

  it('needs a whole resource to be gone when nothing is kept', () => {
    const deletePvc: Change = {
      address: { system: 'kubernetes', kind: 'PersistentVolumeClaim', namespace: 'codequal-prod', name: 'old-cache' },
      action: 'delete',
      attributes: [],
      risks: [],
    };
    expect(hasConverged(deletePvc, undefined)).toBe(true);
  });
});
