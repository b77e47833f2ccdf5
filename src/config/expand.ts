/**
 * The environment file as desired resources: the contract the planner and the providers rely on. Pure; it trusts a
 * document that passed validation (every reference resolves, every duration parses).
 */
import type { ResourceAddress, ResourceKind } from '../model/address.js';
import { compareText } from '../model/compare.js';
import type {
  BackupCredentialsDeclaration,
  BucketDeclaration,
  EnvironmentDocument,
  LifecycleRuleDeclaration,
} from '../model/environment.js';
import { BACKUP_RUN_RULES, backupRunName } from '../model/backup-run.js';
import { mustParseDays, mustParseSeconds } from '../model/duration.js';
import {
  BUCKET_OWNER_TAG,
  ENVIRONMENT_LABEL,
  MANAGED_BY_VALUE,
  type BackupCredentials,
  type BackupS3Target,
  type DesiredResource,
  type LifecycleRule,
  type LifecycleTransition,
  type SpecByKind,
} from '../model/resources.js';
import { BACKUP_RULE_PREFIX } from './checks/buckets.js';
import { pointer } from './pointer.js';
import type { SourcePositions } from './source.js';

export const RESOURCE_QUOTA_NAME = 'strata-storage';
export const DEFAULT_BACKUP_IMAGE = 'docker.io/amazon/aws-cli:2.17.0';
/** The orchestration needs kubectl and a POSIX shell; Kubernetes' own kubectl image has both (since 1.28). */
export const DEFAULT_KUBECTL_IMAGE = 'registry.k8s.io/kubectl:v1.34.4';
export const DEFAULT_TIME_ZONE = 'Etc/UTC';

export interface ExpandOptions {
  /** The file, relative to the working directory, for source locations. */
  file: string;
  positions: SourcePositions;
}

export function expandEnvironment(
  document: EnvironmentDocument,
  { file, positions }: ExpandOptions,
): DesiredResource[] {
  const resources: DesiredResource[] = [];
  const add = <K extends ResourceKind>(
    address: ResourceAddress & { kind: K },
    spec: SpecByKind[K],
    logicalKey: string,
    path: string,
    dependsOn: ResourceAddress[] = [],
  ): ResourceAddress & { kind: K } => {
    const { line, column } = positions.locate(path, 'key');
    resources.push({ address, spec, logicalKey, source: { file, line, column, path }, dependsOn });
    return address;
  };
  const environment = document.metadata.name;
  const storageClasses = new Map<string, ResourceAddress>();
  for (const [key, declared] of Object.entries(document.storageClasses ?? {})) {
    const address = add(
      { system: 'kubernetes', kind: 'StorageClass', name: declared.name ?? key },
      {
        provisioner: declared.provisioner,
        parameters: { ...declared.parameters },
        reclaimPolicy: declared.reclaimPolicy ?? 'Delete',
        volumeBindingMode: declared.volumeBindingMode ?? 'Immediate',
        allowVolumeExpansion: declared.allowVolumeExpansion ?? false,
        mountOptions: [...(declared.mountOptions ?? [])],
      },
      key,
      pointer('storageClasses', key),
    );
    storageClasses.set(key, address);
  }
  const buckets = bucketNames(document);
  const backupsByBucket = new Map<string, { key: string; prefix: string; keepDays: number }[]>();
  for (const [namespaceKey, declared] of Object.entries(document.namespaces ?? {})) {
    const namespaceName = declared.name;
    const namespacePath = pointer('namespaces', namespaceKey);
    const namespace = add(
      { system: 'kubernetes', kind: 'Namespace', name: namespaceName },
      { labels: { ...declared.labels } },
      namespaceKey,
      namespacePath,
    );
    if (declared.quota) {
      add(
        { system: 'kubernetes', kind: 'ResourceQuota', namespace: namespaceName, name: RESOURCE_QUOTA_NAME },
        { hard: quotaHard(declared.quota, document) },
        namespaceKey,
        `${namespacePath}/quota`,
        [namespace],
      );
    }
    const claims = new Map<string, ResourceAddress>();
    for (const [volumeKey, volume] of Object.entries(declared.volumes ?? {})) {
      const storageClass = storageClasses.get(volume.storageClass);
      const claim = add(
        {
          system: 'kubernetes',
          kind: 'PersistentVolumeClaim',
          namespace: namespaceName,
          name: volume.name ?? volumeKey,
        },
        {
          storageClassName: storageClass?.name ?? volume.storageClass,
          accessModes: [...(volume.accessModes ?? ['ReadWriteOnce'])],
          volumeMode: volume.volumeMode ?? 'Filesystem',
          size: volume.size,
          ...(volume.maxSize === undefined ? {} : { maxSize: volume.maxSize }),
        },
        volumeKey,
        pointer('namespaces', namespaceKey, 'volumes', volumeKey),
        storageClass ? [namespace, storageClass] : [namespace],
      );
      claims.set(volumeKey, claim);
    }
    for (const [backupKey, backup] of Object.entries(declared.backups ?? {})) {
      // The Velero server's identity is the velero engine's form; that engine's objects are not CronJobs.
      if (backup.engine === 'velero' || backup.credentials.veleroServer) continue;
      const claim = claims.get(backup.volume);
      const bucketName = buckets.get(backup.destination.bucket) ?? backup.destination.bucket;
      const keepDays = mustParseDays(backup.keep);
      const dependsOn: ResourceAddress[] = [namespace];
      if (claim) dependsOn.push(claim);
      dependsOn.push({ system: 's3', kind: 'Bucket', name: bucketName });
      const cronJob = backup.name ?? backupKey;
      const backupPath = pointer('namespaces', namespaceKey, 'backups', backupKey);
      const access = backupRunAccess(namespaceName, cronJob, backupKey, backupPath, add, namespace);
      dependsOn.push(...access);
      add(
        { system: 'kubernetes', kind: 'CronJob', namespace: namespaceName, name: cronJob },
        {
          schedule: backup.schedule,
          timeZone: backup.timeZone ?? DEFAULT_TIME_ZONE,
          volume: claim?.name ?? backup.volume,
          destination: { bucket: bucketName, prefix: backup.destination.prefix },
          keepDays,
          concurrencyPolicy: backup.concurrencyPolicy ?? 'Forbid',
          successfulJobsHistoryLimit: backup.successfulJobsHistoryLimit ?? 3,
          failedJobsHistoryLimit: backup.failedJobsHistoryLimit ?? 3,
          ...(backup.deadline === undefined ? {} : { activeDeadlineSeconds: mustParseSeconds(backup.deadline) }),
          image: backup.image ?? DEFAULT_BACKUP_IMAGE,
          credentials: cronJobCredentials(backup.credentials),
          s3: backupS3Target(document.targets.s3),
          serviceAccount: backupRunName(cronJob),
          kubectlImage: backup.kubectlImage ?? DEFAULT_KUBECTL_IMAGE,
          ...(backup.volumeSnapshotClass === undefined ? {} : { volumeSnapshotClass: backup.volumeSnapshotClass }),
          suspend: backup.suspend ?? false,
        },
        backupKey,
        backupPath,
        dependsOn,
      );
      const writers = backupsByBucket.get(backup.destination.bucket) ?? [];
      writers.push({ key: backupKey, prefix: backup.destination.prefix, keepDays });
      backupsByBucket.set(backup.destination.bucket, writers);
    }
  }
  for (const [key, declared] of Object.entries(document.buckets ?? {})) {
    const path = pointer('buckets', key);
    const bucket = add(
      { system: 's3', kind: 'Bucket', name: declared.name },
      {
        ...(document.targets.s3?.region === undefined ? {} : { region: document.targets.s3.region }),
        objectLockEnabled: declared.objectLock !== undefined,
      },
      key,
      path,
    );
    const setting = <K extends ResourceKind>(
      kind: K,
      spec: SpecByKind[K],
      field: string,
      dependsOn: ResourceAddress[] = [bucket],
    ) =>
      add({ system: 's3', kind, name: declared.name }, spec, key, field === '' ? path : `${path}/${field}`, dependsOn);
    let versioning: ResourceAddress | undefined;
    if (declared.versioning !== undefined || declared.objectLock !== undefined) {
      versioning = setting(
        'BucketVersioning',
        { status: declared.versioning === false ? 'Suspended' : 'Enabled' },
        declared.versioning === undefined ? 'objectLock' : 'versioning',
      );
    }
    if (declared.objectLock) {
      const { mode, days, years } = declared.objectLock;
      setting(
        'BucketObjectLock',
        {
          defaultRetention: {
            mode,
            ...(days === undefined ? {} : { days }),
            ...(years === undefined ? {} : { years }),
          },
        },
        'objectLock',
        versioning ? [bucket, versioning] : [bucket],
      );
    }
    if (declared.encryption) {
      setting(
        'BucketEncryption',
        { algorithm: declared.encryption, ...(declared.kmsKeyId === undefined ? {} : { kmsKeyId: declared.kmsKeyId }) },
        'encryption',
      );
    }
    if (declared.publicAccess) {
      const blocked = declared.publicAccess === 'blocked';
      setting(
        'BucketPublicAccessBlock',
        {
          blockPublicAcls: blocked,
          ignorePublicAcls: blocked,
          blockPublicPolicy: blocked,
          restrictPublicBuckets: blocked,
        },
        'publicAccess',
      );
    }
    if (declared.policy) setting('BucketPolicy', { document: structuredClone(declared.policy) }, 'policy');
    setting(
      'BucketTags',
      { tags: { ...declared.tags, [BUCKET_OWNER_TAG]: MANAGED_BY_VALUE, [ENVIRONMENT_LABEL]: environment } },
      declared.tags ? 'tags' : '',
    );
    const writers = backupsByBucket.get(key) ?? [];
    if (declared.lifecycle !== undefined || writers.length > 0) {
      const rules = [
        ...(declared.lifecycle ?? []).map(lifecycleRule),
        ...writers.map(({ key: backupKey, prefix, keepDays }) => backupRule(backupKey, prefix, keepDays)),
      ].sort((a, b) => compareText(a.id, b.id));
      setting('BucketLifecycle', { rules }, declared.lifecycle ? 'lifecycle' : '');
    }
  }
  return resources;
}

type Add = <K extends ResourceKind>(
  address: ResourceAddress & { kind: K },
  spec: SpecByKind[K],
  logicalKey: string,
  path: string,
  dependsOn?: ResourceAddress[],
) => ResourceAddress & { kind: K };

/**
 * The identity a backup's orchestration runs as, and its rights: strata's own service account, never the declared one.
 * A declared service account runs only the copy, so the cloud identity that may write the bucket gets no Kubernetes
 * API rights, and strata grants none to an account it does not own.
 */
function backupRunAccess(
  namespaceName: string,
  cronJob: string,
  backupKey: string,
  path: string,
  add: Add,
  namespace: ResourceAddress,
): ResourceAddress[] {
  const name = backupRunName(cronJob);
  const where = { system: 'kubernetes', namespace: namespaceName, name } as const;
  const account = add({ ...where, kind: 'ServiceAccount' }, {}, backupKey, path, [namespace]);
  const role = add(
    { ...where, kind: 'Role' },
    { rules: BACKUP_RUN_RULES.map((rule) => structuredClone(rule)) },
    backupKey,
    path,
    [namespace],
  );
  const binding = add({ ...where, kind: 'RoleBinding' }, { role: name, serviceAccount: name }, backupKey, path, [
    namespace,
    role,
    account,
  ]);
  return [account, binding];
}

/** Validation allows the cronjob engine a Secret or a service account, exactly one. */
function cronJobCredentials(declared: BackupCredentialsDeclaration): BackupCredentials {
  return declared.serviceAccount !== undefined
    ? { serviceAccount: declared.serviceAccount }
    : { secret: declared.secret ?? '' };
}

/**
 * The copy talks to the same S3 the buckets are planned against, not to AWS by default, addressed as strata's own
 * client addresses it (src/providers/s3/connect.ts): path-style at a custom endpoint unless the file says otherwise.
 */
function backupS3Target(s3: EnvironmentDocument['targets']['s3']): BackupS3Target {
  return {
    ...(s3?.region === undefined ? {} : { region: s3.region }),
    ...(s3?.endpoint === undefined ? {} : { endpoint: s3.endpoint }),
    forcePathStyle: s3?.forcePathStyle ?? s3?.endpoint !== undefined,
  };
}

function bucketNames(document: EnvironmentDocument): Map<string, string> {
  return new Map(
    Object.entries(document.buckets ?? {}).map(([key, bucket]: [string, BucketDeclaration]) => [key, bucket.name]),
  );
}

function quotaHard(
  quota: NonNullable<EnvironmentDocument['namespaces']>[string]['quota'] & object,
  document: EnvironmentDocument,
): Record<string, string> {
  const hard: Record<string, string> = {};
  if (quota['requests.storage'] !== undefined) hard['requests.storage'] = quota['requests.storage'];
  if (quota.persistentvolumeclaims !== undefined) hard.persistentvolumeclaims = String(quota.persistentvolumeclaims);
  for (const [classKey, limit] of Object.entries(quota.classes ?? {})) {
    const physical = document.storageClasses?.[classKey]?.name ?? classKey;
    hard[`${physical}.storageclass.storage.k8s.io/requests.storage`] = limit;
  }
  return hard;
}

function lifecycleRule(declared: LifecycleRuleDeclaration): LifecycleRule {
  const transitions = (list: LifecycleRuleDeclaration['transitions']): LifecycleTransition[] =>
    (list ?? []).map(({ after, storageClass }) => ({ days: mustParseDays(after), storageClass }));
  const rule: LifecycleRule = {
    id: declared.id,
    enabled: declared.enabled ?? true,
    prefix: declared.prefix ?? '',
    tags: { ...declared.tags },
    transitions: transitions(declared.transitions),
    noncurrentTransitions: transitions(declared.noncurrentTransitions),
  };
  if (declared.expireAfter !== undefined) rule.expirationDays = mustParseDays(declared.expireAfter);
  if (declared.expiredObjectDeleteMarker !== undefined)
    rule.expiredObjectDeleteMarker = declared.expiredObjectDeleteMarker;
  if (declared.noncurrentExpireAfter !== undefined)
    rule.noncurrentExpirationDays = mustParseDays(declared.noncurrentExpireAfter);
  if (declared.abortIncompleteUploadsAfter !== undefined)
    rule.abortIncompleteUploadsDays = mustParseDays(declared.abortIncompleteUploadsAfter);
  return rule;
}

/** The expiration rule a backup's `keep` implies on its destination prefix. */
function backupRule(backupKey: string, prefix: string, keepDays: number): LifecycleRule {
  return {
    id: `${BACKUP_RULE_PREFIX}${backupKey}`,
    enabled: true,
    prefix,
    tags: {},
    transitions: [],
    expirationDays: keepDays,
    noncurrentTransitions: [],
  };
}
