/**
 * Desired specs as the Kubernetes objects strata applies. Pure: the server-side apply body for each kind, carrying
 * strata's ownership labels. decode.ts reads these shapes back, so the two files change together.
 */
import type { KubernetesKind, ResourceAddress } from '../../model/address.js';
import { AUTORESIZE_ENABLED_ANNOTATION, AUTORESIZE_ENABLED_VALUE, GROWTH_ANNOTATIONS } from '../../model/growth.js';
import {
  type ClaimGrowth,
  ENVIRONMENT_LABEL,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  type BackupCronJobSpec,
  type BackupStorageLocationSpec,
  type NamespaceSpec,
  type PersistentVolumeClaimSpec,
  type PrometheusRuleSpec,
  type ResourceQuotaSpec,
  type RoleBindingSpec,
  type RoleSpec,
  type SpecByKind,
  type StorageClassSpec,
  type VeleroScheduleSpec,
} from '../../model/resources.js';
import { BACKUP_RUN_LABEL, BACKUP_RUN_SCRIPT, RUN_PLACEHOLDER, RUN_UID_PLACEHOLDER } from '../../model/backup-run.js';
import { KIND_INFO } from './kinds.js';

export const BACKUP_DESTINATION_ANNOTATION = 'strata.dev/backup-destination';
export const BACKUP_KEEP_ANNOTATION = 'strata.dev/backup-keep-days';
export const BACKUP_MOUNT_PATH = '/data';

export interface KubernetesManifest {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    ownerReferences?: { apiVersion: string; kind: string; name: string; uid: string }[];
  };
  [field: string]: unknown;
}

export function ownershipLabels(environment: string): Record<string, string> {
  return { [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [ENVIRONMENT_LABEL]: environment };
}

export function manifestFor<K extends KubernetesKind>(
  address: ResourceAddress & { kind: K },
  spec: SpecByKind[K],
  environment: string,
): KubernetesManifest {
  const info = KIND_INFO[address.kind];
  const metadata: KubernetesManifest['metadata'] = { name: address.name, labels: ownershipLabels(environment) };
  if (info.namespaced) metadata.namespace = address.namespace;
  const header = { apiVersion: info.apiVersion, kind: info.kind };
  switch (address.kind) {
    case 'Namespace':
      return namespaceManifest(header, metadata, spec as NamespaceSpec);
    case 'StorageClass':
      return storageClassManifest(header, metadata, spec as StorageClassSpec);
    case 'ResourceQuota':
      return { ...header, metadata, spec: { hard: { ...(spec as ResourceQuotaSpec).hard } } };
    case 'PersistentVolumeClaim':
      return claimManifest(header, metadata, spec as PersistentVolumeClaimSpec);
    case 'ServiceAccount':
      return { ...header, metadata };
    case 'Role':
      return roleManifest(header, metadata, spec as RoleSpec);
    case 'RoleBinding':
      return roleBindingManifest(header, metadata, spec as RoleBindingSpec);
    case 'CronJob':
      return backupCronJobManifest(header, metadata, spec as BackupCronJobSpec);
    case 'PrometheusRule':
      return { ...header, metadata, spec: { groups: ruleGroups(spec as PrometheusRuleSpec) } };
    case 'BackupStorageLocation':
      return storageLocationManifest(header, metadata, spec as BackupStorageLocationSpec);
    case 'Schedule':
      return scheduleManifest(header, metadata, spec as VeleroScheduleSpec);
  }
  throw new TypeError(`no manifest for kind ${String(address.kind satisfies never)}`);
}

type Header = { apiVersion: string; kind: string };

function namespaceManifest(
  header: Header,
  metadata: KubernetesManifest['metadata'],
  spec: NamespaceSpec,
): KubernetesManifest {
  return { ...header, metadata: { ...metadata, labels: { ...spec.labels, ...metadata.labels } } };
}

function storageClassManifest(
  header: Header,
  metadata: KubernetesManifest['metadata'],
  spec: StorageClassSpec,
): KubernetesManifest {
  const manifest: KubernetesManifest = {
    ...header,
    metadata: spec.autoresize
      ? { ...metadata, annotations: { [AUTORESIZE_ENABLED_ANNOTATION]: AUTORESIZE_ENABLED_VALUE } }
      : metadata,
    provisioner: spec.provisioner,
    reclaimPolicy: spec.reclaimPolicy,
    volumeBindingMode: spec.volumeBindingMode,
    allowVolumeExpansion: spec.allowVolumeExpansion,
  };
  // The server stores no parameters as nil and compares them with DeepEqual: an empty map would read as a change.
  if (Object.keys(spec.parameters).length > 0) manifest.parameters = { ...spec.parameters };
  if (spec.mountOptions.length > 0) manifest.mountOptions = [...spec.mountOptions];
  return manifest;
}

function claimManifest(
  header: Header,
  metadata: KubernetesManifest['metadata'],
  spec: PersistentVolumeClaimSpec,
): KubernetesManifest {
  return {
    ...header,
    metadata: {
      ...metadata,
      ...(spec.labels === undefined ? {} : { labels: { ...spec.labels, ...metadata.labels } }),
      ...(spec.growth ? { annotations: growthAnnotations(spec.growth) } : {}),
    },
    spec: {
      storageClassName: spec.storageClassName,
      accessModes: [...spec.accessModes],
      volumeMode: spec.volumeMode,
      resources: { requests: { storage: spec.size } },
    },
  };
}

/** The annotations pvc-autoresizer reads, for the fields growth sets; server-side apply removes the ones strata drops. */
function growthAnnotations(growth: ClaimGrowth): Record<string, string> {
  const annotations: Record<string, string> = {};
  for (const [field, annotation] of Object.entries(GROWTH_ANNOTATIONS)) {
    const value = growth[field as keyof ClaimGrowth];
    if (value !== undefined) annotations[annotation] = value;
  }
  return annotations;
}

/**
 * The keyed groups and rules as the lists Prometheus reads, in name and key order so every write is the same bytes.
 * `spec.groups` is an atomic list in the CRD: server-side apply replaces it whole, and the PrometheusRule is strata's.
 */
function ruleGroups(spec: PrometheusRuleSpec): { name: string; rules: Record<string, unknown>[] }[] {
  return Object.keys(spec.groups)
    .sort()
    .map((name) => {
      const rules = spec.groups[name] ?? {};
      return {
        name,
        rules: Object.keys(rules)
          .sort()
          .map((key) => {
            const { alert, expr, for: wait, labels, annotations } = rules[key]!;
            return { alert, expr, for: wait, labels: { ...labels }, annotations: { ...annotations } };
          }),
      };
    });
}

/**
 * A CronJob whose pod runs the backup's orchestration (src/model/backup-run.ts) as strata's service account, and whose
 * `COPY_POD` is the pod that copies the restored claim to `s3://bucket/prefix/YYYY/MM/DD/` with the AWS CLI.
 */
function backupCronJobManifest(
  header: Header,
  metadata: KubernetesManifest['metadata'],
  spec: BackupCronJobSpec,
): KubernetesManifest {
  return {
    ...header,
    metadata: {
      ...metadata,
      annotations: {
        [BACKUP_DESTINATION_ANNOTATION]: `s3://${spec.destination.bucket}/${spec.destination.prefix}`,
        [BACKUP_KEEP_ANNOTATION]: String(spec.keepDays),
      },
    },
    spec: {
      schedule: spec.schedule,
      timeZone: spec.timeZone,
      concurrencyPolicy: spec.concurrencyPolicy,
      successfulJobsHistoryLimit: spec.successfulJobsHistoryLimit,
      failedJobsHistoryLimit: spec.failedJobsHistoryLimit,
      suspend: spec.suspend,
      jobTemplate: backupJobTemplate(spec, metadata.name),
    },
  };
}

/** The Job a backup CronJob makes for each run: its scripts, settings and the copy pod, all written by strata. */
export function backupJobTemplate(spec: BackupCronJobSpec, cronJob: string): Record<string, unknown> {
  const env: Record<string, unknown>[] = [
    { name: 'BACKUP_NAMESPACE', valueFrom: { fieldRef: { fieldPath: 'metadata.namespace' } } },
    { name: 'BACKUP_JOB', valueFrom: { fieldRef: { fieldPath: `metadata.labels['${JOB_NAME_LABEL}']` } } },
    { name: 'BACKUP_JOB_UID', valueFrom: { fieldRef: { fieldPath: `metadata.labels['${JOB_UID_LABEL}']` } } },
    { name: 'BACKUP_CLAIM', value: spec.volume },
  ];
  if (spec.volumeSnapshotClass !== undefined)
    env.push({ name: 'BACKUP_SNAPSHOT_CLASS', value: spec.volumeSnapshotClass });
  env.push({ name: 'COPY_POD', value: JSON.stringify(copyPodManifest(spec, cronJob)) });
  const jobSpec: Record<string, unknown> = {
    template: {
      spec: {
        restartPolicy: 'OnFailure',
        serviceAccountName: spec.serviceAccount,
        containers: [
          { name: 'backup', image: spec.kubectlImage, command: ['/bin/sh', '-c'], args: [BACKUP_RUN_SCRIPT], env },
        ],
      },
    },
  };
  if (spec.activeDeadlineSeconds !== undefined) jobSpec.activeDeadlineSeconds = spec.activeDeadlineSeconds;
  return { spec: jobSpec };
}

/** Velero's AWS plugin reads these; a location Velero should not treat as its default says so. */
function storageLocationManifest(
  header: Header,
  metadata: KubernetesManifest['metadata'],
  spec: BackupStorageLocationSpec,
): KubernetesManifest {
  const objectStorage: Record<string, string> = { bucket: spec.bucket };
  if (spec.prefix !== '') objectStorage.prefix = spec.prefix;
  return {
    ...header,
    metadata,
    spec: {
      provider: spec.provider,
      objectStorage,
      ...(Object.keys(spec.config).length === 0 ? {} : { config: { ...spec.config } }),
      ...(spec.credential === undefined ? {} : { credential: { ...spec.credential } }),
    },
  };
}

/**
 * A zone other than UTC goes into the schedule as `CRON_TZ=<zone> `, the one way Velero takes a zone (robfig/cron v3,
 * Velero 1.15 and later; docs/TEST-WORLD.md). UTC is written bare: Velero's server runs in UTC, and older Velero
 * rejects the prefix.
 */
export function veleroCron(schedule: string, timeZone: string): string {
  return timeZone === 'Etc/UTC' || timeZone === 'UTC' ? schedule : `CRON_TZ=${timeZone} ${schedule}`;
}

/** Hours, as Velero writes a ttl back (`720h0m0s`). */
export function veleroTtl(keepDays: number): string {
  return `${keepDays * 24}h0m0s`;
}

function scheduleManifest(
  header: Header,
  metadata: KubernetesManifest['metadata'],
  spec: VeleroScheduleSpec,
): KubernetesManifest {
  return {
    ...header,
    metadata,
    spec: {
      schedule: veleroCron(spec.schedule, spec.timeZone),
      paused: spec.paused,
      template: {
        includedNamespaces: [...spec.includedNamespaces],
        labelSelector: { matchLabels: { ...spec.labelSelector } },
        ttl: veleroTtl(spec.keepDays),
        storageLocation: spec.storageLocation,
        snapshotVolumes: spec.snapshotVolumes,
      },
    },
  };
}

/** The Job controller labels each pod with its Job's name and uid; the downward API hands them to the script. */
const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';
const JOB_UID_LABEL = 'batch.kubernetes.io/controller-uid';

/**
 * The AWS CLI reads AWS_REGION and AWS_ENDPOINT_URL from its environment, but path-style addressing only from its
 * config file, so the copy sets that first.
 */
export const COPY_SCRIPT = [
  'set -eu',
  'if [ "${BACKUP_PATH_STYLE:-}" = true ]; then aws configure set default.s3.addressing_style path; fi',
  'aws s3 sync "$BACKUP_SOURCE" "s3://$BACKUP_BUCKET/$BACKUP_PREFIX$(date -u +%Y/%m/%d)/"',
].join('\n');

/**
 * The pod that copies the run's restored claim to the bucket, with the run's names as placeholders. It takes the
 * Secret's keys as its environment (not optional: a missing Secret should stop the pod, not let it try anonymously), or
 * runs as the declared service account. It never needs the Kubernetes API, so no API token is mounted (IRSA's webhook
 * projects its own). A failed copy fails the run, which the CronJob's Job retries from a fresh snapshot.
 */
export function copyPodManifest(spec: BackupCronJobSpec, cronJob: string): KubernetesManifest {
  const env = [
    { name: 'BACKUP_SOURCE', value: BACKUP_MOUNT_PATH },
    { name: 'BACKUP_BUCKET', value: spec.destination.bucket },
    { name: 'BACKUP_PREFIX', value: spec.destination.prefix },
  ];
  if (spec.s3.region !== undefined) env.push({ name: 'AWS_REGION', value: spec.s3.region });
  if (spec.s3.endpoint !== undefined) env.push({ name: 'AWS_ENDPOINT_URL', value: spec.s3.endpoint });
  if (spec.s3.forcePathStyle) env.push({ name: 'BACKUP_PATH_STYLE', value: 'true' });
  const container: Record<string, unknown> = {
    name: 'copy',
    image: spec.image,
    command: ['/bin/sh', '-c'],
    args: [COPY_SCRIPT],
    env,
    volumeMounts: [{ name: 'data', mountPath: BACKUP_MOUNT_PATH, readOnly: true }],
  };
  if ('secret' in spec.credentials) container.envFrom = [{ secretRef: { name: spec.credentials.secret } }];
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: `${RUN_PLACEHOLDER}-copy`,
      labels: { [BACKUP_RUN_LABEL]: RUN_PLACEHOLDER, [BACKUP_CRONJOB_LABEL]: cronJob },
      ownerReferences: [{ apiVersion: 'batch/v1', kind: 'Job', name: RUN_PLACEHOLDER, uid: RUN_UID_PLACEHOLDER }],
    },
    spec: {
      restartPolicy: 'Never',
      ...('serviceAccount' in spec.credentials ? { serviceAccountName: spec.credentials.serviceAccount } : {}),
      automountServiceAccountToken: false,
      containers: [container],
      volumes: [{ name: 'data', persistentVolumeClaim: { claimName: RUN_PLACEHOLDER, readOnly: true } }],
    },
  };
}

/** Which backup a copy pod belongs to, for `kubectl get pods -l`. */
export const BACKUP_CRONJOB_LABEL = 'strata.dev/backup';

function roleManifest(header: Header, metadata: KubernetesManifest['metadata'], spec: RoleSpec): KubernetesManifest {
  // `rules` is an atomic list to server-side apply: strata's Role is its own, so it is replaced whole.
  return { ...header, metadata, rules: spec.rules.map((rule) => ({ ...rule })) };
}

function roleBindingManifest(
  header: Header,
  metadata: KubernetesManifest['metadata'],
  spec: RoleBindingSpec,
): KubernetesManifest {
  return {
    ...header,
    metadata,
    roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: spec.role },
    subjects: [{ kind: 'ServiceAccount', name: spec.serviceAccount, namespace: metadata.namespace }],
  };
}
