/**
 * The baseline: a Terraform-style refresh, which reads every resource in its state with one request per object and
 * per bucket setting, 10 at a time (terraform's default -parallelism), through the same client libraries strata uses.
 * Run as its own process by the scale benchmark: `node --import tsx bench/scale/refresh.ts <objects.json>`, with
 * KUBECONFIG and the S3 variables set. It prints nothing; the benchmark times and counts it.
 */
import { readFileSync } from 'node:fs';
import { KubeConfig, KubernetesObjectApi } from '@kubernetes/client-node';
import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetObjectLockConfigurationCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { createLimiter } from '../../src/providers/s3/limiter.js';
import type { WorldObjects } from './world.js';

const PARALLELISM = 10;

const objects = JSON.parse(readFileSync(process.argv[2]!, 'utf8')) as WorldObjects;
const kubeConfig = new KubeConfig();
kubeConfig.loadFromDefault();
const kubernetes = kubeConfig.makeApiClient(KubernetesObjectApi);
const s3 = new S3Client({ forcePathStyle: true });
const limit = createLimiter(PARALLELISM);
// A setting that is not configured answers 404 or similar: that is an answer, as it is to Terraform.
const settle = (request: Promise<unknown>) => request.catch(() => undefined);

const settings: ((Bucket: string) => Promise<unknown>)[] = [
  (Bucket) => s3.send(new HeadBucketCommand({ Bucket })),
  (Bucket) => s3.send(new GetBucketVersioningCommand({ Bucket })),
  (Bucket) => s3.send(new GetObjectLockConfigurationCommand({ Bucket })),
  (Bucket) => s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket })),
  (Bucket) => s3.send(new GetBucketTaggingCommand({ Bucket })),
  (Bucket) => s3.send(new GetBucketPolicyCommand({ Bucket })),
  (Bucket) => s3.send(new GetPublicAccessBlockCommand({ Bucket })),
  (Bucket) => s3.send(new GetBucketEncryptionCommand({ Bucket })),
];

await Promise.all([
  ...objects.kubernetes.map(({ apiVersion, kind, namespace, name }) =>
    limit(() => settle(kubernetes.read({ apiVersion, kind, metadata: { name, ...(namespace ? { namespace } : {}) } }))),
  ),
  ...objects.buckets.flatMap((Bucket) => settings.map((read) => limit(() => settle(read(Bucket))))),
]);
