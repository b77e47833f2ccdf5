import { beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadEnvironment } from '../../src/config/index.js';
import type { ResourceKind } from '../../src/model/address.js';
import type { DesiredState } from '../../src/model/desired.js';
import type { DesiredResource } from '../../src/model/resources.js';

const cwd = fileURLToPath(new URL('../..', import.meta.url));
let state: DesiredState;

beforeAll(async () => {
  state = await loadEnvironment('test/fixtures/config/valid/expansion.yaml', { cwd });
});

function resource(kind: ResourceKind, name: string): DesiredResource {
  const found = state.resources.find((candidate) => candidate.address.kind === kind && candidate.address.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
}

const namespace = { system: 'kubernetes', kind: 'Namespace', name: 'codequal-prod' };
const backupsBucket = { system: 's3', kind: 'Bucket', name: 'akosha-backups-prod' };

describe('expanding an environment into desired resources', () => {
  it('makes a Namespace with the declared labels under its physical name', () => {
    const declared = resource('Namespace', 'codequal-prod');
    expect(declared.address).toEqual(namespace);
    expect(declared.spec).toEqual({ labels: { team: 'codequal' } });
    expect(declared.logicalKey).toBe('codequal');
    expect(resource('Namespace', 'sandbox').spec).toEqual({ labels: {} });
  });

  it('names a StorageClass by `name` or its key and fills in the Kubernetes defaults', () => {
    expect(resource('StorageClass', 'fast-ssd-v2').logicalKey).toBe('fast-ssd');
    expect(resource('StorageClass', 'standard').spec).toEqual({
      provisioner: 'ebs.csi.aws.com',
      parameters: {},
      reclaimPolicy: 'Delete',
      volumeBindingMode: 'Immediate',
      allowVolumeExpansion: false,
      mountOptions: [],
    });
  });

  it('makes one strata-storage ResourceQuota per namespace with a quota, per-class keys by physical class name', () => {
    const quota = resource('ResourceQuota', 'strata-storage');
    expect(quota.address).toEqual({
      system: 'kubernetes',
      kind: 'ResourceQuota',
      namespace: 'codequal-prod',
      name: 'strata-storage',
    });
    expect(quota.spec).toEqual({
      hard: {
        'requests.storage': '1Ti',
        persistentvolumeclaims: '20',
        'fast-ssd-v2.storageclass.storage.k8s.io/requests.storage': '600Gi',
      },
    });
    expect(quota.dependsOn).toEqual([namespace]);
    expect(state.resources.filter((candidate) => candidate.address.kind === 'ResourceQuota')).toHaveLength(1);
  });

  it('makes a PersistentVolumeClaim on the physical class, with defaults, depending on namespace and class', () => {
    const claim = resource('PersistentVolumeClaim', 'deepwiki');
    expect(claim.spec).toEqual({
      storageClassName: 'fast-ssd-v2',
      accessModes: ['ReadWriteOnce'],
      volumeMode: 'Filesystem',
      size: '50Gi',
      maxSize: '500Gi',
    });
    expect(claim.dependsOn).toEqual([namespace, { system: 'kubernetes', kind: 'StorageClass', name: 'fast-ssd-v2' }]);
    expect(resource('PersistentVolumeClaim', 'scratch').spec).toEqual({
      storageClassName: 'standard',
      accessModes: ['ReadWriteMany'],
      volumeMode: 'Block',
      size: '10Gi',
    });
  });

  it('makes a backup CronJob with defaults, physical claim and bucket names, and keep and deadline in numbers', () => {
    const job = resource('CronJob', 'deepwiki-nightly');
    expect(job.spec).toEqual({
      schedule: '0 2 * * *',
      timeZone: 'Etc/UTC',
      volume: 'deepwiki',
      destination: { bucket: 'akosha-backups-prod', prefix: 'deepwiki/' },
      keepDays: 30,
      concurrencyPolicy: 'Forbid',
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 3,
      activeDeadlineSeconds: 3600,
      image: 'docker.io/amazon/aws-cli:2.17.0',
      credentials: { secret: 'strata-backup-s3' },
      s3: { region: 'us-west-2', endpoint: 'https://s3.storage.example.com', forcePathStyle: true },
      serviceAccount: 'strata-backup-deepwiki-nightly',
      kubectlImage: 'registry.k8s.io/kubectl:v1.34.4',
      suspend: false,
    });
    const run = { system: 'kubernetes', namespace: 'codequal-prod', name: 'strata-backup-deepwiki-nightly' };
    expect(job.dependsOn).toEqual([
      namespace,
      { system: 'kubernetes', kind: 'PersistentVolumeClaim', namespace: 'codequal-prod', name: 'deepwiki' },
      backupsBucket,
      { ...run, kind: 'ServiceAccount' },
      { ...run, kind: 'RoleBinding' },
    ]);
  });

  it("gives each cronjob backup strata's own service account, bound to a Role for exactly what its run does", () => {
    const run = { system: 'kubernetes', namespace: 'codequal-prod', name: 'strata-backup-scratch-backup' };
    expect(resource('ServiceAccount', 'strata-backup-scratch-backup').spec).toEqual({});
    expect(resource('Role', 'strata-backup-scratch-backup').spec).toEqual({
      rules: [
        { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshots'], verbs: ['create', 'delete', 'get'] },
        { apiGroups: [''], resources: ['persistentvolumeclaims', 'pods'], verbs: ['create', 'delete', 'get'] },
        { apiGroups: [''], resources: ['pods/log'], verbs: ['get'] },
      ],
    });
    const binding = resource('RoleBinding', 'strata-backup-scratch-backup');
    expect(binding.spec).toEqual({ role: run.name, serviceAccount: run.name });
    expect(binding.dependsOn).toEqual([namespace, { ...run, kind: 'Role' }, { ...run, kind: 'ServiceAccount' }]);
    // The declared service account runs only the copy: strata neither writes nor binds it.
    expect(resource('CronJob', 'scratch-backup').spec).toMatchObject({
      credentials: { serviceAccount: 'backup-writer' },
      serviceAccount: run.name,
    });
  });

  it('keeps every declared CronJob setting', () => {
    expect(resource('CronJob', 'scratch-backup').spec).toMatchObject({
      timeZone: 'Europe/Berlin',
      concurrencyPolicy: 'Replace',
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 5,
      image: 'registry.example.com/aws-cli:2',
      credentials: { serviceAccount: 'backup-writer' },
      suspend: true,
      keepDays: 14,
    });
  });

  it('makes a Bucket in the target region, with object lock when declared', () => {
    expect(resource('Bucket', 'akosha-backups-prod').spec).toEqual({ region: 'us-west-2', objectLockEnabled: true });
    expect(resource('Bucket', 'akosha-website-prod').spec).toEqual({ region: 'us-west-2', objectLockEnabled: false });
  });

  it('enables versioning implied by object lock, and suspends it when declared false', () => {
    expect(resource('BucketVersioning', 'akosha-backups-prod').spec).toEqual({ status: 'Enabled' });
    expect(resource('BucketVersioning', 'akosha-website-prod').spec).toEqual({ status: 'Suspended' });
  });

  it('makes the object lock retention depend on versioning', () => {
    const lock = resource('BucketObjectLock', 'akosha-backups-prod');
    expect(lock.spec).toEqual({ defaultRetention: { mode: 'GOVERNANCE', days: 30 } });
    expect(lock.dependsOn).toEqual([
      backupsBucket,
      { system: 's3', kind: 'BucketVersioning', name: 'akosha-backups-prod' },
    ]);
  });

  it('maps encryption, public access (blocked and open) and the policy document', () => {
    expect(resource('BucketEncryption', 'akosha-backups-prod').spec).toEqual({
      algorithm: 'aws:kms',
      kmsKeyId: 'alias/backups',
    });
    expect(resource('BucketPublicAccessBlock', 'akosha-backups-prod').spec).toEqual({
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: true,
    });
    expect(Object.values(resource('BucketPublicAccessBlock', 'akosha-website-prod').spec)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(resource('BucketPolicy', 'akosha-website-prod').spec).toMatchObject({ document: { Version: '2012-10-17' } });
  });

  it('always tags a bucket with the owner and environment tags', () => {
    expect(resource('BucketTags', 'akosha-backups-prod').spec).toEqual({
      tags: { team: 'platform', 'managed-by': 'strata', 'strata.dev/environment': 'expansion' },
    });
    expect(resource('BucketTags', 'akosha-website-prod').spec).toEqual({
      tags: { 'managed-by': 'strata', 'strata.dev/environment': 'expansion' },
    });
  });

  it('writes lifecycle rules in days with defaults, adds a backup-keep rule per backup, sorted by id', () => {
    const { rules } = resource('BucketLifecycle', 'akosha-backups-prod').spec as { rules: { id: string }[] };
    expect(rules.map((rule) => rule.id)).toEqual([
      'archive',
      'backup-keep-deepwiki-nightly',
      'backup-keep-scratch-weekly',
      'tiering',
    ]);
    expect(rules[1]).toEqual({
      id: 'backup-keep-deepwiki-nightly',
      enabled: true,
      prefix: 'deepwiki/',
      tags: {},
      transitions: [],
      expirationDays: 30,
      noncurrentTransitions: [],
    });
    expect(rules[3]).toEqual({
      id: 'tiering',
      enabled: true,
      prefix: '',
      tags: {},
      transitions: [
        { days: 30, storageClass: 'STANDARD_IA' },
        { days: 365, storageClass: 'GLACIER' },
      ],
      expirationDays: 2555,
      noncurrentTransitions: [{ days: 30, storageClass: 'GLACIER' }],
      noncurrentExpirationDays: 180,
      abortIncompleteUploadsDays: 7,
    });
    expect(rules[0]).toMatchObject({
      enabled: false,
      prefix: 'archive/',
      tags: { class: 'cold' },
      expiredObjectDeleteMarker: true,
    });
  });

  it('makes no lifecycle for a bucket without rules or backups, and every bucket setting depends on its bucket', () => {
    expect(
      state.resources.some(
        (candidate) => candidate.address.kind === 'BucketLifecycle' && candidate.address.name === 'akosha-website-prod',
      ),
    ).toBe(false);
    for (const setting of state.resources.filter(
      (candidate) => candidate.address.system === 's3' && candidate.address.kind !== 'Bucket',
    )) {
      expect(setting.dependsOn).toContainEqual({ system: 's3', kind: 'Bucket', name: setting.address.name });
    }
  });

  it('records where each resource was declared', () => {
    expect(resource('PersistentVolumeClaim', 'deepwiki').source).toEqual({
      file: 'test/fixtures/config/valid/expansion.yaml',
      line: 24,
      column: 7,
      path: '/namespaces/codequal/volumes/deepwiki-data',
    });
  });
});
