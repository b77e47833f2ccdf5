/**
 * Carries out one S3 change. Whole-set APIs (lifecycle, tagging, bucket policy) are read-modify-write: the rules, tags
 * and statements strata does not manage are taken from a fresh read and written back exactly as found, so nothing is
 * silently wiped.
 * A lifecycle whose size filters the server drops is put back as it was found (undoUnlessSizesKept).
 * What strata never does: delete objects (a non-empty bucket is refused), replace a bucket, remove default
 * encryption (on Ceph RGW 16 that request deletes the bucket), or turn versioning off.
 * A dry run builds and checks every request, reads what it needs, and writes nothing.
 */
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteBucketLifecycleCommand,
  DeleteBucketPolicyCommand,
  DeleteBucketTaggingCommand,
  DeletePublicAccessBlockCommand,
  ListObjectVersionsCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectLockConfigurationCommand,
  PutPublicAccessBlockCommand,
  type BucketLocationConstraint,
  type LifecycleRule as S3LifecycleRule,
} from '@aws-sdk/client-s3';
import type { S3Kind } from '../../model/address.js';
import { compareText } from '../../model/compare.js';
import { policyStatements, splitPolicy, statementSids } from '../../model/policy-statements.js';
import { isStepAction, type Change } from '../../model/plan.js';
import {
  BUCKET_OWNER_TAG,
  ENVIRONMENT_LABEL,
  type BucketEncryptionSpec,
  type BucketLifecycleSpec,
  type BucketObjectLockSpec,
  type BucketPolicySpec,
  type BucketPublicAccessBlockSpec,
  type BucketSpec,
  type BucketTagsSpec,
  type BucketVersioningSpec,
  type LifecycleRule,
  filtersBySize,
} from '../../model/resources.js';
import { quantitiesEqual } from '../../model/quantity.js';
import { ProviderError } from '../../errors/provider-error.js';
import { bucketReads, type BucketReads } from './bucket-reads.js';
import { isMissingBucket, isS3Error } from './errors.js';
import { isOwned, lifecycleRule, ownerTags, parsePolicy, tagMap, versioningStatus } from './decode.js';
import {
  encryptionRequest,
  lifecycleRuleRequest,
  objectLockRequest,
  publicAccessBlockRequest,
  tagSet,
} from './requests.js';
import { call, type S3Session } from './session.js';

export interface ApplyContext {
  session: S3Session;
  environment: string;
  region: string;
  dryRun: boolean;
  /**
   * The reads of the step's precondition read, or fresh ones: a setting merged with what others wrote (lifecycle
   * rules, tags, a policy) is taken from there, so the step reads it once before the write, not twice.
   */
  readBefore: BucketReads;
}

type Writer = (context: ApplyContext, change: Change) => Promise<void>;

const WRITERS: Record<S3Kind, Writer> = {
  Bucket: writeBucket,
  BucketVersioning: writeVersioning,
  BucketObjectLock: writeObjectLock,
  BucketLifecycle: writeLifecycle,
  BucketTags: writeTags,
  BucketPolicy: writePolicy,
  BucketPublicAccessBlock: writePublicAccessBlock,
  BucketEncryption: writeEncryption,
};

export async function applyS3Change(context: ApplyContext, change: Change): Promise<void> {
  const writer = WRITERS[change.address.kind as S3Kind] as Writer | undefined;
  if (!writer) throw refuse(change, `the S3 provider does not handle ${change.address.kind}`);
  if (!isStepAction(change.action)) throw refuse(change, `nothing to apply for a ${change.action} change`);
  await writer(context, change);
  // Adopting any part of a bucket makes the bucket strata's: it gets the owner tags (other tags are kept).
  if (change.action === 'adopt' && change.address.kind !== 'BucketTags')
    await ensureOwnerTags(context, change.address.name);
}

async function writeBucket(context: ApplyContext, change: Change): Promise<void> {
  const Bucket = change.address.name;
  const before = change.before as BucketSpec | undefined;
  switch (change.action) {
    case 'create': {
      const spec = desired<BucketSpec>(change);
      const region = spec.region ?? context.region;
      if (context.dryRun) return;
      try {
        await call(
          context.session,
          new CreateBucketCommand({
            Bucket,
            ...(spec.objectLockEnabled ? { ObjectLockEnabledForBucket: true } : {}),
            ...(region === 'us-east-1'
              ? {}
              : { CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }),
          }),
        );
      } catch (error) {
        // A resumed apply may find the bucket it created before a crash.
        if (!isS3Error(error, 'BucketAlreadyOwnedByYou')) throw error;
      }
      // Owned at once, so a crash before the tags step still leaves a bucket strata knows is its own.
      await ensureOwnerTags(context, Bucket);
      return;
    }
    case 'adopt':
      return;
    case 'update': {
      const spec = desired<BucketSpec>(change);
      if (before?.region && spec.region && before.region !== spec.region) {
        throw refuse(
          change,
          `a bucket cannot move from ${before.region} to ${spec.region}`,
          'create a new bucket in the new region and copy the data',
        );
      }
      if (spec.objectLockEnabled && !before?.objectLockEnabled && !context.dryRun) {
        await call(
          context.session,
          new PutObjectLockConfigurationCommand({ Bucket, ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled' } }),
        );
      } else if (!spec.objectLockEnabled && before?.objectLockEnabled) {
        throw refuse(
          change,
          'object lock cannot be switched off once a bucket has it',
          'declare objectLock as enabled for this bucket',
        );
      }
      return;
    }
    case 'delete':
      if (context.dryRun) {
        await refuseNonEmpty(context, change);
        return;
      }
      await call(context.session, new DeleteBucketCommand({ Bucket }));
      return;
    default:
      throw refuse(
        change,
        'strata never replaces a bucket: that would delete its objects',
        'create a bucket under a new name and copy the data into it',
      );
  }
}

async function writeVersioning(context: ApplyContext, change: Change): Promise<void> {
  const Bucket = change.address.name;
  if (change.action === 'delete') {
    throw refuse(
      change,
      'versioning cannot be removed from a bucket',
      'declare versioning: Suspended to stop keeping new versions',
    );
  }
  const { status } = desired<BucketVersioningSpec>(change);
  if (status === 'Disabled') {
    const current = versioningStatus((await dryRunTolerant(context, context.readBefore.versioning(), {})).Status);
    if (current === 'Disabled') return;
    throw refuse(
      change,
      `versioning is ${current} and can never go back to Disabled`,
      'declare versioning: Suspended to stop keeping new versions',
    );
  }
  if (context.dryRun) return;
  await call(context.session, new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status: status } }));
}

async function writeObjectLock(context: ApplyContext, change: Change): Promise<void> {
  // Object lock itself stays on for the bucket's life; "deleting" the resource removes the default retention.
  const spec: BucketObjectLockSpec = change.action === 'delete' ? {} : desired<BucketObjectLockSpec>(change);
  const ObjectLockConfiguration = objectLockRequest(spec);
  if (context.dryRun) return;
  await call(
    context.session,
    new PutObjectLockConfigurationCommand({ Bucket: change.address.name, ObjectLockConfiguration }),
  );
}

async function writeLifecycle(context: ApplyContext, change: Change): Promise<void> {
  const Bucket = change.address.name;
  const managed = change.action === 'delete' ? [] : desired<BucketLifecycleSpec>(change).rules;
  const released = new Set(((change.before as BucketLifecycleSpec | undefined)?.rules ?? []).map((rule) => rule.id));
  const managedIds = new Set(managed.map((rule) => rule.id));
  const live = (await dryRunTolerant(context, context.readBefore.lifecycle(), undefined)) ?? [];
  const kept = live.filter(
    (rule) => !managedIds.has(rule.ID ?? '') && !(change.action === 'delete' && released.has(rule.ID ?? '')),
  );
  const Rules: S3LifecycleRule[] = [...managed.map(lifecycleRuleRequest), ...kept].sort((a, b) =>
    compareText(a.ID ?? '', b.ID ?? ''),
  );
  if (context.dryRun) return;
  if (Rules.length === 0) {
    await call(context.session, new DeleteBucketLifecycleCommand({ Bucket }));
    return;
  }
  await call(
    context.session,
    new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules } }),
  );
  if (managed.some(filtersBySize)) await undoUnlessSizesKept(context, change, managed, live);
}

/**
 * A server that drops size filters (Ceph RGW 16) leaves a rule for small objects expiring every size. When the
 * capability probe could not tell, the read-back can: the lifecycle found before the write is put back at once, and
 * the step fails saying how to accept the server's lack.
 */
async function undoUnlessSizesKept(
  context: ApplyContext,
  change: Change,
  managed: LifecycleRule[],
  before: S3LifecycleRule[],
): Promise<void> {
  const Bucket = change.address.name;
  const readBack = new Map(
    ((await bucketReads(context.session, Bucket).lifecycle()) ?? []).map(lifecycleRule).map((rule) => [rule.id, rule]),
  );
  const sameSize = (a: string | undefined, b: string | undefined) =>
    a === undefined || b === undefined ? a === b : quantitiesEqual(a, b);
  const dropped = managed.filter((rule) => {
    const kept = readBack.get(rule.id);
    return (
      filtersBySize(rule) &&
      !(sameSize(kept?.largerThan, rule.largerThan) && sameSize(kept?.smallerThan, rule.smallerThan))
    );
  });
  if (dropped.length === 0) return;
  await call(
    context.session,
    before.length === 0
      ? new DeleteBucketLifecycleCommand({ Bucket })
      : new PutBucketLifecycleConfigurationCommand({ Bucket, LifecycleConfiguration: { Rules: before } }),
  );
  throw refuse(
    change,
    `the server accepted the size filters of lifecycle rule ${dropped.map((rule) => `"${rule.id}"`).join(', ')} and dropped them, so they would apply to objects of every size; strata put back the lifecycle it found`,
    'this server does not keep lifecycle size filters: remove largerThan and smallerThan, or list lifecycle-size-filters under targets.s3.unsupported to leave this lifecycle alone',
  );
}

async function writeTags(context: ApplyContext, change: Change): Promise<void> {
  const Bucket = change.address.name;
  const live = tagMap(await dryRunTolerant(context, context.readBefore.tags(), []));
  let tags: Record<string, string>;
  if (change.action === 'delete') {
    // Drops the tags strata managed, but never the owner tags: the bucket stays strata's.
    const released = Object.keys((change.before as BucketTagsSpec | undefined)?.tags ?? {}).filter(
      (key) => key !== BUCKET_OWNER_TAG && key !== ENVIRONMENT_LABEL,
    );
    tags = Object.fromEntries(Object.entries(live).filter(([key]) => !released.includes(key)));
  } else {
    const managed = desired<BucketTagsSpec>(change).tags;
    tags = { ...live, ...managed, ...ownerTags(context.environment) };
  }
  if (context.dryRun) return;
  if (Object.keys(tags).length === 0) {
    await call(context.session, new DeleteBucketTaggingCommand({ Bucket }));
    return;
  }
  await call(context.session, new PutBucketTaggingCommand({ Bucket, Tagging: { TagSet: tagSet(tags) } }));
}

/**
 * strata's statements (none on delete) plus every statement of a fresh read that is not strata's, exactly as found.
 * The Sids strata writes now and wrote before are its own, so an old statement of strata's is replaced, never kept
 * beside the new one. The policy is deleted only when no statement would be left.
 */
async function writePolicy(context: ApplyContext, change: Change): Promise<void> {
  const Bucket = change.address.name;
  const managed = change.action === 'delete' ? undefined : desired<BucketPolicySpec>(change).document;
  const released = (change.before as BucketPolicySpec | undefined)?.document;
  const live = await dryRunTolerant(context, context.readBefore.policy(), undefined);
  const liveDocument = live === undefined ? {} : parsePolicy(live, Bucket);
  const claimed = new Set([...statementSids(managed), ...statementSids(released)]);
  const kept = splitPolicy(liveDocument, claimed).unmanagedStatements ?? [];
  const Statement = [...policyStatements(managed), ...kept];
  if (context.dryRun) return;
  if (Statement.length === 0) {
    await call(context.session, new DeleteBucketPolicyCommand({ Bucket }));
    return;
  }
  // Version and Id: the declared document's, or the live one's when strata's statements go.
  const Policy = JSON.stringify({ ...(managed ?? liveDocument), Statement });
  await call(context.session, new PutBucketPolicyCommand({ Bucket, Policy }));
}

async function writePublicAccessBlock(context: ApplyContext, change: Change): Promise<void> {
  const Bucket = change.address.name;
  if (change.action === 'delete') {
    if (!context.dryRun) await call(context.session, new DeletePublicAccessBlockCommand({ Bucket }));
    return;
  }
  const PublicAccessBlockConfiguration = publicAccessBlockRequest(desired<BucketPublicAccessBlockSpec>(change));
  if (context.dryRun) return;
  await call(context.session, new PutPublicAccessBlockCommand({ Bucket, PublicAccessBlockConfiguration }));
}

async function writeEncryption(context: ApplyContext, change: Change): Promise<void> {
  if (change.action === 'delete') {
    throw refuse(
      change,
      'strata does not remove bucket default encryption',
      'remove it by hand if you really mean to; on Ceph RGW 16 the DELETE ?encryption request deletes the bucket itself',
    );
  }
  const ServerSideEncryptionConfiguration = encryptionRequest(desired<BucketEncryptionSpec>(change));
  if (context.dryRun) return;
  try {
    await call(
      context.session,
      new PutBucketEncryptionCommand({ Bucket: change.address.name, ServerSideEncryptionConfiguration }),
    );
  } catch (error) {
    if (isS3Error(error, 'NotImplemented', 'InvalidArgument', 'MethodNotAllowed')) {
      throw new ProviderError('the server refused bucket default encryption', {
        address: change.address,
        status: 400,
        hint: 'this S3 server does not support default encryption (Ceph RGW 16 does not); remove encryption from the bucket in the environment file',
        cause: error,
      });
    }
    throw error;
  }
}

/** Adds strata's owner and environment tags to whatever tags the bucket has. */
async function ensureOwnerTags(context: ApplyContext, bucket: string): Promise<void> {
  const live = tagMap(await bucketReads(context.session, bucket).tags());
  if (isOwned(live, context.environment) || context.dryRun) return;
  const TagSet = tagSet({ ...live, ...ownerTags(context.environment) });
  await call(context.session, new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet } }));
}

async function refuseNonEmpty(context: ApplyContext, change: Change): Promise<void> {
  const out = await call(context.session, new ListObjectVersionsCommand({ Bucket: change.address.name, MaxKeys: 1 }));
  if ((out.Versions?.length ?? 0) + (out.DeleteMarkers?.length ?? 0) > 0) {
    throw refuse(
      change,
      'the bucket is not empty',
      'strata never deletes objects: empty the bucket first (every object and object version), then apply again',
    );
  }
}

/** In a dry run the bucket may not exist yet (the plan creates it first): its configuration then reads as empty. */
async function dryRunTolerant<T>(context: ApplyContext, read: Promise<T>, empty: T): Promise<T> {
  try {
    return await read;
  } catch (error) {
    if (context.dryRun && isMissingBucket(error)) return empty;
    throw error;
  }
}

function desired<T>(change: Change): T {
  if (change.after === undefined) throw refuse(change, `a ${change.action} change carries no desired spec (after)`);
  return change.after as T;
}

function refuse(change: Change, message: string, hint?: string): ProviderError {
  return new ProviderError(message, { address: change.address, ...(hint ? { hint } : {}) });
}
