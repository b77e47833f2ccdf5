import { describe, expect, it } from 'vitest';
import { pvc, statusOf, useCluster } from './harness.js';

describe('Kubernetes API emulator: LIST', () => {
  const cluster = useCluster();

  async function seedClaims() {
    const { core } = cluster();
    await core.createNamespace({ body: { metadata: { name: 'apps' } } });
    const claims: Array<[string, string, Record<string, string>]> = [
      ['default', 'b', { tier: 'db', env: 'prod' }],
      ['apps', 'z', { tier: 'web' }],
      ['default', 'a', { tier: 'db', env: 'dev' }],
      ['apps', 'c', {}],
    ];
    for (const [namespace, name, labels] of claims) {
      const body = pvc(name, '1Gi', undefined, namespace);
      await core.createNamespacedPersistentVolumeClaim({ namespace, body: { ...body, metadata: { ...body.metadata, labels } } });
    }
  }

  it('orders items by namespace then name and leaves kind/apiVersion off built-in items', async () => {
    await seedClaims();
    const { fetch } = cluster();
    const list = await fetch('/api/v1/persistentvolumeclaims');
    expect(list.body.kind).toBe('PersistentVolumeClaimList');
    expect(list.body.apiVersion).toBe('v1');
    expect(list.body.items.map((item: any) => `${item.metadata.namespace}/${item.metadata.name}`)).toEqual(['apps/c', 'apps/z', 'default/a', 'default/b']);
    expect(list.body.items[0].kind).toBeUndefined();
    expect(list.body.items[0].apiVersion).toBeUndefined();
  });

  it('keeps kind and apiVersion on custom resource items', async () => {
    const { fetch } = cluster();
    await fetch('/apis/snapshot.storage.k8s.io/v1/volumesnapshotclasses', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: 'csi' }, driver: 'd', deletionPolicy: 'Delete' }),
    });
    const list = await fetch('/apis/snapshot.storage.k8s.io/v1/volumesnapshotclasses');
    expect(list.body.items[0]).toMatchObject({ apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass' });
  });

  it('filters by label selector with =, !=, in, notin, exists and !exists', async () => {
    await seedClaims();
    const { core } = cluster();
    const names = async (labelSelector: string) =>
      (await core.listPersistentVolumeClaimForAllNamespaces({ labelSelector })).items.map((item) => item.metadata!.name);
    expect(await names('tier=db')).toEqual(['a', 'b']);
    expect(await names('tier!=db')).toEqual(['c', 'z']);
    expect(await names('tier in (web,db),env notin (dev)')).toEqual(['z', 'b']);
    expect(await names('env')).toEqual(['a', 'b']);
    expect(await names('!tier')).toEqual(['c']);
  });

  it('pages with limit and continue as of the first page, with remainingItemCount', async () => {
    await seedClaims();
    const { core } = cluster();
    const first = await core.listPersistentVolumeClaimForAllNamespaces({ limit: 3 });
    expect(first.items.map((item) => item.metadata!.name)).toEqual(['c', 'z', 'a']);
    expect(first.metadata?.remainingItemCount).toBe(1);
    // A claim created between pages is not part of this list.
    await core.createNamespacedPersistentVolumeClaim({ namespace: 'default', body: pvc('c2', '1Gi') });
    const second = await core.listPersistentVolumeClaimForAllNamespaces({ limit: 3, _continue: first.metadata!._continue });
    expect(second.items.map((item) => item.metadata!.name)).toEqual(['b']);
    expect(second.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
    expect(second.metadata?._continue).toBeUndefined();
  });

  it('omits remainingItemCount when a selector is used', async () => {
    await seedClaims();
    const { core } = cluster();
    const page = await core.listPersistentVolumeClaimForAllNamespaces({ limit: 1, labelSelector: 'tier' });
    expect(page.metadata?._continue).toBeDefined();
    expect(page.metadata?.remainingItemCount).toBeUndefined();
  });

  it('answers a bad continue token with 400', async () => {
    const { core } = cluster();
    const status = await statusOf(core.listPersistentVolumeClaimForAllNamespaces({ limit: 1, _continue: 'not a token!' }));
    expect(status).toMatchObject({ code: 400, reason: 'BadRequest', message: 'invalid continue token: continue key is not valid: illegal base64 data at input byte 3' });
  });

  it('lists through KubernetesObjectApi, which finds the plural name by discovery', async () => {
    await seedClaims();
    const { objects } = cluster();
    const list = await objects.list('v1', 'PersistentVolumeClaim', 'default');
    expect(list.items.map((item) => item.metadata!.name)).toEqual(['a', 'b']);
  });

  it('streams changes to a watcher from a resourceVersion', async () => {
    const { core, emulator } = cluster();
    const start = await core.listNamespacedConfigMap({ namespace: 'default' });
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'a' } } });
    const controller = new AbortController();
    const response = await fetch(`${emulator.url}/api/v1/namespaces/default/configmaps?watch=true&resourceVersion=${start.metadata!.resourceVersion}`, {
      signal: controller.signal,
    });
    const reader = response.body!.getReader();
    await core.deleteNamespacedConfigMap({ name: 'a', namespace: 'default' });
    let text = '';
    const deadline = Date.now() + 5000;
    while (text.split('\n').filter(Boolean).length < 2 && Date.now() < deadline) text += new TextDecoder().decode((await reader.read()).value);
    controller.abort();
    const events = text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
    expect(events.map((event) => `${event.type} ${event.object.metadata.name}`)).toEqual(['ADDED a', 'DELETED a']);
    expect(events[0].object.kind).toBe('ConfigMap');
  });
});
