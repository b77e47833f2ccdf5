/**
 * The CI examples run for real, against the test control plane and RGW instead of GitHub and a cloud: each workflow
 * step that calls strata runs in bash as written, with `npx strata` resolving to this checkout, in a scratch copy of
 * the project holding the shipped dev environment. The step that keeps the pull-request comment runs its
 * github-script as written, against GitHub's issue comments held in memory (the tests reach no server but the local
 * ones). The in-cluster CronJob is checked against the API server and its RBAC against the kinds strata reads.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  CoordinationV1Api,
  CoreV1Api,
  KubeConfig,
  KubernetesObjectApi,
  StorageV1Api,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { parseAllDocuments, parse, parseDocument } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KIND_INFO } from '../../src/providers/kubernetes/kinds.js';
import { installCrd, installVeleroCrds } from '../support/kube/crds.js';
import { openTestCluster, type TestCluster } from '../support/kube/index.js';
import { deleteBucketCompletely, newS3Client, s3Target } from '../support/s3/index.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const CI = join(ROOT, 'examples/ci');
const run = promisify(execFile);

interface Step {
  name?: string;
  run?: string;
  with?: { script?: string };
}
interface Workflow {
  jobs: Record<string, { steps: Step[] }>;
}

/**
 * The cluster is shared by every test file of the run, and strata finds what an environment owns by its name across
 * the whole cluster: the copy of dev.yaml runs as an environment of its own, `dev-<run>`, with namespaces, storage
 * classes and buckets of its own. Only those names change; everything else is the shipped file as written.
 */
const RUN = randomBytes(3).toString('hex');
const ENV = `dev-${RUN}`;
const PLAN_KEY = randomBytes(32).toString('hex');
/** The CronJob example's namespace, this run's own. */
const SYSTEM_NAMESPACE = `strata-system-${RUN}`;
/** Where this run's Velero would run: the namespace is Velero's installation's, so the test makes it. */
const VELERO_NAMESPACE = `velero-${RUN}`;

let cluster: TestCluster;
let project: string;
let buckets: string[];
let namespaces: string[];
let storageClasses: string[];

/**
 * The shipped dev file as this run's environment: the same file, with physical names of this run (environment,
 * namespaces, storage classes, buckets) and without default encryption, which Ceph RGW 16 does not implement (strata
 * would rightly report it as drift it cannot fix). Its kubeconfig context, `dev`, stays: the cluster is opened under it.
 */
function asThisRunsEnvironment(shipped: string): string {
  const document = parseDocument(shipped);
  const declared = document.toJS() as Record<
    'storageClasses' | 'namespaces' | 'buckets',
    Record<string, { name?: string }>
  >;
  document.setIn(['metadata', 'name'], ENV);
  document.setIn(['targets', 'velero'], document.createNode({ namespace: VELERO_NAMESPACE }));
  for (const [key, storageClass] of Object.entries(declared.storageClasses)) {
    const physical = `${storageClass.name ?? key}-${RUN}`;
    document.setIn(['storageClasses', key, 'name'], physical);
    storageClasses.push(physical);
  }
  for (const [key, namespace] of Object.entries(declared.namespaces)) {
    const physical = `${namespace.name}-${RUN}`;
    document.setIn(['namespaces', key, 'name'], physical);
    namespaces.push(physical);
  }
  // One suffix for all of them, as the shipped names share `-dev`: drift reports buckets named like them
  // (`akosha-*-<run>`) as unmanaged, and the S3 server holds other tests' `akosha-*` buckets.
  for (const [key, bucket] of Object.entries(declared.buckets)) {
    const physical = `${bucket.name}-${RUN}`;
    document.setIn(['buckets', key, 'name'], physical);
    document.deleteIn(['buckets', key, 'encryption']);
    buckets.push(physical);
  }
  return document.toString();
}

function kubeConfig(): KubeConfig {
  const config = new KubeConfig();
  config.loadFromString(cluster.kubeconfig);
  return config;
}

/** What the examples made on the shared cluster: the namespaces (claims and CronJobs with them), classes, volumes, lock. */
async function removeFromCluster(): Promise<void> {
  const core = kubeConfig().makeApiClient(CoreV1Api);
  for (const name of [...namespaces, SYSTEM_NAMESPACE, VELERO_NAMESPACE])
    await core.deleteNamespace({ name }).catch(() => undefined);
  const storage = kubeConfig().makeApiClient(StorageV1Api);
  for (const name of storageClasses) await storage.deleteStorageClass({ name }).catch(() => undefined);
  await kubeConfig()
    .makeApiClient(CoordinationV1Api)
    .deleteNamespacedLease({ namespace: 'default', name: `strata-lock-${ENV}` })
    .catch(() => undefined);
  const volumes = await core.listPersistentVolume();
  for (const volume of volumes.items.filter((item) => namespaces.includes(item.spec?.claimRef?.namespace ?? ''))) {
    await core.deletePersistentVolume({ name: volume.metadata!.name! }).catch(() => undefined);
  }
}

/** The steps of a workflow that call strata, in order. */
async function strataSteps(file: string): Promise<Step[]> {
  const workflow = parse(await readFile(join(CI, 'github', file), 'utf8')) as Workflow;
  return Object.values(workflow.jobs).flatMap((job) => job.steps.filter((step) => step.run?.includes('npx strata')));
}

interface Comment {
  id: number;
  body: string;
}

/** The issue comments of one pull request and the part of github-script's `github` client the comment step uses. */
function pullRequestComments(bodies: string[]) {
  const comments: Comment[] = bodies.map((body, index) => ({ id: index + 1, body }));
  const github = {
    paginate: async (list: () => Promise<Comment[]>) => list(),
    rest: {
      issues: {
        listComments: async () => comments.map((comment) => ({ ...comment })),
        updateComment: async ({ comment_id, body }: { comment_id: number; body: string }) => {
          comments.find((comment) => comment.id === comment_id)!.body = body;
        },
        createComment: async ({ body }: { body: string }) => {
          comments.push({ id: comments.length + 1, body });
        },
      },
    },
  };
  return { comments, github };
}

/** Runs the plan workflow's `comment` step as github-script does: an async function of require, github and context. */
async function runCommentStep(github: ReturnType<typeof pullRequestComments>['github']): Promise<void> {
  const workflow = parse(await readFile(join(CI, 'github/plan-on-pull-request.yml'), 'utf8')) as Workflow;
  const script = Object.values(workflow.jobs)
    .flatMap((job) => job.steps)
    .find((step) => step.name === 'comment')!.with!.script!;
  const AsyncFunction = (Object.getPrototypeOf(async () => undefined) as object).constructor as new (
    ...names: string[]
  ) => (...args: unknown[]) => Promise<void>;
  // The job's working directory is the checkout: `require('fs')` reads plan.md from the project.
  const fs = { readFileSync: (path: string, encoding: BufferEncoding) => readFileSync(join(project, path), encoding) };
  const context = { repo: { owner: 'acme', repo: 'storage' }, issue: { number: 7 } };
  await new AsyncFunction('require', 'github', 'context', 'process', script)(() => fs, github, context, {
    env: { ENVIRONMENT: ENV },
  });
}

/** Runs one step's script with GitHub's own bash flags, the test servers in place of the cloud. */
async function runStep(
  step: Step,
  extraEnv: Record<string, string> = {},
): Promise<{ stdout: string; stderr: string; code: number }> {
  const target = s3Target();
  try {
    const { stdout, stderr } = await run('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run!], {
      cwd: project,
      timeout: 120_000,
      env: {
        PATH: `${join(project, '.bin')}:${process.env.PATH}`,
        HOME: project,
        ENVIRONMENT: ENV,
        GITHUB_STEP_SUMMARY: join(project, 'step-summary.md'),
        KUBECONFIG: cluster.kubeconfigPath,
        AWS_ENDPOINT_URL_S3: target.endpoint,
        AWS_ACCESS_KEY_ID: target.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: target.credentials.secretAccessKey,
        AWS_REGION: target.region,
        // The `STRATA_PLAN_KEY` secret of both workflows: the plan is signed in one job and checked in the other.
        STRATA_PLAN_KEY: PLAN_KEY,
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
  cluster = await openTestCluster({ contextName: 'dev' });
  // The shipped file's backups and alerts need Velero and the Prometheus Operator: their CRDs and Velero's namespace.
  await installVeleroCrds(cluster.kubeconfigPath);
  await installCrd(cluster.kubeconfig, 'prometheusrule');
  await promisify(execFile)('kubectl', [
    '--kubeconfig',
    cluster.kubeconfigPath,
    'create',
    'namespace',
    VELERO_NAMESPACE,
  ]);
  project = await mkdtemp(join(tmpdir(), 'strata-ci-'));
  await mkdir(join(project, 'environments'));
  await cp(join(ROOT, 'schemas'), join(project, 'schemas'), { recursive: true });
  buckets = [];
  namespaces = [];
  storageClasses = [];
  await writeFile(
    join(project, `environments/${ENV}.yaml`),
    asThisRunsEnvironment(await readFile(join(ROOT, 'environments/dev.yaml'), 'utf8')),
  );
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
  for (const bucket of buckets ?? []) await deleteBucketCompletely(client, bucket);
  if (cluster) {
    await removeFromCluster().catch(() => undefined);
    await cluster.stop();
  }
  await rm(project, { recursive: true, force: true });
});

describe('the GitHub Actions examples, run against the test servers in the order a change meets them', () => {
  it('plan on a pull request validates, saves the plan and writes the comment body', async () => {
    for (const step of await strataSteps('plan-on-pull-request.yml')) {
      const { code, stderr } = await runStep(step);
      expect(code, `${step.name}: ${stderr}`).toBe(0);
    }
    const comment = await readFile(join(project, 'plan.md'), 'utf8');
    expect(comment).toMatch(new RegExp(`^### strata plan · ${ENV} · \\d+ create`));
    expect(comment.trimEnd().split('\n').pop()).toBe(`<!-- strata-plan:${ENV} -->`);
    expect(comment.length).toBeLessThan(65_536);
  }, 180_000);

  it('plan on a pull request keeps its own comment, found by its last line, never one that only contains its marker', async () => {
    const marker = `<!-- strata-plan:${ENV} -->`;
    const quoted = `The bot updates the comment that ends with ${marker}; please do not edit it.\n`;
    // Another environment's comment, as a strata that did not escape live values wrote it: a bucket tag carried this
    // environment's marker.
    const forged = [
      '### strata plan · prod · 1 update',
      `| | s3 bucket akosha-prod · tags | update: tags.note "${marker}" |`,
      '<!-- strata-plan:prod -->',
      '',
    ].join('\n');
    const { comments, github } = pullRequestComments([quoted, forged]);

    await runCommentStep(github);
    await runCommentStep(github);

    const plan = await readFile(join(project, 'plan.md'), 'utf8');
    expect(comments.map((comment) => comment.body)).toEqual([quoted, forged, plan]);
  });

  it('apply on merge applies the reviewed plan with the labels as its only flags, and records it', async () => {
    const [apply] = await strataSteps('apply-on-merge.yml');
    const refused = await runStep(apply!, { ALLOW_DESTROY: 'false', CONFIRM_IRREVERSIBLE: 'false' });
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`--confirm-irreversible=${ENV}`);

    const applied = await runStep(apply!, { ALLOW_DESTROY: 'false', CONFIRM_IRREVERSIBLE: 'true' });
    expect(applied.code, applied.stderr).toBe(0);
    expect(applied.stdout).toContain('Apply complete');
    const log = await readFile(join(project, `audit/${ENV}.jsonl`), 'utf8');
    expect(log.trim().split('\n').at(-1)).toContain('"outcome":"succeeded"');
  }, 180_000);

  it('nightly drift writes JUnit, Markdown and JSON from one check and passes when nothing drifted', async () => {
    const [drift] = await strataSteps('nightly-drift.yml');
    const { code, stderr } = await runStep(drift!);
    expect(code, stderr).toBe(0);
    expect(await readFile(join(project, 'drift.xml'), 'utf8')).toContain('<testsuite');
    expect(JSON.parse(await readFile(join(project, 'drift.json'), 'utf8'))).toBeTypeOf('object');
    expect(await readFile(join(project, 'step-summary.md'), 'utf8')).toContain(ENV);
  }, 180_000);
});

describe('the in-cluster drift CronJob', () => {
  const manifests = async () =>
    parseAllDocuments(await readFile(join(CI, 'kubernetes/drift-cronjob.yaml'), 'utf8')).map(
      (doc) => doc.toJS() as KubernetesObject,
    );

  it('grants read-only access to exactly the kinds strata reads', async () => {
    const role = (await manifests()).find((object) => object.kind === 'ClusterRole') as KubernetesObject & {
      rules: { apiGroups: string[]; resources: string[]; verbs: string[] }[];
    };
    const granted = role.rules
      .flatMap((rule) => rule.resources.map((resource) => `${rule.apiGroups[0]}/${resource}`))
      .sort();
    const read = Object.values(KIND_INFO)
      .map((info) => `${info.apiVersion.includes('/') ? info.apiVersion.split('/')[0] : ''}/${info.plural}`)
      .sort();
    expect(granted).toEqual(read);
    expect(new Set(role.rules.flatMap((rule) => rule.verbs))).toEqual(new Set(['get', 'list']));
  });

  it('is a CronJob the API server accepts', async () => {
    const api = KubernetesObjectApi.makeApiClient(kubeConfig());
    // In a namespace of this run's own rather than the shared cluster's strata-system.
    await api.create({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: SYSTEM_NAMESPACE } });
    const cronJob = (await manifests()).find((object) => object.kind === 'CronJob')!;
    expect(cronJob.metadata?.namespace).toBe('strata-system');
    const created = await api.create(
      { ...cronJob, metadata: { ...cronJob.metadata, namespace: SYSTEM_NAMESPACE } },
      undefined,
      'All',
    );
    expect(created.metadata?.name).toBe('strata-drift');
  });
});
