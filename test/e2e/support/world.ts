/**
 * One end-to-end world per test: its own view of the run's shared Kubernetes control plane (a fault proxy and a
 * kubeconfig), a scratch project holding an environment named for the run, namespaces, storage classes and buckets
 * named for the run on the shared servers, and `strata` run in-process against them through the same flags and
 * variables a CI job would set. Everything it made is removed by `cleanup()`.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { CoordinationV1Api, CoreV1Api, KubeConfig, StorageV1Api } from '@kubernetes/client-node';
import { runCli, scratchProject, type CliResult } from '../../support/cli.js';
import { openTestCluster, type TestCluster } from '../../support/kube/index.js';
import { deleteBucketCompletely, s3Target, type S3Target } from '../../support/s3/index.js';

const FIXTURES = new URL('../../fixtures/e2e/', import.meta.url).pathname;

export type Fixture = 'base' | 'scenario';

export interface World {
  /** Environment name, unique per run: `e2e-<hex>`. */
  env: string;
  /** The suffix of every bucket, namespace and storage class name of this run. */
  run: string;
  dir: string;
  cluster: TestCluster;
  s3: S3Client;
  target: S3Target;
  auditDir: string;
  planfile: string;
  /** The flags that point strata at this world's servers. */
  targetFlags: string[];
  /** The environment variables every strata command of this world runs with (for one run as a process of its own). */
  variables: NodeJS.ProcessEnv;
  /** Physical bucket name for a logical key of the fixtures (`backups` → `akosha-backups-<run>`). */
  bucket(key: string): string;
  namespace(key: string): string;
  /** Writes environments/<env>.yaml from a fixture, with the run's names filled in and an optional edit. */
  writeEnvironment(fixture: Fixture, edit?: (text: string) => string): Promise<void>;
  strata(...argv: string[]): Promise<CliResult>;
  /** `strata plan <env>` against the live servers, saved to the world's plan file. */
  plan(...extra: string[]): Promise<CliResult>;
  /** `strata apply <planfile>` with every guard flag the scenario needs. */
  apply(...extra: string[]): Promise<CliResult>;
  cleanup(): Promise<void>;
}

export interface WorldOptions {
  /** Start with no S3 server at all (Kubernetes-only environments). */
  withoutS3?: boolean;
  /** Another S3 server than the shared one (a private RGW a test may stop). */
  target?: S3Target;
  /** More environment variables for every strata command, as a CI job's secrets (STRATA_AUDIT_KEY). */
  variables?: NodeJS.ProcessEnv;
}

export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const run = randomBytes(3).toString('hex');
  const env = `e2e-${run}`;
  const project = await scratchProject();
  const cluster = await openTestCluster();
  const target = options.target ?? (options.withoutS3 ? undefined : s3Target());
  const s3 = target ? newClientFor(target) : (undefined as unknown as S3Client);
  const auditDir = join(project.dir, 'audit');
  const planfile = `plans/${env}.plan.json`;
  await mkdir(join(project.dir, 'plans'), { recursive: true });

  const targetFlags = ['--kubeconfig', cluster.kubeconfigPath, '--context', cluster.contextName];
  if (target) targetFlags.push('--s3-endpoint', target.endpoint);
  const commandEnv: NodeJS.ProcessEnv = {
    STRATA_ACTOR: 'e2e-runner',
    ...(target
      ? {
          AWS_ACCESS_KEY_ID: target.credentials.accessKeyId,
          AWS_SECRET_ACCESS_KEY: target.credentials.secretAccessKey,
          AWS_REGION: target.region,
        }
      : {}),
    ...options.variables,
  };
  const strata = (...argv: string[]) => runCli(argv, { cwd: project.dir, env: commandEnv });

  const world: World = {
    env,
    run,
    dir: project.dir,
    cluster,
    s3,
    target: target as S3Target,
    auditDir,
    planfile,
    targetFlags,
    variables: commandEnv,
    bucket: (key) => `akosha-${key}-${run}`,
    namespace: (key) => `${key}-${env}`,
    async writeEnvironment(fixture, edit = (text) => text) {
      const template = await readFile(join(FIXTURES, `${fixture}.yaml`), 'utf8');
      const text = template.replaceAll('${ENV}', env).replaceAll('${RUN}', run);
      await writeFile(join(project.dir, 'environments', `${env}.yaml`), edit(text));
    },
    strata,
    plan: (...extra) => strata('plan', env, '--out', planfile, ...targetFlags, ...extra),
    apply: (...extra) =>
      strata(
        'apply',
        planfile,
        '--no-tty',
        '--allow-destroy',
        `--confirm-irreversible=${env}`,
        '--audit-dir',
        auditDir,
        ...targetFlags,
        ...extra,
      ),
    async cleanup() {
      cluster.faults.clear();
      await deleteRunObjects(cluster, run).catch(() => undefined);
      await cluster.stop();
      if (target) {
        await deleteRunBuckets(s3, run).catch(() => undefined);
        s3.destroy();
      }
      await project.remove();
    },
  };
  return world;
}

function newClientFor(target: S3Target): S3Client {
  return new S3Client({ ...target, credentials: { ...target.credentials }, maxAttempts: 3 });
}

/** Every bucket whose name ends with this run's suffix. */
async function deleteRunBuckets(s3: S3Client, run: string): Promise<void> {
  const listed = await s3.send(new ListBucketsCommand({}));
  const mine = (listed.Buckets ?? []).map((bucket) => bucket.Name ?? '').filter((name) => name.endsWith(`-${run}`));
  await Promise.all(mine.map((name) => deleteBucketCompletely(s3, name)));
}

/**
 * What the run left on the shared cluster: its namespaces (the namespace controller then removes what is in them),
 * storage classes, the volumes provisioned for its claims (a Retain class keeps them after the claim goes), and in
 * `default` its lock lease and the events about its cluster-scoped objects.
 */
async function deleteRunObjects(cluster: TestCluster, run: string): Promise<void> {
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(cluster.kubeconfig);
  const core = kubeConfig.makeApiClient(CoreV1Api);
  const storage = kubeConfig.makeApiClient(StorageV1Api);
  const leases = kubeConfig.makeApiClient(CoordinationV1Api);
  const mine = (name: string | undefined) => name?.endsWith(`-${run}`) === true;
  const settle = (deletes: Promise<unknown>[]) => Promise.allSettled(deletes);

  const namespaces = (await core.listNamespace()).items.map((item) => item.metadata?.name).filter(mine);
  const classes = (await storage.listStorageClass()).items.map((item) => item.metadata?.name).filter(mine);
  const volumes = (await core.listPersistentVolume()).items
    .filter((volume) => mine(volume.spec?.claimRef?.namespace) || mine(volume.spec?.storageClassName))
    .map((volume) => volume.metadata!.name!);
  const runLeases = (await leases.listNamespacedLease({ namespace: 'default' })).items
    .map((item) => item.metadata?.name)
    .filter(mine);
  const events = (await core.listNamespacedEvent({ namespace: 'default' })).items
    .filter((event) => mine(event.involvedObject.name))
    .map((event) => event.metadata.name!);
  await settle([
    ...namespaces.map((name) => core.deleteNamespace({ name: name! })),
    ...classes.map((name) => storage.deleteStorageClass({ name: name! })),
    ...volumes.map((name) => core.deletePersistentVolume({ name })),
    ...runLeases.map((name) => leases.deleteNamespacedLease({ namespace: 'default', name: name! })),
    ...events.map((name) => core.deleteNamespacedEvent({ namespace: 'default', name })),
  ]);
}

/** Reads the project's environment file, for tests that edit it by hand. */
export async function environmentText(world: World): Promise<string> {
  return readFile(join(world.dir, 'environments', `${world.env}.yaml`), 'utf8');
}

export async function removeFile(world: World, relative: string): Promise<void> {
  await rm(join(world.dir, relative), { force: true });
}
