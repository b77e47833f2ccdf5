import { describe, expect, it } from 'vitest';
import { displayName, shortHash } from '../../src/render/names.js';

describe('displayName', () => {
  it('names Kubernetes objects by short kind and namespace/name', () => {
    expect(
      displayName({
        system: 'kubernetes',
        kind: 'PersistentVolumeClaim',
        namespace: 'codequal-prod',
        name: 'deepwiki-data',
      }),
    ).toBe('kubernetes pvc codequal-prod/deepwiki-data');
    expect(displayName({ system: 'kubernetes', kind: 'StorageClass', name: 'fast-ssd' })).toBe(
      'kubernetes storageclass fast-ssd',
    );
  });

  it("names Velero's objects with Velero's words, in Velero's namespace", () => {
    expect(
      displayName({ system: 'kubernetes', kind: 'Schedule', namespace: 'velero', name: 'codequal-prod-nightly' }),
    ).toBe('kubernetes velero schedule velero/codequal-prod-nightly');
    expect(
      displayName({ system: 'kubernetes', kind: 'BackupStorageLocation', namespace: 'velero', name: 'backups-warm' }),
    ).toBe('kubernetes velero bsl velero/backups-warm');
  });

  it('names a bucket setting after its bucket', () => {
    expect(displayName({ system: 's3', kind: 'Bucket', name: 'akosha-backups-prod' })).toBe(
      's3 bucket akosha-backups-prod',
    );
    expect(displayName({ system: 's3', kind: 'BucketLifecycle', name: 'akosha-backups-prod' })).toBe(
      's3 bucket akosha-backups-prod · lifecycle',
    );
  });
});

describe('shortHash', () => {
  it('keeps the first and last four hex digits', () => {
    expect(shortHash('sha256:4be1a0c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e89c0e')).toBe('4be1…9c0e');
  });
});
