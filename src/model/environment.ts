/**
 * The environment file as written (after schema validation), before it is expanded into resources.
 * `schemas/environment.schema.json` is the source of truth for what may be written; this mirrors it.
 */
import type {
  AccessMode,
  Capability,
  ObjectLockMode,
  ReclaimPolicy,
  S3StorageClass,
  VolumeBindingMode,
} from './resources.js';

export interface EnvironmentDocument {
  apiVersion: 'strata.dev/v1alpha1';
  kind: 'Environment';
  metadata: { name: string; promotesFrom?: string; description?: string };
  targets: {
    kubernetes?: { context?: string };
    /** Where Velero runs, for the velero backup engine's objects; `velero` when absent. */
    velero?: { namespace?: string };
    /** `unsupported`: optional capabilities this server is known to lack, so their blocked settings are not changes. */
    s3?: {
      region?: string;
      endpoint?: string;
      forcePathStyle?: boolean;
      concurrency?: number;
      unsupported?: Capability[];
    };
  };
  storageClasses?: Record<string, StorageClassDeclaration>;
  namespaces?: Record<string, NamespaceDeclaration>;
  buckets?: Record<string, BucketDeclaration>;
  /** Known differences a drift report should not flag. */
  ignore?: IgnoreRule[];
}

/** One accepted difference between desired and observed state, with the reason it is accepted. */
export interface IgnoreRule {
  /** Resource address glob over `addressKey` form; `*` matches one segment, e.g. any namespace's `deepwiki-data` claim. */
  address: string;
  /** Attribute path inside the spec (`labels`, `rules`); absent means the whole resource. */
  path?: string;
  reason: string;
  /** Last day (YYYY-MM-DD) the rule applies; after it the difference is reported again. */
  until?: string;
}

export interface StorageClassDeclaration {
  /** Physical name; defaults to the logical key. */
  name?: string;
  provisioner: string;
  parameters?: Record<string, string>;
  reclaimPolicy?: ReclaimPolicy;
  volumeBindingMode?: VolumeBindingMode;
  allowVolumeExpansion?: boolean;
  mountOptions?: string[];
}

export interface NamespaceDeclaration {
  name: string;
  labels?: Record<string, string>;
  quota?: QuotaDeclaration;
  /** Alerts on the namespace's storage quota use. */
  alerts?: AlertsDeclaration;
  volumes?: Record<string, VolumeDeclaration>;
  backups?: Record<string, BackupDeclaration>;
}

export interface QuotaDeclaration {
  'requests.storage'?: string;
  persistentvolumeclaims?: number;
  /** Per storage class (logical key) storage limits. */
  classes?: Record<string, string>;
}

/** Capacity alert thresholds (`75%`) and how long each must hold before the alert fires (`15m`). */
export interface AlertsDeclaration {
  warning?: string;
  critical?: string;
  for?: { warning?: string; critical?: string };
}

export interface VolumeDeclaration {
  /** Physical claim name; defaults to the logical key. */
  name?: string;
  storageClass: string;
  size: string;
  maxSize?: string;
  /** pvc-autoresizer's bounds: grow by `step` once the volume is `at` full (`80%`), up to maxSize. */
  growth?: { at: string; step: string };
  accessModes?: AccessMode[];
  volumeMode?: 'Filesystem' | 'Block';
  /** An explicit opt-out of backups, with the reason; otherwise some backup of the namespace should name the volume. */
  backup?: { none: string };
  /** Alerts on how full the claim's volume is. */
  alerts?: AlertsDeclaration;
}

export type BackupEngine = 'velero' | 'cronjob';

/** One of three forms; `checkBackups` says which engine reads which. */
export interface BackupCredentialsDeclaration {
  secret?: string;
  key?: string;
  serviceAccount?: string;
  veleroServer?: true;
}

export interface BackupDeclaration {
  /** Physical CronJob name, or the part of the Schedule's name after `<namespace>-`; defaults to the logical key. */
  name?: string;
  /** velero when absent. */
  engine?: BackupEngine;
  credentials: BackupCredentialsDeclaration;
  volume: string;
  schedule: string;
  timeZone?: string;
  destination: { bucket: string; prefix: string };
  keep: string;
  concurrencyPolicy?: 'Allow' | 'Forbid' | 'Replace';
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
  deadline?: string;
  image?: string;
  kubectlImage?: string;
  volumeSnapshotClass?: string;
  suspend?: boolean;
}

export interface BucketDeclaration {
  name: string;
  versioning?: boolean;
  objectLock?: { mode: ObjectLockMode; days?: number; years?: number };
  encryption?: 'AES256' | 'aws:kms';
  kmsKeyId?: string;
  publicAccess?: 'blocked' | 'open';
  tags?: Record<string, string>;
  policy?: Record<string, unknown>;
  lifecycle?: LifecycleRuleDeclaration[];
}

export interface LifecycleRuleDeclaration {
  id: string;
  enabled?: boolean;
  prefix?: string;
  tags?: Record<string, string>;
  largerThan?: string;
  smallerThan?: string;
  transitions?: { after: string; storageClass: S3StorageClass }[];
  expireAfter?: string;
  expiredObjectDeleteMarker?: boolean;
  noncurrentTransitions?: { after: string; storageClass: S3StorageClass }[];
  noncurrentExpireAfter?: string;
  abortIncompleteUploadsAfter?: string;
}
