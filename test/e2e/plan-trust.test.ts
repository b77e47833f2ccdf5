/**
 * A saved plan is trusted only for what it really approved, through the CLI against the real control plane and RGW:
 * apply plans again and runs a step only where the planner agrees with the file; with STRATA_PLAN_KEY the file is
 * signed, so an edit with a recomputed sha256 is refused; and an old plan applied again writes nothing, or is refused
 * for what someone else changed since (with the real AWS CLI and kubectl).
 */
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetBucketLifecycleConfigurationCommand, GetBucketTaggingCommand, HeadBucketCommand } from '@aws-sdk/client-s3';
import { CoreV1Api } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Plan } from '../../src/model/plan.js';
import { planHash } from '../../src/plan/planfile.js';
import { runCli, type CliResult } from '../support/cli.js';
import { hasKubectl, kubectlWith } from '../support/kube/kubectl.js';
import { awsCliWith, hasAwsCli } from '../support/s3/index.js';
import { kubeConfigOf } from './support/scenario.js';
import { startWorld, type World } from './support/world.js';

if (!hasAwsCli) console.warn('the AWS CLI test is skipped: `aws` is not on the PATH (pip install awscli)');
if (!hasKubectl) console.warn('the kubectl tests are skipped: kubectl is not installed');
/** The CI secret of both the plan and the apply job. */
const PLAN_KEY = '5f0c1d9e8b7a6f5e4d3c2b1a09f8e7d6c5b4a39281706f5e4d3c2b1a09f8e7d6';

let world: World;
beforeEach(async () => {
  world = await startWorld();
  await writeEnvironment();
}, 60_000);
afterEach(() => world?.cleanup());

const bucket = () => world.bucket('archive');
const namespace = () => world.namespace('team');

/** One namespace and one bucket with tags and a retention rule: small, and every kind of step the tests need. */
async function writeEnvironment(expireAfter = '30d'): Promise<void> {
  const text = `apiVersion: strata.dev/v1alpha1
kind: Environment
metadata: { name: ${world.env} }
targets:
  kubernetes: { context: strata-test }
  s3: { region: us-east-1 }
namespaces:
  team:
    name: ${namespace()}
    labels: { team: platform }
buckets:
  archive:
    name: ${bucket()}
    tags: { team: chat }
    lifecycle:
      - { id: messages-retention, prefix: messages/, expireAfter: ${expireAfter} }
`;
  await writeFile(join(world.dir, 'environments', `${world.env}.yaml`), text);
}

/** strata as a CI job runs it, with the job's variables (and the plan key, when the job has it). */
function strata(env: NodeJS.ProcessEnv, ...argv: string[]): Promise<CliResult> {
  const { credentials, region } = world.target;
  return runCli(argv, {
    cwd: world.dir,
    env: {
      STRATA_ACTOR: 'e2e-runner',
      AWS_ACCESS_KEY_ID: credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      AWS_REGION: region,
      ...env,
    },
  });
}

const plan = (env: NodeJS.ProcessEnv = {}) =>
  strata(env, 'plan', world.env, '--out', world.planfile, '--no-tty', ...world.targetFlags);
/** No guard flags: what needs --allow-destroy must ask for it. */
const apply = (env: NodeJS.ProcessEnv = {}) =>
  strata(env, 'apply', world.planfile, '--no-tty', '--audit-dir', world.auditDir, ...world.targetFlags);

async function planAndApply(): Promise<void> {
  expect((await plan()).exitCode).toBe(0);
  const applied = await apply();
  expect(applied.stdout).toContain('Apply complete');
  expect(applied.exitCode).toBe(0);
}

/** What someone who can write the CI artifact can do: change the plan, then put the matching sha256 in. */
async function editPlanFile(edit: (plan: Plan) => void): Promise<void> {
  const path = join(world.dir, world.planfile);
  const {
    planHash: _hash,
    planSignature,
    ...plan
  } = JSON.parse(await readFile(path, 'utf8')) as Plan & { planHash: string; planSignature?: string };
  edit(plan);
  await writeFile(
    path,
    JSON.stringify({ ...plan, planHash: planHash(plan), ...(planSignature ? { planSignature } : {}) }, null, 2),
  );
}

async function tagsOf(name: string): Promise<Record<string, string>> {
  const { TagSet } = await world.s3.send(new GetBucketTaggingCommand({ Bucket: name }));
  return Object.fromEntries((TagSet ?? []).map((tag) => [tag.Key!, tag.Value!]));
}

async function expirationDays(name: string): Promise<number | undefined> {
  const { Rules } = await world.s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: name }));
  return Rules?.find((rule) => rule.ID === 'messages-retention')?.Expiration?.Days;
}

/** Someone else at work with the real kubectl. */
async function kubectl(...args: string[]): Promise<void> {
  const run = await kubectlWith(world.cluster.kubeconfigPath, world.dir)(...args);
  expect(run.code, run.stderr).toBe(0);
}

describe('strata apply approves a saved plan, it does not trust it', () => {
  it('refuses an edited and re-hashed plan without --allow-destroy, since the change derived now can lose data', async () => {
    await planAndApply();
    await writeEnvironment('7d');
    expect((await plan()).exitCode).toBe(0);
    await editPlanFile((edited) => {
      for (const change of edited.changes) change.risks = [];
      edited.summary.risks = 0;
    });
    // The hash is right again: the file passes as unedited.
    expect((await strata({}, 'show', world.planfile)).exitCode).toBe(0);

    const refused = await apply();

    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(
      `error: 1 change can lose data:\n  s3/BucketLifecycle/${bucket()}: lifecycle rule "messages-retention" expiration 30d → 7d`,
    );
    expect(refused.stderr).toContain('hint: review them and re-run with --allow-destroy');
    expect(await expirationDays(bucket())).toBe(30);
  });

  it.skipIf(!hasKubectl)(
    'deletes nothing that an edited plan adds, such as a namespace strata does not own',
    async () => {
      await planAndApply();
      const bystander = `bystander-${world.env}`;
      await kubectl('create', 'namespace', bystander);
      expect((await plan()).exitCode).toBe(0);
      await editPlanFile((edited) => {
        const address = { system: 'kubernetes' as const, kind: 'Namespace' as const, name: bystander };
        edited.changes.push({ address, action: 'delete', before: { labels: {} }, attributes: [], risks: [] });
        edited.steps.push({ index: edited.steps.length + 1, address, action: 'delete', dependsOn: [] });
      });

      const refused = await apply();

      expect(refused.exitCode).toBe(1);
      expect(refused.stdout).toContain(
        `kubernetes/Namespace/${bystander} changed since the plan was made (planned delete, now nothing: it is neither declared nor owned by strata); run strata plan ${world.env} again`,
      );
      const core = kubeConfigOf(world).makeApiClient(CoreV1Api);
      expect((await core.readNamespace({ name: bystander })).status?.phase).toBe('Active');
    },
  );

  it('applies a finished plan again without writing anything, and says so', async () => {
    await planAndApply();
    const tags = await tagsOf(bucket());
    world.cluster.counters.reset();

    const again = await apply();

    expect(again.exitCode).toBe(0);
    expect(again.stdout).toMatch(/Apply complete: (\d+) steps succeeded \(\1 already in place\)\./);
    const stepLines = again.stdout.split('\n').filter((line) => line.startsWith('✔ step'));
    expect(stepLines.length).toBeGreaterThan(0);
    expect(stepLines.filter((line) => !line.endsWith(': already as planned, nothing written'))).toEqual([]);
    const writes = Object.keys(world.cluster.counters.byVerbAndResource()).filter(
      (key) => /^(create|update|patch|delete) /.test(key) && !/ (leases|events)$/.test(key),
    );
    expect(writes).toEqual([]);
    expect(await tagsOf(bucket())).toEqual(tags);
    expect(await expirationDays(bucket())).toBe(30);
  });

  it.skipIf(!hasAwsCli)(
    'refuses an old create plan for the tags someone changed since with the AWS CLI, and finds the rest in place',
    async () => {
      await planAndApply();
      const tagSet = [
        { Key: 'team', Value: 'someone-else' },
        { Key: 'managed-by', Value: 'strata' },
        { Key: 'strata.dev/environment', Value: world.env },
      ];
      const tagged = await awsCliWith(world.target, world.dir)(
        's3api',
        'put-bucket-tagging',
        '--bucket',
        bucket(),
        '--tagging',
        JSON.stringify({ TagSet: tagSet }),
      );
      expect(tagged.code, tagged.stderr).toBe(0);

      const refused = await apply();

      expect(refused.exitCode).toBe(1);
      expect(refused.stdout).toContain(
        `s3/BucketTags/${bucket()} changed since the plan was made (planned create, now update: tags.team "someone-else" → "chat"); run strata plan ${world.env} again`,
      );
      expect(refused.stdout).toMatch(
        new RegExp(`s3 bucket ${bucket()} · lifecycle \\(.*\\): already as planned, nothing written`),
      );
      expect((await tagsOf(bucket())).team).toBe('someone-else');
    },
  );

  it.skipIf(!hasKubectl)(
    'refuses an old create plan for the namespace someone relabelled since with kubectl',
    async () => {
      await planAndApply();
      await kubectl('label', 'namespace', namespace(), 'team=someone-else', '--overwrite');

      const refused = await apply();

      expect(refused.exitCode).toBe(1);
      expect(refused.stdout).toContain(
        `kubernetes/Namespace/${namespace()} changed since the plan was made (planned create, now update: labels.team "someone-else" → "platform")`,
      );
      const core = kubeConfigOf(world).makeApiClient(CoreV1Api);
      expect((await core.readNamespace({ name: namespace() })).metadata?.labels?.team).toBe('someone-else');
    },
  );
});

describe('signed plans (STRATA_PLAN_KEY)', () => {
  const withKey = { STRATA_PLAN_KEY: PLAN_KEY };

  it('applies a plan signed in a job with the key where the key is set, and show says it is signed', async () => {
    expect((await plan(withKey)).exitCode).toBe(0);

    const shown = await strata(withKey, 'show', world.planfile);
    const applied = await apply(withKey);

    expect(shown.stderr).toContain(`${world.planfile} is signed; the signature matches STRATA_PLAN_KEY`);
    expect(applied.exitCode).toBe(0);
    expect((await tagsOf(bucket())).team).toBe('chat');
  });

  it('refuses a signed plan edited and re-hashed, for its signature, and never prints the key', async () => {
    expect((await plan(withKey)).exitCode).toBe(0);
    await editPlanFile((edited) => {
      const tags = edited.changes.find((change) => change.address.kind === 'BucketTags')!;
      (tags.after as { tags: Record<string, string> }).tags.team = 'attacker';
    });

    const refused = await apply(withKey);

    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toContain(
      `error: ${world.planfile} has a signature that does not match STRATA_PLAN_KEY: it was changed after it was signed, or signed with another key`,
    );
    expect(refused.stderr).toContain(
      `hint: make the plan again (strata plan ${world.env}) in the job that has the key`,
    );
    expect(refused.stdout + refused.stderr).not.toContain(PLAN_KEY);
    await expect(world.s3.send(new HeadBucketCommand({ Bucket: bucket() }))).rejects.toThrow();
  });

  it('refuses an unsigned plan where the key is set, and a signed one where it is not', async () => {
    expect((await plan()).exitCode).toBe(0);
    const unsigned = await apply(withKey);
    expect((await plan(withKey)).exitCode).toBe(0);
    const unchecked = await apply();

    expect(unsigned.stderr).toContain(`error: ${world.planfile} is not signed, and STRATA_PLAN_KEY is set here`);
    expect(unchecked.stderr).toContain(
      `error: ${world.planfile} is signed, but STRATA_PLAN_KEY is not set here, so its signature cannot be checked`,
    );
    expect([unsigned.exitCode, unchecked.exitCode]).toEqual([1, 1]);
  });
});
