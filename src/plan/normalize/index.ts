/** One normalization table per kind; `normalizeSpec` runs a kind's rules so desired and observed compare by meaning. */
import type { ResourceKind } from '../../model/address.js';
import type { SpecByKind } from '../../model/resources.js';
import { canonicalize } from '../../model/canonical.js';
import {
  BACKUP_STORAGE_LOCATION_RULES,
  CRON_JOB_RULES,
  NAMESPACE_RULES,
  PERSISTENT_VOLUME_CLAIM_RULES,
  PROMETHEUS_RULE_RULES,
  RESOURCE_QUOTA_RULES,
  SCHEDULE_RULES,
  ROLE_BINDING_RULES,
  ROLE_RULES,
  SERVICE_ACCOUNT_RULES,
  STORAGE_CLASS_RULES,
} from './kubernetes.js';
import { applyRules, type NormalizationRule } from './rule.js';
import {
  BUCKET_ENCRYPTION_RULES,
  BUCKET_LIFECYCLE_RULES,
  BUCKET_OBJECT_LOCK_RULES,
  BUCKET_POLICY_RULES,
  BUCKET_PUBLIC_ACCESS_BLOCK_RULES,
  BUCKET_RULES,
  BUCKET_TAGS_RULES,
  BUCKET_VERSIONING_RULES,
} from './s3.js';

export type NormalizationTables = { [K in ResourceKind]: NormalizationRule<SpecByKind[K]>[] };

export const NORMALIZATION_TABLES: NormalizationTables = {
  Namespace: NAMESPACE_RULES,
  StorageClass: STORAGE_CLASS_RULES,
  ResourceQuota: RESOURCE_QUOTA_RULES,
  PersistentVolumeClaim: PERSISTENT_VOLUME_CLAIM_RULES,
  ServiceAccount: SERVICE_ACCOUNT_RULES,
  Role: ROLE_RULES,
  RoleBinding: ROLE_BINDING_RULES,
  CronJob: CRON_JOB_RULES,
  PrometheusRule: PROMETHEUS_RULE_RULES,
  BackupStorageLocation: BACKUP_STORAGE_LOCATION_RULES,
  Schedule: SCHEDULE_RULES,
  Bucket: BUCKET_RULES,
  BucketVersioning: BUCKET_VERSIONING_RULES,
  BucketObjectLock: BUCKET_OBJECT_LOCK_RULES,
  BucketEncryption: BUCKET_ENCRYPTION_RULES,
  BucketPublicAccessBlock: BUCKET_PUBLIC_ACCESS_BLOCK_RULES,
  BucketLifecycle: BUCKET_LIFECYCLE_RULES,
  BucketTags: BUCKET_TAGS_RULES,
  BucketPolicy: BUCKET_POLICY_RULES,
};

/** The canonical comparison form of a spec: every rule of its kind applied, keys sorted, undefined dropped. */
export function normalizeSpec<K extends ResourceKind>(kind: K, spec: SpecByKind[K]): SpecByKind[K] {
  const rules = NORMALIZATION_TABLES[kind] as NormalizationRule<SpecByKind[K]>[];
  return canonicalize(applyRules(rules, structuredClone(spec)));
}

export { normalizePolicyDocument, allowsEveryone, statementActions } from './policy.js';
export type { NormalizationRule } from './rule.js';
