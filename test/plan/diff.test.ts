import { describe, expect, it } from 'vitest';
import type { SpecByKind } from '../../src/model/resources.js';
import { diffSpecs, specsConverged } from '../../src/plan/diff.js';
import { lifecycleRule } from '../fixtures/plan/builders.js';

const storageClass: SpecByKind['StorageClass'] = {
  provisioner: 'ebs.csi.aws.com',
  parameters: { type: 'gp2' },
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'WaitForFirstConsumer',
  allowVolumeExpansion: false,
  mountOptions: [],
};
const claim: SpecByKind['PersistentVolumeClaim'] = {
  storageClassName: 'fast-ssd',
  accessModes: ['ReadWriteOnce'],
  volumeMode: 'Filesystem',
  size: '50Gi',
};
const rule = lifecycleRule;

describe('diffSpecs', () => {
  it('names a changed map entry with a dotted path', () => {
    expect(diffSpecs('StorageClass', storageClass, { ...storageClass, parameters: { type: 'gp3' } })).toEqual([
      { path: 'parameters.type', before: 'gp2', after: 'gp3', forcesReplacement: true },
    ]);
  });

  it('quotes a key that is not an identifier', () => {
    expect(
      diffSpecs('ResourceQuota', { hard: { 'requests.storage': '500Gi' } }, { hard: { 'requests.storage': '1Ti' } }),
    ).toEqual([{ path: 'hard["requests.storage"]', before: '500Gi', after: '1Ti' }]);
  });

  it('finds no difference between equal values written differently', () => {
    expect(diffSpecs('PersistentVolumeClaim', { ...claim, size: '1Ti' }, { ...claim, size: '1024Gi' })).toEqual([]);
  });

  it('addresses lifecycle rules by id, whatever their order', () => {
    const before = { rules: [rule({ id: 'a' }), rule({ id: 'tiering', expirationDays: 2555 })] };
    const after = { rules: [rule({ id: 'tiering', expirationDays: 365 }), rule({ id: 'a' })] };
    expect(diffSpecs('BucketLifecycle', before, after)).toEqual([
      { path: 'rules[tiering].expirationDays', before: 2555, after: 365 },
    ]);
  });

  it('shows an added rule whole', () => {
    const added = rule({ id: 'backup-keep-deepwiki', prefix: 'deepwiki/', expirationDays: 30 });
    expect(diffSpecs('BucketLifecycle', { rules: [] }, { rules: [added] })).toEqual([
      { path: 'rules[backup-keep-deepwiki]', after: added },
    ]);
  });

  it('names added and removed tags', () => {
    expect(diffSpecs('BucketTags', { tags: { team: 'platform', old: 'x' } }, { tags: { team: 'data' } })).toEqual([
      { path: 'tags.old', before: 'x' },
      { path: 'tags.team', before: 'platform', after: 'data' },
    ]);
  });

  it('never compares the unmanaged rules and tags strata keeps as found', () => {
    expect(diffSpecs('BucketTags', { tags: {}, unmanagedTags: { 'cost-center': '1234' } }, { tags: {} })).toEqual([]);
    expect(
      diffSpecs('BucketLifecycle', { rules: [], unmanagedRules: [rule({ id: 'legal-hold-archive' })] }, { rules: [] }),
    ).toEqual([]);
  });

  it('shows a changed policy document as one value', () => {
    const before = {
      document: { Statement: [{ Effect: 'Allow', Principal: 'arn:aws:iam::1:root', Action: 's3:GetObject' }] },
    };
    const after = { document: { Statement: [{ Effect: 'Allow', Principal: '*', Action: 's3:GetObject' }] } };
    const changes = diffSpecs('BucketPolicy', before, after);
    expect(changes.map((change) => change.path)).toEqual(['document']);
  });

  it('marks immutable claim fields as forcing a replacement', () => {
    expect(diffSpecs('PersistentVolumeClaim', claim, { ...claim, storageClassName: 'standard' })).toEqual([
      { path: 'storageClassName', before: 'fast-ssd', after: 'standard', forcesReplacement: true },
    ]);
  });

  it('does not mark fields of a resource being created as forcing a replacement', () => {
    expect(diffSpecs('StorageClass', undefined, storageClass).some((change) => change.forcesReplacement)).toBe(false);
  });
});

describe('specsConverged', () => {
  it('accepts a claim anywhere in [size, maxSize] after the write', () => {
    expect(
      specsConverged(
        'PersistentVolumeClaim',
        { ...claim, size: '200Gi', maxSize: '500Gi' },
        { ...claim, size: '250Gi' },
      ),
    ).toBe(true);
  });

  it('rejects a claim below the size written', () => {
    expect(specsConverged('PersistentVolumeClaim', { ...claim, size: '200Gi', maxSize: '500Gi' }, claim)).toBe(false);
  });

  it('compares other kinds after normalization', () => {
    expect(specsConverged('StorageClass', storageClass, { ...storageClass, parameters: { type: 'gp2' } })).toBe(true);
    expect(specsConverged('BucketVersioning', { status: 'Suspended' }, { status: 'Disabled' })).toBe(true);
  });
});
