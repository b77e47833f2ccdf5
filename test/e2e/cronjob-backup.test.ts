/**
 * The cronjob backup engine on the real control plane. strata writes the CronJob, its service account, Role and
 * RoleBinding; they read back with no changes, and a `kubectl` edit of the copy's endpoint, the run's service
 * account or its script is drift the next apply reverts.
 *
 * The test world has no kubelet and no scheduler, so no pod ever runs. What a run does is proven the nearest honest
 * way: the Job controller makes a run's Job and pod from the CronJob (`kubectl create job --from`), and the test runs
 * that pod's own script and environment here, with the real kubectl and a token of the run's service account from the
 * TokenRequest API, so RBAC checks each step. The test storage driver plays the CSI snapshotter (it marks the snapshot
 * ready) and provisions the restored claim. The copy pod itself (the AWS CLI) cannot run here: the test plays its
 * kubelet, writing the pod's phase (Succeeded, or Failed) through the status subresource, and the script then cleans up.
 */
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../support/kube/index.js';
import { KUBECTL, hasKubectl, kubectlWith, type KubectlRun } from '../support/kube/kubectl.js';
import { startWorld, type World } from './support/world.js';

const TIMEOUT_MS = 120_000;
const ENDPOINT = 'http://rgw.storage.example.internal:7480';

let world: World;
let scratch: string;
let namespace: string;
const account = 'strata-backup-deepwiki-nightly';

const kubectl = (...args: string[]): Promise<KubectlRun> =>
  kubectlWith(world.cluster.kubeconfigPath, scratch, { timeoutMs: 30_000 })(...args);

async function json<T>(...args: string[]): Promise<T> {
  const result = await kubectl(...args, '-o', 'json');
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as T;
}

interface Container {
  image: string;
  env: { name: string; value?: string; valueFrom?: { fieldRef?: { fieldPath: string } } }[];
  envFrom?: { secretRef?: { name: string; optional?: boolean } }[];
  args: string[];
}
interface PodSpec {
  serviceAccountName?: string;
  automountServiceAccountToken?: boolean;
  containers: Container[];
  volumes?: { persistentVolumeClaim?: { claimName: string } }[];
}
interface CronJob {
  spec: { jobTemplate: { spec: { template: { spec: PodSpec } } } };
}

const cronJob = () => json<CronJob>('get', 'cronjob', 'deepwiki-nightly', '-n', namespace);
const orchestration = async () => (await cronJob()).spec.jobTemplate.spec.template.spec;
const variable = (container: Container, name: string) => container.env.find((entry) => entry.name === name)?.value;
/** `kubectl patch` of one field of the backup's Job template, as a person fixing or breaking it by hand would. */
const patchCronJob = (field: string, value: unknown): Promise<KubectlRun> => {
  const patch = JSON.stringify([{ op: 'replace', path: `/spec/jobTemplate/spec/${field}`, value }]);
  return kubectl('patch', 'cronjob', 'deepwiki-nightly', '-n', namespace, '--type=json', '-p', patch);
};

beforeAll(async () => {
  world = await startWorld();
  scratch = await mkdtemp(join(tmpdir(), 'strata-cronjob-'));
  namespace = world.namespace('codequal');
  const lines = [
    'apiVersion: strata.dev/v1alpha1',
    'kind: Environment',
    `metadata: { name: ${world.env} }`,
    `targets: { kubernetes: { context: ${world.cluster.contextName} }, s3: { region: us-east-1, endpoint: "${ENDPOINT}", forcePathStyle: true } }`,
    'storageClasses:',
    `  fast-ssd: { name: fast-ssd-${world.run}, provisioner: ebs.csi.aws.com }`,
    'namespaces:',
    '  codequal:',
    `    name: ${namespace}`,
    '    volumes:',
    '      deepwiki-data: { storageClass: fast-ssd, size: 10Gi }',
    '    backups:',
    '      deepwiki-nightly:',
    '        volume: deepwiki-data',
    '        engine: cronjob',
    '        schedule: "0 2 * * *"',
    '        destination: { bucket: backups, prefix: deepwiki/ }',
    '        keep: 30d',
    '        credentials: { secret: deepwiki-s3 }',
    `        volumeSnapshotClass: snapshots-${world.run}`,
    '      deepwiki-irsa:',
    '        volume: deepwiki-data',
    '        engine: cronjob',
    '        schedule: "0 3 * * *"',
    '        destination: { bucket: backups, prefix: deepwiki-irsa/ }',
    '        keep: 30d',
    '        credentials: { serviceAccount: backup-writer }',
    'buckets:',
    `  backups: { name: ${world.bucket('backups')} }`,
  ];
  await writeFile(join(world.dir, 'environments', `${world.env}.yaml`), `${lines.join('\n')}\n`);
  expect((await world.plan('--no-tty')).stderr).toBe('');
  const applied = await world.apply();
  expect(applied.stderr).toBe('');
  expect(applied.exitCode).toBe(0);
}, TIMEOUT_MS);

afterAll(async () => {
  await kubectl('delete', 'volumesnapshotclass', `snapshots-${world.run}`, '--ignore-not-found');
  await world?.cleanup();
  await rm(scratch, { recursive: true, force: true });
});

describe.skipIf(!hasKubectl)('the cronjob backup engine', () => {
  it(
    "writes a CronJob that orchestrates as strata's service account, with the copy's credentials and S3 target",
    async () => {
      const pod = await orchestration();
      expect(pod.serviceAccountName).toBe(account);
      const container = pod.containers[0]!;
      expect(container.image).toBe('registry.k8s.io/kubectl:v1.34.4');
      // The application's claim is never mounted by the CronJob's pod: only the run's restored claim is.
      expect(pod.volumes ?? []).toEqual([]);
      expect(variable(container, 'BACKUP_CLAIM')).toBe('deepwiki-data');
      expect(variable(container, 'BACKUP_SNAPSHOT_CLASS')).toBe(`snapshots-${world.run}`);
      const copy = JSON.parse(variable(container, 'COPY_POD')!) as { spec: PodSpec };
      expect(copy.spec.automountServiceAccountToken).toBe(false);
      expect(copy.spec.serviceAccountName).toBeUndefined();
      expect(copy.spec.containers[0]!.envFrom).toEqual([{ secretRef: { name: 'deepwiki-s3' } }]);
      expect(copy.spec.containers[0]!.env).toEqual(
        expect.arrayContaining([
          { name: 'AWS_REGION', value: 'us-east-1' },
          { name: 'AWS_ENDPOINT_URL', value: ENDPOINT },
          { name: 'BACKUP_PATH_STYLE', value: 'true' },
          { name: 'BACKUP_BUCKET', value: world.bucket('backups') },
        ]),
      );
      // A declared service account runs the copy; strata neither writes nor binds it.
      const irsa = (await json<CronJob>('get', 'cronjob', 'deepwiki-irsa', '-n', namespace)).spec.jobTemplate.spec
        .template.spec;
      const irsaCopy = JSON.parse(variable(irsa.containers[0]!, 'COPY_POD')!) as { spec: PodSpec };
      expect(irsaCopy.spec.serviceAccountName).toBe('backup-writer');
      expect(irsaCopy.spec.containers[0]!.envFrom).toBeUndefined();
      expect((await kubectl('get', 'serviceaccount', 'backup-writer', '-n', namespace)).code).not.toBe(0);
      const binding = await json<{ roleRef: { name: string }; subjects: { name: string }[] }>(
        'get',
        'rolebinding',
        account,
        '-n',
        namespace,
      );
      expect(binding.roleRef.name).toBe(account);
      expect(binding.subjects.map((subject) => subject.name)).toEqual([account]);

      const again = await world.plan('--no-tty', '--detailed-exitcode');
      expect(again.stdout).toContain('No changes.');
      expect(again.exitCode).toBe(0);
    },
    TIMEOUT_MS,
  );

  it(
    "reverts a kubectl edit of the copy's endpoint and of the run's service account",
    async () => {
      const container = (await orchestration()).containers[0]!;
      const edited = variable(container, 'COPY_POD')!.replace(ENDPOINT, 'https://s3.amazonaws.com');
      expect(
        (await kubectl('set', 'env', 'cronjob/deepwiki-nightly', '-n', namespace, `COPY_POD=${edited}`)).code,
      ).toBe(0);
      expect((await patchCronJob('template/spec/serviceAccountName', 'default')).code).toBe(0);

      const drifted = await world.plan('--no-tty', '--detailed-exitcode');
      expect(drifted.exitCode).toBe(2);
      expect(drifted.stdout).toMatch(new RegExp(`serviceAccount: +"default" → "${account}"`));
      expect(drifted.stdout).toMatch(/ s3:\n +endpoint: +"https:\/\/s3\.amazonaws\.com" → "http:\/\/rgw\.storage/);
      expect((await world.apply()).exitCode).toBe(0);

      const pod = await orchestration();
      expect(pod.serviceAccountName).toBe(account);
      expect(variable(pod.containers[0]!, 'COPY_POD')).toContain(ENDPOINT);
      expect((await world.plan('--no-tty', '--detailed-exitcode')).exitCode).toBe(0);
    },
    TIMEOUT_MS,
  );

  it(
    "reverts a kubectl edit of the run's script, which no field of the backup reads back",
    async () => {
      const script = (await orchestration()).containers[0]!.args;
      expect((await patchCronJob('template/spec/containers/0/args', ['echo skipped'])).code).toBe(0);

      const drifted = await world.plan('--no-tty', '--detailed-exitcode');
      expect(drifted.exitCode).toBe(2);
      expect(drifted.stdout).toMatch(
        /editedTemplate: +\["spec\.template\.spec\.containers\[backup\]\.args"\] \(removed\) +\(takes the field from kubectl-patch\)/,
      );
      expect((await world.apply()).exitCode).toBe(0);

      expect((await orchestration()).containers[0]!.args).toEqual(script);
      expect((await world.plan('--no-tty', '--detailed-exitcode')).exitCode).toBe(0);
    },
    TIMEOUT_MS,
  );

  it(
    "runs a backup's steps with only its service account's rights, and cleans up after the copy",
    async () => {
      const job = `deepwiki-nightly-${world.run}`;
      const { copy, copyPod, script } = await startRun(job);
      const snapshot = await json<{ spec: object; status: { readyToUse: boolean } }>(
        'get',
        'volumesnapshot',
        job,
        '-n',
        namespace,
      );
      expect(snapshot.spec).toEqual({
        source: { persistentVolumeClaimName: 'deepwiki-data' },
        volumeSnapshotClassName: `snapshots-${world.run}`,
      });
      expect(snapshot.status.readyToUse).toBe(true);
      const restored = await json<{ spec: { dataSource: object; resources: { requests: { storage: string } } } }>(
        'get',
        'pvc',
        job,
        '-n',
        namespace,
      );
      expect(restored.spec.dataSource).toEqual({
        apiGroup: 'snapshot.storage.k8s.io',
        kind: 'VolumeSnapshot',
        name: job,
      });
      expect(restored.spec.resources.requests.storage).toBe('10Gi');
      expect(copyPod.spec.volumes?.[0]?.persistentVolumeClaim?.claimName).toBe(job);
      expect(copyPod.spec.containers[0]!.envFrom).toEqual([{ secretRef: { name: 'deepwiki-s3' } }]);
      expect(copyPod.metadata.ownerReferences.map((owner) => owner.name)).toEqual([job]);
      await waitFor('the restored claim to be provisioned', async () => {
        const claim = await json<{ status: { phase: string } }>('get', 'pvc', job, '-n', namespace);
        return claim.status.phase === 'Bound';
      });

      // The kubelet's part: the copy finished.
      expect((await endCopyPod(copy, 'Succeeded')).stderr).toBe('');
      const result = await script;
      expect(result.stderr).toBe('');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain(`copied deepwiki-data (snapshot ${job})`);
      await waitFor('the run to leave nothing behind', () => runLeftNothing(job, copy));
    },
    TIMEOUT_MS,
  );

  it(
    'cleans up after a failed copy too, and fails the run',
    async () => {
      const job = `deepwiki-nightly-${world.run}-failed`;
      const { copy, script } = await startRun(job);
      expect((await endCopyPod(copy, 'Failed')).stderr).toBe('');
      const result = await script;
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('copy of deepwiki-data failed');
      await waitFor('the failed run to leave nothing behind', () => runLeftNothing(job, copy));
    },
    TIMEOUT_MS,
  );
});

/** The kubelet's part, which no kubelet plays here: the copy pod's containers ended, well or not. */
function endCopyPod(copy: string, phase: 'Succeeded' | 'Failed'): Promise<KubectlRun> {
  const status = JSON.stringify({ status: { phase } });
  return kubectl('patch', 'pod', copy, '-n', namespace, '--subresource=status', '--type=merge', '-p', status);
}

/** The copy pod, the restored claim and the snapshot of run `job` are all gone. */
async function runLeftNothing(job: string, copy: string): Promise<boolean> {
  const left = await Promise.all([
    kubectl('get', 'pod', copy, '-n', namespace),
    kubectl('get', 'pvc', job, '-n', namespace),
    kubectl('get', 'volumesnapshot', job, '-n', namespace),
  ]);
  return left.every((read) => read.code !== 0 && read.stderr.includes('NotFound'));
}

type CopyPod = { metadata: { ownerReferences: { name: string }[] }; spec: PodSpec };

/**
 * Starts run `job` of deepwiki-nightly as the CronJob would, and runs its pod's script here with its service account's
 * token; resolves once the script has made its copy pod.
 */
async function startRun(job: string): Promise<{ copy: string; copyPod: CopyPod; script: Promise<KubectlRun> }> {
  await waitFor('the claim to bind', async () => {
    const claim = await json<{ status: { phase: string } }>('get', 'pvc', 'deepwiki-data', '-n', namespace);
    return claim.status.phase === 'Bound';
  });
  const snapshotClass = [
    'apiVersion: snapshot.storage.k8s.io/v1',
    'kind: VolumeSnapshotClass',
    `metadata: { name: snapshots-${world.run} }`,
    'driver: ebs.csi.aws.com',
    'deletionPolicy: Delete',
  ].join('\n');
  const classFile = join(scratch, 'class.yaml');
  await writeFile(classFile, `${snapshotClass}\n`);
  expect((await kubectl('apply', '--server-side', '-f', classFile)).code).toBe(0);

  // The Job controller makes the run's Job and its pod, labelled with the Job's name and uid, as on a schedule.
  expect((await kubectl('create', 'job', job, '--from=cronjob/deepwiki-nightly', '-n', namespace)).code).toBe(0);
  let runPod: { metadata: { labels: Record<string, string> }; spec: PodSpec } | undefined;
  await waitFor('the Job controller to create the run pod', async () => {
    const pods = await json<{ items: NonNullable<typeof runPod>[] }>(
      'get',
      'pods',
      '-n',
      namespace,
      '-l',
      `batch.kubernetes.io/job-name=${job}`,
    );
    runPod = pods.items[0];
    return runPod !== undefined;
  });
  const container = runPod!.spec.containers[0]!;
  // The downward API's part, done by hand: the same fields, read from the pod the controller made.
  const fieldValue = (path: string): string =>
    path === 'metadata.namespace'
      ? namespace
      : (runPod!.metadata.labels[/^metadata\.labels\['(.+)'\]$/.exec(path)![1]!] ?? '');
  const podEnv: Record<string, string> = Object.fromEntries(
    container.env.map((entry) => [entry.name, entry.value ?? fieldValue(entry.valueFrom!.fieldRef!.fieldPath)]),
  );
  expect(podEnv.BACKUP_JOB).toBe(job);

  const token = await kubectl('create', 'token', runPod!.spec.serviceAccountName!, '-n', namespace);
  expect(token.code).toBe(0);
  const asRun = world.cluster.kubeconfigAs(`run-${account}`, token.stdout.trim());
  const script = runScript(container.args[0]!, {
    ...podEnv,
    KUBECONFIG: asRun.kubeconfigPath,
    BACKUP_SNAPSHOT_SECONDS: '60',
    BACKUP_COPY_SECONDS: '90',
  });

  const copy = `${job}-copy`;
  let copyPod: CopyPod | undefined;
  let ended: KubectlRun | undefined;
  void script.then((result) => (ended = result));
  await waitFor('the run to start its copy pod', async () => {
    // A run that ended before its copy began failed: its own words say why.
    if (ended) throw new Error(`the run ended (${ended.code}): ${ended.stderr}`);
    const read = await kubectl('get', 'pod', copy, '-n', namespace, '-o', 'json');
    if (read.code === 0) copyPod = JSON.parse(read.stdout) as typeof copyPod;
    return copyPod !== undefined;
  });
  return { copy, copyPod: copyPod!, script };
}

/** The run pod's script, run here as its container would run it. */
function runScript(script: string, env: Record<string, string>): Promise<KubectlRun> {
  return new Promise((resolve) => {
    const child = spawn('/bin/sh', ['-c', script], {
      env: {
        PATH: `${join(KUBECTL, '..')}:/usr/bin:/bin`,
        HOME: scratch,
        KUBECACHEDIR: join(scratch, 'cache'),
        ...env,
      },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}
