import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { statusOf, useCluster } from './harness.js';

const snapshotClass = { apiVersion: 'snapshot.storage.k8s.io/v1', kind: 'VolumeSnapshotClass', metadata: { name: 'csi' }, driver: 'd', deletionPolicy: 'Delete' };

describe('Kubernetes API emulator: patch formats', () => {
  const cluster = useCluster();

  it('applies a JSON patch, which client-node sends by default', async () => {
    const { core } = cluster();
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'c' }, data: { a: '1' } } });
    const patched = await core.patchNamespacedConfigMap({ name: 'c', namespace: 'default', body: [{ op: 'replace', path: '/data/a', value: '2' }, { op: 'add', path: '/data/b', value: '3' }] });
    expect(patched.data).toEqual({ a: '2', b: '3' });
  });

  it('applies a merge patch where null removes a key', async () => {
    const { core } = cluster();
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'c', labels: { a: '1', b: '2' } } } });
    const patched = await core.patchNamespacedConfigMap(
      { name: 'c', namespace: 'default', body: { metadata: { labels: { a: null, c: '3' } } } },
      setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
    );
    expect(patched.metadata?.labels).toEqual({ b: '2', c: '3' });
  });

  it('merges finalizers as a set with a strategic merge patch', async () => {
    const { core } = cluster();
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'c', finalizers: ['a/x'] } } });
    const patched = await core.patchNamespacedConfigMap(
      { name: 'c', namespace: 'default', body: { metadata: { finalizers: ['b/y'] } } },
      setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
    );
    expect(patched.metadata?.finalizers).toEqual(['a/x', 'b/y']);
  });

  it('refuses a strategic merge patch on a custom resource with 415', async () => {
    const { fetch } = cluster();
    await fetch('/apis/snapshot.storage.k8s.io/v1/volumesnapshotclasses', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(snapshotClass) });
    const response = await fetch('/apis/snapshot.storage.k8s.io/v1/volumesnapshotclasses/csi', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/strategic-merge-patch+json' },
      body: JSON.stringify({ driver: 'e' }),
    });
    expect(response.status).toBe(415);
    expect(response.body).toMatchObject({
      reason: 'UnsupportedMediaType',
      message: 'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml',
    });
  });

  it('refuses an unknown patch content type with 415', async () => {
    const { core } = cluster();
    await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'c' } } });
    const status = await statusOf(core.patchNamespacedConfigMap({ name: 'c', namespace: 'default', body: {} }, setHeaderOptions('Content-Type', 'text/plain')));
    expect(status.code).toBe(415);
    expect(status.message).toContain('application/strategic-merge-patch+json');
  });

  it('answers a patch of a missing object with 404', async () => {
    const { core } = cluster();
    const status = await statusOf(core.patchNamespacedConfigMap({ name: 'nope', namespace: 'default', body: [{ op: 'add', path: '/data', value: {} }] }));
    expect(status.message).toBe('configmaps "nope" not found');
  });
});
