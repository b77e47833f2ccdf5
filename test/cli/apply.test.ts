import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLeaseLock } from '../../src/providers/kubernetes/lease-lock.js';
import type { EnvironmentLock } from '../../src/providers/provider.js';
import { runCli } from '../support/cli.js';
import { openTestCluster, type TestCluster } from '../support/kube/index.js';
import { deleteBucketCompletely, newS3Client, s3Target, uniqueBucketName } from '../support/s3/index.js';

const KEY = '0123456789abcdef0123456789abcdef-signing-key';
let project: string;
let cluster: TestCluster;
/** An environment that holds its apply lock in the shared test cluster (named for this run) and changes only S3. */
const LOCKED = `shelf-${randomBytes(3).toString('hex')}`;
const lockedBucket = uniqueBucketName('akosha-shelf');
let lock: EnvironmentLock;

beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'strata-apply-'));
  cluster = await openTestCluster();
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(cluster.kubeconfig);
  lock = createLeaseLock({ kubeConfig, environment: LOCKED });
  await mkdir(join(project, 'environments'));
  await writeLockedEnvironment({ team: 'platform' });
  await writeFile(
    join(project, 'environments/archive.yaml'),
    `apiVersion: strata.dev/v1alpha1
kind: Environment
metadata: { name: archive }
targets:
  s3: { region: us-east-1 }
buckets:
  chat-archives:
    name: ${uniqueBucketName('akosha-chat-archives')}
    versioning: true
`,
  );
});
afterAll(async () => {
  await lock.breakLock({ force: true }, new AbortController().signal).catch(() => undefined);
  await deleteBucketCompletely(newS3Client(), lockedBucket);
  await cluster.stop();
  await rm(project, { recursive: true, force: true });
});

function writeLockedEnvironment(tags: Record<string, string>): Promise<void> {
  return writeFile(
    join(project, `environments/${LOCKED}.yaml`),
    `apiVersion: strata.dev/v1alpha1
kind: Environment
metadata: { name: ${LOCKED} }
targets:
  kubernetes: { context: ${cluster.contextName} }
  s3: { region: us-east-1 }
buckets:
  shelf:
    name: ${lockedBucket}
    versioning: true
    tags: ${JSON.stringify(tags)}
`,
  );
}

/** strata in the project, pointed at the test RGW (`show` reads only the file and takes no target flags). */
function strataWith(env: NodeJS.ProcessEnv, ...argv: string[]) {
  const target = s3Target();
  return runCli([...argv, ...(argv[0] === 'show' ? [] : ['--s3-endpoint', target.endpoint])], {
    cwd: project,
    env: {
      AWS_ACCESS_KEY_ID: target.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: target.credentials.secretAccessKey,
      ...env,
    },
  });
}

const strata = (...argv: string[]) => strataWith({}, ...argv);
const strataLocked = (...argv: string[]) => strataWith({ KUBECONFIG: cluster.kubeconfigPath }, ...argv);
const planOfLocked = () => readFile(join(project, `plans/${LOCKED}.plan.json`));

describe('strata apply', () => {
  it('asks for --auto-approve when it plans an environment with no terminal to ask in, after printing the plan', async () => {
    const { exitCode, stdout, stderr } = await strataLocked('apply', LOCKED);
    expect(exitCode).toBe(1);
    expect(stdout).toContain('Plan: 3 to create');
    expect(stderr).toContain('there is no terminal to ask in');
    expect(stderr).toContain(
      `hint: review the plan above, then run strata apply plans/${LOCKED}.plan.json (or pass --auto-approve)`,
    );
    expect(await lock.inspect(new AbortController().signal)).toBeUndefined();
  });

  it('refuses --include-skipped without --resume, saying what it goes with', async () => {
    const { exitCode, stderr } = await strata('apply', 'plans/archive.plan.json', '--include-skipped');
    expect(exitCode).toBe(1);
    expect(stderr).toContain(
      'error: --include-skipped goes with --resume: it applies what an earlier run of the plan skipped',
    );
    expect(stderr).toContain('hint: strata apply --resume --include-skipped plans/archive.plan.json');
  });

  it('refuses, before any write, an environment with no Kubernetes target to hold its lock', async () => {
    const { exitCode, stderr } = await strata('apply', 'archive', '--auto-approve');
    expect(exitCode).toBe(1);
    expect(stderr).toContain('environment archive has no Kubernetes target to hold its apply lock (a Lease)');
    const { stdout } = await strata('plan', 'archive', '--no-out');
    expect(stdout).toContain('Plan: 3 to create');
  });

  it('finds the lock of a run in progress before it writes anything: that run keeps its plan file byte for byte', async () => {
    expect((await strataLocked('plan', LOCKED)).exitCode).toBe(0);
    const applying = await planOfLocked();
    const first = await lock.acquire({ user: 'alice', host: 'ci-runner-7' }, new AbortController().signal);
    // What a second run would plan differs from the file the first one applies and would resume from.
    await writeLockedEnvironment({ team: 'storage' });

    for (const asking of [[], ['--auto-approve']]) {
      const second = await strataLocked('apply', LOCKED, ...asking);
      expect(second.exitCode).toBe(1);
      expect(second.stderr).toContain(`error: environment ${LOCKED} is locked by alice@ci-runner-7 since`);
      expect(second.stdout).toBe('');
      expect((await planOfLocked()).equals(applying)).toBe(true);
    }

    await first.release();
    const after = await strataLocked('apply', LOCKED, '--auto-approve', '--audit-dir', 'audit');
    expect(after.stdout).toContain('Apply complete');
    expect(after.exitCode).toBe(0);
    expect((await planOfLocked()).toString('utf8')).toContain('"storage"');
    expect(await lock.inspect(new AbortController().signal)).toBeUndefined();
  });
});

describe('signed plans in the CLI', () => {
  it('shows a signed plan, saying it is signed and whether the signature was checked', async () => {
    expect((await strataWith({ STRATA_PLAN_KEY: KEY }, 'plan', 'archive')).exitCode).toBe(0);

    const checked = await strataWith({ STRATA_PLAN_KEY: KEY }, 'show', 'plans/archive.plan.json');
    const unchecked = await strataWith({}, 'show', 'plans/archive.plan.json');

    expect(checked.stderr).toBe('plans/archive.plan.json is signed; the signature matches STRATA_PLAN_KEY\n');
    expect(unchecked.stderr).toBe(
      'plans/archive.plan.json is signed; the signature is not checked, as STRATA_PLAN_KEY is not set here\n',
    );
    expect([checked.exitCode, unchecked.exitCode]).toEqual([0, 0]);
    expect(unchecked.stdout).toContain('Plan: 3 to create');
  });

  it('refuses to show a plan whose signature does not match the key', async () => {
    expect((await strataWith({ STRATA_PLAN_KEY: KEY }, 'plan', 'archive')).exitCode).toBe(0);

    const shown = await strataWith(
      { STRATA_PLAN_KEY: `${KEY}-of-another-pipeline` },
      'show',
      'plans/archive.plan.json',
    );

    expect(shown.exitCode).toBe(1);
    expect(shown.stderr).toContain(
      'error: plans/archive.plan.json has a signature that does not match STRATA_PLAN_KEY',
    );
    expect(shown.stdout).toBe('');
  });

  it('refuses to plan with a STRATA_PLAN_KEY that is set but empty, as a missing CI secret is', async () => {
    const { exitCode, stderr } = await strataWith({ STRATA_PLAN_KEY: '' }, 'plan', 'archive');
    expect(exitCode).toBe(1);
    expect(stderr).toContain(
      'error: STRATA_PLAN_KEY is set but empty (a CI secret that does not exist expands to nothing)',
    );
    expect(stderr).toContain('hint: unset it to work without signed plans, or make one with `openssl rand -hex 32`');
  });
});
