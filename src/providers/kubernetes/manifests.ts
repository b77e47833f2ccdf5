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
  type SpecByKind,
  type StorageClassSpec,
  type VeleroScheduleSpec,
} from '../../model/resources.js';
import { KIND_INFO } from './kinds.js';

export const BACKUP_DESTINATION_ANNOTATION = 'strata.dev/backup-destination';
export const BACKUP_KEEP_ANNOTATION = 'strata.dev/backup-keep-days';
/** Optional Secret with AWS credentials for backup jobs; without it the job relies on the pod's identity (IRSA, workload identity). */
export const BACKUP_CREDENTIALS_SECRET = 'strata-backup-s3';
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

/** A CronJob that syncs the claim to `s3://bucket/prefix/YYYY/MM/DD/` with the AWS CLI. */
function backupCronJobManifest(
  header: Header,
  metadata: KubernetesManifest['metadata'],
  spec: BackupCronJobSpec,
): KubernetesManifest {
  const jobSpec: Record<string, unknown> = {
    template: {
      spec: {
        restartPolicy: 'OnFailure',
        containers: [
          {
            name: 'backup',
            image: spec.image,
            command: ['/bin/sh', '-c'],
            args: ['aws s3 sync "$BACKUP_SOURCE" "s3://$BACKUP_BUCKET/$BACKUP_PREFIX$(date -u +%Y/%m/%d)/"'],
            env: [
              { name: 'BACKUP_SOURCE', value: BACKUP_MOUNT_PATH },
              { name: 'BACKUP_BUCKET', value: spec.destination.bucket },
              { name: 'BACKUP_PREFIX', value: spec.destination.prefix },
            ],
            envFrom: [{ secretRef: { name: BACKUP_CREDENTIALS_SECRET, optional: true } }],
            volumeMounts: [{ name: 'data', mountPath: BACKUP_MOUNT_PATH, readOnly: true }],
          },
        ],
        volumes: [{ name: 'data', persistentVolumeClaim: { claimName: spec.volume, readOnly: true } }],
      },
    },
  };
  if (spec.activeDeadlineSeconds !== undefined) jobSpec.activeDeadlineSeconds = spec.activeDeadlineSeconds;
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
      jobTemplate: { spec: jobSpec },
    },
  };
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
