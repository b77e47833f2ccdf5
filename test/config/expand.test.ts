import { beforeAll, describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { loadEnvironment } from '../../src/config/index.js';
import type { ResourceKind } from '../../src/model/address.js';
import type { DesiredState } from '../../src/model/desired.js';
import type { DesiredResource, PrometheusRuleSpec } from '../../src/model/resources.js';

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
    expect(
      state.resources
        .filter((candidate) => candidate.address.kind === 'ResourceQuota')
        .map((candidate) => candidate.address.namespace),
    ).toEqual(['codequal-prod', 'alerting-prod']);
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

  it("writes growth as pvc-autoresizer's annotations: the free-space threshold, the step and maxSize as the limit", () => {
    expect(resource('PersistentVolumeClaim', 'growing').spec).toEqual({
      storageClassName: 'fast-ssd-v2',
      accessModes: ['ReadWriteOnce'],
      volumeMode: 'Filesystem',
      size: '20Gi',
      maxSize: '100Gi',
      growth: { threshold: '20%', increase: '20Gi', storageLimit: '100Gi' },
    });
    expect(resource('PersistentVolumeClaim', 'deepwiki').spec).not.toHaveProperty('growth');
  });

  it('enables pvc-autoresizer on the storage classes of growing claims only', () => {
    expect(resource('StorageClass', 'fast-ssd-v2').spec).toMatchObject({
      allowVolumeExpansion: true,
      autoresize: true,
    });
    expect(resource('StorageClass', 'standard').spec).not.toHaveProperty('autoresize');
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

  it('keeps lifecycle size filters as the quantities written, only where declared', () => {
    const { rules } = resource('BucketLifecycle', 'akosha-code-analysis-prod').spec as { rules: object[] };
    expect(rules).toEqual([
      {
        id: 'archive-large',
        enabled: true,
        prefix: 'repos/',
        tags: {},
        largerThan: '1Gi',
        transitions: [{ days: 30, storageClass: 'GLACIER' }],
        noncurrentTransitions: [],
      },
      {
        id: 'expire-small',
        enabled: true,
        prefix: '',
        tags: { kind: 'clone' },
        largerThan: '500M',
        smallerThan: '1Gi',
        transitions: [],
        expirationDays: 90,
        noncurrentTransitions: [],
      },
    ]);
    const tiering = (resource('BucketLifecycle', 'akosha-backups-prod').spec as { rules: object[] }).rules;
    expect(tiering.filter((rule) => 'largerThan' in rule || 'smallerThan' in rule)).toEqual([]);
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

  it('makes one strata-storage-alerts PrometheusRule per namespace with alerts: a group per claim and one for the quota', () => {
    const rule = resource('PrometheusRule', 'strata-storage-alerts');
    const alerting = { system: 'kubernetes', kind: 'Namespace', name: 'alerting-prod' };
    expect(rule.address).toEqual({
      system: 'kubernetes',
      kind: 'PrometheusRule',
      namespace: 'alerting-prod',
      name: 'strata-storage-alerts',
    });
    expect(rule.dependsOn).toEqual([alerting]);
    expect(rule.source?.path).toBe('/namespaces/alerting/alerts');
    const { groups } = rule.spec as PrometheusRuleSpec;
    // By physical claim name; a claim without alerts has no group.
    expect(Object.keys(groups)).toEqual(['volume/metrics-v1', 'volume/logs', 'quota/strata-storage']);
    expect(groups['volume/metrics-v1']).toEqual({
      warning: {
        alert: 'StorageVolumeFillingUp',
        expr: "100 * kubelet_volume_stats_used_bytes{namespace='alerting-prod', persistentvolumeclaim='metrics-v1'} / kubelet_volume_stats_capacity_bytes{namespace='alerting-prod', persistentvolumeclaim='metrics-v1'} > 70",
        for: '15m',
        labels: { severity: 'warning' },
        annotations: {
          summary: 'Volume alerting-prod/metrics-v1 is over 70% full',
          description:
            "{{ $value | humanize }}% of the volume is used (warning above 70%): raise the claim's size in the environment file, or free space.",
        },
      },
      critical: expect.objectContaining({ for: '2m', labels: { severity: 'critical' } }) as unknown,
    });
    expect(Object.keys(groups['volume/logs']!)).toEqual(['critical']);
    expect(groups['quota/strata-storage']!.critical).toMatchObject({
      alert: 'StorageQuotaFillingUp',
      expr: "100 * kube_resourcequota{namespace='alerting-prod', resourcequota='strata-storage', type='used'} / ignoring(type) kube_resourcequota{namespace='alerting-prod', resourcequota='strata-storage', type='hard'} > 95",
      for: '5m',
    });
    expect(
      state.resources
        .filter((candidate) => candidate.address.kind === 'PrometheusRule')
        .map((r) => r.address.namespace),
    ).toEqual(['alerting-prod']);
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

describe('expanding velero backups', () => {
  let velero: DesiredState;
  beforeAll(async () => {
    velero = await loadEnvironment('test/fixtures/config/valid/velero.yaml', { cwd });
  });
  const find = (kind: ResourceKind, name: string) => {
    const found = velero.resources.find(
      (candidate) => candidate.address.kind === kind && candidate.address.name === name,
    );
    if (!found) throw new Error(`no ${kind} ${name}`);
    return found;
  };

  it("makes a Schedule in Velero's namespace, named for the claim's namespace, selecting the claim by its volume label", () => {
    const schedule = find('Schedule', 'codequal-prod-deepwiki-nightly');
    expect(schedule.address).toEqual({
      system: 'kubernetes',
      kind: 'Schedule',
      namespace: 'backup-system',
      name: 'codequal-prod-deepwiki-nightly',
    });
    expect(schedule.spec).toEqual({
      schedule: '0 2 * * *',
      timeZone: 'Europe/Berlin',
      includedNamespaces: ['codequal-prod'],
      labelSelector: { 'strata.dev/volume': 'deepwiki-data' },
      keepDays: 30,
      storageLocation: 'akosha-backups-prod-deepwiki',
      snapshotVolumes: true,
      paused: false,
    });
    expect(schedule.dependsOn).toEqual([
      {
        system: 'kubernetes',
        kind: 'BackupStorageLocation',
        namespace: 'backup-system',
        name: 'akosha-backups-prod-deepwiki',
      },
      { system: 'kubernetes', kind: 'PersistentVolumeClaim', namespace: 'codequal-prod', name: 'deepwiki' },
    ]);
    expect(find('Schedule', 'codequal-prod-weekly').spec).toMatchObject({ keepDays: 84, paused: true });
  });

  it('makes one BackupStorageLocation per destination, reaching the bucket where targets.s3 does', () => {
    const locations = velero.resources.filter((candidate) => candidate.address.kind === 'BackupStorageLocation');
    expect(locations.map((location) => location.address.name)).toEqual([
      'akosha-backups-prod-deepwiki',
      'akosha-backups-prod-deepwiki-weekly',
      'akosha-backups-prod-warm',
    ]);
    expect(find('BackupStorageLocation', 'akosha-backups-prod-deepwiki').spec).toEqual({
      provider: 'aws',
      bucket: 'akosha-backups-prod',
      prefix: 'deepwiki',
      config: { region: 'us-east-1', s3Url: 'https://rgw.example.com', s3ForcePathStyle: 'true' },
      credential: { name: 'velero-s3', key: 'cloud' },
    });
    const serverIdentity = find('BackupStorageLocation', 'akosha-backups-prod-warm');
    expect(serverIdentity.spec).not.toHaveProperty('credential');
    expect(serverIdentity.dependsOn).toEqual([{ system: 's3', kind: 'Bucket', name: 'akosha-backups-prod' }]);
  });

  it('labels only the claims a velero backup names', () => {
    expect(find('PersistentVolumeClaim', 'deepwiki').spec).toMatchObject({
      labels: { 'strata.dev/volume': 'deepwiki-data' },
    });
    expect(find('PersistentVolumeClaim', 'repo-cache').spec).not.toHaveProperty('labels');
  });

  it('keeps the expiration rule on each destination prefix, as S3 enforces keep for either engine', () => {
    const lifecycle = find('BucketLifecycle', 'akosha-backups-prod').spec as {
      rules: { id: string; prefix: string }[];
    };
    expect(lifecycle.rules.map(({ id, prefix }) => `${id} ${prefix}`)).toEqual([
      'backup-keep-deepwiki-nightly deepwiki/',
      'backup-keep-deepwiki-weekly deepwiki-weekly/',
      'backup-keep-warm-db-daily warm/',
    ]);
  });

  it('writes no CronJob for a velero backup', () => {
    expect(velero.resources.some((candidate) => candidate.address.kind === 'CronJob')).toBe(false);
  });
});
