/**
 * Every bucket setting strata manages, written and read back over HTTP with the real SDK. The first block holds on
 * any S3 server; the second documents what Ceph RGW 16 (the project's test server) changes on the way back, which
 * strata's normalisation must undo before diffing.
 */
import {
  CreateBucketCommand,
  DeletePublicAccessBlockCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  PutObjectLockConfigurationCommand,
  PutPublicAccessBlockCommand,
  type LifecycleRule,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deleteBucketCompletely, newS3Client, targetIsHarnessRgw, uniqueBucketName } from '../support/s3/index.js';

let client: S3Client;
const buckets: string[] = [];

beforeAll(() => {
  client = newS3Client();
});

afterAll(async () => {
  for (const bucket of buckets) await deleteBucketCompletely(client, bucket);
  client.destroy();
});

async function freshBucket(prefix: string, options: { objectLock?: boolean } = {}): Promise<string> {
  const bucket = uniqueBucketName(prefix);
  buckets.push(bucket);
  await client.send(new CreateBucketCommand({ Bucket: bucket, ObjectLockEnabledForBucket: options.objectLock }));
  return bucket;
}

const rule = (id: string, prefix: string, days: number): LifecycleRule => ({
  ID: id,
  Status: 'Enabled',
  Filter: { Prefix: prefix },
  Expiration: { Days: days },
});

describe('bucket settings round-trip on any S3 server', () => {
  it('reads versioning back as Enabled, then Suspended', async () => {
    const bucket = await freshBucket('versioning');
    await client.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Enabled');

    await client.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Suspended' } }),
    );
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Suspended');
  });

  it('reads a lifecycle rule back with its id, filter and expiration', async () => {
    const bucket = await freshBucket('lifecycle');
    const written = rule('expire-logs', 'logs/', 30);
    await client.send(
      new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: [written] } }),
    );
    const { Rules } = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    expect(Rules).toEqual([written]);
  });

  it('turns versioning on for a bucket created with object lock and keeps its default retention', async () => {
    const bucket = await freshBucket('locked', { objectLock: true });
    expect((await client.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Enabled');

    await client.send(
      new PutObjectLockConfigurationCommand({
        Bucket: bucket,
        ObjectLockConfiguration: {
          ObjectLockEnabled: 'Enabled',
          Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 7 } },
        },
      }),
    );
    const { ObjectLockConfiguration } = await client.send(new GetObjectLockConfigurationCommand({ Bucket: bucket }));
    expect(ObjectLockConfiguration).toEqual({
      ObjectLockEnabled: 'Enabled',
      Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 7 } },
    });
  });

  it('refuses to suspend versioning on a bucket with object lock (409 InvalidBucketState)', async () => {
    const bucket = await freshBucket('locked-suspend', { objectLock: true });
    await expect(
      client.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Suspended' } })),
    ).rejects.toMatchObject({ name: 'InvalidBucketState', $metadata: { httpStatusCode: 409 } });
  });

  it('reads bucket tags back as written', async () => {
    const bucket = await freshBucket('tagging');
    const TagSet = [
      { Key: 'cost-center', Value: 'cc-4711' },
      { Key: 'team', Value: 'payments' },
    ];
    await client.send(new PutBucketTaggingCommand({ Bucket: bucket, Tagging: { TagSet } }));
    expect((await client.send(new GetBucketTaggingCommand({ Bucket: bucket }))).TagSet).toEqual(TagSet);
  });

  it('reads a bucket policy back byte for byte', async () => {
    const bucket = await freshBucket('policy');
    const policy = JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'PublicRead',
          Effect: 'Allow',
          Principal: '*',
          Action: ['s3:GetObject'],
          Resource: [`arn:aws:s3:::${bucket}/*`],
        },
      ],
    });
    await client.send(new PutBucketPolicyCommand({ Bucket: bucket, Policy: policy }));
    expect((await client.send(new GetBucketPolicyCommand({ Bucket: bucket }))).Policy).toBe(policy);
  });

  it('reads a public access block back and forgets it when deleted', async () => {
    const bucket = await freshBucket('pab');
    const block = {
      BlockPublicAcls: true,
      IgnorePublicAcls: true,
      BlockPublicPolicy: true,
      RestrictPublicBuckets: false,
    };
    await client.send(new PutPublicAccessBlockCommand({ Bucket: bucket, PublicAccessBlockConfiguration: block }));
    const read = await client.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
    expect(read.PublicAccessBlockConfiguration).toEqual(block);

    await client.send(new DeletePublicAccessBlockCommand({ Bucket: bucket }));
    const afterDelete = await client.send(new GetPublicAccessBlockCommand({ Bucket: bucket })).then(
      (r) => r.PublicAccessBlockConfiguration,
      (error: Error) => error.name,
    );
    // AWS forgets the block (404); RGW reads an absent block as all-false. Either way nothing is blocked.
    expect([
      'NoSuchPublicAccessBlockConfiguration',
      { BlockPublicAcls: false, IgnorePublicAcls: false, BlockPublicPolicy: false, RestrictPublicBuckets: false },
    ]).toContainEqual(afterDelete);
  });

  it('empties a versioned bucket of versions and delete markers before deleting it', async () => {
    const bucket = uniqueBucketName('cleanup');
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    await client.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    for (const body of ['v1', 'v2'])
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'a.txt', Body: body }));

    await deleteBucketCompletely(client, bucket);
    await expect(client.send(new GetBucketVersioningCommand({ Bucket: bucket }))).rejects.toMatchObject({
      name: 'NoSuchBucket',
    });
  });
});

describe.skipIf(!targetIsHarnessRgw())('what Ceph RGW changes on read-back (normalise before diffing)', () => {
  it('reads a fresh bucket’s versioning as an empty configuration, not Suspended', async () => {
    const bucket = await freshBucket('rgw-fresh');
    const read = await client.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    expect(read.Status).toBeUndefined();
  });

  it('returns lifecycle rules sorted by id, whatever order they were written in', async () => {
    const bucket = await freshBucket('rgw-order');
    const rules = [rule('zulu', 'z/', 30), rule('alpha', 'a/', 10), rule('mike', 'm/', 20)];
    await client.send(
      new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: rules } }),
    );
    const { Rules } = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    expect(Rules?.map((r) => r.ID)).toEqual(['alpha', 'mike', 'zulu']);
  });

  it('returns the transitions of a rule sorted by storage class', async () => {
    const bucket = await freshBucket('rgw-transitions');
    await client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: {
          Rules: [
            {
              ID: 'archive',
              Status: 'Enabled',
              Filter: { Prefix: 'archive/' },
              Transitions: [
                { Days: 30, StorageClass: 'STANDARD_IA' },
                { Days: 90, StorageClass: 'GLACIER' },
              ],
            },
          ],
        },
      }),
    );
    const { Rules } = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    expect(Rules?.[0]?.Transitions).toEqual([
      { Days: 90, StorageClass: 'GLACIER' },
      { Days: 30, StorageClass: 'STANDARD_IA' },
    ]);
  });

  it('returns an empty filter as a top-level empty Prefix', async () => {
    const bucket = await freshBucket('rgw-empty-filter');
    await client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: { Rules: [{ ID: 'all', Status: 'Enabled', Filter: {}, Expiration: { Days: 2 } }] },
      }),
    );
    const { Rules } = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    expect(Rules).toEqual([{ ID: 'all', Status: 'Enabled', Prefix: '', Expiration: { Days: 2 } }]);
  });

  async function filterReadBack(prefix: string, filter: LifecycleRule['Filter']): Promise<LifecycleRule['Filter']> {
    const bucket = await freshBucket(prefix);
    await client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: { Rules: [{ ID: 'and', Status: 'Enabled', Filter: filter, Expiration: { Days: 5 } }] },
      }),
    );
    const { Rules } = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    return Rules?.[0]?.Filter;
  }

  it('moves the prefix of an And filter out of the And', async () => {
    const Tags = [
      { Key: 'k1', Value: 'v1' },
      { Key: 'k2', Value: 'v2' },
    ];
    expect(await filterReadBack('rgw-and', { And: { Prefix: 'a/', Tags } })).toEqual({ Prefix: 'a/', And: { Tags } });
  });

  it('returns an And filter of a prefix and one tag as a plain Prefix and Tag', async () => {
    const tag = { Key: 'tier', Value: 'tmp' };
    expect(await filterReadBack('rgw-and-one-tag', { And: { Prefix: 'a/', Tags: [tag] } })).toEqual({
      Prefix: 'a/',
      Tag: tag,
    });
  });

  it('gives a rule written without an id a random 48-character id', async () => {
    const bucket = await freshBucket('rgw-no-id');
    await client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: { Rules: [{ Status: 'Enabled', Filter: { Prefix: 'x/' }, Expiration: { Days: 6 } }] },
      }),
    );
    const { Rules } = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    expect(Rules?.[0]?.ID).toMatch(/^[a-z0-9]{48}$/);
  });

  it('silently drops ObjectSizeGreaterThan and NewerNoncurrentVersions', async () => {
    const bucket = await freshBucket('rgw-dropped');
    await client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: {
          Rules: [
            { ID: 'size', Status: 'Enabled', Filter: { ObjectSizeGreaterThan: 1024 }, Expiration: { Days: 5 } },
            {
              ID: 'versions',
              Status: 'Enabled',
              Filter: { Prefix: 'n/' },
              NoncurrentVersionExpiration: { NoncurrentDays: 7, NewerNoncurrentVersions: 3 },
            },
          ],
        },
      }),
    );
    const { Rules } = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    expect(Rules).toEqual([
      { ID: 'size', Status: 'Enabled', Prefix: '', Expiration: { Days: 5 } },
      {
        ID: 'versions',
        Status: 'Enabled',
        Filter: { Prefix: 'n/' },
        NoncurrentVersionExpiration: { NoncurrentDays: 7 },
      },
    ]);
  });

  it('accepts a transition to a storage class it does not have (strata must validate it)', async () => {
    const bucket = await freshBucket('rgw-unknown-class');
    const written: LifecycleRule = {
      ID: 'deep',
      Status: 'Enabled',
      Filter: { Prefix: 'x/' },
      Transitions: [{ Days: 30, StorageClass: 'DEEP_ARCHIVE' }],
    };
    await client.send(
      new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: [written] } }),
    );
    const { Rules } = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    expect(Rules).toEqual([written]);
  });

  it('returns bucket tags sorted by key', async () => {
    const bucket = await freshBucket('rgw-tags');
    await client.send(
      new PutBucketTaggingCommand({
        Bucket: bucket,
        Tagging: {
          TagSet: [
            { Key: 'team', Value: 'payments' },
            { Key: 'env', Value: 'prod' },
          ],
        },
      }),
    );
    const { TagSet } = await client.send(new GetBucketTaggingCommand({ Bucket: bucket }));
    expect(TagSet?.map((t) => t.Key)).toEqual(['env', 'team']);
  });

  it('reads an unconfigured public access block as all-false instead of 404', async () => {
    const bucket = await freshBucket('rgw-pab');
    const read = await client.send(new GetPublicAccessBlockCommand({ Bucket: bucket }));
    expect(read.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: false,
      IgnorePublicAcls: false,
      BlockPublicPolicy: false,
      RestrictPublicBuckets: false,
    });
  });
});
