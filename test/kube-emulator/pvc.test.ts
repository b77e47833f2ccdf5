import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { pvc, statusOf, storageClass, useCluster } from './harness.js';

const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

describe('Kubernetes API emulator: PersistentVolumeClaims', () => {
  const cluster = useCluster();

  const create = (body: object) => cluster().core.createNamespacedPersistentVolumeClaim({ namespace: 'default', body });
  const resize = (name: string, storage: string) =>
    cluster().core.patchNamespacedPersistentVolumeClaim({ name, namespace: 'default', body: { spec: { resources: { requests: { storage } } } } }, MERGE);

  it('requires at least one access mode', async () => {
    const status = await statusOf(create({ ...pvc('data'), spec: { resources: { requests: { storage: '1Gi' } } } }));
    expect(status).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message: 'PersistentVolumeClaim "data" is invalid: spec.accessModes: Required value: at least 1 access mode is required',
      details: { name: 'data', kind: 'PersistentVolumeClaim', causes: [{ reason: 'FieldValueRequired', message: 'Required value: at least 1 access mode is required', field: 'spec.accessModes' }] },
    });
  });

  it('requires a storage request and lists several errors in brackets', async () => {
    const status = await statusOf(create({ ...pvc('data'), spec: {} }));
    expect(status.message).toBe(
      'PersistentVolumeClaim "data" is invalid: [spec.accessModes: Required value: at least 1 access mode is required, spec.resources[storage]: Required value]',
    );
  });

  it('refuses a zero storage request', async () => {
    const status = await statusOf(create(pvc('data', '0')));
    expect(status.message).toBe('PersistentVolumeClaim "data" is invalid: spec.resources[storage]: Invalid value: "0": must be greater than zero');
  });

  it('defaults volumeMode to Filesystem, phase to Pending, and adds the pvc-protection finalizer', async () => {
    const created = await create(pvc('data'));
    expect(created.spec?.volumeMode).toBe('Filesystem');
    expect(created.status?.phase).toBe('Pending');
    expect(created.metadata?.finalizers).toEqual(['kubernetes.io/pvc-protection']);
  });

  it('binds a claim whose class binds Immediately, with capacity equal to the request', async () => {
    const { core, storage } = cluster();
    await storage.createStorageClass({ body: storageClass('fast') });
    await create(pvc('data', '10Gi', 'fast'));
    const read = await core.readNamespacedPersistentVolumeClaim({ name: 'data', namespace: 'default' });
    expect(read.status).toMatchObject({ phase: 'Bound', capacity: { storage: '10Gi' } });
  });

  it('leaves a WaitForFirstConsumer claim Pending until the test binds it', async () => {
    const { core, storage, emulator } = cluster();
    await storage.createStorageClass({ body: storageClass('local', { volumeBindingMode: 'WaitForFirstConsumer' }) });
    await create(pvc('data', '10Gi', 'local'));
    expect((await core.readNamespacedPersistentVolumeClaim({ name: 'data', namespace: 'default' })).status?.phase).toBe('Pending');
    emulator.bindClaim('default', 'data');
    expect((await core.readNamespacedPersistentVolumeClaim({ name: 'data', namespace: 'default' })).status?.phase).toBe('Bound');
  });

  it('gives a claim without a class the default StorageClass', async () => {
    const { storage } = cluster();
    await storage.createStorageClass({ body: storageClass('standard', { metadata: { name: 'standard', annotations: { 'storageclass.kubernetes.io/is-default-class': 'true' } } }) });
    expect((await create(pvc('data'))).spec?.storageClassName).toBe('standard');
  });

  it('refuses any spec change of a Pending claim, even of its request', async () => {
    await create(pvc('data', '10Gi'));
    const status = await statusOf(resize('data', '20Gi'));
    expect(status.message).toBe(
      'PersistentVolumeClaim "data" is invalid: spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
    );
  });

  it('refuses to shrink a Bound claim below status.capacity', async () => {
    const { storage } = cluster();
    await storage.createStorageClass({ body: storageClass('fast', { allowVolumeExpansion: true }) });
    await create(pvc('data', '10Gi', 'fast'));
    const status = await statusOf(resize('data', '5Gi'));
    expect(status).toMatchObject({
      code: 422,
      message: 'PersistentVolumeClaim "data" is invalid: spec.resources.requests.storage: Forbidden: field can not be less than status.capacity',
    });
  });

  it('refuses to grow a Bound claim whose class does not allow expansion (403)', async () => {
    const { storage } = cluster();
    await storage.createStorageClass({ body: storageClass('fixed') });
    await create(pvc('data', '10Gi', 'fixed'));
    const status = await statusOf(resize('data', '20Gi'));
    expect(status).toMatchObject({
      code: 403,
      reason: 'Forbidden',
      message:
        'persistentvolumeclaims "data" is forbidden: only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
    });
  });

  it('grows a Bound claim whose class allows expansion, and the capacity follows', async () => {
    const { core, storage } = cluster();
    await storage.createStorageClass({ body: storageClass('fast', { allowVolumeExpansion: true }) });
    await create(pvc('data', '10Gi', 'fast'));
    expect((await resize('data', '20Gi')).spec?.resources?.requests?.storage).toBe('20Gi');
    expect((await core.readNamespacedPersistentVolumeClaim({ name: 'data', namespace: 'default' })).status?.capacity?.storage).toBe('20Gi');
  });

  it('checks resourceVersion before validation: a stale invalid update is a 409', async () => {
    const { core, storage } = cluster();
    await storage.createStorageClass({ body: storageClass('fast') });
    await create(pvc('data', '10Gi', 'fast'));
    const status = await statusOf(
      core.replaceNamespacedPersistentVolumeClaim({ name: 'data', namespace: 'default', body: { ...pvc('data', '1Gi', 'fast'), metadata: { name: 'data', resourceVersion: '1' } } }),
    );
    expect(status.code).toBe(409);
  });

  it('checks validation before admission: a shrink of a claim over quota is a 422', async () => {
    const { core, storage } = cluster();
    await storage.createStorageClass({ body: storageClass('fixed') });
    await create(pvc('data', '10Gi', 'fixed'));
    await core.createNamespacedResourceQuota({ namespace: 'default', body: { metadata: { name: 'q' }, spec: { hard: { 'requests.storage': '1Gi' } } } });
    expect((await statusOf(resize('data', '5Gi'))).code).toBe(422);
  });
});
