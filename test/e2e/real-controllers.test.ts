/**
 * strata beside the cluster's own controllers, which write after strata's request and bump resourceVersion as they
 * go. The retired emulator acted at once and never wrote afterwards, so it could not show these.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { BatchV1Api, CoreV1Api } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { waitFor } from '../support/kube/index.js';
import { kubeConfigOf } from './support/scenario.js';
import { startWorld, type World } from './support/world.js';

let world: World;

beforeEach(async () => {
  world = await startWorld();
}, 60_000);
afterEach(() => world?.cleanup());

async function writeEnvironment(
  volume: { storageClass: string; size: string },
  backupSchedule?: string,
): Promise<void> {
  const lines = [
    'apiVersion: strata.dev/v1alpha1',
    'kind: Environment',
    `metadata: { name: ${world.env} }`,
    `targets: { kubernetes: { context: ${world.cluster.contextName} }, s3: { region: us-east-1 } }`,
    'storageClasses:',
    `  fast-ssd: { name: fast-ssd-${world.run}, provisioner: ebs.csi.aws.com, allowVolumeExpansion: true }`,
    `  stalling: { name: stalling-${world.run}, provisioner: stalls-resize.test.strata.dev, allowVolumeExpansion: true }`,
    `  failing: { name: failing-${world.run}, provisioner: fails-resize.test.strata.dev, allowVolumeExpansion: true }`,
    'namespaces:',
    '  codequal:',
    `    name: ${world.namespace('codequal')}`,
    '    volumes:',
    `      deepwiki-data: { storageClass: ${volume.storageClass}, size: ${volume.size}, maxSize: 100Gi }`,
  ];
  if (backupSchedule) {
    lines.push(
      '    backups:',
      `      deepwiki-nightly: { volume: deepwiki-data, schedule: "${backupSchedule}", destination: { bucket: backups, prefix: deepwiki/ }, keep: 30d, engine: cronjob, credentials: { secret: strata-backup-s3 } }`,
      'buckets:',
      `  backups: { name: ${world.bucket('backups')}, versioning: true, publicAccess: blocked }`,
    );
  }
  await writeFile(join(world.dir, 'environments', `${world.env}.yaml`), `${lines.join('\n')}\n`);
}

async function planAndApply(): Promise<Awaited<ReturnType<World['apply']>>> {
  const planned = await world.plan('--no-tty');
  expect(planned.stderr).toBe('');
  return world.apply();
}

/** A bound 10Gi claim of the class, then the file asks for 20Gi: the apply of that growth. */
async function growBoundClaim(storageClass: string): Promise<Awaited<ReturnType<World['apply']>>> {
  await writeEnvironment({ storageClass, size: '10Gi' });
  expect((await planAndApply()).exitCode).toBe(0);
  await waitFor('the claim to bind', async () => (await claim()).status?.phase === 'Bound');
  await writeEnvironment({ storageClass, size: '20Gi' });
  return planAndApply();
}

const claim = () =>
  kubeConfigOf(world)
    .makeApiClient(CoreV1Api)
    .readNamespacedPersistentVolumeClaim({ namespace: world.namespace('codequal'), name: 'deepwiki-data' });

describe('resizes', () => {
  // spec.resources.requests changes at once, status.capacity only when the driver and the kubelet have grown the
  // volume and its file system; a resize can stop at FileSystemResizePending until a pod mounts the claim.
  it('says a resize waits on the file system instead of reporting it done', { timeout: 90_000 }, async () => {
    const applied = await growBoundClaim('stalling');

    expect(applied.exitCode).toBe(0);
    expect((await claim()).status?.capacity?.storage).toBe('10Gi');
    const pending =
      'resize to 20Gi requested: the volume grew; its file system grows when a pod next mounts the claim (FileSystemResizePending)';
    expect(applied.stdout).toContain(`: ${pending}`);
    expect(applied.stdout).toContain(
      `  pending      step 1 kubernetes pvc ${world.namespace('codequal')}/deepwiki-data: ${pending}`,
    );
  });

  it('fails the step when the storage driver refuses the resize, with its message', { timeout: 90_000 }, async () => {
    const applied = await growBoundClaim('failing');

    expect(applied.exitCode).toBe(1);
    expect(applied.stdout).toContain('the resize to 20Gi failed: resize volume');
    expect(applied.stdout).toContain('the volume cannot grow (test driver)');
  });

  it(
    'grows a claim whose driver completes the resize: done when status.capacity is, and the next plan has nothing to do',
    { timeout: 90_000 },
    async () => {
      expect((await growBoundClaim('fast-ssd')).exitCode).toBe(0);

      expect((await claim()).status?.capacity?.storage).toBe('20Gi');
      const replanned = await world.plan('--no-tty', '--detailed-exitcode');
      expect(replanned.stdout).toContain('No changes.');
    },
  );
});

describe('objects being deleted', () => {
  it(
    'blocks a declared claim that is terminating, naming what holds it, and creates it again once it is gone',
    { timeout: 90_000 },
    async () => {
      await writeEnvironment({ storageClass: 'fast-ssd', size: '10Gi' });
      expect((await planAndApply()).exitCode).toBe(0);
      const core = kubeConfigOf(world).makeApiClient(CoreV1Api);
      const namespace = world.namespace('codequal');
      // A pod that mounts the claim, as an application would; no kubelet runs it, but the protection controller counts it.
      await waitFor('the pod to be admitted', () =>
        core
          .createNamespacedPod({
            namespace,
            body: {
              metadata: { name: 'app' },
              spec: {
                nodeName: 'strata-test-node',
                automountServiceAccountToken: false,
                containers: [{ name: 'app', image: 'registry.k8s.io/pause:3.10' }],
                volumes: [{ name: 'data', persistentVolumeClaim: { claimName: 'deepwiki-data' } }],
              },
            },
          })
          .then(() => true),
      );
      await core.deleteNamespacedPersistentVolumeClaim({ namespace, name: 'deepwiki-data' });

      const planned = await world.plan('--no-tty');

      expect(planned.exitCode).toBe(0);
      expect(planned.stdout).toContain(`! kubernetes pvc ${namespace}/deepwiki-data`);
      expect(planned.stdout.replace(/\s+/g, ' ')).toContain(
        'blocked: is being deleted (held by kubernetes.io/pvc-protection: a pod still uses the claim); plan again once it is gone',
      );

      await core.deleteNamespacedPod({ namespace, name: 'app', gracePeriodSeconds: 0 });
      await waitFor(
        'the claim to be gone',
        () =>
          claim().then(
            () => false,
            (error: { code?: number }) => error.code === 404,
          ),
        { timeoutMs: 60_000 },
      );
      const replanned = await world.plan('--no-tty');
      expect(replanned.stdout).toContain(`+ kubernetes pvc ${namespace}/deepwiki-data`);
    },
  );
});

describe('status written by a controller after the plan', () => {
  // The CronJob controller writes status.lastScheduleTime each time the job fires, which bumps resourceVersion; the
  // plan's fingerprint covers only what strata manages, so it still holds.
  it(
    'applies a CronJob change although its controller has written status since the plan',
    { timeout: 150_000 },
    async () => {
      await writeEnvironment({ storageClass: 'fast-ssd', size: '10Gi' }, '* * * * *');
      expect((await planAndApply()).exitCode).toBe(0);
      await writeEnvironment({ storageClass: 'fast-ssd', size: '10Gi' }, '*/5 * * * *');
      expect((await world.plan('--no-tty')).exitCode).toBe(0);
      const batch = kubeConfigOf(world).makeApiClient(BatchV1Api);
      const planned = await batch.readNamespacedCronJob({
        namespace: world.namespace('codequal'),
        name: 'deepwiki-nightly',
      });

      await waitFor(
        'the CronJob controller to write lastScheduleTime',
        async () =>
          (await batch.readNamespacedCronJob({ namespace: world.namespace('codequal'), name: 'deepwiki-nightly' }))
            .metadata?.resourceVersion !== planned.metadata?.resourceVersion,
        { timeoutMs: 75_000, intervalMs: 500 },
      );
      const applied = await world.apply();

      expect(applied.stderr).toBe('');
      expect(applied.exitCode).toBe(0);
    },
  );
});
