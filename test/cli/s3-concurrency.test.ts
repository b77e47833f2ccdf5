/** `targets.s3.concurrency` in the environment file is what the plan keeps in flight, seen on the wire by a proxy. */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { deleteBucketCompletely, newS3Client, s3Target, uniqueBucketName } from '../support/s3/index.js';
import { startS3Proxy, type S3Proxy } from '../support/s3/proxy.js';

const buckets = Array.from({ length: 6 }, (_, i) => uniqueBucketName(`concurrency-${i}`));
let client: S3Client;
let wire: S3Proxy;
let project: string;

beforeAll(async () => {
  client = newS3Client();
  await Promise.all(buckets.map((Bucket) => client.send(new CreateBucketCommand({ Bucket }))));
  wire = await startS3Proxy(s3Target().endpoint, { delayMs: 20 });
  project = await mkdtemp(join(tmpdir(), 'strata-s3-concurrency-'));
  await mkdir(join(project, 'environments'));
  await writeFile(
    join(project, 'environments/archive.yaml'),
    [
      'apiVersion: strata.dev/v1alpha1',
      'kind: Environment',
      'metadata: { name: archive }',
      'targets:',
      '  s3: { region: us-east-1, concurrency: 3 }',
      'buckets:',
      ...buckets.map((name, i) => `  b${i}: { name: ${name} }`),
      '',
    ].join('\n'),
  );
});

afterAll(async () => {
  await wire?.close();
  await Promise.all(buckets.map((bucket) => deleteBucketCompletely(client, bucket)));
  await rm(project, { recursive: true, force: true });
});

describe('targets.s3.concurrency', () => {
  it('is the most requests a plan has in flight', async () => {
    const { credentials } = s3Target();
    const { exitCode, stderr } = await runCli(['plan', 'archive', '--no-out', '--s3-endpoint', wire.endpoint], {
      cwd: project,
      env: { AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey },
    });
    expect({ exitCode, stderr }).toEqual({ exitCode: 0, stderr: '' });
    expect(wire.mostInFlight).toBe(3);
  });
});
