/**
 * The environment file as desired resources: the contract the planner and the providers rely on. Pure; it trusts a
 * document that passed validation (every reference resolves, every duration parses).
 */
import type { ResourceAddress, ResourceKind } from '../model/address.js';
import { compareText } from '../model/compare.js';
import type {
  BackupCredentialsDeclaration,
  BackupDeclaration,
  EnvironmentDocument,
  LifecycleRuleDeclaration,
  NamespaceDeclaration,
} from '../model/environment.js';
import { BACKUP_RUN_RULES, backupRunName } from '../model/backup-run.js';
import { mustParseDays, mustParseSeconds } from '../model/duration.js';
import { thresholdFor } from '../model/growth.js';
import {
  BUCKET_OWNER_TAG,
  ENVIRONMENT_LABEL,
  MANAGED_BY_VALUE,
  VOLUME_LABEL,
  type BackupCredentials,
  type BackupS3Target,
  type DesiredResource,
  type LifecycleRule,
  type LifecycleTransition,
  type PrometheusRuleSpec,
  type SpecByKind,
} from '../model/resources.js';
import { ALERT_RULE_NAME, quotaAlertRules, volumeAlertRules } from './alert-rules.js';
import { BACKUP_RULE_PREFIX } from './checks/buckets.js';
import { destinationBucketName } from './backup-coverage.js';
import { pointer } from './pointer.js';
import type { SourcePositions } from './source.js';
import { scheduleName, storageLocationName, veleroNamespace } from './velero.js';

export const RESOURCE_QUOTA_NAME = 'strata-storage';
export const DEFAULT_BACKUP_IMAGE = 'docker.io/amazon/aws-cli:2.17.0';
/** The orchestration needs kubectl and a POSIX shell; Kubernetes' own kubectl image has both (since 1.28). */
export const DEFAULT_KUBECTL_IMAGE = 'registry.k8s.io/kubectl:v1.34.4';
export const DEFAULT_TIME_ZONE = 'Etc/UTC';
/** The Secret key Velero's AWS plugin docs use for the credentials file. */
export const DEFAULT_CREDENTIALS_KEY = 'cloud';

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
  const growing = classesWithGrowth(document);
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
        ...(growing.has(key) ? { autoresize: true as const } : {}),
      },
      key,
      pointer('storageClasses', key),
    );
    storageClasses.set(key, address);
  }
  const velero = veleroNamespace(document);
  // One location per destination, shared by the backups that write there; checkBackups makes their credentials agree.
  const locations = new Map<string, ResourceAddress>();
  const storageLocation = (bucketName: string, backup: BackupDeclaration, backupKey: string, path: string) => {
    const { prefix } = backup.destination;
    const name = storageLocationName(bucketName, prefix);
    const existing = locations.get(name);
    if (existing) return existing;
    const { secret, key } = backup.credentials;
    const address = add(
      { system: 'kubernetes', kind: 'BackupStorageLocation', namespace: velero, name },
      {
        provider: 'aws',
        bucket: bucketName,
        prefix: prefix.replace(/\/+$/, ''),
        config: locationConfig(document),
        ...(secret === undefined ? {} : { credential: { name: secret, key: key ?? DEFAULT_CREDENTIALS_KEY } }),
      },
      backupKey,
      `${path}/destination`,
      [{ system: 's3', kind: 'Bucket', name: bucketName }],
    );
    locations.set(name, address);
    return address;
  };
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
    // A claim a velero backup names carries the label its Schedule selects it by; other claims carry no label.
    const veleroVolumes = new Set(
      Object.values(declared.backups ?? {})
        .filter((backup) => (backup.engine ?? 'velero') === 'velero')
        .map((backup) => backup.volume),
    );
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
          ...(volume.growth === undefined || volume.maxSize === undefined
            ? {}
            : {
                growth: {
                  threshold: thresholdFor(volume.growth.at),
                  increase: volume.growth.step,
                  storageLimit: volume.maxSize,
                },
              }),
          ...(veleroVolumes.has(volumeKey) ? { labels: { [VOLUME_LABEL]: volumeKey } } : {}),
        },
        volumeKey,
        pointer('namespaces', namespaceKey, 'volumes', volumeKey),
        storageClass ? [namespace, storageClass] : [namespace],
      );
      claims.set(volumeKey, claim);
    }
    addAlerts(declared, namespaceKey, namespace, add);
    for (const [backupKey, backup] of Object.entries(declared.backups ?? {})) {
      const claim = claims.get(backup.volume);
      const bucketName = destinationBucketName(document, backup.destination.bucket);
      const keepDays = mustParseDays(backup.keep);
      const path = pointer('namespaces', namespaceKey, 'backups', backupKey);
      const bucket: ResourceAddress = { system: 's3', kind: 'Bucket', name: bucketName };
      if ((backup.engine ?? 'velero') === 'velero') {
        const location = storageLocation(bucketName, backup, backupKey, path);
        add(
          {
            system: 'kubernetes',
            kind: 'Schedule',
            namespace: velero,
            name: scheduleName(namespaceName, backup.name ?? backupKey),
          },
          {
            schedule: backup.schedule,
            timeZone: backup.timeZone ?? DEFAULT_TIME_ZONE,
            includedNamespaces: [namespaceName],
            labelSelector: { [VOLUME_LABEL]: backup.volume },
            keepDays,
            storageLocation: location.name,
            snapshotVolumes: true,
            paused: backup.suspend ?? false,
          },
          backupKey,
          path,
          claim ? [location, claim] : [location],
        );
      } else {
        const dependsOn: ResourceAddress[] = [namespace];
        if (claim) dependsOn.push(claim);
        dependsOn.push(bucket);
        const cronJob = backup.name ?? backupKey;
        const access = backupRunAccess(namespaceName, cronJob, backupKey, path, add, namespace);
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
          path,
          dependsOn,
        );
      }
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

/** The storage classes (logical keys) some claim of this file grows on: pvc-autoresizer must be enabled on them. */
function classesWithGrowth(document: EnvironmentDocument): Set<string> {
  const volumes = Object.values(document.namespaces ?? {}).flatMap((namespace) =>
    Object.values(namespace.volumes ?? {}),
  );
  return new Set(volumes.filter((volume) => volume.growth !== undefined).map((volume) => volume.storageClass));
}

type Add = <K extends ResourceKind>(
  address: ResourceAddress & { kind: K },
  spec: SpecByKind[K],
  logicalKey: string,
  path: string,
  dependsOn?: ResourceAddress[],
) => ResourceAddress & { kind: K };

/**
 * One PrometheusRule per namespace that declares alerts: a group per claim with alerts, and one for the namespace's
 * quota. It needs only the namespace: a rule over a claim that does not exist yet matches no series and stays silent.
 */
function addAlerts(declared: NamespaceDeclaration, namespaceKey: string, namespace: ResourceAddress, add: Add): void {
  const groups: PrometheusRuleSpec['groups'] = {};
  // Messages point at the namespace's alerts where it has them, else at the first volume's.
  let path: string | undefined;
  for (const [volumeKey, volume] of Object.entries(declared.volumes ?? {})) {
    if (!volume.alerts) continue;
    const claim = volume.name ?? volumeKey;
    groups[`volume/${claim}`] = volumeAlertRules(declared.name, claim, volume.alerts);
    path ??= pointer('namespaces', namespaceKey, 'volumes', volumeKey, 'alerts');
  }
  if (declared.alerts) {
    groups[`quota/${RESOURCE_QUOTA_NAME}`] = quotaAlertRules(declared.name, RESOURCE_QUOTA_NAME, declared.alerts);
    path = pointer('namespaces', namespaceKey, 'alerts');
  }
  if (path === undefined) return;
  add(
    { system: 'kubernetes', kind: 'PrometheusRule', namespace: declared.name, name: ALERT_RULE_NAME },
    { groups },
    namespaceKey,
    path,
    [namespace],
  );
}

/** The AWS plugin's settings from targets.s3: Velero reaches the bucket where strata does. */
function locationConfig(document: EnvironmentDocument): Record<string, string> {
  const s3 = document.targets.s3 ?? {};
  return {
    ...(s3.region === undefined ? {} : { region: s3.region }),
    ...(s3.endpoint === undefined ? {} : { s3Url: s3.endpoint }),
    ...(s3.forcePathStyle === true ? { s3ForcePathStyle: 'true' } : {}),
  };
}

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
  if (declared.largerThan !== undefined) rule.largerThan = declared.largerThan;
  if (declared.smallerThan !== undefined) rule.smallerThan = declared.smallerThan;
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
