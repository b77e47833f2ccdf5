/**
 * Normalized specs: desired and observed resources share these shapes, so the planner can diff them by value.
 * Quantities are kept as written (strings) and compared through `quantity.ts`; durations are whole days or seconds.
 */
import type { ResourceAddress, ResourceKind } from './address.js';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'strata';
export const ENVIRONMENT_LABEL = 'strata.dev/environment';
/** strata's Kubernetes server-side apply field manager, as managedFields name it. */
export const FIELD_MANAGER = 'strata';
/** The S3 tag that marks a bucket as strata's (tags cannot hold a slash-free label key like Kubernetes'). */
export const BUCKET_OWNER_TAG = 'managed-by';

export interface NamespaceSpec {
  /** The labels strata manages: declared ones, and (observed) those its field manager owns. */
  labels: Record<string, string>;
  /** Observed only: labels another writer added (Pod Security, Istio, cost tooling); kept as found, never sent. */
  unmanagedLabels?: Record<string, string>;
}

export type ReclaimPolicy = 'Delete' | 'Retain';
export type VolumeBindingMode = 'Immediate' | 'WaitForFirstConsumer';

export interface StorageClassSpec {
  provisioner: string;
  parameters: Record<string, string>;
  reclaimPolicy: ReclaimPolicy;
  volumeBindingMode: VolumeBindingMode;
  allowVolumeExpansion: boolean;
  mountOptions: string[];
}

export interface ResourceQuotaSpec {
  /** Kubernetes `spec.hard` keys: `requests.storage`, `persistentvolumeclaims`, `<class>.storageclass.storage.k8s.io/requests.storage`, ... */
  hard: Record<string, string>;
  /** Observed only: limits another writer set that the file does not declare; kept as found, never sent. */
  unmanagedHard?: Record<string, string>;
}

export type AccessMode = 'ReadWriteOnce' | 'ReadOnlyMany' | 'ReadWriteMany' | 'ReadWriteOncePod';

export interface PersistentVolumeClaimSpec {
  storageClassName: string;
  accessModes: AccessMode[];
  volumeMode: 'Filesystem' | 'Block';
  /** Requested size (desired: the floor; observed: `spec.resources.requests.storage`). */
  size: string;
  /** Desired only: an autoscaler may grow the claim up to here; any size in [size, maxSize] is in sync. */
  maxSize?: string;
}

export interface PersistentVolumeClaimStatus {
  phase: 'Pending' | 'Bound' | 'Lost';
  capacity?: string;
  /** The claim's condition types while a resize is under way (Resizing, FileSystemResizePending). */
  conditions?: string[];
}

export interface BackupCronJobSpec {
  schedule: string;
  timeZone: string;
  /** The claim this job backs up. */
  volume: string;
  /** Physical bucket name and key prefix the job writes to. */
  destination: { bucket: string; prefix: string };
  /** How long backups are kept, in days (also an expiration rule on the destination prefix). */
  keepDays: number;
  concurrencyPolicy: 'Allow' | 'Forbid' | 'Replace';
  successfulJobsHistoryLimit: number;
  failedJobsHistoryLimit: number;
  activeDeadlineSeconds?: number;
  /** The copy's image, with the AWS CLI (v2: it reads AWS_ENDPOINT_URL). */
  image: string;
  /** How the copy reaches the bucket. */
  credentials: BackupCredentials;
  /** The service account the orchestration (snapshot, restore, copy pod, clean-up) runs as: strata's own. */
  serviceAccount: string;
  /** The orchestration's image: kubectl and a POSIX shell. */
  kubectlImage: string;
  /** The VolumeSnapshotClass of the snapshot; absent: the cluster's default class for the claim's driver. */
  volumeSnapshotClass?: string;
  /** targets.s3 as the copy's AWS CLI is told it. */
  s3: BackupS3Target;
  suspend: boolean;
}

/**
 * A Secret whose AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY become the copy's environment, or a service account the
 * copy runs as, whose identity the cloud trusts (IRSA, GKE workload identity).
 */
export type BackupCredentials = { secret: string } | { serviceAccount: string };

export interface BackupS3Target {
  /** AWS_REGION; absent: the AWS CLI's own resolution. */
  region?: string;
  /** AWS_ENDPOINT_URL; absent: AWS. */
  endpoint?: string;
  /** Path-style addressing (`aws configure set default.s3.addressing_style path`), as RGW and MinIO often need. */
  forcePathStyle: boolean;
}

/** The identity a cronjob backup's orchestration runs as; nothing in it is compared but its existence. */
export type ServiceAccountSpec = Record<string, never>;

/** One grant of a Role; core API resources have the group `""`. */
export interface RoleRule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
}

export interface RoleSpec {
  rules: RoleRule[];
}

/** Binds a Role of the same namespace to a service account of the same namespace. */
export interface RoleBindingSpec {
  role: string;
  serviceAccount: string;
}

export interface BucketSpec {
  region?: string;
  /** Object lock can only be switched on when a bucket is created. */
  objectLockEnabled: boolean;
}

export type VersioningStatus = 'Enabled' | 'Suspended' | 'Disabled';
export interface BucketVersioningSpec {
  status: VersioningStatus;
}

export type ObjectLockMode = 'GOVERNANCE' | 'COMPLIANCE';
export interface BucketObjectLockSpec {
  /** Default retention; absent means object lock is on without a default retention. */
  defaultRetention?: { mode: ObjectLockMode; days?: number; years?: number };
}

export interface BucketEncryptionSpec {
  algorithm: 'AES256' | 'aws:kms';
  kmsKeyId?: string;
}

export interface BucketPublicAccessBlockSpec {
  blockPublicAcls: boolean;
  ignorePublicAcls: boolean;
  blockPublicPolicy: boolean;
  restrictPublicBuckets: boolean;
}

export type S3StorageClass =
  'STANDARD' | 'STANDARD_IA' | 'ONEZONE_IA' | 'INTELLIGENT_TIERING' | 'GLACIER_IR' | 'GLACIER' | 'DEEP_ARCHIVE';

export interface LifecycleTransition {
  days: number;
  storageClass: S3StorageClass;
}

export interface LifecycleRule {
  id: string;
  enabled: boolean;
  /** Key prefix the rule applies to; `''` is the whole bucket. */
  prefix: string;
  /** Tag filter; empty when none. */
  tags: Record<string, string>;
  transitions: LifecycleTransition[];
  expirationDays?: number;
  expiredObjectDeleteMarker?: boolean;
  noncurrentTransitions: LifecycleTransition[];
  noncurrentExpirationDays?: number;
  abortIncompleteUploadsDays?: number;
}

export interface BucketLifecycleSpec {
  /** The rules strata manages, sorted by id. */
  rules: LifecycleRule[];
  /** Observed only: rules found on the bucket that strata does not manage; kept as found on every write. */
  unmanagedRules?: LifecycleRule[];
}

export interface BucketTagsSpec {
  /** The tags strata manages (declared ones plus the owner tag). */
  tags: Record<string, string>;
  /** Observed only: other tags found on the bucket; kept as found on every write. */
  unmanagedTags?: Record<string, string>;
}

export interface BucketPolicySpec {
  /** The parsed policy document with the statements strata manages (policy-statements.ts); compared as JSON, never as text. */
  document: Record<string, unknown>;
  /** Observed only: statements other writers put on the bucket; kept as found on every write. Absent when none. */
  unmanagedStatements?: Record<string, unknown>[];
}

export interface SpecByKind {
  Namespace: NamespaceSpec;
  StorageClass: StorageClassSpec;
  ResourceQuota: ResourceQuotaSpec;
  PersistentVolumeClaim: PersistentVolumeClaimSpec;
  ServiceAccount: ServiceAccountSpec;
  Role: RoleSpec;
  RoleBinding: RoleBindingSpec;
  CronJob: BackupCronJobSpec;
  Bucket: BucketSpec;
  BucketVersioning: BucketVersioningSpec;
  BucketObjectLock: BucketObjectLockSpec;
  BucketEncryption: BucketEncryptionSpec;
  BucketPublicAccessBlock: BucketPublicAccessBlockSpec;
  BucketLifecycle: BucketLifecycleSpec;
  BucketTags: BucketTagsSpec;
  BucketPolicy: BucketPolicySpec;
}

export type AnySpec = SpecByKind[ResourceKind];

/** Where a desired resource was declared, for messages that point back into the environment file. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
  /** JSON path inside the document, e.g. `/namespaces/codequal/volumes/deepwiki-data`. */
  path: string;
}

export interface DesiredResource<K extends ResourceKind = ResourceKind> {
  address: ResourceAddress & { kind: K };
  spec: SpecByKind[K];
  /** Logical key in the environment file (`codequal`, `backups`, `deepwiki-data`), stable across environments. */
  logicalKey: string;
  source?: SourceLocation;
  /** Resources that must exist first (a PVC depends on its StorageClass and Namespace). */
  dependsOn: ResourceAddress[];
}

export interface ObservedResource<K extends ResourceKind = ResourceKind> {
  address: ResourceAddress & { kind: K };
  spec: SpecByKind[K];
  /**
   * What strata manages of it, as observed: a hash of the normalized spec and ownership in Kubernetes, of the
   * configuration read in S3. A plan is stale when this moved; a controller's status write leaves it alone.
   */
  fingerprint: string;
  /** The server's version of the object as read (a Kubernetes resourceVersion): a write based on this read is conditional on it. */
  version?: string;
  /** Carries strata's ownership label or tag for this environment. */
  owned: boolean;
  /** Strata's label or tag names another environment: that environment manages it, and this one must not. */
  ownedByEnvironment?: string;
  /** Being deleted (a Kubernetes deletionTimestamp), held until these finalizers are removed. */
  terminating?: { finalizers: string[] };
  status?: PersistentVolumeClaimStatus;
  /**
   * Who manages each spec attribute, by attribute path (`size` → `["kubectl-edit"]`, `labels["team"]` → `["strata"]`),
   * from Kubernetes managedFields; absent where the system keeps no such record (S3, a snapshot).
   */
  fieldOwners?: Record<string, string[]>;
}

export type Capability = 'encryption';

export interface CapabilityReport {
  capability: Capability;
  supported: boolean;
  detail: string;
}

export interface Observed {
  resources: ObservedResource[];
  /** Optional capabilities probed on the live systems; unsupported ones are reported, never guessed. */
  capabilities: CapabilityReport[];
  /** Where the state came from, for the plan header (`context prod-eks`, `snapshot file ...`). No secrets. */
  sources: { kubernetes?: string; s3?: string };
  /** How long a live observation took, for the plan header; absent for a snapshot. */
  observedInMs?: number;
}

export function isKind<K extends ResourceKind>(
  resource: { address: ResourceAddress },
  kind: K,
): resource is { address: ResourceAddress & { kind: K } } & (DesiredResource<K> | ObservedResource<K>) {
  return resource.address.kind === kind;
}
