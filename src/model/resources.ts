/**
 * Normalized specs: desired and observed resources share these shapes, so the planner can diff them by value.
 * Quantities are kept as written (strings) and compared through `quantity.ts`; durations are whole days or seconds.
 */
import type { ResourceAddress, ResourceKind } from './address.js';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'strata';
export const ENVIRONMENT_LABEL = 'strata.dev/environment';
/** On a claim a velero backup names: the volume's logical key, which its Schedule's label selector matches. */
export const VOLUME_LABEL = 'strata.dev/volume';
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
  /**
   * pvc-autoresizer may grow this class's claims (`resize.topolvm.io/enabled: "true"`). Absent: no annotation; false
   * (observed only): another value, which the autoresizer reads as not enabled.
   */
  autoresize?: boolean;
  /** Observed only: another writer's `resize.topolvm.io/enabled`; kept as found, never sent. */
  unmanagedAutoresize?: boolean;
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
  /**
   * Labels strata manages on the claim beyond ownership: the volume label a velero backup selects it by. Absent when
   * there are none, so a claim no velero backup names plans as it always did; others' labels are left to them.
   */
  labels?: Record<string, string>;
  /** Requested size (desired: the floor; observed: `spec.resources.requests.storage`). */
  size: string;
  /** Desired only: an autoscaler may grow the claim up to here; any size in [size, maxSize] is in sync. */
  maxSize?: string;
  /** pvc-autoresizer's settings on the claim, as strata manages them; absent when the file declares no growth. */
  growth?: ClaimGrowth;
  /** Observed only: growth annotations another writer set and strata's field manager does not own; kept as found. */
  unmanagedGrowth?: ClaimGrowth;
}

/**
 * The `resize.topolvm.io/*` annotations pvc-autoresizer reads on a claim, as written (model/growth.ts words them).
 * A live claim may carry only some: the autoresizer takes an absent threshold or increase as 10%.
 */
export interface ClaimGrowth {
  /** `threshold`: resize once the free space is below this, a percentage of the capacity (`20%`) or a quantity. */
  threshold?: string;
  /** `increase`: what one resize adds, a quantity (`20Gi`) or a percentage of the current capacity. */
  increase?: string;
  /** `storage_limit`: the size it never grows past (the volume's maxSize); without it the claim is not resized. */
  storageLimit?: string;
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
  /**
   * Observed only: where the Job a run makes is not what strata writes for the fields above (its scripts, the copy pod,
   * mounts), such as `spec.template.spec.containers[backup].args` after a `kubectl edit` or from an older strata. The
   * next apply writes strata's back.
   */
  editedTemplate?: string[];
}

/** One alerting rule as Prometheus reads it (`for` is a Prometheus duration such as `15m`). */
export interface AlertRuleSpec {
  alert: string;
  expr: string;
  for: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
}

export interface PrometheusRuleSpec {
  /**
   * Rule groups by name (`volume/<claim>`, `quota/<quota>`), each group's rules by their `severity` label: the wire's
   * lists keyed, so a changed threshold diffs as one rule's `expr`, not as a list.
   */
  groups: Record<string, Record<string, AlertRuleSpec>>;
  /** Observed only: groups another writer added to the list (keyed by name in the CRD); kept as found, never sent. */
  unmanagedGroups?: Record<string, Record<string, AlertRuleSpec>>;
}

/** A Velero `Schedule`: Velero runs the backups; strata declares what, when, where to and for how long. */
export interface VeleroScheduleSpec {
  /** Five-field cron, as declared. */
  schedule: string;
  /** IANA zone, written into the schedule as Velero reads it (`CRON_TZ=<zone> <cron>`). */
  timeZone: string;
  includedNamespaces: string[];
  /** `template.labelSelector.matchLabels`: the claim's volume label. */
  labelSelector: Record<string, string>;
  /** `template.ttl` in whole days (Velero writes it as a Go duration, 720h0m0s). */
  keepDays: number;
  /** The BackupStorageLocation the backups go to. */
  storageLocation: string;
  snapshotVolumes: boolean;
  paused: boolean;
}

/** A Velero `BackupStorageLocation`: a bucket and prefix Velero writes to, and the credentials it uses. */
export interface BackupStorageLocationSpec {
  provider: string;
  bucket: string;
  /** Velero's prefix, without the trailing slash (Velero adds it). */
  prefix: string;
  /** The AWS plugin's settings: region, s3Url, s3ForcePathStyle (strings, as Velero reads them). */
  config: Record<string, string>;
  /** A Secret in Velero's namespace and its key; absent for the Velero server's own identity. */
  credential?: { name: string; key: string };
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
  /** Size filter (S3 `ObjectSizeGreaterThan`): only objects larger than this quantity of bytes, e.g. `1Gi`. */
  largerThan?: string;
  /** Size filter (S3 `ObjectSizeLessThan`): only objects smaller than this quantity of bytes. */
  smallerThan?: string;
  transitions: LifecycleTransition[];
  expirationDays?: number;
  expiredObjectDeleteMarker?: boolean;
  noncurrentTransitions: LifecycleTransition[];
  noncurrentExpirationDays?: number;
  abortIncompleteUploadsDays?: number;
}

/** A rule with a size filter needs the `lifecycle-size-filters` capability. */
export function filtersBySize(rule: LifecycleRule): boolean {
  return rule.largerThan !== undefined || rule.smallerThan !== undefined;
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
  PrometheusRule: PrometheusRuleSpec;
  BackupStorageLocation: BackupStorageLocationSpec;
  Schedule: VeleroScheduleSpec;
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
  /** The server's identity of this incarnation of the object (a Kubernetes uid), told apart from one created again. */
  uid?: string;
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

/**
 * Optional server capabilities: S3 default encryption; lifecycle rules filtered by object size; API groups a cluster
 * serves only once a product installs its CRDs (monitoring.coreos.com/v1 PrometheusRule, velero.io/v1).
 */
export const CAPABILITIES = ['encryption', 'lifecycle-size-filters', 'prometheus-rules', 'velero'] as const;
export type Capability = (typeof CAPABILITIES)[number];

/**
 * The capability every object of a kind needs, whatever its spec: observation reports a kind whose API the server does
 * not serve as this capability missing, and the planner blocks that kind's objects. (A lifecycle needs size filters
 * only when its rules use them; the planner decides that one from the spec.)
 */
export const KIND_CAPABILITY: Partial<Record<ResourceKind, Capability>> = {
  BucketEncryption: 'encryption',
  PrometheusRule: 'prometheus-rules',
  BackupStorageLocation: 'velero',
  Schedule: 'velero',
};

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
