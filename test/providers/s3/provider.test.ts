import {
  CreateBucketCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  HeadBucketCommand,
  ListBucketsCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isProviderError, type ProviderError } from '../../../src/errors/provider-error.js';
import type { ObservedResource } from '../../../src/model/resources.js';
import {
  deleteBucketCompletely,
  newS3Client,
  s3Target,
  targetIsHarnessRgw,
  uniqueBucketName,
} from '../../support/s3/index.js';
import { change, desired, providerFor, rule, signal, uniqueEnvironment } from './fixtures.js';

let client: S3Client;
const created: string[] = [];

beforeAll(() => {
  client = newS3Client();
});

afterAll(async () => {
  await Promise.all(created.map((bucket) => deleteBucketCompletely(client, bucket)));
});

function bucketName(prefix: string): string {
  const name = uniqueBucketName(prefix);
  created.push(name);
  return name;
}

async function createBucket(
  prefix: string,
  options: { objectLock?: boolean; tags?: Record<string, string> } = {},
): Promise<string> {
  const Bucket = bucketName(prefix);
  await client.send(
    new CreateBucketCommand({ Bucket, ...(options.objectLock ? { ObjectLockEnabledForBucket: true } : {}) }),
  );
  if (options.tags) {
    await client.send(
      new PutBucketTaggingCommand({
        Bucket,
        Tagging: { TagSet: Object.entries(options.tags).map(([Key, Value]) => ({ Key, Value })) },
      }),
    );
  }
  return Bucket;
}

function byKind(resources: ObservedResource[], bucket: string): Record<string, ObservedResource> {
  return Object.fromEntries(resources.filter((r) => r.address.name === bucket).map((r) => [r.address.kind, r]));
}

async function thrown(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isProviderError(error)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  return error;
}

describe('observing buckets', () => {
  it('reads a fresh bucket as existing, versioning Disabled, with no lifecycle, tags, policy or public access block', async () => {
    const bucket = await createBucket('fresh');
    const environment = uniqueEnvironment();
    const { resources } = await providerFor(environment).observe(
      { environment, desired: [desired('Bucket', bucket, { objectLockEnabled: false })] },
      signal(),
    );
    const kinds = byKind(resources, bucket);
    expect(Object.keys(kinds).sort()).toEqual(['Bucket', 'BucketVersioning']);
    expect(kinds.Bucket?.spec).toEqual({ region: 'us-east-1', objectLockEnabled: false });
    expect(kinds.BucketVersioning?.spec).toEqual({ status: 'Disabled' });
    expect(kinds.Bucket?.owned).toBe(false);
    expect(kinds.Bucket?.fingerprint).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('observes nothing for a declared bucket that does not exist', async () => {
    const environment = uniqueEnvironment();
    const { resources } = await providerFor(environment).observe(
      { environment, desired: [desired('Bucket', uniqueBucketName('missing'), { objectLockEnabled: false })] },
      signal(),
    );
    expect(resources).toEqual([]);
  });

  it('counts a bucket as owned only when it carries managed-by=strata and this environment, and so are its settings', async () => {
    const environment = uniqueEnvironment();
    const mine = await createBucket('mine', {
      tags: { 'managed-by': 'strata', 'strata.dev/environment': environment },
    });
    const otherEnvironment = await createBucket('other-env', {
      tags: { 'managed-by': 'strata', 'strata.dev/environment': 'prod' },
    });
    const { resources } = await providerFor(environment).observe(
      { environment, desired: [mine, otherEnvironment].map((b) => desired('Bucket', b, { objectLockEnabled: false })) },
      signal(),
    );
    expect(Object.values(byKind(resources, mine)).every((r) => r.owned)).toBe(true);
    expect(Object.values(byKind(resources, otherEnvironment)).some((r) => r.owned)).toBe(false);
  });

  it('also observes buckets this environment owns that the file no longer declares, so they can be deleted', async () => {
    const environment = uniqueEnvironment();
    const forgotten = await createBucket('forgotten', {
      tags: { 'managed-by': 'strata', 'strata.dev/environment': environment },
    });
    const { resources } = await providerFor(environment).observe({ environment, desired: [] }, signal());
    expect(resources.filter((r) => r.address.kind === 'Bucket').map((r) => r.address.name)).toEqual([forgotten]);
  });

  it('reads unowned buckets named like the declared ones as bucket resources only, so drift can name them', async () => {
    const environment = uniqueEnvironment();
    const stem = `sl${randomBytes(4).toString('hex')}`;
    const [declaredName, byHand, unrelated] = [`${stem}-backups-dev`, `${stem}-scratch-dev`, `other-${stem}-dev`];
    created.push(declaredName, byHand, unrelated);
    for (const Bucket of [declaredName, byHand, unrelated]) await client.send(new CreateBucketCommand({ Bucket }));

    const { resources } = await providerFor(environment).observe(
      { environment, desired: [desired('Bucket', declaredName, { objectLockEnabled: false })] },
      signal(),
    );

    expect(Object.keys(byKind(resources, byHand))).toEqual(['Bucket']);
    expect(byKind(resources, byHand).Bucket?.owned).toBe(false);
    expect(byKind(resources, unrelated)).toEqual({});
  });

  it('normalizes the lifecycle RGW reads back (top-level Prefix, Filter{Prefix, And}, sorted transitions) to what was written', async () => {
    const bucket = await createBucket('lifecycle-readback');
    await client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: {
          Rules: [
            {
              ID: 'media',
              Status: 'Enabled',
              Filter: { And: { Prefix: 'media/', Tags: [{ Key: 'tier', Value: 'cold' }] } },
              Transitions: [
                { Days: 365, StorageClass: 'GLACIER' },
                { Days: 30, StorageClass: 'STANDARD_IA' },
              ],
            },
            { ID: 'backups', Status: 'Enabled', Filter: {}, Expiration: { Days: 30 } },
          ],
        },
      }),
    );
    const raw = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
    expect(raw.Rules?.map((r) => r.ID)).toEqual(['backups', 'media']);

    const environment = uniqueEnvironment();
    const declared = [
      rule('media', {
        prefix: 'media/',
        tags: { tier: 'cold' },
        transitions: [
          { days: 30, storageClass: 'STANDARD_IA' },
          { days: 365, storageClass: 'GLACIER' },
        ],
      }),
      rule('backups', { expirationDays: 30 }),
    ];
    const { resources } = await providerFor(environment).observe(
      { environment, desired: [desired('BucketLifecycle', bucket, { rules: declared })] },
      signal(),
    );
    expect(byKind(resources, bucket).BucketLifecycle?.spec).toEqual({
      rules: [declared[1], declared[0]],
      unmanagedRules: [],
    });
  });
});

describe('applying bucket changes', () => {
  it("creates a bucket tagged as strata's at once and reads it back", async () => {
    const bucket = bucketName('create');
    const environment = uniqueEnvironment();
    const outcome = await providerFor(environment).apply(
      change('create', 'Bucket', bucket, { objectLockEnabled: false }),
      {
        dryRun: false,
        signal: signal(),
      },
    );
    expect(outcome.observed).toMatchObject({ spec: { objectLockEnabled: false }, owned: true });
    const tags = await client.send(new GetBucketTaggingCommand({ Bucket: bucket }));
    expect(tags.TagSet).toEqual(
      expect.arrayContaining([
        { Key: 'managed-by', Value: 'strata' },
        { Key: 'strata.dev/environment', Value: environment },
      ]),
    );
  });

  it('keeps unmanaged lifecycle rules as found when it writes its own', async () => {
    const bucket = await createBucket('keep-rules');
    await client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: {
          Rules: [{ ID: 'added-by-hand', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } }],
        },
      }),
    );
    const environment = uniqueEnvironment();
    const backups = rule('backups', { prefix: 'warm/', expirationDays: 30 });
    const outcome = await providerFor(environment).apply(
      change('update', 'BucketLifecycle', bucket, { rules: [backups], unmanagedRules: [] }),
      {
        dryRun: false,
        signal: signal(),
      },
    );
    expect(outcome.observed?.spec).toEqual({
      rules: [backups],
      unmanagedRules: [rule('added-by-hand', { prefix: 'tmp/', expirationDays: 1 })],
    });
  });

  it('keeps unmanaged tags as found and adds the owner tags when it writes its own', async () => {
    const bucket = await createBucket('keep-tags', { tags: { 'cost-center': '42' } });
    const environment = uniqueEnvironment();
    const outcome = await providerFor(environment).apply(
      change('adopt', 'BucketTags', bucket, { tags: { team: 'data' } }),
      {
        dryRun: false,
        signal: signal(),
      },
    );
    expect(outcome.observed).toMatchObject({
      owned: true,
      spec: {
        tags: { 'managed-by': 'strata', 'strata.dev/environment': environment, team: 'data' },
        unmanagedTags: { 'cost-center': '42' },
      },
    });
  });

  it('adopting a bucket adds the owner tags and keeps the tags it had', async () => {
    const bucket = await createBucket('adopt', { tags: { team: 'analytics' } });
    const environment = uniqueEnvironment();
    const outcome = await providerFor(environment).apply(
      change('adopt', 'Bucket', bucket, { objectLockEnabled: false }),
      {
        dryRun: false,
        signal: signal(),
      },
    );
    expect(outcome.observed?.owned).toBe(true);
    const tags = await client.send(new GetBucketTaggingCommand({ Bucket: bucket }));
    expect(tags.TagSet).toContainEqual({ Key: 'team', Value: 'analytics' });
  });

  it('round-trips object lock with a default retention, and refuses to suspend versioning of a locked bucket with the fix', async () => {
    const bucket = bucketName('locked');
    const environment = uniqueEnvironment();
    const provider = providerFor(environment);
    await provider.apply(change('create', 'Bucket', bucket, { objectLockEnabled: true }), {
      dryRun: false,
      signal: signal(),
    });
    const lock = { defaultRetention: { mode: 'GOVERNANCE' as const, days: 30 } };
    const outcome = await provider.apply(change('update', 'BucketObjectLock', bucket, lock), {
      dryRun: false,
      signal: signal(),
    });
    expect(outcome.observed?.spec).toEqual(lock);
    const { resources } = await provider.observe(
      { environment, desired: [desired('Bucket', bucket, { objectLockEnabled: true })] },
      signal(),
    );
    expect(byKind(resources, bucket).Bucket?.spec).toMatchObject({ objectLockEnabled: true });
    expect(byKind(resources, bucket).BucketVersioning?.spec).toEqual({ status: 'Enabled' });

    const error = await thrown(
      provider.apply(change('update', 'BucketVersioning', bucket, { status: 'Suspended' }), {
        dryRun: false,
        signal: signal(),
      }),
    );
    expect(error.status).toBe(409);
    expect(error.message).toContain(`s3/BucketVersioning/${bucket}`);
    expect(error.hint).toContain('a bucket with object lock must keep versioning enabled');
  });

  it('puts and deletes a public access block', async () => {
    const bucket = await createBucket('public-access');
    const provider = providerFor(uniqueEnvironment());
    const block = {
      blockPublicAcls: true,
      ignorePublicAcls: true,
      blockPublicPolicy: true,
      restrictPublicBuckets: false,
    };
    const put = await provider.apply(change('create', 'BucketPublicAccessBlock', bucket, block), {
      dryRun: false,
      signal: signal(),
    });
    expect(put.observed?.spec).toEqual(block);
    const removed = await provider.apply(change('delete', 'BucketPublicAccessBlock', bucket, undefined, block), {
      dryRun: false,
      signal: signal(),
    });
    expect(removed.observed).toBeUndefined();
  });

  it("reads a policy back as parsed JSON, its statements split by Sid: strata's prefix and declared Sids are managed", async () => {
    const bucket = await createBucket('policy');
    const statement = (Sid: string | undefined, prefix: string) => ({
      ...(Sid === undefined ? {} : { Sid }),
      Effect: 'Allow',
      Principal: '*',
      Action: ['s3:GetObject'],
      Resource: [`arn:aws:s3:::${bucket}/${prefix}/*`],
    });
    const [named, declared, foreign, anonymous] = [
      statement('strata0123abcd', 'named'),
      statement('ReadArchive', 'archive'),
      statement('AllowAuditRead', 'audit'),
      statement(undefined, 'public'),
    ];
    await client.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [named, declared, foreign, anonymous] }, null, 4),
      }),
    );
    const provider = providerFor(uniqueEnvironment());
    await provider.observe(
      { environment: 'policy', desired: [desired('BucketPolicy', bucket, { document: { Statement: [declared] } })] },
      signal(),
    );

    const observed = await provider.read({ system: 's3', kind: 'BucketPolicy', name: bucket }, signal());

    expect(observed?.spec).toEqual({
      document: { Version: '2012-10-17', Statement: [named, declared] },
      unmanagedStatements: [foreign, anonymous],
    });
  });

  it("keeps the statements of other writers as found when it writes its own, and only them once strata's go", async () => {
    const bucket = await createBucket('keep-statements');
    const foreign = {
      Sid: 'AllowAuditRead',
      Effect: 'Allow',
      Principal: '*',
      Action: 's3:GetObject',
      Resource: `arn:aws:s3:::${bucket}/audit/*`,
    };
    await client.send(
      new PutBucketPolicyCommand({
        Bucket: bucket,
        Policy: JSON.stringify({ Version: '2012-10-17', Statement: [foreign] }),
      }),
    );
    const provider = providerFor(uniqueEnvironment());
    const ours = {
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'strataDenyDeletes',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:DeleteObject',
            Resource: `arn:aws:s3:::${bucket}/archive/*`,
          },
        ],
      },
    };

    const written = await provider.apply(change('update', 'BucketPolicy', bucket, ours), {
      dryRun: false,
      signal: signal(),
    });
    const released = await provider.apply(change('delete', 'BucketPolicy', bucket, undefined, ours), {
      dryRun: false,
      signal: signal(),
    });

    expect(written.observed?.spec).toEqual({ ...ours, unmanagedStatements: [foreign] });
    expect(released.observed?.spec).toEqual({
      document: { Version: '2012-10-17', Statement: [] },
      unmanagedStatements: [foreign],
    });
  });

  it("deletes the policy when strata's statements go and nobody else's are left", async () => {
    const bucket = await createBucket('delete-policy');
    const provider = providerFor(uniqueEnvironment());
    const ours = {
      document: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'strataDenyDeletes',
            Effect: 'Deny',
            Principal: '*',
            Action: 's3:DeleteObject',
            Resource: `arn:aws:s3:::${bucket}/*`,
          },
        ],
      },
    };
    await provider.apply(change('create', 'BucketPolicy', bucket, ours), { dryRun: false, signal: signal() });

    const released = await provider.apply(change('delete', 'BucketPolicy', bucket, undefined, ours), {
      dryRun: false,
      signal: signal(),
    });

    expect(released.observed).toBeUndefined();
    await expect(client.send(new GetBucketPolicyCommand({ Bucket: bucket }))).rejects.toMatchObject({
      name: 'NoSuchBucketPolicy',
    });
  });

  it('refuses to delete a bucket that holds objects, and says to empty it first', async () => {
    const bucket = await createBucket('not-empty');
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: 'warm/2026/11/23/db.dump', Body: 'backup' }));
    const provider = providerFor(uniqueEnvironment());
    for (const dryRun of [true, false]) {
      const error = await thrown(
        provider.apply(change('delete', 'Bucket', bucket, undefined, { objectLockEnabled: false }), {
          dryRun,
          signal: signal(),
        }),
      );
      expect(error.message).toContain(`s3/Bucket/${bucket}`);
      expect(error.hint).toContain('empty the bucket first');
    }
    await expect(client.send(new HeadBucketCommand({ Bucket: bucket }))).resolves.toBeDefined();
  });

  it('deletes an empty bucket', async () => {
    const bucket = await createBucket('empty');
    const outcome = await providerFor(uniqueEnvironment()).apply(
      change('delete', 'Bucket', bucket, undefined, { objectLockEnabled: false }),
      {
        dryRun: false,
        signal: signal(),
      },
    );
    expect(outcome).toEqual({});
    await expect(client.send(new HeadBucketCommand({ Bucket: bucket }))).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('writes nothing on a dry run', async () => {
    const bucket = await createBucket('dry-run');
    const provider = providerFor(uniqueEnvironment());
    const missing = uniqueBucketName('dry-run-create');
    await provider.apply(change('create', 'Bucket', missing, { objectLockEnabled: false }), {
      dryRun: true,
      signal: signal(),
    });
    await provider.apply(change('update', 'BucketVersioning', bucket, { status: 'Enabled' }), {
      dryRun: true,
      signal: signal(),
    });
    await provider.apply(
      change('create', 'BucketLifecycle', bucket, { rules: [rule('backups', { expirationDays: 30 })] }),
      { dryRun: true, signal: signal() },
    );
    await provider.apply(change('adopt', 'BucketTags', bucket, { tags: { team: 'data' } }), {
      dryRun: true,
      signal: signal(),
    });
    await expect(client.send(new HeadBucketCommand({ Bucket: missing }))).rejects.toMatchObject({ name: 'NotFound' });
    const { resources } = await provider.observe(
      { environment: 'dry', desired: [desired('Bucket', bucket, { objectLockEnabled: false })] },
      signal(),
    );
    expect(Object.keys(byKind(resources, bucket)).sort()).toEqual(['Bucket', 'BucketVersioning']);
    expect(byKind(resources, bucket).BucketVersioning?.spec).toEqual({ status: 'Disabled' });
  });

  it('dry-runs the settings of a bucket the plan has not created yet', async () => {
    const provider = providerFor(uniqueEnvironment());
    const missing = uniqueBucketName('dry-run-later');
    await provider.apply(
      change('create', 'BucketLifecycle', missing, { rules: [rule('backups', { expirationDays: 30 })] }),
      { dryRun: true, signal: signal() },
    );
    await provider.apply(change('create', 'BucketTags', missing, { tags: { team: 'data' } }), {
      dryRun: true,
      signal: signal(),
    });
    await provider.apply(change('create', 'BucketVersioning', missing, { status: 'Disabled' }), {
      dryRun: true,
      signal: signal(),
    });
    await expect(client.send(new HeadBucketCommand({ Bucket: missing }))).rejects.toMatchObject({ name: 'NotFound' });
  });

  it('names the resource and the HTTP status in errors from the server', async () => {
    const missing = uniqueBucketName('no-such');
    const error = await thrown(
      providerFor(uniqueEnvironment()).apply(change('update', 'BucketVersioning', missing, { status: 'Enabled' }), {
        dryRun: false,
        signal: signal(),
      }),
    );
    expect(error.address).toEqual({ system: 's3', kind: 'BucketVersioning', name: missing });
    expect(error.message).toBe(`s3/BucketVersioning/${missing}: NoSuchBucket (HTTP 404)`);
    expect(error.status).toBe(404);
    expect(error.retryable).toBe(false);
  });

  it('describes its source without credentials', async () => {
    const target = s3Target();
    const provider = providerFor(uniqueEnvironment());
    expect(provider.source).toBe(`us-east-1 (${target.endpoint})`);
    expect(provider.source).not.toContain(target.credentials.secretAccessKey);
  });
});

describe('default encryption on RGW', () => {
  it('is reported unsupported, is never read as a resource, and probing leaves the bucket in place', async () => {
    const bucket = await createBucket('encryption-probe');
    const environment = uniqueEnvironment();
    const { resources, capabilities } = await providerFor(environment).observe(
      { environment, desired: [desired('BucketEncryption', bucket, { algorithm: 'AES256' })] },
      signal(),
    );
    expect(capabilities).toEqual([
      { capability: 'encryption', supported: false, detail: expect.stringContaining('not implemented') as string },
    ]);
    expect(byKind(resources, bucket).BucketEncryption).toBeUndefined();
    await expect(client.send(new HeadBucketCommand({ Bucket: bucket }))).resolves.toBeDefined();
  });

  it('is probed on another bucket before the environment has one, without naming that bucket', async () => {
    await createBucket('encryption-stranger');
    const environment = uniqueEnvironment();
    const { capabilities } = await providerFor(environment).observe(
      { environment, desired: [desired('Bucket', bucketName('encryption-not-yet'), { objectLockEnabled: false })] },
      signal(),
    );
    expect(capabilities).toHaveLength(1);
    const { detail } = capabilities[0]!;
    expect(detail).toContain('on another bucket on this server');
    const listed = (await client.send(new ListBucketsCommand({}))).Buckets ?? [];
    for (const { Name } of listed) expect(detail).not.toContain(Name);
  });

  it('refuses to remove default encryption, and the bucket survives', async () => {
    const bucket = await createBucket('encryption-delete');
    const error = await thrown(
      providerFor(uniqueEnvironment()).apply(
        change('delete', 'BucketEncryption', bucket, undefined, { algorithm: 'AES256' }),
        {
          dryRun: false,
          signal: signal(),
        },
      ),
    );
    expect(error.message).toContain('strata does not remove bucket default encryption');
    await expect(client.send(new HeadBucketCommand({ Bucket: bucket }))).resolves.toBeDefined();
  });

  it("turns RGW's refusal to set encryption into an error that says the server lacks it", async () => {
    const bucket = await createBucket('encryption-put');
    const error = await thrown(
      providerFor(uniqueEnvironment()).apply(change('create', 'BucketEncryption', bucket, { algorithm: 'AES256' }), {
        dryRun: false,
        signal: signal(),
      }),
    );
    expect(error.hint).toContain('does not support default encryption');
    await expect(client.send(new HeadBucketCommand({ Bucket: bucket }))).resolves.toBeDefined();
  });
});

describe('lifecycle size filters on RGW', () => {
  it.skipIf(!targetIsHarnessRgw())(
    'puts back the lifecycle it found when the server drops the size filters it was sent, and says how to accept that',
    async () => {
      const bucket = await createBucket('size-filters');
      const byHand = { ID: 'by-hand', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: 1 } } as const;
      await client.send(
        new PutBucketLifecycleConfigurationCommand({ Bucket: bucket, LifecycleConfiguration: { Rules: [byHand] } }),
      );
      const expireSmall = rule('expire-small', { prefix: 'repos/', smallerThan: '1Gi', expirationDays: 90 });
      const error = await thrown(
        providerFor(uniqueEnvironment()).apply(change('create', 'BucketLifecycle', bucket, { rules: [expireSmall] }), {
          dryRun: false,
          signal: signal(),
        }),
      );
      expect(error.message).toContain('dropped them, so they would apply to objects of every size');
      expect(error.hint).toContain('list lifecycle-size-filters under targets.s3.unsupported');
      const live = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket }));
      expect(live.Rules?.map((r) => r.ID)).toEqual(['by-hand']);
    },
  );
});

describe('planning twice finds no drift', () => {
  it('reads every lifecycle shape it writes back as the same rules', async () => {
    const bucket = await createBucket('lifecycle-roundtrip');
    const environment = uniqueEnvironment();
    const rules = [
      rule('abort-uploads', { abortIncompleteUploadsDays: 7 }),
      rule('backups-daily', { prefix: 'warm/', expirationDays: 30 }),
      rule('delete-markers', { expiredObjectDeleteMarker: true, noncurrentExpirationDays: 30 }),
      rule('media', {
        prefix: 'media/',
        transitions: [
          { days: 365, storageClass: 'GLACIER' },
          { days: 2555, storageClass: 'DEEP_ARCHIVE' },
        ],
        noncurrentTransitions: [{ days: 30, storageClass: 'STANDARD_IA' }],
      }),
      rule('paused', { enabled: false, prefix: 'tmp/', expirationDays: 1 }),
      rule('tagged', { tags: { archive: 'true' }, expirationDays: 2555 }),
      rule('tagged-prefix', {
        prefix: 'projects/',
        tags: { compressed: 'true', layout: 'year-month' },
        transitions: [{ days: 90, storageClass: 'GLACIER' }],
      }),
    ];
    const provider = providerFor(environment);
    const outcome = await provider.apply(change('create', 'BucketLifecycle', bucket, { rules }), {
      dryRun: false,
      signal: signal(),
    });
    expect(outcome.observed?.spec).toEqual({ rules, unmanagedRules: [] });
  });

  it('fingerprints each resource the same in observe and in the read before a change', async () => {
    const environment = uniqueEnvironment();
    const bucket = await createBucket('fingerprints', {
      tags: { 'managed-by': 'strata', 'strata.dev/environment': environment, team: 'data' },
    });
    await client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: bucket,
        LifecycleConfiguration: {
          Rules: [{ ID: 'backups', Status: 'Enabled', Filter: { Prefix: 'warm/' }, Expiration: { Days: 30 } }],
        },
      }),
    );
    const provider = providerFor(environment);
    const { resources } = await provider.observe(
      { environment, desired: [desired('Bucket', bucket, { objectLockEnabled: false })] },
      signal(),
    );
    expect(resources.map((r) => r.address.kind).sort()).toEqual([
      'Bucket',
      'BucketLifecycle',
      'BucketTags',
      'BucketVersioning',
    ]);
    for (const observed of resources) {
      expect((await provider.read(observed.address, signal()))?.fingerprint).toBe(observed.fingerprint);
    }
  });

  it('changes the lifecycle fingerprint when someone else edits a rule strata does not manage', async () => {
    const bucket = await createBucket('moved');
    const put = (days: number) =>
      client.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket: bucket,
          LifecycleConfiguration: {
            Rules: [{ ID: 'by-hand', Status: 'Enabled', Filter: { Prefix: 'tmp/' }, Expiration: { Days: days } }],
          },
        }),
      );
    const provider = providerFor(uniqueEnvironment());
    const address = { system: 's3' as const, kind: 'BucketLifecycle' as const, name: bucket };
    await put(1);
    const before = await provider.read(address, signal());
    await put(2);
    expect((await provider.read(address, signal()))?.fingerprint).not.toBe(before?.fingerprint);
  });
});
