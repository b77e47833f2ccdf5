/**
 * The CI examples run for real, against the emulator and RGW instead of GitHub and a cloud: each workflow step that
 * calls strata runs in bash as written, with `npx strata` resolving to this checkout, in a scratch copy of the project
 * whose dev environment points at the test servers. The in-cluster CronJob is checked against the emulator and its
 * RBAC against the kinds strata reads.
 */
import { execFile } from 'node:child_process';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { KubeConfig, KubernetesObjectApi, type KubernetesObject } from '@kubernetes/client-node';
import { parseAllDocuments, parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIND_INFO } from '../../src/providers/kubernetes/kinds.js';
import { startKubeEmulator, type KubeEmulator } from '../support/kube-emulator/index.js';
import { deleteBucketCompletely, newS3Client, s3Target, uniqueBucketName } from '../support/s3/index.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const CI = join(ROOT, 'examples/ci');
const run = promisify(execFile);

interface Step {
  name?: string;
  run?: string;
}
interface Workflow {
  jobs: Record<string, { steps: Step[] }>;
}

let emulator: KubeEmulator;
let project: string;
let buckets: string[];

/** The steps of a workflow that call strata, in order. */
async function strataSteps(file: string): Promise<Step[]> {
  const workflow = parse(await readFile(join(CI, 'github', file), 'utf8')) as Workflow;
  return Object.values(workflow.jobs).flatMap((job) => job.steps.filter((step) => step.run?.includes('npx strata')));
}

/** Runs one step's script with GitHub's own bash flags, the test servers in place of the cloud. */
async function runStep(step: Step, extraEnv: Record<string, string> = {}): Promise<{ stdout: string; stderr: string; code: number }> {
  const target = s3Target();
  try {
    const { stdout, stderr } = await run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
      cwd: project,
      timeout: 120_000,
      env: {
        PATH: `${join(project, '.bin')}:${process.env.PATH}`,
        HOME: project,
        ENVIRONMENT: 'dev',
        GITHUB_STEP_SUMMARY: join(project, 'step-summary.md'),
        KUBECONFIG: emulator.kubeconfigPath,
        AWS_ENDPOINT_URL_S3: target.endpoint,
        AWS_ACCESS_KEY_ID: target.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: target.credentials.secretAccessKey,
        AWS_REGION: target.region,
        // The step's own `env:` holds GitHub expressions; the test gives their values.
        ...extraEnv,
      },
    });
    return { stdout, stderr, code: 0 };
  } catch (error) {
    const failed = error as { stdout: string; stderr: string; code: number };
    return { stdout: failed.stdout, stderr: failed.stderr, code: failed.code };
  }
}

beforeAll(async () => {
  emulator = await startKubeEmulator({ contextName: 'dev' });
  project = await mkdtemp(join(tmpdir(), 'strata-ci-'));
  await mkdir(join(project, 'environments'));
  await cp(join(ROOT, 'schemas'), join(project, 'schemas'), { recursive: true });
  // The shipped dev file with bucket names of this run, so runs never share buckets, and without default encryption,
  // which Ceph RGW 16 does not implement (strata would rightly report it as drift it cannot fix).
  let dev = (await readFile(join(ROOT, 'environments/dev.yaml'), 'utf8')).replace(/^ +encryption: AES256\n/gm, '');
  buckets = [];
  dev = dev.replace(/name: (akosha-[a-z-]+-dev)/g, (_match, name: string) => {
    const unique = uniqueBucketName(name.replace(/-dev$/, ''));
    buckets.push(unique);
    return `name: ${unique}`;
  });
  await writeFile(join(project, 'environments/dev.yaml'), dev);
  // `npx strata` in the workflows runs this checkout's strata.
  await mkdir(join(project, '.bin'));
  await writeFile(
    join(project, '.bin/npx'),
    `#!/usr/bin/env bash\n[ "$1" = strata ] && shift\nexec ${ROOT}node_modules/.bin/tsx --tsconfig ${ROOT}tsconfig.json ${ROOT}src/cli/main.ts "$@"\n`,
  );
  await chmod(join(project, '.bin/npx'), 0o755);
});

afterAll(async () => {
  const client = newS3Client();
  for (const bucket of buckets) await deleteBucketCompletely(client, bucket);
  await emulator.stop();
  await rm(project, { recursive: true, force: true });
});

describe('the GitHub Actions examples, run against the test servers in the order a change meets them', () => {
  it('plan on a pull request validates, saves the plan and writes the comment body', async () => {
    for (const step of await strataSteps('plan-on-pull-request.yml')) {
      const { code, stderr } = await runStep(step);
      expect(code, `${step.name}: ${stderr}`).toBe(0);
    }
    const comment = await readFile(join(project, 'plan.md'), 'utf8');
    expect(comment).toMatch(/^### strata plan · dev · \d+ create/);
    expect(comment).toContain('<!-- strata-plan:dev -->');
    expect(comment.length).toBeLessThan(65_536);
  }, 180_000);

  it('apply on merge applies the reviewed plan with the labels as its only flags, and records it', async () => {
    const [apply] = await strataSteps('apply-on-merge.yml');
    const refused = await runStep(apply!, { ALLOW_DESTROY: 'false', CONFIRM_IRREVERSIBLE: 'false' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('--confirm-irreversible=dev');

    const applied = await runStep(apply!, { ALLOW_DESTROY: 'false', CONFIRM_IRREVERSIBLE: 'true' });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('Apply complete');
    const log = await readFile(join(project, 'audit/dev.jsonl'), 'utf8');
    expect(log.trim().split('\n').at(-1)).toContain('"outcome":"succeeded"');
  }, 180_000);

  it('nightly drift writes JUnit, Markdown and JSON from one check and passes when nothing drifted', async () => {
    const [drift] = await strataSteps('nightly-drift.yml');
    const { code, stderr } = await runStep(drift!);
    expect(code, stderr).toBe(0);
    expect(await readFile(join(project, 'drift.xml'), 'utf8')).toContain('<testsuite');
    expect(JSON.parse(await readFile(join(project, 'drift.json'), 'utf8'))).toBeTypeOf('object');
    expect(await readFile(join(project, 'step-summary.md'), 'utf8')).toContain('dev');
  }, 180_000);
});

describe('the in-cluster drift CronJob', () => {
  const manifests = async () =>
    parseAllDocuments(await readFile(join(CI, 'kubernetes/drift-cronjob.yaml'), 'utf8')).map((doc) => doc.toJS() as KubernetesObject);

  it('grants read-only access to exactly the kinds strata reads', async () => {
    const role = (await manifests()).find((object) => object.kind === 'ClusterRole') as KubernetesObject & {
      rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    };
    const granted = role.rules.flatMap((rule) => rule.resources.map((resource) => `${rule.apiGroups[0]}/${resource}`)).sort();
    const read = Object.values(KIND_INFO)
      .map((info) => `${info.apiVersion.includes('/') ? info.apiVersion.split('/')[0] : ''}/${info.plural}`)
      .sort();
    expect(granted).toEqual(read);
    expect(new Set(role.rules.flatMap((rule) => rule.verbs))).toEqual(new Set(['get', 'list']));
  });

  it('is a CronJob the API server accepts', async () => {
    const kubeConfig = new KubeConfig();
    kubeConfig.loadFromString(emulator.kubeconfig);
    const api = KubernetesObjectApi.makeApiClient(kubeConfig);
    await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'strata-system' } });
    const cronJob = (await manifests()).find((object) => object.kind === 'CronJob')!;
    const created = await api.create(cronJob, undefined, 'All');
    expect(created.metadata?.name).toBe('strata-drift');
  });
});
