import { describe, expect, it } from 'vitest';
import type { DesiredResource, ObservedResource, SpecByKind } from '../../src/model/resources.js';
import { createPlan } from '../../src/plan/index.js';
import {
  NOW,
  address,
  backupCronJob,
  desired,
  desiredState,
  observed,
  observedState,
} from '../fixtures/plan/builders.js';

const NS = 'codequal-prod';
const BUCKET = 'akosha-backups-prod';
const backup = backupCronJob({ volume: 'data', destination: { bucket: BUCKET, prefix: 'data/' } });
const storageClass: SpecByKind['StorageClass'] = {
  provisioner: 'ebs.csi.aws.com',
  parameters: { type: 'gp3' },
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'WaitForFirstConsumer',
  allowVolumeExpansion: true,
  mountOptions: [],
};
const claim: SpecByKind['PersistentVolumeClaim'] = {
  storageClassName: 'fast-ssd',
  accessModes: ['ReadWriteOnce'],
  volumeMode: 'Filesystem',
  size: '20Gi',
};

function stepsOf(desiredResources: DesiredResource[], observedResources: ObservedResource[] = []) {
  const plan = createPlan({
    desired: desiredState(desiredResources),
    observed: observedState(observedResources),
    now: NOW,
  });
  return plan.steps.map((step) => ({
    step: `${step.index} ${step.action} ${step.address.kind} ${step.address.name}`,
    dependsOn: step.dependsOn,
  }));
}

describe('step order', () => {
  it('puts namespace and StorageClass before the claim, the claim and bucket before the backup job', () => {
    const ns = address('Namespace', NS);
    const steps = stepsOf([
      desired('CronJob', 'data-nightly', backup, { namespace: NS }),
      desired('PersistentVolumeClaim', 'data', claim, {
        namespace: NS,
        dependsOn: [ns, address('StorageClass', 'fast-ssd')],
      }),
      desired(
        'ResourceQuota',
        'strata-storage',
        { hard: { 'requests.storage': '100Gi' } },
        { namespace: NS, dependsOn: [ns] },
      ),
      desired('Bucket', BUCKET, { objectLockEnabled: false }),
      desired('StorageClass', 'fast-ssd', storageClass),
      desired('Namespace', NS, { labels: {} }),
    ]);
    expect(steps).toEqual([
      { step: '1 create Namespace codequal-prod', dependsOn: [] },
      { step: '2 create StorageClass fast-ssd', dependsOn: [] },
      { step: '3 create ResourceQuota strata-storage', dependsOn: [1] },
      { step: '4 create PersistentVolumeClaim data', dependsOn: [1, 2] },
      { step: '5 create Bucket akosha-backups-prod', dependsOn: [] },
      { step: '6 create CronJob data-nightly', dependsOn: [1, 4, 5] },
    ]);
  });

  it('puts the bucket first, then versioning before object lock, then the other settings', () => {
    const steps = stepsOf([
      desired('BucketPolicy', BUCKET, { document: { Statement: [] } }),
      desired('BucketTags', BUCKET, { tags: { 'managed-by': 'strata' } }),
      desired('BucketLifecycle', BUCKET, { rules: [] }),
      desired('BucketObjectLock', BUCKET, { defaultRetention: { mode: 'GOVERNANCE', days: 30 } }),
      desired('BucketVersioning', BUCKET, { status: 'Enabled' }),
      desired('Bucket', BUCKET, { objectLockEnabled: true }),
    ]);
    expect(steps.map((s) => s.step)).toEqual([
      '1 create Bucket akosha-backups-prod',
      '2 create BucketVersioning akosha-backups-prod',
      '3 create BucketObjectLock akosha-backups-prod',
      '4 create BucketLifecycle akosha-backups-prod',
      '5 create BucketTags akosha-backups-prod',
      '6 create BucketPolicy akosha-backups-prod',
    ]);
    expect(steps[2]?.dependsOn).toEqual([1, 2]);
  });

  it('deletes after every create and update, dependents first', () => {
    const steps = stepsOf(
      [desired('StorageClass', 'standard', storageClass)],
      [
        observed('Namespace', 'old', { labels: {} }),
        observed('PersistentVolumeClaim', 'data', claim, { namespace: 'old' }),
        observed('StorageClass', 'fast-ssd', storageClass),
      ],
    );
    expect(steps).toEqual([
      { step: '1 create StorageClass standard', dependsOn: [] },
      { step: '2 delete PersistentVolumeClaim data', dependsOn: [] },
      { step: '3 delete Namespace old', dependsOn: [2] },
      { step: '4 delete StorageClass fast-ssd', dependsOn: [2] },
    ]);
  });

  it('gives a replacement one step and skips blocked and unchanged resources', () => {
    const steps = stepsOf(
      [
        desired('StorageClass', 'fast-ssd', storageClass),
        desired('StorageClass', 'standard', storageClass),
        desired('PersistentVolumeClaim', 'data', { ...claim, size: '10Gi' }, { namespace: NS }),
      ],
      [
        observed('StorageClass', 'fast-ssd', { ...storageClass, parameters: { type: 'gp2' } }),
        observed('StorageClass', 'standard', storageClass),
        observed('PersistentVolumeClaim', 'data', claim, { namespace: NS, status: { phase: 'Bound' } }),
      ],
    );
    expect(steps).toEqual([{ step: '1 replace StorageClass fast-ssd', dependsOn: [] }]);
  });

  it('breaks ties by address', () => {
    const steps = stepsOf([
      desired('StorageClass', 'zeta', storageClass),
      desired('StorageClass', 'alpha', storageClass),
    ]);
    expect(steps.map((s) => s.step)).toEqual(['1 create StorageClass alpha', '2 create StorageClass zeta']);
  });
});
