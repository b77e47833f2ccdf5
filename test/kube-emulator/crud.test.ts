import { describe, expect, it } from 'vitest';
import { PVC_PROTECTION } from '../support/kube-emulator/kinds/pvc.js';
import { JSON_HEADERS, pvc, statusOf, storageClass, useCluster } from './harness.js';

describe('Kubernetes API emulator: objects and errors', () => {
  const cluster = useCluster();

  it('creates with 201 and reads the object back with uid, resourceVersion and a creationTimestamp to the second', async () => {
    const { core, fetch } = cluster();
    const created = await fetch('/api/v1/namespaces/default/configmaps', {
      method: 'POST',
      headers: JSON_HEADERS,
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings' }, data: { a: '1' } }),
    });
    expect(created.status).toBe(201);
    const read = await core.readNamespacedConfigMap({ name: 'settings', namespace: 'default' });
    expect(read.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(read.metadata?.resourceVersion).toBe(created.body.metadata.resourceVersion);
    expect(created.body.metadata.creationTimestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
  });

  it('answers 404 NotFound with the plural resource in message and details', async () => {
    const { core } = cluster();
    const status = await statusOf(core.readNamespacedPersistentVolumeClaim({ name: 'x', namespace: 'default' }));
    expect(status).toMatchObject({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'persistentvolumeclaims "x" not found',
      reason: 'NotFound',
      details: { name: 'x', kind: 'persistentvolumeclaims' },
      code: 404,
    });
  });

  it('names the group in a 404 for a non-core resource', async () => {
    const { storage } = cluster();
    const status = await statusOf(storage.readStorageClass({ name: 'x' }));
    expect(status.message).toBe('storageclasses.storage.k8s.io "x" not found');
    expect(status.details).toEqual({ name: 'x', group: 'storage.k8s.io', kind: 'storageclasses' });
  });

  it('refuses a second create with 409 AlreadyExists', async () => {
    const { core } = cluster();
    await core.createNamespacedPersistentVolumeClaim({ namespace: 'default', body: pvc('data') });
    const status = await statusOf(core.createNamespacedPersistentVolumeClaim({ namespace: 'default', body: pvc('data') }));
    expect(status).toMatchObject({ code: 409, reason: 'AlreadyExists', message: 'persistentvolumeclaims "data" already exists' });
  });

  it('refuses an update with a stale resourceVersion with the exact 409 Conflict message', async () => {
    const { core } = cluster();
    const created = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'c' }, data: { a: '1' } } });
    await core.replaceNamespacedConfigMap({ name: 'c', namespace: 'default', body: { ...created, data: { a: '2' } } });
    const status = await statusOf(core.replaceNamespacedConfigMap({ name: 'c', namespace: 'default', body: { ...created, data: { a: '3' } } }));
    expect(status).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message:
        'Operation cannot be fulfilled on configmaps "c": the object has been modified; please apply your changes to the latest version and try again',
      details: { name: 'c', kind: 'configmaps' },
    });
  });

  it('keeps one global resourceVersion counter and does not bump it for a no-op write', async () => {
    const { core } = cluster();
    const first = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'a' }, data: { k: 'v' } } });
    const second = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'b' } } });
    expect(Number(second.metadata!.resourceVersion)).toBe(Number(first.metadata!.resourceVersion) + 1);
    const same = await core.replaceNamespacedConfigMap({ name: 'a', namespace: 'default', body: first });
    expect(same.metadata!.resourceVersion).toBe(first.metadata!.resourceVersion);
    const list = await core.listNamespacedConfigMap({ namespace: 'default' });
    expect(list.metadata!.resourceVersion).toBe(second.metadata!.resourceVersion);
  });

  it('allows PUT without resourceVersion for a StorageClass but requires it for a custom resource (422)', async () => {
    const { storage, fetch } = cluster();
    await storage.createStorageClass({ body: storageClass('fast') });
    const replaced = await storage.replaceStorageClass({ name: 'fast', body: { ...storageClass('fast'), allowVolumeExpansion: true } });
    expect(replaced.allowVolumeExpansion).toBe(true);

    const snapshotClass = { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: 'csi' }, driver: 'ebs.csi.aws.com', deletionPolicy: 'Delete' };
    await fetch('/apis/snapshot.storage.k8s.io/v1/volumesnapshotclasses', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(snapshotClass) });
    const put = await fetch('/apis/snapshot.storage.k8s.io/v1/volumesnapshotclasses/csi', { method: 'PUT', headers: JSON_HEADERS, body: JSON.stringify(snapshotClass) });
    expect(put.status).toBe(422);
    expect(put.body.message).toBe(
      'VolumeSnapshotClass.snapshot.storage.k8s.io "csi" is invalid: metadata.resourceVersion: Invalid value: 0: must be specified for an update',
    );
  });

  it('deletes a ConfigMap at once with a Success Status', async () => {
    const { core } = cluster();
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'gone' } } });
    const status = await core.deleteNamespacedConfigMap({ name: 'gone', namespace: 'default' });
    expect(status).toMatchObject({ status: 'Success', details: { name: 'gone', kind: 'configmaps' } });
    expect((await statusOf(core.readNamespacedConfigMap({ name: 'gone', namespace: 'default' }))).code).toBe(404);
  });

  it('keeps a deleted PVC with a deletionTimestamp until its pvc-protection finalizer is removed', async () => {
    const { core, fetch } = cluster();
    const created = await core.createNamespacedPersistentVolumeClaim({ namespace: 'default', body: pvc('data') });
    expect(created.metadata?.finalizers).toEqual([PVC_PROTECTION]);
    const deleted = await fetch('/api/v1/namespaces/default/persistentvolumeclaims/data', { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(deleted.body.metadata.deletionTimestamp).toMatch(/Z$/);
    const still = await core.readNamespacedPersistentVolumeClaim({ name: 'data', namespace: 'default' });
    expect(still.metadata?.deletionTimestamp).toBeDefined();
    await fetch('/api/v1/namespaces/default/persistentvolumeclaims/data', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify({ metadata: { finalizers: null } }),
    });
    expect((await statusOf(core.readNamespacedPersistentVolumeClaim({ name: 'data', namespace: 'default' }))).code).toBe(404);
  });

  it('deletes a namespace with everything in it', async () => {
    const { core } = cluster();
    await core.createNamespace({ body: { metadata: { name: 'team' } } });
    await core.createNamespacedConfigMap({ namespace: 'team', body: { metadata: { name: 'c' } } });
    await core.deleteNamespace({ name: 'team' });
    expect((await statusOf(core.readNamespace({ name: 'team' }))).code).toBe(404);
    expect((await core.listNamespacedConfigMap({ namespace: 'team' })).items).toEqual([]);
  });

  it('refuses to create in a namespace that does not exist (404 for the namespace)', async () => {
    const { core } = cluster();
    const status = await statusOf(core.createNamespacedConfigMap({ namespace: 'nowhere', body: { metadata: { name: 'c' } } }));
    expect(status).toMatchObject({ code: 404, message: 'namespaces "nowhere" not found' });
  });

  it('stores nothing on dryRun=All and returns a created object without resourceVersion', async () => {
    const { core } = cluster();
    const dry = await core.createNamespacedPersistentVolumeClaim({ namespace: 'default', body: pvc('data'), dryRun: 'All' });
    expect(dry.metadata?.resourceVersion).toBeUndefined();
    expect(dry.status?.phase).toBe('Pending');
    expect((await statusOf(core.readNamespacedPersistentVolumeClaim({ name: 'data', namespace: 'default' }))).code).toBe(404);
  });

  it('runs validation on dryRun=All writes', async () => {
    const { core } = cluster();
    const body = { ...pvc('data'), spec: { accessModes: [], resources: { requests: { storage: '1Gi' } } } };
    const status = await statusOf(core.createNamespacedPersistentVolumeClaim({ namespace: 'default', body, dryRun: 'All' }));
    expect(status.code).toBe(422);
  });

  it('ignores status on create and update of a PVC; only /status changes it', async () => {
    const { core, fetch } = cluster();
    const created = await core.createNamespacedPersistentVolumeClaim({ namespace: 'default', body: { ...pvc('data'), status: { phase: 'Lost' } } as never });
    expect(created.status?.phase).toBe('Pending');
    const replaced = await core.replaceNamespacedPersistentVolumeClaim({ name: 'data', namespace: 'default', body: { ...created, status: { phase: 'Lost' } } });
    expect(replaced.status?.phase).toBe('Pending');
    const viaStatus = await fetch('/api/v1/namespaces/default/persistentvolumeclaims/data/status', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/merge-patch+json' },
      body: JSON.stringify({ status: { phase: 'Lost' } }),
    });
    expect(viaStatus.body.status.phase).toBe('Lost');
  });

  it('canonicalises quantities on write the way apimachinery re-serialises them', async () => {
    const { core } = cluster();
    const cases: Array<[string, string]> = [
      ['1024Gi', '1Ti'],
      ['1024Mi', '1Gi'],
      ['307200Ki', '300Mi'],
      ['1000M', '1G'],
      ['0.5Gi', '512Mi'],
      ['1.5Gi', '1536Mi'],
      ['1000Mi', '1000Mi'],
    ];
    for (const [written, stored] of cases) {
      const created = await core.createNamespacedPersistentVolumeClaim({ namespace: 'default', body: pvc(`q-${stored.toLowerCase()}`, written) });
      expect(created.spec?.resources?.requests?.storage).toBe(stored);
    }
    const quota = await core.createNamespacedResourceQuota({ namespace: 'default', body: { metadata: { name: 'q' }, spec: { hard: { 'requests.cpu': '0.5' } } } });
    expect(quota.spec?.hard?.['requests.cpu']).toBe('500m');
  });

  it('answers a bad quantity with 400 and the decoder message', async () => {
    const { fetch } = cluster();
    const response = await fetch('/api/v1/namespaces/default/persistentvolumeclaims', { method: 'POST', headers: JSON_HEADERS, body: JSON.stringify(pvc('bad', '10GB')) });
    expect(response.status).toBe(400);
    expect(response.body.message).toBe(
      `PersistentVolumeClaim in version "v1" cannot be handled as a PersistentVolumeClaim: quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
    );
  });

  it('bumps generation of a CronJob when its spec changes, not when only labels do', async () => {
    const { batch } = cluster();
    const body = {
      metadata: { name: 'backup' },
      spec: { schedule: '0 2 * * *', jobTemplate: { spec: { template: { spec: { restartPolicy: 'OnFailure', containers: [{ name: 'b', image: 'busybox:1.36' }] } } } } },
    };
    const created = await batch.createNamespacedCronJob({ namespace: 'default', body });
    expect(created.metadata?.generation).toBe(1);
    const relabelled = await batch.replaceNamespacedCronJob({ name: 'backup', namespace: 'default', body: { ...created, metadata: { ...created.metadata, labels: { a: 'b' } } } });
    expect(relabelled.metadata?.generation).toBe(1);
    const rescheduled = await batch.replaceNamespacedCronJob({ name: 'backup', namespace: 'default', body: { ...relabelled, spec: { ...relabelled.spec!, schedule: '0 3 * * *' } } });
    expect(rescheduled.metadata?.generation).toBe(2);
  });

  it('drops empty maps and lists from built-in objects, as their omitempty fields do', async () => {
    const { storage } = cluster();
    const created = await storage.createStorageClass({ body: { ...storageClass('fast'), parameters: {}, mountOptions: [] } });
    expect(created).not.toHaveProperty('parameters');
    expect(created).not.toHaveProperty('mountOptions');
  });
});
