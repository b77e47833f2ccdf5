import { describe, expect, it } from 'vitest';
import { changedBy, fieldPathOf } from '../../src/drift/index.js';

describe('fieldPathOf', () => {
  it('maps a claim size to the storage request', () => {
    expect(fieldPathOf('PersistentVolumeClaim', 'size')).toBe('spec.resources.requests.storage');
  });

  it('appends sub-paths, unquoting keys that are not identifiers', () => {
    expect(fieldPathOf('Namespace', 'labels.team')).toBe('metadata.labels.team');
    expect(fieldPathOf('ResourceQuota', 'hard["requests.storage"]')).toBe('spec.hard.requests.storage');
    expect(fieldPathOf('StorageClass', 'parameters.type')).toBe('parameters.type');
  });

  it('knows no field path for S3 settings', () => {
    expect(fieldPathOf('BucketLifecycle', 'rules[tiering].expirationDays')).toBeUndefined();
  });
});

describe('changedBy', () => {
  const managers = {
    'spec.resources.requests.storage': 'kubectl-edit',
    'spec.storageClassName': 'strata',
    'metadata.labels.team': 'strata, argocd',
    'spec.jobTemplate.spec.template.spec.containers[{"name":"backup"}].image': 'kustomize-controller',
  };

  it('names the manager that wrote the field', () => {
    expect(changedBy('PersistentVolumeClaim', 'size', managers)).toBe('kubectl-edit');
  });

  it('names the other managers, not strata, when a field is shared', () => {
    expect(changedBy('Namespace', 'labels.team', managers)).toBe('argocd');
  });

  it('says strata when only strata wrote the field (the file changed, not the cluster)', () => {
    expect(changedBy('PersistentVolumeClaim', 'storageClassName', managers)).toBe('strata');
  });

  it('finds fields below the mapped path, such as a container inside a CronJob', () => {
    expect(changedBy('CronJob', 'image', managers)).toBe('kustomize-controller');
  });

  it('is unknown without managedFields or for a field nobody claims', () => {
    expect(changedBy('PersistentVolumeClaim', 'size', undefined)).toBeUndefined();
    expect(changedBy('PersistentVolumeClaim', 'volumeMode', managers)).toBeUndefined();
  });
});
