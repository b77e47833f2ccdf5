import { describe, expect, it } from 'vitest';
import { cosmeticDifferences } from '../../src/drift/index.js';

describe('cosmeticDifferences', () => {
  it('skips what the planner does not compare, such as limits another manager owns', () => {
    expect(
      cosmeticDifferences(
        'ResourceQuota',
        { hard: {}, unmanagedHard: { 'requests.storage': '1024Gi' } },
        { hard: {}, unmanagedHard: { 'requests.storage': '1Ti' } },
      ),
    ).toEqual([]);
  });

  it('finds a quantity written in another unit', () => {
    expect(
      cosmeticDifferences(
        'ResourceQuota',
        { hard: { 'requests.storage': '1024Gi' } },
        { hard: { 'requests.storage': '1Ti' } },
      ),
    ).toEqual([{ path: 'hard["requests.storage"]', declared: '1024Gi', live: '1Ti' }]);
  });

  it('finds a server default written out on one side', () => {
    const declared = {
      provisioner: 'ebs.csi.aws.com',
      parameters: {},
      allowVolumeExpansion: true,
      mountOptions: [],
    } as never;
    const live = { ...(declared as object), reclaimPolicy: 'Delete', volumeBindingMode: 'Immediate' } as never;
    expect(cosmeticDifferences('StorageClass', declared, live).map((a) => a.path)).toEqual([
      'reclaimPolicy',
      'volumeBindingMode',
    ]);
  });

  it('finds a set in another order, but not a different value', () => {
    const spec = { storageClassName: 'x', volumeMode: 'Filesystem' as const, size: '1Gi' };
    expect(
      cosmeticDifferences(
        'PersistentVolumeClaim',
        { ...spec, accessModes: ['ReadWriteOnce', 'ReadOnlyMany'] },
        { ...spec, accessModes: ['ReadOnlyMany', 'ReadWriteOnce'] },
      ),
    ).toHaveLength(1);
    expect(
      cosmeticDifferences(
        'PersistentVolumeClaim',
        { ...spec, size: '2Gi', accessModes: [] },
        { ...spec, accessModes: [] },
      ),
    ).toEqual([]);
  });

  it('ignores map key order and the one-sided parts of a spec', () => {
    expect(cosmeticDifferences('Namespace', { labels: { a: '1', b: '2' } }, { labels: { b: '2', a: '1' } })).toEqual(
      [],
    );
    expect(
      cosmeticDifferences(
        'BucketTags',
        { tags: { team: 'x' } },
        { tags: { team: 'x' }, unmanagedTags: { other: 'y' } },
      ),
    ).toEqual([]);
  });
});
