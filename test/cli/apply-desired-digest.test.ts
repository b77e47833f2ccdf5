/**
 * A saved plan records the digest of what its environment file means: `strata apply` takes it after an edit that
 * changes only comments and layout, and refuses it as stale after an edit of any value. Against the test cluster
 * (which holds the lock) and RGW.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.js';
import { openTestCluster, type TestCluster } from '../support/kube/index.js';
import { deleteBucketCompletely, newS3Client, s3Target, uniqueBucketName } from '../support/s3/index.js';

const ENV = `digest-${randomBytes(3).toString('hex')}`;
const bucket = uniqueBucketName('akosha-digest');
let project: string;
let cluster: TestCluster;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'strata-digest-'));
  cluster = await openTestCluster();
  await mkdir(join(project, 'environments'));
});
beforeEach(() => writeFile(file(), environment()));
afterAll(async () => {
  await deleteBucketCompletely(newS3Client(), bucket);
  await cluster.stop();
  await rm(project, { recursive: true, force: true });
});

const file = () => join(project, `environments/${ENV}.yaml`);

function environment(): string {
  return `apiVersion: strata.dev/v1alpha1
kind: Environment
metadata: { name: ${ENV} }
targets:
  kubernetes: { context: ${cluster.contextName} }
  s3: { region: us-east-1 }
buckets:
  shelf:
    name: ${bucket}
    versioning: true
    tags: { team: platform }
`;
}

async function edit(change: (text: string) => string): Promise<void> {
  await writeFile(file(), change(await readFile(file(), 'utf8')));
}

function strata(...argv: string[]) {
  const target = s3Target();
  return runCli([...argv, '--s3-endpoint', target.endpoint], {
    cwd: project,
    env: {
      KUBECONFIG: cluster.kubeconfigPath,
      AWS_ACCESS_KEY_ID: target.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: target.credentials.secretAccessKey,
    },
  });
}

const PLAN = `plans/${ENV}.plan.json`;

describe('a saved plan after its environment file is edited', () => {
  it('is refused as stale after an edit of a value, before anything is written', async () => {
    expect((await strata('plan', ENV)).exitCode).toBe(0);
    await edit((text) => text.replace('tags: { team: platform }', 'tags: { team: storage }'));
    const refused = await strata('apply', PLAN, '--audit-dir', 'audit');
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(
      `environments/${ENV}.yaml changed since the plan was made; run strata plan ${ENV} again`,
    );
  });

  it('still applies after an edit of comments and layout only', async () => {
    expect((await strata('plan', ENV)).exitCode).toBe(0);
    await edit((text) =>
      text
        .replace('buckets:\n', '# Reviewed in PR 42: the shelf keeps every version.\nbuckets:\n')
        .replace('    tags: { team: platform }\n', '    tags:\n      team: "platform"   # the owning team\n'),
    );
    const applied = await strata('apply', PLAN, '--audit-dir', 'audit');
    expect(applied.stderr).toBe('');
    expect(applied.exitCode).toBe(0);
    expect(applied.stdout).toContain('Apply complete');
  });
});
