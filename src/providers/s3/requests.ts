/** Normalized specs turned into the S3 request shapes that write them. Pure; the inverse of decode.ts. */
import type {
  LifecycleRule as S3LifecycleRule,
  LifecycleRuleFilter,
  ObjectLockConfiguration,
  PublicAccessBlockConfiguration,
  ServerSideEncryptionConfiguration,
  Tag,
  TransitionStorageClass,
} from '@aws-sdk/client-s3';
import type {
  BucketEncryptionSpec,
  BucketObjectLockSpec,
  BucketPublicAccessBlockSpec,
  LifecycleRule,
} from '../../model/resources.js';
import { quantityToNumber } from '../../model/quantity.js';

export function tagSet(tags: Record<string, string>): Tag[] {
  return Object.keys(tags)
    .sort()
    .map((key) => ({ Key: key, Value: tags[key] }));
}

/** Always written with its ID: RGW gives an ID-less rule a random one, which would read as drift forever. */
export function lifecycleRuleRequest(rule: LifecycleRule): S3LifecycleRule {
  const request: S3LifecycleRule = {
    ID: rule.id,
    Status: rule.enabled ? 'Enabled' : 'Disabled',
    Filter: lifecycleFilter(rule),
  };
  if (rule.transitions.length > 0) {
    request.Transitions = rule.transitions.map((t) => ({
      Days: t.days,
      StorageClass: t.storageClass as TransitionStorageClass,
    }));
  }
  if (rule.expirationDays !== undefined || rule.expiredObjectDeleteMarker) {
    request.Expiration = {
      ...(rule.expirationDays === undefined ? {} : { Days: rule.expirationDays }),
      ...(rule.expiredObjectDeleteMarker ? { ExpiredObjectDeleteMarker: true } : {}),
    };
  }
  if (rule.noncurrentTransitions.length > 0) {
    request.NoncurrentVersionTransitions = rule.noncurrentTransitions.map((t) => ({
      NoncurrentDays: t.days,
      StorageClass: t.storageClass as TransitionStorageClass,
    }));
  }
  if (rule.noncurrentExpirationDays !== undefined) {
    request.NoncurrentVersionExpiration = { NoncurrentDays: rule.noncurrentExpirationDays };
  }
  if (rule.abortIncompleteUploadsDays !== undefined) {
    request.AbortIncompleteMultipartUpload = { DaysAfterInitiation: rule.abortIncompleteUploadsDays };
  }
  return request;
}

/**
 * S3 takes exactly one condition at the top of a filter; two or more (a prefix and a size, two tags) go in an `And`.
 * Sizes are sent in bytes.
 */
function lifecycleFilter(rule: LifecycleRule): LifecycleRuleFilter {
  const tags = tagSet(rule.tags);
  const sizes = {
    ...(rule.largerThan === undefined ? {} : { ObjectSizeGreaterThan: quantityToNumber(rule.largerThan) }),
    ...(rule.smallerThan === undefined ? {} : { ObjectSizeLessThan: quantityToNumber(rule.smallerThan) }),
  };
  const prefix = rule.prefix === '' ? {} : { Prefix: rule.prefix };
  const conditions = Object.keys(prefix).length + tags.length + Object.keys(sizes).length;
  const [onlyTag] = tags;
  if (conditions === 0) return { Prefix: '' };
  if (conditions > 1) return { And: { ...prefix, ...(tags.length > 0 ? { Tags: tags } : {}), ...sizes } };
  return onlyTag ? { Tag: onlyTag } : { ...prefix, ...sizes };
}

export function objectLockRequest(spec: BucketObjectLockSpec): ObjectLockConfiguration {
  const retention = spec.defaultRetention;
  return {
    ObjectLockEnabled: 'Enabled',
    ...(retention
      ? {
          Rule: {
            DefaultRetention: {
              Mode: retention.mode,
              ...(retention.days === undefined ? {} : { Days: retention.days }),
              ...(retention.years === undefined ? {} : { Years: retention.years }),
            },
          },
        }
      : {}),
  };
}

export function publicAccessBlockRequest(spec: BucketPublicAccessBlockSpec): PublicAccessBlockConfiguration {
  return {
    BlockPublicAcls: spec.blockPublicAcls,
    IgnorePublicAcls: spec.ignorePublicAcls,
    BlockPublicPolicy: spec.blockPublicPolicy,
    RestrictPublicBuckets: spec.restrictPublicBuckets,
  };
}

export function encryptionRequest(spec: BucketEncryptionSpec): ServerSideEncryptionConfiguration {
  return {
    Rules: [
      {
        ApplyServerSideEncryptionByDefault: {
          SSEAlgorithm: spec.algorithm,
          ...(spec.kmsKeyId ? { KMSMasterKeyID: spec.kmsKeyId } : {}),
        },
      },
    ],
  };
}
