/**
 * The raw reads of one bucket's configuration, each sent at most once per observation and shared between the
 * resources that need it (the object lock read serves both Bucket and BucketObjectLock; the tags serve ownership).
 * `undefined` means "not configured": the S3 error names that say so are listed beside each read.
 *
 * Two reads are skipped where an earlier answer already gives theirs:
 * - HeadBucket, for a bucket ListBuckets listed: the listing proved it exists, and gives its region where the server
 *   says (AWS; RGW never does, so the configured region is taken, as it was from HEAD). A bucket nothing listed (a
 *   read after a write, another account's or region's bucket) is still asked.
 * - GetObjectLockConfiguration, unless versioning is Enabled: object lock requires versioning Enabled, and a bucket
 *   with object lock can never suspend it, so a bucket never versioned or Suspended has no object lock.
 */
import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  type LifecycleRule,
  type ObjectLockConfiguration,
  type PublicAccessBlockConfiguration,
  type ServerSideEncryptionConfiguration,
  type Tag,
} from '@aws-sdk/client-s3';
import { isMissingBucket, isS3Error } from './errors.js';
import { call, unlessMissing, type S3Session } from './session.js';

/** What ListBuckets said of a bucket it listed. */
export interface Listed {
  region?: string;
}

export interface BucketReads {
  /** `undefined` when the bucket does not exist. */
  head(): Promise<{ region?: string } | undefined>;
  versioning(): Promise<{ Status?: string }>;
  objectLock(): Promise<ObjectLockConfiguration | undefined>;
  lifecycle(): Promise<LifecycleRule[] | undefined>;
  tags(): Promise<Tag[]>;
  policy(): Promise<string | undefined>;
  publicAccessBlock(): Promise<PublicAccessBlockConfiguration | undefined>;
  encryption(): Promise<ServerSideEncryptionConfiguration | undefined>;
}

export function bucketReads(session: S3Session, bucket: string, listed?: Listed): BucketReads {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, read: () => Promise<T>): Promise<T> => {
    if (!memo.has(key)) memo.set(key, read());
    return memo.get(key) as Promise<T>;
  };
  const Bucket = bucket;

  const reads: BucketReads = {
    head: () =>
      once('head', async () => {
        if (listed) return listed;
        const out = await unlessMissing(call(session, new HeadBucketCommand({ Bucket })), isMissingBucket);
        return out && (out.BucketRegion ? { region: out.BucketRegion } : {});
      }),
    versioning: () =>
      once('versioning', async () => {
        const out = await call(session, new GetBucketVersioningCommand({ Bucket }));
        return out.Status ? { Status: out.Status } : {};
      }),
    objectLock: () =>
      once('objectLock', async () => {
        if ((await reads.versioning()).Status !== 'Enabled') return undefined;
        const out = await unlessMissing(call(session, new GetObjectLockConfigurationCommand({ Bucket })), (error) =>
          isS3Error(error, 'ObjectLockConfigurationNotFoundError'),
        );
        return out?.ObjectLockConfiguration;
      }),
    lifecycle: () =>
      once('lifecycle', async () => {
        const out = await unlessMissing(
          call(session, new GetBucketLifecycleConfigurationCommand({ Bucket })),
          (error) => isS3Error(error, 'NoSuchLifecycleConfiguration'),
        );
        return out?.Rules?.length ? out.Rules : undefined;
      }),
    tags: () =>
      once('tags', async () => {
        const out = await unlessMissing(call(session, new GetBucketTaggingCommand({ Bucket })), (error) =>
          isS3Error(error, 'NoSuchTagSet'),
        );
        return out?.TagSet ?? [];
      }),
    policy: () =>
      once('policy', async () => {
        const out = await unlessMissing(call(session, new GetBucketPolicyCommand({ Bucket })), (error) =>
          isS3Error(error, 'NoSuchBucketPolicy'),
        );
        return out?.Policy;
      }),
    publicAccessBlock: () =>
      once('publicAccessBlock', async () => {
        const out = await unlessMissing(call(session, new GetPublicAccessBlockCommand({ Bucket })), (error) =>
          isS3Error(error, 'NoSuchPublicAccessBlockConfiguration'),
        );
        return out?.PublicAccessBlockConfiguration;
      }),
    encryption: () =>
      once('encryption', async () => {
        const out = await unlessMissing(call(session, new GetBucketEncryptionCommand({ Bucket })), (error) =>
          isS3Error(error, 'ServerSideEncryptionConfigurationNotFoundError'),
        );
        return out?.ServerSideEncryptionConfiguration;
      }),
  };
  return reads;
}
