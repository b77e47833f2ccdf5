import {
  CreateBucketCommand,
  GetBucketLifecycleConfigurationCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketVersioningCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeStep } from '../../../src/apply/applier/step.js';
import { isProviderError } from '../../../src/errors/provider-error.js';
import { deleteBucketCompletely, newS3Client, s3Target, uniqueBucketName } from '../../support/s3/index.js';
import { change, desired, providerFor, rule, signal, uniqueEnvironment } from './fixtures.js';
import { waitFor } from '../../support/kube/wait.js';
import { startS3Proxy, type ProxyOptions, type S3Proxy } from '../../support/s3/proxy.js';

let client: S3Client;
/** Never versioned. */
const buckets = Array.from({ length: 20 }, (_, i) => uniqueBucketName(`wire-${i}`));
const versioned = uniqueBucketName('wire-versioned');
const suspended = uniqueBucketName('wire-suspended');
const withTheirRule = uniqueBucketName('wire-their-rule');
const proxies: S3Proxy[] = [];

beforeAll(async () => {
  client = newS3Client();
  await Promise.all(
    [...buckets, versioned, suspended, withTheirRule].map((Bucket) => client.send(new CreateBucketCommand({ Bucket }))),
  );
  const versioning = (Bucket: string, Status: 'Enabled' | 'Suspended') =>
    client.send(new PutBucketVersioningCommand({ Bucket, VersioningConfiguration: { Status } }));
  await versioning(versioned, 'Enabled');
  await versioning(suspended, 'Enabled');
  await versioning(suspended, 'Suspended');
});

afterAll(async () => {
  await Promise.all(proxies.map((proxy) => proxy.close()));
  await Promise.all(
    [...buckets, versioned, suspended, withTheirRule].map((bucket) => deleteBucketCompletely(client, bucket)),
  );
});

async function proxy(options: ProxyOptions): Promise<S3Proxy> {
  const started = await startS3Proxy(s3Target().endpoint, options);
  proxies.push(started);
  return started;
}

const scopeOf = (names: string[]) => {
  const environment = uniqueEnvironment();
  return { environment, desired: names.map((name) => desired('Bucket', name, { objectLockEnabled: false })) };
};

/**
 * What observing one declared bucket sends to it. The encryption probe asks the first declared bucket once per plan
 * as well; RGW lacks default encryption, so no bucket is asked for it again, and the probe is left out here.
 */
async function sentToObserved(bucket: string): Promise<string[]> {
  const wire = await proxy({});
  const scope = scopeOf([bucket]);
  await providerFor(scope.environment, { endpoint: wire.endpoint }).observe(scope, signal());
  return wire.sentTo(bucket).filter((request) => request !== 'GET encryption');
}

describe('S3 requests on the wire', () => {
  it('observes 20 buckets with concurrency 4 without ever having more than 4 requests in flight', async () => {
    const wire = await proxy({ delayMs: 20 });
    const scope = scopeOf(buckets);
    const { resources } = await providerFor(scope.environment, { endpoint: wire.endpoint, concurrency: 4 }).observe(
      scope,
      signal(),
    );
    expect(resources.filter((r) => r.address.kind === 'Bucket' && buckets.includes(r.address.name))).toHaveLength(20);
    expect(wire.requests).toBeGreaterThanOrEqual(20 * 5);
    expect(wire.mostInFlight).toBe(4);
  });

  it('has up to 64 requests in flight when nothing sets the concurrency', async () => {
    const wire = await proxy({ delayMs: 50 });
    const scope = scopeOf(buckets);
    await providerFor(scope.environment, { endpoint: wire.endpoint }).observe(scope, signal());
    // 20 buckets' 100 reads are ready at once: the limit, not the work, stops them at 64.
    expect(wire.mostInFlight).toBe(64);
  });

  it('reads a bucket never versioned with one request per setting, no HEAD and no object lock read', async () => {
    expect(await sentToObserved(buckets[0] as string)).toEqual([
      'GET lifecycle',
      'GET policy',
      'GET publicAccessBlock',
      'GET tagging',
      'GET versioning',
    ]);
  });

  it('reads no object lock of a bucket whose versioning is Suspended, which object lock would forbid', async () => {
    expect(await sentToObserved(suspended)).not.toContain('GET object-lock');
  });

  it('reads the object lock of a bucket whose versioning is Enabled', async () => {
    expect(await sentToObserved(versioned)).toEqual([
      'GET lifecycle',
      'GET object-lock',
      'GET policy',
      'GET publicAccessBlock',
      'GET tagging',
      'GET versioning',
    ]);
  });

  it("updates lifecycle rules with one read before the write and one after, keeping another tool's rule", async () => {
    const theirs = { ID: 'theirs', Status: 'Enabled' as const, Filter: { Prefix: 'tmp/' }, Expiration: { Days: 3 } };
    await client.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: withTheirRule,
        LifecycleConfiguration: { Rules: [theirs] },
      }),
    );
    const environment = uniqueEnvironment();
    const wire = await proxy({});
    const provider = providerFor(environment, { endpoint: wire.endpoint });
    const planned = await provider.read({ system: 's3', kind: 'BucketLifecycle', name: withTheirRule }, signal());
    wire.reset();

    const ours = rule('logs', { prefix: 'logs/', expirationDays: 30 });
    const step = {
      ...change('update', 'BucketLifecycle', withTheirRule, { rules: [ours] }),
      fingerprint: planned?.fingerprint,
    };
    await executeStep(step, provider, environment, signal(), { parentWrittenThisRun: false, onWriteSent: () => {} });

    // Each read of the rules is the bucket's HEAD, its lifecycle, and its tags for the owner; the write merges into
    // the lifecycle the precondition read, and reads it no third time.
    expect(wire.sentTo(withTheirRule)).toEqual([
      'GET lifecycle',
      'GET lifecycle',
      'GET tagging',
      'GET tagging',
      'HEAD',
      'HEAD',
      'PUT lifecycle',
    ]);
    const live = await client.send(new GetBucketLifecycleConfigurationCommand({ Bucket: withTheirRule }));
    expect(live.Rules?.map((r) => r.ID).sort()).toEqual(['logs', 'theirs']);
  });

  it('asks HEAD of a declared bucket that ListBuckets did not list, and nothing more once it is missing', async () => {
    expect(await sentToObserved(uniqueBucketName('wire-missing'))).toEqual(['HEAD']);
  });

  it("retries RGW's 503 SlowDown with backoff and then succeeds", async () => {
    const wire = await proxy({ fail: { count: 2, status: 503, code: 'SlowDown' } });
    const scope = scopeOf(buckets.slice(0, 1));
    const { resources } = await providerFor(scope.environment, { endpoint: wire.endpoint, concurrency: 1 }).observe(
      scope,
      signal(),
    );
    expect(wire.failed).toBe(2);
    expect(resources.map((r) => r.address.kind).sort()).toEqual(['Bucket', 'BucketVersioning']);
  });

  it('retries SlowDown answered to many requests at once, at the default concurrency, until every bucket is read', async () => {
    // After ListBuckets, which comes alone: the 30 answered SlowDown are sent together. Each fails once, so how the
    // failures fall on requests (other test files' buckets are listed too) cannot exhaust one request's attempts.
    const wire = await proxy({ fail: { count: 30, status: 503, code: 'SlowDown', after: 1, oncePerPath: true } });
    const scope = scopeOf(buckets);
    const { resources } = await providerFor(scope.environment, { endpoint: wire.endpoint }).observe(scope, signal());
    expect(wire.failed).toBe(30);
    expect(resources.filter((r) => r.address.kind === 'Bucket' && buckets.includes(r.address.name))).toHaveLength(20);
  });

  it('gives up after maxAttempts with a retryable error that says what the server answered', async () => {
    const wire = await proxy({ fail: { count: Number.POSITIVE_INFINITY, status: 503, code: 'SlowDown' } });
    const scope = scopeOf(buckets.slice(0, 1));
    const error = await providerFor(scope.environment, { endpoint: wire.endpoint, maxAttempts: 2 })
      .observe(scope, signal())
      .catch((e: unknown) => e);
    expect(
      isProviderError(error) && { message: error.message, status: error.status, retryable: error.retryable },
    ).toEqual({
      message: 'SlowDown (HTTP 503)',
      status: 503,
      retryable: true,
    });
    expect(wire.requests).toBe(2);
  });

  it('says how to raise the bucket limit when the server answers TooManyBuckets', async () => {
    const wire = await proxy({ fail: { count: 1, status: 400, code: 'TooManyBuckets' } });
    const bucket = uniqueBucketName('wire-limit');
    const error = await providerFor(uniqueEnvironment(), { endpoint: wire.endpoint })
      .apply(change('create', 'Bucket', bucket, { objectLockEnabled: false }), { dryRun: false, signal: signal() })
      .catch((e: unknown) => e);

    expect(isProviderError(error) && { message: error.message, hint: error.hint }).toEqual({
      message: `s3/Bucket/${bucket}: TooManyBuckets (HTTP 400)`,
      hint: expect.stringContaining('radosgw-admin user modify --max-buckets') as string,
    });
  });

  it('names the region of a bucket that lives in another, where AWS answers 301 instead of the configuration', async () => {
    const headers = { 'x-amz-bucket-region': 'eu-central-1' };
    const wire = await proxy({
      fail: { count: Number.POSITIVE_INFINITY, status: 301, code: 'PermanentRedirect', bucket: buckets[0], headers },
    });
    const scope = scopeOf(buckets.slice(0, 1));
    const error = await providerFor(scope.environment, { endpoint: wire.endpoint })
      .observe(scope, signal())
      .catch((e: unknown) => e);

    expect(isProviderError(error) && { message: error.message, hint: error.hint, retryable: error.retryable }).toEqual({
      message: `s3 GetBucketEncryption on ${buckets[0]}: the bucket is in region eu-central-1 (HTTP 301)`,
      hint: expect.stringContaining('whose targets.s3.region is eu-central-1') as string,
      retryable: false,
    });
  });

  it("passes over an undeclared bucket that lives in another region, as not this environment's", async () => {
    const headers = { 'x-amz-bucket-region': 'eu-central-1' };
    const wire = await proxy({
      fail: { count: Number.POSITIVE_INFINITY, status: 301, code: 'PermanentRedirect', bucket: buckets[1], headers },
    });
    const scope = scopeOf(buckets.slice(0, 1));

    const { resources } = await providerFor(scope.environment, { endpoint: wire.endpoint }).observe(scope, signal());

    expect(wire.sentTo(buckets[1] as string)).toEqual(['GET tagging']);
    expect(resources.some((r) => r.address.name === buckets[1])).toBe(false);
  });

  it('stops at once when the caller aborts, naming the request it was waiting for', async () => {
    const wire = await proxy({ delayMs: 5_000 });
    const scope = scopeOf(buckets.slice(0, 1));
    const started = Date.now();
    const error = await providerFor(scope.environment, { endpoint: wire.endpoint })
      .observe(scope, AbortSignal.timeout(200))
      .catch((e: unknown) => e);
    expect(isProviderError(error) && error.message).toMatch(
      new RegExp(`^s3 ListBuckets: no answer from ${wire.endpoint} within 0\\.\\d s$`),
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('closes the connection of a request the caller aborts, so the server is not left working on it', async () => {
    const wire = await proxy({ delayMs: 5_000 });
    const scope = scopeOf(buckets.slice(0, 1));
    await providerFor(scope.environment, { endpoint: wire.endpoint })
      .observe(scope, AbortSignal.timeout(200))
      .catch(() => undefined);

    // Well before the proxy would have answered.
    await waitFor('the aborted ListBuckets to close its connection', () => wire.inFlight === 0, { timeoutMs: 2_000 });
  });

  it('gives up on a request the server leaves unanswered past the request timeout, naming it and the server', async () => {
    const wire = await proxy({ delayMs: 5_000 });
    const scope = scopeOf(buckets.slice(0, 1));
    const started = Date.now();
    const error = await providerFor(scope.environment, {
      endpoint: wire.endpoint,
      timeouts: { connectMs: 1_000, requestMs: 300 },
    })
      .observe(scope, signal())
      .catch((e: unknown) => e);
    expect(isProviderError(error) && { message: error.message, retryable: error.retryable }).toEqual({
      message: `s3 ListBuckets: no answer from ${wire.endpoint} within 0.3 s`,
      retryable: true,
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
