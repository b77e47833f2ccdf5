import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { pvc, statusOf, storageClass, useCluster } from './harness.js';

const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

describe('Kubernetes API emulator: StorageClass, ResourceQuota and LimitRange', () => {
  const cluster = useCluster();

  it('defaults reclaimPolicy to Delete and volumeBindingMode to Immediate', async () => {
    const created = await cluster().storage.createStorageClass({ body: storageClass('fast') });
    expect(created.reclaimPolicy).toBe('Delete');
    expect(created.volumeBindingMode).toBe('Immediate');
  });

  it('refuses changes to parameters, provisioner, reclaimPolicy and volumeBindingMode, each with its own error', async () => {
    const { storage } = cluster();
    await storage.createStorageClass({ body: storageClass('fast', { parameters: { type: 'gp3' } }) });
    const status = await statusOf(
      storage.replaceStorageClass({
        name: 'fast',
        body: storageClass('fast', { provisioner: 'pd.csi.storage.gke.io', parameters: { type: 'io2' }, reclaimPolicy: 'Retain', volumeBindingMode: 'WaitForFirstConsumer' }),
      }),
    );
    expect(status.message).toBe(
      'StorageClass.storage.k8s.io "fast" is invalid: [parameters: Forbidden: updates to parameters are forbidden., provisioner: Forbidden: updates to provisioner are forbidden., reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden., volumeBindingMode: Invalid value: "WaitForFirstConsumer": field is immutable]',
    );
    expect(status.details).toMatchObject({ name: 'fast', group: 'storage.k8s.io', kind: 'StorageClass' });
  });

  it('trips the immutability check when a PUT omits a defaulted field that was set otherwise', async () => {
    const { storage } = cluster();
    await storage.createStorageClass({ body: storageClass('keep', { reclaimPolicy: 'Retain' }) });
    const status = await statusOf(storage.replaceStorageClass({ name: 'keep', body: storageClass('keep') }));
    expect(status.message).toBe('StorageClass.storage.k8s.io "keep" is invalid: reclaimPolicy: Forbidden: updates to reclaimPolicy are forbidden.');
  });

  it('lets allowVolumeExpansion and mountOptions change', async () => {
    const { storage } = cluster();
    await storage.createStorageClass({ body: storageClass('fast') });
    const updated = await storage.patchStorageClass({ name: 'fast', body: { allowVolumeExpansion: true, mountOptions: ['noatime'] } }, MERGE);
    expect(updated).toMatchObject({ allowVolumeExpansion: true, mountOptions: ['noatime'] });
  });

  it('computes quota status: hard, and used for every PVC usage key', async () => {
    const { core, storage } = cluster();
    await storage.createStorageClass({ body: storageClass('fast') });
    await core.createNamespacedResourceQuota({
      namespace: 'default',
      body: {
        metadata: { name: 'storage' },
        spec: {
          hard: {
            persistentvolumeclaims: '10',
            'count/persistentvolumeclaims': '10',
            'requests.storage': '100Gi',
            'fast.storageclass.storage.k8s.io/persistentvolumeclaims': '5',
            'fast.storageclass.storage.k8s.io/requests.storage': '50Gi',
          },
        },
      },
    });
    await core.createNamespacedPersistentVolumeClaim({ namespace: 'default', body: pvc('a', '10Gi', 'fast') });
    await core.createNamespacedPersistentVolumeClaim({ namespace: 'default', body: pvc('b', '5Gi') });
    const quota = await core.readNamespacedResourceQuota({ name: 'storage', namespace: 'default' });
    expect(quota.status?.used).toEqual({
      persistentvolumeclaims: '2',
      'count/persistentvolumeclaims': '2',
      'requests.storage': '15Gi',
      'fast.storageclass.storage.k8s.io/persistentvolumeclaims': '1',
      'fast.storageclass.storage.k8s.io/requests.storage': '10Gi',
    });
    expect(quota.status?.hard?.['requests.storage']).toBe('100Gi');
  });

  it('refuses a claim over quota with 403 naming only the exceeded keys', async () => {
    const { core } = cluster();
    await core.createNamespacedResourceQuota({ namespace: 'default', body: { metadata: { name: 'storage' }, spec: { hard: { 'requests.storage': '20Gi', persistentvolumeclaims: '5' } } } });
    await core.createNamespacedPersistentVolumeClaim({ namespace: 'default', body: pvc('a', '10Gi') });
    const status = await statusOf(core.createNamespacedPersistentVolumeClaim({ namespace: 'default', body: pvc('data', '11Gi') }));
    expect(status).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message: 'persistentvolumeclaims "data" is forbidden: exceeded quota: storage, requested: requests.storage=11Gi, used: requests.storage=10Gi, limited: requests.storage=20Gi',
    });
  });

  it('charges a resize the difference', async () => {
    const { core, storage } = cluster();
    await storage.createStorageClass({ body: storageClass('fast', { allowVolumeExpansion: true }) });
    await core.createNamespacedResourceQuota({ namespace: 'default', body: { metadata: { name: 'storage' }, spec: { hard: { 'requests.storage': '20Gi' } } } });
    await core.createNamespacedPersistentVolumeClaim({ namespace: 'default', body: pvc('data', '10Gi', 'fast') });
    const grow = (storage: string) =>
      core.patchNamespacedPersistentVolumeClaim({ name: 'data', namespace: 'default', body: { spec: { resources: { requests: { storage } } } } }, MERGE);
    const status = await statusOf(grow('21Gi'));
    expect(status.message).toBe(
      'persistentvolumeclaims "data" is forbidden: exceeded quota: storage, requested: requests.storage=11Gi, used: requests.storage=10Gi, limited: requests.storage=20Gi',
    );
    await grow('20Gi');
    expect((await core.readNamespacedResourceQuota({ name: 'storage', namespace: 'default' })).status?.used?.['requests.storage']).toBe('20Gi');
  });

  it('refuses a claim above a LimitRange maximum (403)', async () => {
    const { core } = cluster();
    await core.createNamespacedLimitRange({ namespace: 'default', body: { metadata: { name: 'pvc' }, spec: { limits: [{ type: 'PersistentVolumeClaim', max: { storage: '2Gi' }, min: { storage: '1Gi' } }] } } });
    const tooBig = await statusOf(core.createNamespacedPersistentVolumeClaim({ namespace: 'default', body: pvc('data', '5Gi') }));
    expect(tooBig.message).toBe('persistentvolumeclaims "data" is forbidden: maximum storage usage per PersistentVolumeClaim is 2Gi, but request is 5Gi');
    const tooSmall = await statusOf(core.createNamespacedPersistentVolumeClaim({ namespace: 'default', body: pvc('data', '512Mi') }));
    expect(tooSmall.message).toBe('persistentvolumeclaims "data" is forbidden: minimum storage usage per PersistentVolumeClaim is 1Gi, but request is 512Mi');
  });

  it('checks LimitRange before quota', async () => {
    const { core } = cluster();
    await core.createNamespacedLimitRange({ namespace: 'default', body: { metadata: { name: 'pvc' }, spec: { limits: [{ type: 'PersistentVolumeClaim', max: { storage: '2Gi' } }] } } });
    await core.createNamespacedResourceQuota({ namespace: 'default', body: { metadata: { name: 'storage' }, spec: { hard: { 'requests.storage': '1Gi' } } } });
    const status = await statusOf(core.createNamespacedPersistentVolumeClaim({ namespace: 'default', body: pvc('data', '5Gi') }));
    expect(status.message).toContain('maximum storage usage');
  });
});
