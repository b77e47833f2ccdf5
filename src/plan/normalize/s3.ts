/**
 * Normalization tables for S3 bucket settings, including what Ceph RGW changes on read-back (docs/TEST-WORLD.md): rules
 * sorted by ID, transitions sorted by storage class, an empty filter read as `Prefix: ""`, tags sorted by key, sizes
 * read in bytes, a fresh bucket's versioning read as `{}`, an unconfigured public access block read as all-false.
 */
import type {
  BucketEncryptionSpec,
  BucketLifecycleSpec,
  BucketObjectLockSpec,
  BucketPolicySpec,
  BucketPublicAccessBlockSpec,
  BucketSpec,
  BucketTagsSpec,
  BucketVersioningSpec,
  LifecycleRule,
  LifecycleTransition,
} from '../../model/resources.js';
import { sortedRecord } from '../../model/canonical.js';
import { compareText } from '../../model/compare.js';
import { bytesQuantity, isQuantity, quantityToNumber } from '../../model/quantity.js';
import { nameStatements, normalizePolicyDocument, normalizeStatements } from './policy.js';
import type { NormalizationRule } from './rule.js';

/** S3 reports a us-east-1 bucket's location as an empty LocationConstraint. */
const DEFAULT_REGION = 'us-east-1';

export const BUCKET_RULES: NormalizationRule<BucketSpec>[] = [
  {
    rule: `an empty region is ${DEFAULT_REGION} (S3 reports it as an empty LocationConstraint)`,
    apply: (spec) => (spec.region === '' ? { ...spec, region: DEFAULT_REGION } : spec),
  },
  {
    rule: 'an omitted objectLockEnabled is false',
    apply: (spec) => ({ ...spec, objectLockEnabled: spec.objectLockEnabled === true }),
  },
];

export const BUCKET_VERSIONING_RULES: NormalizationRule<BucketVersioningSpec>[] = [
  {
    // S3 can never return a bucket to "never versioned"; for new objects both mean "no versions are kept".
    rule: 'Disabled (never enabled: a fresh bucket reads {}) equals Suspended',
    apply: (spec) => ({ status: spec.status === 'Enabled' ? 'Enabled' : 'Suspended' }),
  },
];

export const BUCKET_OBJECT_LOCK_RULES: NormalizationRule<BucketObjectLockSpec>[] = [
  {
    rule: 'a default retention without days or years is written as absent fields, never as nulls',
    apply: (spec) => {
      if (spec.defaultRetention === undefined) return {};
      const { mode, days, years } = spec.defaultRetention;
      return { defaultRetention: { mode, ...(days == null ? {} : { days }), ...(years == null ? {} : { years }) } };
    },
  },
];

export const BUCKET_ENCRYPTION_RULES: NormalizationRule<BucketEncryptionSpec>[] = [
  {
    rule: 'a KMS key id only counts with aws:kms',
    apply: (spec) =>
      spec.algorithm === 'aws:kms' && spec.kmsKeyId !== undefined ? spec : { algorithm: spec.algorithm },
  },
];

export const BUCKET_PUBLIC_ACCESS_BLOCK_RULES: NormalizationRule<BucketPublicAccessBlockSpec>[] = [
  {
    rule: 'an omitted setting is false (RGW reads an unconfigured block as all-false instead of 404)',
    apply: (spec) => ({
      blockPublicAcls: spec.blockPublicAcls === true,
      ignorePublicAcls: spec.ignorePublicAcls === true,
      blockPublicPolicy: spec.blockPublicPolicy === true,
      restrictPublicBuckets: spec.restrictPublicBuckets === true,
    }),
  },
];

export const BUCKET_LIFECYCLE_RULES: NormalizationRule<BucketLifecycleSpec>[] = [
  {
    rule: 'rules compare by id regardless of order (RGW returns them sorted by id)',
    apply: (spec) => withRules(spec, (rules) => [...rules].sort((a, b) => compareText(a.id, b.id))),
  },
  {
    rule: 'an absent prefix is the empty prefix (RGW reads Filter {} and Filter {Prefix: ""} back as Prefix "")',
    apply: (spec) => withRules(spec, (rules) => rules.map((rule) => ({ ...rule, prefix: rule.prefix ?? '' }))),
  },
  {
    rule: 'a rule without a tag filter has empty tags; tag filters compare as a map',
    apply: (spec) => withRules(spec, (rules) => rules.map((rule) => ({ ...rule, tags: sortedRecord(rule.tags) }))),
  },
  {
    rule: 'a size filter compares by value, in one form: 1Gi equals 1024Mi and 1073741824 (S3 reads sizes back in bytes)',
    apply: (spec) =>
      withRules(spec, (rules) =>
        rules.map(({ largerThan, smallerThan, ...rule }) => ({
          ...rule,
          ...(largerThan === undefined ? {} : { largerThan: sizeQuantity(largerThan) }),
          ...(smallerThan === undefined ? {} : { smallerThan: sizeQuantity(smallerThan) }),
        })),
      ),
  },
  {
    rule: 'an omitted enabled is true',
    apply: (spec) => withRules(spec, (rules) => rules.map((rule) => ({ ...rule, enabled: rule.enabled !== false }))),
  },
  {
    rule: 'transitions compare as a set, sorted by days then storage class (RGW sorts them by storage class)',
    apply: (spec) =>
      withRules(spec, (rules) =>
        rules.map((rule) => ({
          ...rule,
          transitions: sortTransitions(rule.transitions),
          noncurrentTransitions: sortTransitions(rule.noncurrentTransitions),
        })),
      ),
  },
  {
    rule: 'expiredObjectDeleteMarker false equals absent',
    apply: (spec) =>
      withRules(spec, (rules) =>
        rules.map(({ expiredObjectDeleteMarker, ...rule }) =>
          expiredObjectDeleteMarker === true ? { ...rule, expiredObjectDeleteMarker } : rule,
        ),
      ),
  },
];

export const BUCKET_TAGS_RULES: NormalizationRule<BucketTagsSpec>[] = [
  {
    rule: 'tags compare as a map: key order is ignored (RGW returns them sorted by key)',
    apply: (spec) => {
      const normalized: BucketTagsSpec = { tags: sortedRecord(spec.tags) };
      if (spec.unmanagedTags !== undefined) normalized.unmanagedTags = sortedRecord(spec.unmanagedTags);
      return normalized;
    },
  },
];

export const BUCKET_POLICY_RULES: NormalizationRule<BucketPolicySpec>[] = [
  {
    // Observed managed statements carry a Sid (that is how they were told apart): this names declared ones only.
    rule: 'a declared statement without a Sid is the statement strata writes as strata<hash of its content>',
    apply: (spec) => withPolicy(spec, nameStatements(spec.document ?? {})),
  },
  {
    rule: 'a policy compares as parsed JSON the way AWS reads it: key and statement order ignored, a repeated statement counts once, ["s3:GetObject"] equals "s3:GetObject", {"AWS": "*"} equals "*"',
    apply: (spec) => withPolicy(spec, normalizePolicyDocument(spec.document ?? {})),
  },
];

/** Others' statements go along in a fixed order, for people: never named or compared (apply writes the live ones). */
function withPolicy(spec: BucketPolicySpec, document: Record<string, unknown>): BucketPolicySpec {
  return spec.unmanagedStatements === undefined
    ? { document }
    : { document, unmanagedStatements: normalizeStatements(spec.unmanagedStatements) };
}

/** Applies a rule to the managed rules and to the unmanaged ones found on the bucket alike. */
function withRules(
  spec: BucketLifecycleSpec,
  change: (rules: LifecycleRule[]) => LifecycleRule[],
): BucketLifecycleSpec {
  const normalized: BucketLifecycleSpec = { rules: change(spec.rules ?? []) };
  if (spec.unmanagedRules !== undefined) normalized.unmanagedRules = change(spec.unmanagedRules);
  return normalized;
}

function sizeQuantity(text: string): string {
  return isQuantity(text) ? bytesQuantity(quantityToNumber(text)) : text;
}

function sortTransitions(transitions: LifecycleTransition[] | undefined): LifecycleTransition[] {
  return [...(transitions ?? [])].sort((a, b) => a.days - b.days || compareText(a.storageClass, b.storageClass));
}
