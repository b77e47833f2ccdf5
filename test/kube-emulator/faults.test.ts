import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { startKubeEmulator, type KubeEmulator } from '../support/kube-emulator/index.js';
import { pvc, statusOf, useCluster } from './harness.js';

describe('Kubernetes API emulator: fault injection and counters', () => {
  const cluster = useCluster();

  it('answers matching requests with an injected 500 or 503', async () => {
    const { core, emulator } = cluster();
    emulator.faults.add({ verb: 'list', resource: 'persistentvolumeclaims', status: 503, times: 1 });
    const status = await statusOf(core.listNamespacedPersistentVolumeClaim({ namespace: 'default' }));
    expect(status).toMatchObject({ code: 503, reason: 'ServiceUnavailable' });
    expect((await core.listNamespacedPersistentVolumeClaim({ namespace: 'default' })).items).toEqual([]);
  });

  it('answers 429 with Retry-After in the header and the Status details', async () => {
    const { fetch, emulator } = cluster();
    emulator.faults.add({ resource: 'configmaps', status: 429, retryAfterSeconds: 7 });
    const response = await fetch('/api/v1/namespaces/default/configmaps');
    expect(response.status).toBe(429);
    expect(response.headers.get('retry-after')).toBe('7');
    expect(response.body).toMatchObject({ reason: 'TooManyRequests', details: { retryAfterSeconds: 7 } });
  });

  it('adds latency to matching requests', async () => {
    const { core, emulator } = cluster();
    emulator.faults.add({ verb: 'get', resource: 'namespaces', latencyMs: 150 });
    const started = performance.now();
    await core.readNamespace({ name: 'default' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('resets the connection', async () => {
    const { emulator } = cluster();
    emulator.faults.add({ resource: 'namespaces', reset: true, times: 1 });
    await expect(fetch(`${emulator.url}/api/v1/namespaces`, { signal: AbortSignal.timeout(5000) })).rejects.toThrow();
  });

  it('answers the Nth write to a resource with the stale-resourceVersion 409, once', async () => {
    const { core, emulator } = cluster();
    emulator.faults.add({ resource: 'persistentvolumeclaims', conflictOnNthWrite: 2 });
    await core.createNamespacedPersistentVolumeClaim({ namespace: 'default', body: pvc('a') });
    const status = await statusOf(core.createNamespacedPersistentVolumeClaim({ namespace: 'default', body: pvc('b') }));
    expect(status.message).toBe(
      'Operation cannot be fulfilled on persistentvolumeclaims "b": the object has been modified; please apply your changes to the latest version and try again',
    );
    await core.createNamespacedPersistentVolumeClaim({ namespace: 'default', body: pvc('b') });
  });

  it('stops injecting after clear()', async () => {
    const { core, emulator } = cluster();
    emulator.faults.add({ status: 500 });
    emulator.faults.clear();
    await core.readNamespace({ name: 'default' });
  });

  it('counts requests by verb and resource', async () => {
    const { core, emulator } = cluster();
    emulator.counters.reset();
    await core.createNamespacedPersistentVolumeClaim({ namespace: 'default', body: pvc('a') });
    await core.listPersistentVolumeClaimForAllNamespaces();
    await core.listPersistentVolumeClaimForAllNamespaces();
    await core.readNamespacedPersistentVolumeClaim({ name: 'a', namespace: 'default' });
    expect(emulator.counters.byVerbAndResource()).toEqual({
      'create persistentvolumeclaims': 1,
      'get persistentvolumeclaims': 1,
      'list persistentvolumeclaims': 2,
    });
    expect(emulator.counters.total()).toBe(4);
  });
});

describe('Kubernetes API emulator: persistence', () => {
  let emulator: KubeEmulator | undefined;
  const directory = mkdtempSync(join(tmpdir(), 'strata-emulator-state-'));
  afterEach(async () => {
    await emulator?.stop();
    emulator = undefined;
  });
  afterAll(() => rmSync(directory, { recursive: true, force: true }));

  const clientFor = (running: KubeEmulator) => {
    const config = new KubeConfig();
    config.loadFromString(running.kubeconfig);
    return config.makeApiClient(CoreV1Api);
  };

  it('saves every write to the file and resumes from it with the same objects and resourceVersions', async () => {
    const path = join(directory, 'state.json');
    emulator = await startKubeEmulator({ persistPath: path });
    const created = await clientFor(emulator).createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'kept' }, data: { a: '1' } } });
    expect(readFileSync(path, 'utf8')).toContain('"kept"');
    await emulator.stop();

    emulator = await startKubeEmulator({ persistPath: path });
    const core = clientFor(emulator);
    const read = await core.readNamespacedConfigMap({ name: 'kept', namespace: 'default' });
    expect(read.metadata?.resourceVersion).toBe(created.metadata?.resourceVersion);
    const next = await core.createNamespacedConfigMap({ namespace: 'default', body: { metadata: { name: 'after' } } });
    expect(Number(next.metadata?.resourceVersion)).toBe(Number(created.metadata?.resourceVersion) + 1);
  });
});
