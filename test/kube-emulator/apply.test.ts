import { PatchStrategy, setHeaderOptions } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { pvc, statusOf, useCluster } from './harness.js';

const APPLY = setHeaderOptions('Content-Type', PatchStrategy.ServerSideApply);
const MERGE = setHeaderOptions('Content-Type', PatchStrategy.MergePatch);

const configMap = (data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'settings', namespace: 'default' }, data });

describe('Kubernetes API emulator: server-side apply', () => {
  const cluster = useCluster();

  it('creates a missing object with 201 and records the applier in managedFields', async () => {
    const { fetch } = cluster();
    const response = await fetch('/api/v1/namespaces/default/persistentvolumeclaims/data?fieldManager=strata', {
      method: 'PATCH',
      headers: { 'Content-Type': 'application/apply-patch+yaml' },
      body: JSON.stringify({ ...pvc('data'), metadata: { name: 'data', namespace: 'default', labels: { app: 'db' } } }),
    });
    expect(response.status).toBe(201);
    expect(response.body.metadata.managedFields).toEqual([
      {
        manager: 'strata',
        operation: 'Apply',
        apiVersion: 'v1',
        time: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:app': {} } },
          'f:spec': { 'f:accessModes': {}, 'f:resources': { 'f:requests': { 'f:storage': {} } } },
        },
      },
    ]);
  });

  it('applies through the typed client with the apply content type and through KubernetesObjectApi', async () => {
    const { core, objects } = cluster();
    const created = await core.patchNamespacedConfigMap({ name: 'settings', namespace: 'default', body: configMap({ a: '1' }), fieldManager: 'strata' }, APPLY);
    expect(created.data).toEqual({ a: '1' });
    const updated = await objects.patch(configMap({ a: '2' }), undefined, undefined, 'strata', false, PatchStrategy.ServerSideApply);
    expect((updated as { data?: Record<string, string> }).data).toEqual({ a: '2' });
  });

  it('requires a fieldManager for apply (422)', async () => {
    const { core } = cluster();
    const status = await statusOf(core.patchNamespacedConfigMap({ name: 'settings', namespace: 'default', body: configMap({ a: '1' }) }, APPLY));
    expect(status).toMatchObject({
      code: 422,
      reason: 'Invalid',
      message: 'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
      details: { group: 'meta.k8s.io', kind: 'PatchOptions', causes: [{ reason: 'FieldValueRequired', message: 'Required value: is required for apply patch', field: 'fieldManager' }] },
    });
  });

  it('refuses force on a non-apply patch (422)', async () => {
    const { core } = cluster();
    await core.createNamespacedConfigMap({ namespace: 'default', body: configMap({ a: '1' }) });
    const status = await statusOf(core.patchNamespacedConfigMap({ name: 'settings', namespace: 'default', body: { data: { a: '2' } }, force: true }, MERGE));
    expect(status.code).toBe(422);
    expect(status.message).toBe('PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch');
  });

  it('answers 409 with the manager and path when an apply would change a field another manager set', async () => {
    const { core } = cluster();
    await core.patchNamespacedConfigMap({ name: 'settings', namespace: 'default', body: configMap({ x: '1' }), fieldManager: 'strata' }, APPLY);
    await core.patchNamespacedConfigMap({ name: 'settings', namespace: 'default', body: { data: { x: '2' } }, fieldManager: 'kubectl-edit' }, MERGE);
    const status = await statusOf(core.patchNamespacedConfigMap({ name: 'settings', namespace: 'default', body: configMap({ x: '3' }), fieldManager: 'strata' }, APPLY));
    expect(status).toMatchObject({
      code: 409,
      reason: 'Conflict',
      message: 'Apply failed with 1 conflict: conflict with "kubectl-edit" using v1: .data.x',
      details: { causes: [{ reason: 'FieldManagerConflict', message: 'conflict with "kubectl-edit" using v1', field: '.data.x' }] },
    });
  });

  it('lists several conflicts grouped by manager, one path per line', async () => {
    const { core } = cluster();
    await core.patchNamespacedConfigMap({ name: 'settings', namespace: 'default', body: configMap({ x: '1', y: '1' }), fieldManager: 'other' }, APPLY);
    const status = await statusOf(core.patchNamespacedConfigMap({ name: 'settings', namespace: 'default', body: configMap({ x: '2', y: '2' }), fieldManager: 'strata' }, APPLY));
    expect(status.message).toBe('Apply failed with 2 conflicts: conflicts with "other":\n- .data.x\n- .data.y');
  });

  it('shares ownership when the applied value equals the current one', async () => {
    const { core } = cluster();
    await core.patchNamespacedConfigMap({ name: 'settings', namespace: 'default', body: configMap({ x: '1' }), fieldManager: 'other' }, APPLY);
    const shared = await core.patchNamespacedConfigMap({ name: 'settings', namespace: 'default', body: configMap({ x: '1' }), fieldManager: 'strata' }, APPLY);
    const owners = shared.metadata!.managedFields!.filter((entry) => (entry.fieldsV1 as any)?.['f:data']?.['f:x']).map((entry) => entry.manager);
    expect(owners.sort()).toEqual(['other', 'strata']);
  });

  it('takes a conflicting field over with force=true', async () => {
    const { core } = cluster();
    await core.patchNamespacedConfigMap({ name: 'settings', namespace: 'default', body: configMap({ x: '1', keep: 'k' }), fieldManager: 'kubectl-edit' }, APPLY);
    const forced = await core.patchNamespacedConfigMap({ name: 'settings', namespace: 'default', body: configMap({ x: '2' }), fieldManager: 'strata', force: true }, APPLY);
    expect(forced.data).toEqual({ x: '2', keep: 'k' });
    const editor = forced.metadata!.managedFields!.find((entry) => entry.manager === 'kubectl-edit');
    expect(editor?.fieldsV1).toEqual({ 'f:data': { 'f:keep': {} } });
  });

  it('removes a field the applier stopped sending when no one else owns it', async () => {
    const { core } = cluster();
    await core.patchNamespacedConfigMap({ name: 'settings', namespace: 'default', body: configMap({ a: '1', b: '2' }), fieldManager: 'strata' }, APPLY);
    const pruned = await core.patchNamespacedConfigMap({ name: 'settings', namespace: 'default', body: configMap({ a: '1' }), fieldManager: 'strata' }, APPLY);
    expect(pruned.data).toEqual({ a: '1' });
  });

  it('does not bump resourceVersion for an apply that changes nothing, even when quantities are written differently', async () => {
    const { core } = cluster();
    const first = await core.patchNamespacedPersistentVolumeClaim({ name: 'data', namespace: 'default', body: pvc('data', '1Ti'), fieldManager: 'strata' }, APPLY);
    const again = await core.patchNamespacedPersistentVolumeClaim({ name: 'data', namespace: 'default', body: pvc('data', '1024Gi'), fieldManager: 'strata' }, APPLY);
    expect(again.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
    expect(again.spec?.resources?.requests?.storage).toBe('1Ti');
  });

  it('answers a stale resourceVersion in an applied configuration with 409 Conflict', async () => {
    const { core } = cluster();
    const created = await core.patchNamespacedConfigMap({ name: 'settings', namespace: 'default', body: configMap({ a: '1' }), fieldManager: 'strata' }, APPLY);
    await core.patchNamespacedConfigMap({ name: 'settings', namespace: 'default', body: configMap({ a: '2' }), fieldManager: 'strata' }, APPLY);
    const stale = { ...configMap({ a: '3' }), metadata: { ...configMap({}).metadata, resourceVersion: created.metadata!.resourceVersion } };
    const status = await statusOf(core.patchNamespacedConfigMap({ name: 'settings', namespace: 'default', body: stale, fieldManager: 'strata' }, APPLY));
    expect(status.message).toBe(
      'Operation cannot be fulfilled on configmaps "settings": the object has been modified; please apply your changes to the latest version and try again',
    );
  });

  it('runs an apply with dryRun=All without storing it', async () => {
    const { core } = cluster();
    const dry = await core.patchNamespacedConfigMap({ name: 'settings', namespace: 'default', body: configMap({ a: '1' }), fieldManager: 'strata', dryRun: 'All' }, APPLY);
    expect(dry.data).toEqual({ a: '1' });
    expect((await statusOf(core.readNamespacedConfigMap({ name: 'settings', namespace: 'default' }))).code).toBe(404);
  });
});
