/**
 * Lifecycle rules filtered by object size (`largerThan`, `smallerThan`), against the real S3 server. Ceph RGW 16
 * accepts size filters and drops them (shown here with the AWS CLI), so a rule for small objects would expire
 * objects of every size: there strata leaves the lifecycle alone and says why once per plan. On a server that keeps
 * them (run with STRATA_TEST_S3_ENDPOINT set to MinIO or AWS), apply writes them, the AWS CLI reads them back, the
 * next plan is empty, and a size changed by hand is drift that the next apply reverts.
 */
import { CreateBucketCommand, GetBucketLifecycleConfigurationCommand } from '@aws-sdk/client-s3';
import { mkdtempSync, rmSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Change, Plan } from '../../src/model/plan.js';
import { awsCliWith, hasAwsCli, targetIsHarnessRgw, type AwsCliRun } from '../support/s3/index.js';
import { startWorld, type World } from './support/world.js';

let world: World;
let scratch: string;
let aws: (...args: string[]) => Promise<AwsCliRun>;

beforeEach(async () => {
  world = await startWorld();
  scratch = mkdtempSync(join(tmpdir(), 'strata-aws-'));
  aws = awsCliWith(world.target, scratch);
}, 60_000);
afterEach(async () => {
  await world?.cleanup();
  rmSync(scratch, { recursive: true, force: true });
});

const bucket = () => world.bucket('code-analysis');
const GiB = 1024 ** 3;

/** The code-analysis service's policy: repositories over 1Gi go to GLACIER, smaller ones are deleted after 90 days. */
async function writeEnvironment(options: { unsupported?: boolean; smallerThan?: string } = {}): Promise<void> {
  const s3 = options.unsupported
    ? '{ region: us-east-1, unsupported: [lifecycle-size-filters] }'
    : '{ region: us-east-1 }';
  const lines = [
    'apiVersion: strata.dev/v1alpha1',
    'kind: Environment',
    `metadata: { name: ${world.env} }`,
    `targets: { kubernetes: { context: ${world.cluster.contextName} }, s3: ${s3} }`,
    'buckets:',
    '  code-analysis:',
    `    name: ${bucket()}`,
    '    lifecycle:',
    '      - id: archive-large',
    '        prefix: repos/',
    '        largerThan: 1Gi',
    '        transitions: [ { after: 30d, storageClass: GLACIER } ]',
    '      - id: expire-small',
    '        prefix: repos/',
    `        smallerThan: ${options.smallerThan ?? '1Gi'}`,
    '        expireAfter: 90d',
  ];
  await writeFile(join(world.dir, 'environments', `${world.env}.yaml`), `${lines.join('\n')}\n`);
}

async function planned(...extra: string[]): Promise<{ exitCode: number; stdout: string; plan: Plan }> {
  const result = await world.plan(...extra);
  expect(result.stderr).toBe('');
  const plan = JSON.parse(await readFile(join(world.dir, world.planfile), 'utf8')) as Plan;
  return { exitCode: result.exitCode, stdout: result.stdout, plan };
}

const lifecycleOf = (plan: Plan): Change | undefined =>
  plan.changes.find((change) => change.address.kind === 'BucketLifecycle');

interface LiveRule {
  ID: string;
  Filter?: { Prefix?: string; ObjectSizeGreaterThan?: number; ObjectSizeLessThan?: number; And?: LiveFilter };
}
type LiveFilter = { Prefix?: string; ObjectSizeGreaterThan?: number; ObjectSizeLessThan?: number };

async function liveRules(): Promise<LiveRule[]> {
  const read = await aws('s3api', 'get-bucket-lifecycle-configuration', '--bucket', bucket());
  expect(read.code, read.stderr).toBe(0);
  return (JSON.parse(read.stdout) as { Rules: LiveRule[] }).Rules;
}

describe.skipIf(!hasAwsCli || !targetIsHarnessRgw())('size filters on Ceph RGW 16', () => {
  it('accepts a lifecycle rule with size filters and reads it back without them (aws s3api)', async () => {
    await world.s3.send(new CreateBucketCommand({ Bucket: bucket() }));
    const configuration = {
      Rules: [
        { ID: 'gt', Status: 'Enabled', Filter: { ObjectSizeGreaterThan: GiB }, Expiration: { Days: 30 } },
        {
          ID: 'lt-and',
          Status: 'Enabled',
          Filter: { And: { Prefix: 'repos/', ObjectSizeGreaterThan: 1, ObjectSizeLessThan: GiB } },
          Expiration: { Days: 90 },
        },
      ],
    };
    const put = await aws(
      's3api',
      'put-bucket-lifecycle-configuration',
      '--bucket',
      bucket(),
      '--lifecycle-configuration',
      JSON.stringify(configuration),
    );
    expect(put.code, put.stderr).toBe(0);
    // Both rules now expire objects of every size: the filters are gone, the rest of each rule is kept.
    expect(await liveRules()).toEqual([
      { ID: 'gt', Prefix: '', Status: 'Enabled', Expiration: { Days: 30 } },
      { ID: 'lt-and', Filter: { Prefix: 'repos/' }, Status: 'Enabled', Expiration: { Days: 90 } },
    ]);
  });

  it('leaves a lifecycle with size filters alone, says why once, and counts it for --detailed-exitcode until the file accepts it', async () => {
    await writeEnvironment();
    const first = await planned('--detailed-exitcode');
    expect(first.exitCode).toBe(2);
    expect(lifecycleOf(first.plan)).toMatchObject({
      action: 'blocked',
      reason: 'unavailable on this S3 server',
      needsCapability: 'lifecycle-size-filters',
    });
    expect(first.plan.capabilities).toContainEqual({
      capability: 'lifecycle-size-filters',
      supported: false,
      detail: expect.stringMatching(/^the server is Ceph RGW 16\.\d+\.\d+ \(its \/swift\/info says so\)/) as string,
    });
    expect(
      first.stdout.match(/lifecycle size filters \(largerThan, smallerThan\): the server is Ceph RGW/g),
    ).toHaveLength(1);
    expect(first.stdout).toContain('list lifecycle-size-filters under targets.s3.unsupported');

    const applied = await world.apply();
    expect(applied.exitCode, `${applied.stdout}${applied.stderr}`).toBe(0);
    // The bucket is made; no lifecycle was written that RGW would widen to every size.
    await expect(world.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: bucket() }))).rejects.toMatchObject(
      {
        name: 'NoSuchLifecycleConfiguration',
      },
    );

    await writeEnvironment({ unsupported: true });
    const accepted = await planned('--detailed-exitcode');
    expect(accepted.exitCode).toBe(0);
    expect(lifecycleOf(accepted.plan)).toMatchObject({ action: 'blocked', needsCapability: 'lifecycle-size-filters' });
  });
});

describe.skipIf(!hasAwsCli || targetIsHarnessRgw())('size filters on a server that keeps them', () => {
  it('writes them in bytes, plans nothing afterwards, and reverts a size changed with the AWS CLI', async () => {
    await writeEnvironment();
    expect((await planned()).exitCode).toBe(0);
    expect((await world.apply()).exitCode).toBe(0);
    const sizeOf = (rule: LiveRule | undefined) => ({ ...rule?.Filter, ...rule?.Filter?.And });
    const written = await liveRules();
    expect(sizeOf(written.find((rule) => rule.ID === 'archive-large'))).toMatchObject({
      Prefix: 'repos/',
      ObjectSizeGreaterThan: GiB,
    });
    expect(sizeOf(written.find((rule) => rule.ID === 'expire-small'))).toMatchObject({ ObjectSizeLessThan: GiB });
    const again = await planned('--detailed-exitcode');
    expect(again.exitCode).toBe(0);

    const widened = written.map((rule) =>
      rule.ID === 'expire-small'
        ? { ...rule, Filter: { And: { Prefix: 'repos/', ObjectSizeLessThan: 2 * GiB } } }
        : rule,
    );
    const put = await aws(
      's3api',
      'put-bucket-lifecycle-configuration',
      '--bucket',
      bucket(),
      '--lifecycle-configuration',
      JSON.stringify({ Rules: widened }),
    );
    expect(put.code, put.stderr).toBe(0);
    const drifted = await planned('--detailed-exitcode');
    expect(drifted.exitCode).toBe(2);
    expect(drifted.stdout).toContain('rules[expire-small].smallerThan:  2Gi → 1Gi');
    expect((await world.apply()).exitCode).toBe(0);
    expect(sizeOf((await liveRules()).find((rule) => rule.ID === 'expire-small'))).toMatchObject({
      ObjectSizeLessThan: GiB,
    });
  });
});
