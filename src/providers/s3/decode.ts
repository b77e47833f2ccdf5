/**
 * S3 configurations as read from the server, decoded into the specs of src/model/resources.ts. Every read-back
 * difference of Ceph RGW listed in docs/TEST-WORLD.md is absorbed here, so an unchanged bucket never reads as drift:
 * - a fresh bucket's versioning reads `{}`: that is `Disabled`;
 * - `Filter: {}` and `Filter: {Prefix: ""}` come back as a top-level `Prefix: ""`;
 * - `Filter.And{Prefix, Tags}` comes back as `Filter{Prefix, And{Tags}}`;
 * - size filters come back in bytes (read as a quantity, `1Gi`); RGW 16 drops them, which the capability probe reports;
 * - rules come back sorted by ID and transitions sorted by storage class: both are sorted here by a fixed order;
 * - an unconfigured public access block reads all-false instead of a 404: all-false is treated as absent.
 */
import type {
  LifecycleRule as S3LifecycleRule,
  ObjectLockConfiguration,
  PublicAccessBlockConfiguration,
  ServerSideEncryptionConfiguration,
  Tag,
} from '@aws-sdk/client-s3';
import {
  BUCKET_OWNER_TAG,
  ENVIRONMENT_LABEL,
  MANAGED_BY_VALUE,
  type BucketEncryptionSpec,
  type BucketLifecycleSpec,
  type BucketObjectLockSpec,
  type BucketPublicAccessBlockSpec,
  type BucketTagsSpec,
  type LifecycleRule,
  type LifecycleTransition,
  type S3StorageClass,
  type VersioningStatus,
} from '../../model/resources.js';
import { compareText } from '../../model/compare.js';
import { bytesQuantity } from '../../model/quantity.js';
import { ProviderError } from '../../errors/provider-error.js';

/** The policy text a bucket holds, parsed; the planner never sees text. */
export function parsePolicy(text: string, bucket: string): Record<string, unknown> {
  try {
    return JSON.parse(text) as Record<string, unknown>;
  } catch (error) {
    throw new ProviderError('the bucket policy on the server is not valid JSON', {
      address: { system: 's3', kind: 'BucketPolicy', name: bucket },
      hint: 'fix or delete the policy on the bucket, then plan again',
      cause: error,
    });
  }
}

export function versioningStatus(status: string | undefined): VersioningStatus {
  return status === 'Enabled' || status === 'Suspended' ? status : 'Disabled';
}

export function objectLockSpec(configuration: ObjectLockConfiguration): BucketObjectLockSpec {
  const retention = configuration.Rule?.DefaultRetention;
  if (!retention?.Mode) return {};
  return {
    defaultRetention: {
      mode: retention.Mode,
      ...(retention.Days === undefined ? {} : { days: retention.Days }),
      ...(retention.Years === undefined ? {} : { years: retention.Years }),
    },
  };
}

/** `undefined` when nothing is blocked: RGW reads an unconfigured block as all-false, AWS as a 404. */
export function publicAccessBlockSpec(
  configuration: PublicAccessBlockConfiguration | undefined,
): BucketPublicAccessBlockSpec | undefined {
  const spec = {
    blockPublicAcls: configuration?.BlockPublicAcls ?? false,
    ignorePublicAcls: configuration?.IgnorePublicAcls ?? false,
    blockPublicPolicy: configuration?.BlockPublicPolicy ?? false,
    restrictPublicBuckets: configuration?.RestrictPublicBuckets ?? false,
  };
  return Object.values(spec).some(Boolean) ? spec : undefined;
}

/** `undefined` when the answer holds no rule (RGW 16 answers `?encryption` with an unrelated listing). */
export function encryptionSpec(
  configuration: ServerSideEncryptionConfiguration | undefined,
): BucketEncryptionSpec | undefined {
  const byDefault = configuration?.Rules?.find(
    (rule) => rule.ApplyServerSideEncryptionByDefault,
  )?.ApplyServerSideEncryptionByDefault;
  if (!byDefault?.SSEAlgorithm) return undefined;
  return {
    algorithm: byDefault.SSEAlgorithm as BucketEncryptionSpec['algorithm'],
    ...(byDefault.KMSMasterKeyID ? { kmsKeyId: byDefault.KMSMasterKeyID } : {}),
  };
}

export function tagMap(tags: Tag[] | undefined): Record<string, string> {
  return Object.fromEntries(
    (tags ?? []).map((tag): [string, string] => [tag.Key ?? '', tag.Value ?? '']).sort(([a], [b]) => compareText(a, b)),
  );
}

export function ownerTags(environment: string): Record<string, string> {
  return { [BUCKET_OWNER_TAG]: MANAGED_BY_VALUE, [ENVIRONMENT_LABEL]: environment };
}

/** The environment strata's tags say manage the bucket, when they are strata's. */
export function ownerEnvironment(tags: Record<string, string>): string | undefined {
  return tags[BUCKET_OWNER_TAG] === MANAGED_BY_VALUE ? tags[ENVIRONMENT_LABEL] : undefined;
}

export function isOwned(tags: Record<string, string>, environment: string): boolean {
  return ownerEnvironment(tags) === environment;
}

/** Declared keys and strata's own ownership tags are managed; every other tag is kept as found. */
export function tagsSpec(tags: Record<string, string>, declaredKeys: ReadonlySet<string>): BucketTagsSpec {
  const managed: Record<string, string> = {};
  const unmanaged: Record<string, string> = {};
  for (const [key, value] of Object.entries(tags)) {
    if (declaredKeys.has(key) || key === BUCKET_OWNER_TAG || key === ENVIRONMENT_LABEL) managed[key] = value;
    else unmanaged[key] = value;
  }
  return { tags: managed, unmanagedTags: unmanaged };
}

/** Rules with a declared ID are managed; rules with any other ID are shown and kept as found. */
export function lifecycleSpec(rules: S3LifecycleRule[], declaredIds: ReadonlySet<string>): BucketLifecycleSpec {
  const decoded = rules.map(lifecycleRule).sort((a, b) => compareText(a.id, b.id));
  return {
    rules: decoded.filter((rule) => declaredIds.has(rule.id)),
    unmanagedRules: decoded.filter((rule) => !declaredIds.has(rule.id)),
  };
}

export function lifecycleRule(rule: S3LifecycleRule): LifecycleRule {
  const filter = rule.Filter;
  const tags = filter?.Tag ? [filter.Tag] : (filter?.And?.Tags ?? []);
  // A size sits in And beside other conditions (AWS), or beside Prefix at the top, as RGW places And's Prefix.
  const largerThan = filter?.ObjectSizeGreaterThan ?? filter?.And?.ObjectSizeGreaterThan;
  const smallerThan = filter?.ObjectSizeLessThan ?? filter?.And?.ObjectSizeLessThan;
  const decoded: LifecycleRule = {
    id: rule.ID ?? '',
    enabled: rule.Status === 'Enabled',
    prefix: filter?.Prefix ?? filter?.And?.Prefix ?? rule.Prefix ?? '',
    tags: tagMap(tags),
    ...(largerThan === undefined ? {} : { largerThan: bytesQuantity(largerThan) }),
    ...(smallerThan === undefined ? {} : { smallerThan: bytesQuantity(smallerThan) }),
    transitions: sortTransitions(
      (rule.Transitions ?? []).filter((t) => t.Days !== undefined).map((t) => transition(t.Days, t.StorageClass)),
    ),
    noncurrentTransitions: sortTransitions(
      (rule.NoncurrentVersionTransitions ?? []).map((t) => transition(t.NoncurrentDays, t.StorageClass)),
    ),
  };
  if (rule.Expiration?.Days !== undefined) decoded.expirationDays = rule.Expiration.Days;
  if (rule.Expiration?.ExpiredObjectDeleteMarker) decoded.expiredObjectDeleteMarker = true;
  if (rule.NoncurrentVersionExpiration?.NoncurrentDays !== undefined) {
    decoded.noncurrentExpirationDays = rule.NoncurrentVersionExpiration.NoncurrentDays;
  }
  if (rule.AbortIncompleteMultipartUpload?.DaysAfterInitiation !== undefined) {
    decoded.abortIncompleteUploadsDays = rule.AbortIncompleteMultipartUpload.DaysAfterInitiation;
  }
  return decoded;
}

function transition(days: number | undefined, storageClass: string | undefined): LifecycleTransition {
  return { days: days ?? 0, storageClass: (storageClass ?? 'STANDARD') as S3StorageClass };
}

function sortTransitions(transitions: LifecycleTransition[]): LifecycleTransition[] {
  return transitions.sort((a, b) => a.days - b.days || compareText(a.storageClass, b.storageClass));
}
