/**
 * Desired specs as the Kubernetes objects strata applies. Pure: the server-side apply body for each kind, carrying
 * strata's ownership labels. decode.ts reads these shapes back, so the two files change together.
 */
import type { KubernetesKind, ResourceAddress } from '../../model/address.js';
import {
  ENVIRONMENT_LABEL,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  type BackupCronJobSpec,
  type NamespaceSpec,
  type PersistentVolumeClaimSpec,
  type ResourceQuotaSpec,
  type SpecByKind,
  type StorageClassSpec,
} from '../../model/resources.js';
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
    metadata,
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
    metadata,
    spec: {
      storageClassName: spec.storageClassName,
      accessModes: [...spec.accessModes],
      volumeMode: spec.volumeMode,
      resources: { requests: { storage: spec.size } },
    },
  };
}

/** A CronJob that syncs the claim to `s3://bucket/prefix/YYYY/MM/DD/` with the AWS CLI. */
function backupCronJobManifest(
  header: Header,
  metadata: KubernetesManifest['metadata'],
  spec: BackupCronJobSpec,
): KubernetesManifest {
  const jobSpec: Record<string, unknown> = { template: { spec: copyPodSpec(spec, spec.volume) } };
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
 * The pod that copies `claim` to the bucket: with the Secret's keys as its environment (not optional: without them the
 * copy cannot run, and a missing Secret should stop the pod, not let it try AWS anonymously), or as the declared
 * service account. It never needs the Kubernetes API, so no API token is mounted (IRSA's webhook projects its own).
 */
export function copyPodSpec(spec: BackupCronJobSpec, claim: string): Record<string, unknown> {
  const env = [
    { name: 'BACKUP_SOURCE', value: BACKUP_MOUNT_PATH },
    { name: 'BACKUP_BUCKET', value: spec.destination.bucket },
    { name: 'BACKUP_PREFIX', value: spec.destination.prefix },
  ];
  if (spec.s3.region !== undefined) env.push({ name: 'AWS_REGION', value: spec.s3.region });
  if (spec.s3.endpoint !== undefined) env.push({ name: 'AWS_ENDPOINT_URL', value: spec.s3.endpoint });
  if (spec.s3.forcePathStyle) env.push({ name: 'BACKUP_PATH_STYLE', value: 'true' });
  const container: Record<string, unknown> = {
    name: 'backup',
    image: spec.image,
    command: ['/bin/sh', '-c'],
    args: [COPY_SCRIPT],
    env,
    volumeMounts: [{ name: 'data', mountPath: BACKUP_MOUNT_PATH, readOnly: true }],
  };
  if ('secret' in spec.credentials) container.envFrom = [{ secretRef: { name: spec.credentials.secret } }];
  return {
    restartPolicy: 'OnFailure',
    ...('serviceAccount' in spec.credentials ? { serviceAccountName: spec.credentials.serviceAccount } : {}),
    automountServiceAccountToken: false,
    containers: [container],
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName: claim, readOnly: true } }],
  };
}
