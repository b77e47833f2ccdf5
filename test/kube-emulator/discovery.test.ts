import { describe, expect, it } from 'vitest';
import { useCluster } from './harness.js';

describe('Kubernetes API emulator: discovery', () => {
  const cluster = useCluster();

  it('serves /version as a 1.32 server', async () => {
    const { body } = await cluster().fetch('/version');
    expect(body).toMatchObject({ major: '1', minor: '32', gitVersion: 'v1.32.0' });
  });

  it('serves the core group at /api and its resources at /api/v1', async () => {
    const { fetch } = cluster();
    expect((await fetch('/api')).body).toMatchObject({ kind: 'APIVersions', versions: ['v1'] });
    const v1 = (await fetch('/api/v1')).body;
    expect(v1.kind).toBe('APIResourceList');
    expect(v1.groupVersion).toBe('v1');
    expect(v1.resources).toContainEqual(expect.objectContaining({ name: 'persistentvolumeclaims', kind: 'PersistentVolumeClaim', namespaced: true, shortNames: ['pvc'] }));
    expect(v1.resources).toContainEqual(expect.objectContaining({ name: 'persistentvolumeclaims/status', verbs: ['get', 'patch', 'update'] }));
    expect(v1.resources.map((resource: { name: string }) => resource.name)).toEqual(
      expect.arrayContaining(['namespaces', 'resourcequotas', 'limitranges', 'configmaps', 'events']),
    );
  });

  it('lists the groups at /apis and each group version with its resources', async () => {
    const { fetch } = cluster();
    const groups = (await fetch('/apis')).body;
    expect(groups.kind).toBe('APIGroupList');
    expect(groups.groups.map((group: { name: string }) => group.name).sort()).toEqual(['batch', 'coordination.k8s.io', 'snapshot.storage.k8s.io', 'storage.k8s.io']);
    const snapshots = (await fetch('/apis/snapshot.storage.k8s.io/v1')).body;
    expect(snapshots.resources.map((resource: { name: string }) => resource.name)).toEqual(['volumesnapshotclasses', 'volumesnapshots', 'volumesnapshots/status']);
    expect((await fetch('/apis/storage.k8s.io/v1')).body.resources[0]).toMatchObject({ name: 'storageclasses', namespaced: false, kind: 'StorageClass' });
  });

  it('answers an unknown path with a 404 Status', async () => {
    const response = await cluster().fetch('/apis/apps/v1/deployments');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ kind: 'Status', reason: 'NotFound', message: 'the server could not find the requested resource' });
  });

  it('publishes OpenAPI v3 PATCH operations that accept fieldValidation, as kubectl apply checks', async () => {
    const { fetch } = cluster();
    const root = (await fetch('/openapi/v3')).body;
    const url: string = root.paths['api/v1'].serverRelativeURL;
    const document = (await fetch(url)).body;
    const operation = document.paths['/api/v1/namespaces/{namespace}/persistentvolumeclaims/{name}'].patch;
    expect(operation['x-kubernetes-group-version-kind']).toEqual({ group: '', version: 'v1', kind: 'PersistentVolumeClaim' });
    expect(operation.parameters).toContainEqual(expect.objectContaining({ name: 'fieldValidation', in: 'query' }));
  });
});
