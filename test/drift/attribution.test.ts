import { describe, expect, it } from 'vitest';
import { changedBy } from '../../src/drift/index.js';
import type { ObservedResource } from '../../src/model/resources.js';

const claim = (fieldOwners?: Record<string, string[]>): ObservedResource => ({
  address: { system: 'kubernetes', kind: 'PersistentVolumeClaim', namespace: 'codequal-prod', name: 'deepwiki-data' },
  spec: { storageClassName: 'gp3-retain', accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', size: '150Gi' },
  fingerprint: 'sha256:x',
  owned: true,
  ...(fieldOwners ? { fieldOwners } : {}),
});

describe('who changed a drifted field', () => {
  it('names the writer that owns the field now', () => {
    expect(changedBy(claim({ size: ['kubectl-edit'] }), 'size')).toBe('kubectl-edit');
  });

  it('names the other writers, not strata, when a field is shared', () => {
    expect(changedBy(claim({ size: ['argocd', 'strata'] }), 'size')).toBe('argocd');
  });

  it('says strata when only strata owns the field (the file changed, not the cluster)', () => {
    expect(changedBy(claim({ storageClassName: ['strata'] }), 'storageClassName')).toBe('strata');
  });

  it('finds the owner of the field an attribute lies inside', () => {
    const cronJob = {
      ...claim({ destination: ['kustomize-controller'] }),
      address: { ...claim().address, kind: 'CronJob' as const },
    };
    expect(changedBy(cronJob, 'destination.bucket')).toBe('kustomize-controller');
  });

  it('is unknown without ownership records or for a field nobody owns', () => {
    expect(changedBy(claim(), 'size')).toBeUndefined();
    expect(changedBy(claim({ size: ['strata'] }), 'volumeMode')).toBeUndefined();
  });
});
