/** Clients and throw-away buckets for tests against the S3 target. */
import { randomBytes } from 'node:crypto';
import {
  DeleteBucketCommand,
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  S3Client,
  type ObjectIdentifier,
} from '@aws-sdk/client-s3';
import { s3Target } from './target.js';

export function newS3Client(): S3Client {
  const target = s3Target();
  return new S3Client({ ...target, maxAttempts: 3 });
}

let bucketCounter = 0;

/** A valid S3 bucket name (3–63 of a-z, 0-9, '-'), unique per call and per process. */
export function uniqueBucketName(prefix: string): string {
  const cleaned = prefix
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^-+|-+$/g, '');
  bucketCounter += 1;
  const suffix = `${process.pid.toString(36)}-${bucketCounter.toString(36)}-${randomBytes(3).toString('hex')}`;
  const head = (cleaned || 'test').slice(0, 63 - suffix.length - 1).replace(/-+$/, '');
  return `${head || 't'}-${suffix}`;
}

/**
 * Deletes every object version and delete marker (bypassing GOVERNANCE retention), then the bucket. A bucket that is
 * already gone is fine. Never sends DeleteBucketEncryption: Ceph RGW 16 deletes the whole (empty) bucket for it.
 */
export async function deleteBucketCompletely(client: S3Client, bucket: string): Promise<void> {
  try {
    let keyMarker: string | undefined;
    let versionIdMarker: string | undefined;
    for (;;) {
      const page = await client.send(
        new ListObjectVersionsCommand({ Bucket: bucket, KeyMarker: keyMarker, VersionIdMarker: versionIdMarker }),
      );
      const objects: ObjectIdentifier[] = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map((v) => ({
        Key: v.Key!,
        VersionId: v.VersionId,
      }));
      if (objects.length > 0) {
        const result = await client.send(
          new DeleteObjectsCommand({
            Bucket: bucket,
            BypassGovernanceRetention: true,
            Delete: { Objects: objects, Quiet: true },
          }),
        );
        const refused = result.Errors ?? [];
        if (refused.length > 0) {
          const first = refused[0]!;
          throw new Error(
            `cannot empty bucket ${bucket}: ${refused.length} object version(s) refused, first ${first.Key}@` +
              `${first.VersionId}: ${first.Code} ${first.Message ?? ''} (COMPLIANCE retention cannot be bypassed)`,
          );
        }
      }
      if (!page.IsTruncated) break;
      keyMarker = page.NextKeyMarker;
      versionIdMarker = page.NextVersionIdMarker;
    }
    await client.send(new DeleteBucketCommand({ Bucket: bucket }));
  } catch (error) {
    if ((error as Error).name === 'NoSuchBucket') return;
    throw error;
  }
}
