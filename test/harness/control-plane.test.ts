/**
 * What the real control plane does that the retired emulator did at once or not at all: controllers act after the
 * request that triggers them, the test storage driver provisions and resizes as a CSI driver's sidecars would, and a
 * namespace takes its contents with it. Tests elsewhere rely on these; each is pinned here with bounded polling.
 */
import { randomBytes } from 'node:crypto';
import {
  BatchV1Api,
  CoreV1Api,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
  StorageV1Api,
  type V1PersistentVolumeClaim,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { openTestCluster, waitFor, type TestCluster } from '../support/kube/index.js';

const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

let cluster: TestCluster;
let core: CoreV1Api;
let storage: StorageV1Api;
let batch: BatchV1Api;
let namespace: string;
let run: string;

beforeAll(async () => {
  cluster = await openTestCluster();
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(cluster.kubeconfig);
  core = kubeConfig.makeApiClient(CoreV1Api);
  storage = kubeConfig.makeApiClient(StorageV1Api);
  batch = kubeConfig.makeApiClient(BatchV1Api);
});
afterAll(() => cluster?.stop());

beforeEach(async () => {
  run = randomBytes(3).toString('hex');
  namespace = `control-plane-${run}`;
  await core.createNamespace({ body: { metadata: { name: namespace } } });
  return async () => {
    await core.deleteNamespace({ name: namespace }).catch(() => undefined);
    for (const item of (await storage.listStorageClass()).items) {
      if (item.metadata?.name?.endsWith(`-${run}`)) await storage.deleteStorageClass({ name: item.metadata.name });
    }
  };
});

async function storageClass(provisioner: string, volumeBindingMode = 'Immediate'): Promise<string> {
  const name = `${provisioner.split('.')[0]}-${run}`;
  await storage.createStorageClass({
    body: { metadata: { name }, provisioner, volumeBindingMode, allowVolumeExpansion: true },
  });
  return name;
}

function createClaim(name: string, className: string, size = '10Gi'): Promise<V1PersistentVolumeClaim> {
  return core.createNamespacedPersistentVolumeClaim({
    namespace,
    body: {
      metadata: { name },
      spec: { storageClassName: className, accessModes: ['ReadWriteOnce'], resources: { requests: { storage: size } } },
    },
  });
}

const readClaim = (name: string) => core.readNamespacedPersistentVolumeClaim({ namespace, name });

async function boundClaim(name: string, className: string): Promise<V1PersistentVolumeClaim> {
  await createClaim(name, className);
  return waitFor(`claim ${name} to bind`, async () => {
    const claim = await readClaim(name);
    return claim.status?.phase === 'Bound' ? claim : undefined;
  });
}

function grow(name: string, size: string): Promise<V1PersistentVolumeClaim> {
  return core.patchNamespacedPersistentVolumeClaim(
    { namespace, name, body: { spec: { resources: { requests: { storage: size } } } } },
    MERGE,
  );
}

describe('persistent volume claims', () => {
  it('are created Pending and bound later, by the PV controller, to a volume the storage driver provisioned', async () => {
    const className = await storageClass('ebs.csi.aws.com');
    const created = await createClaim('data', className);
    expect(created.status?.phase).toBe('Pending');
    const bound = await waitFor('the claim to bind', async () => {
      const claim = await readClaim('data');
      return claim.status?.phase === 'Bound' ? claim : undefined;
    });
    expect(bound.spec?.volumeName).toBe(`pvc-${created.metadata?.uid}`);
    expect(bound.status?.capacity).toEqual({ storage: '10Gi' });
    expect(bound.metadata?.finalizers).toEqual(['kubernetes.io/pvc-protection']);
  });

  it('of a WaitForFirstConsumer class stay unprovisioned until a consumer is scheduled, then bind', async () => {
    const className = await storageClass('ebs.csi.aws.com', 'WaitForFirstConsumer');
    await createClaim('cache', className);
    const before = await readClaim('cache');
    expect(before.status?.phase).toBe('Pending');
    expect(before.metadata?.annotations?.['volume.kubernetes.io/storage-provisioner']).toBeUndefined();

    await cluster.scheduleClaim(namespace, 'cache');

    await waitFor('the scheduled claim to bind', async () => (await readClaim('cache')).status?.phase === 'Bound');
  });

  it('grow in two steps after spec changes: the volume, then the file system, and only then status.capacity', async () => {
    const className = await storageClass('ebs.csi.aws.com');
    await boundClaim('data', className);

    const patched = await grow('data', '20Gi');

    expect(patched.status?.capacity).toEqual({ storage: '10Gi' });
    const seen = new Set<string>();
    await waitFor('the resize to finish', async () => {
      const claim = await readClaim('data');
      for (const condition of claim.status?.conditions ?? []) seen.add(condition.type);
      return claim.status?.capacity?.storage === '20Gi';
    });
    expect(seen.has('FileSystemResizePending') || seen.has('Resizing')).toBe(true);
  });

  it('can stall mid-resize: the volume grew, the file system did not, and status.capacity keeps the old size', async () => {
    const className = await storageClass('stalls-resize.test.strata.dev');
    await boundClaim('data', className);

    await grow('data', '20Gi');

    const stalled = await waitFor('FileSystemResizePending', async () => {
      const claim = await readClaim('data');
      return claim.status?.conditions?.some((condition) => condition.type === 'FileSystemResizePending')
        ? claim
        : undefined;
    });
    expect(stalled.status?.capacity).toEqual({ storage: '10Gi' });
    expect(stalled.status?.allocatedResourceStatuses).toEqual({ storage: 'NodeResizePending' });
  });

  it('can fail to resize, saying so in a ControllerResizeError condition', async () => {
    const className = await storageClass('fails-resize.test.strata.dev');
    await boundClaim('data', className);

    await grow('data', '20Gi');

    const failed = await waitFor('ControllerResizeError', async () => {
      const claim = await readClaim('data');
      return claim.status?.conditions?.find((condition) => condition.type === 'ControllerResizeError');
    });
    expect(failed.message).toContain('the volume cannot grow');
    expect((await readClaim('data')).status?.capacity).toEqual({ storage: '10Gi' });
  });
});

describe('persistent volumes', () => {
  it('of a Delete class are deleted by the storage driver once their claim is gone', async () => {
    const className = await storageClass('ebs.csi.aws.com');
    const volumeName = (await boundClaim('data', className)).spec!.volumeName!;

    await core.deleteNamespacedPersistentVolumeClaim({ namespace, name: 'data' });

    await waitFor('the released volume to be deleted', () =>
      core.readPersistentVolume({ name: volumeName }).then(
        () => false,
        (error: { code?: number }) => error.code === 404,
      ),
    );
  });
});

describe('resource quotas', () => {
  it('get their status from the quota controller after they are created, and count claims made afterwards', async () => {
    const className = await storageClass('ebs.csi.aws.com');
    await core.createNamespacedResourceQuota({
      namespace,
      body: { metadata: { name: 'storage' }, spec: { hard: { 'requests.storage': '100Gi' } } },
    });
    await waitFor(
      'the quota controller to write status.hard',
      async () => (await core.readNamespacedResourceQuota({ namespace, name: 'storage' })).status?.hard,
    );

    await createClaim('data', className, '30Gi');

    await waitFor(
      'usage of 30Gi',
      async () =>
        (await core.readNamespacedResourceQuota({ namespace, name: 'storage' })).status?.used?.['requests.storage'] ===
        '30Gi',
    );
  });

  it('refuse a claim over the limit with the real admission message', async () => {
    const className = await storageClass('ebs.csi.aws.com');
    await core.createNamespacedResourceQuota({
      namespace,
      body: { metadata: { name: 'storage' }, spec: { hard: { 'requests.storage': '10Gi' } } },
    });
    await waitFor(
      'status.hard',
      async () => (await core.readNamespacedResourceQuota({ namespace, name: 'storage' })).status?.hard,
    );

    const refused = await createClaim('big', className, '20Gi').then(
      () => 'created',
      (error: { body?: string }) => (JSON.parse(error.body ?? '{}') as { message: string }).message,
    );

    expect(refused).toBe(
      'persistentvolumeclaims "big" is forbidden: exceeded quota: storage, requested: requests.storage=20Gi, used: requests.storage=0, limited: requests.storage=10Gi',
    );
  });
});

describe('namespaces', () => {
  it('carry the kubernetes.io/metadata.name label the server adds to every namespace', async () => {
    expect((await core.readNamespace({ name: namespace })).metadata?.labels).toEqual({
      'kubernetes.io/metadata.name': namespace,
    });
  });

  it('are Terminating after a delete, until the namespace controller has removed their contents', async () => {
    const className = await storageClass('ebs.csi.aws.com');
    await boundClaim('data', className);

    const deleted = await core.deleteNamespace({ name: namespace });

    expect((deleted as { status?: { phase?: string } }).status?.phase).toBe('Terminating');
    await waitFor(
      'the namespace to be gone',
      () =>
        core.readNamespace({ name: namespace }).then(
          () => false,
          (error: { code?: number }) => error.code === 404,
        ),
      { timeoutMs: 60_000 },
    );
  });
});

describe('cron jobs', () => {
  it(
    'get lastScheduleTime and a Job from the CronJob controller when they fire, which bumps their resourceVersion',
    { timeout: 90_000 },
    async () => {
      const created = await batch.createNamespacedCronJob({
        namespace,
        body: {
          metadata: { name: 'every-minute' },
          spec: {
            schedule: '* * * * *',
            jobTemplate: {
              spec: {
                template: { spec: { restartPolicy: 'Never', containers: [{ name: 'sync', image: 'amazon/aws-cli' }] } },
              },
            },
          },
        },
      });

      const fired = await waitFor(
        'the CronJob controller to schedule a run',
        async () => {
          const cronJob = await batch.readNamespacedCronJob({ namespace, name: 'every-minute' });
          return cronJob.status?.lastScheduleTime ? cronJob : undefined;
        },
        { timeoutMs: 75_000, intervalMs: 500 },
      );

      expect(fired.metadata?.resourceVersion).not.toBe(created.metadata?.resourceVersion);
      expect(fired.spec).toEqual(created.spec);
      const jobs = await batch.listNamespacedJob({ namespace });
      expect(jobs.items.map((job) => job.metadata?.ownerReferences?.[0]?.name)).toContain('every-minute');
    },
  );
});
