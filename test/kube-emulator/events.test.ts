import { describe, expect, it } from 'vitest';
import { statusOf, useCluster } from './harness.js';

const event = (name: string, namespace: string, involved: Record<string, string>, extra: Record<string, unknown> = {}) => ({
  metadata: { name, namespace },
  involvedObject: involved,
  reason: 'Updated',
  message: 'resized',
  type: 'Normal',
  source: { component: 'strata' },
  ...extra,
});

describe('Kubernetes API emulator: Events', () => {
  const cluster = useCluster();

  it('selects events by involvedObject fields, as kubectl describe does', async () => {
    const { core } = cluster();
    const claim = { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data', uid: 'u-1' };
    await core.createNamespacedEvent({ namespace: 'default', body: event('data.1', 'default', claim) });
    await core.createNamespacedEvent({ namespace: 'default', body: event('logs.1', 'default', { ...claim, name: 'logs', uid: 'u-2' }) });
    const found = await core.listNamespacedEvent({
      namespace: 'default',
      fieldSelector: 'involvedObject.name=data,involvedObject.namespace=default,involvedObject.kind=PersistentVolumeClaim,involvedObject.uid=u-1',
    });
    expect(found.items.map((item) => item.metadata?.name)).toEqual(['data.1']);
  });

  it('selects events by source, reason and type', async () => {
    const { core } = cluster();
    const claim = { kind: 'PersistentVolumeClaim', namespace: 'default', name: 'data' };
    await core.createNamespacedEvent({ namespace: 'default', body: event('data.1', 'default', claim) });
    await core.createNamespacedEvent({ namespace: 'default', body: event('data.2', 'default', claim, { type: 'Warning', reason: 'Failed' }) });
    const found = await core.listEventForAllNamespaces({ fieldSelector: 'source=strata,type=Warning,reason=Failed' });
    expect(found.items.map((item) => item.metadata?.name)).toEqual(['data.2']);
  });

  it('refuses a field the kind cannot be selected by: 400 field label not supported', async () => {
    const { core } = cluster();
    const status = await statusOf(core.listNamespacedEvent({ namespace: 'default', fieldSelector: 'message=resized' }));
    expect(status.code).toBe(400);
    expect(status.message).toBe('field label not supported: message');
  });

  it("refuses an event outside its object's namespace: 422 does not match event.namespace", async () => {
    const { core } = cluster();
    await core.createNamespace({ body: { metadata: { name: 'apps' } } });
    const body = event('data.1', 'default', { kind: 'PersistentVolumeClaim', namespace: 'apps', name: 'data' });
    const status = await statusOf(core.createNamespacedEvent({ namespace: 'default', body }));
    expect(status.code).toBe(422);
    expect(status.message).toBe('Event "data.1" is invalid: involvedObject.namespace: Invalid value: "apps": does not match event.namespace');
  });

  it('keeps events about cluster-scoped objects in default', async () => {
    const { core } = cluster();
    const body = event('fast.1', 'default', { kind: 'StorageClass', name: 'fast' });
    await expect(core.createNamespacedEvent({ namespace: 'default', body })).resolves.toMatchObject({ metadata: { name: 'fast.1' } });
  });
});
