/** The event recorder over the wire: where an event goes and how it names its object, as kubectl looks them up. */
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../src/errors/provider-error.js';
import type { ResourceAddress } from '../../../src/model/address.js';
import { createEventRecorder, type EventRecorder } from '../../../src/providers/kubernetes/events.js';
import { startKubeEmulator, type KubeEmulator } from '../../support/kube-emulator/index.js';

const NAMESPACE = 'codequal-prod';
const claim: ResourceAddress = { system: 'kubernetes', kind: 'PersistentVolumeClaim', namespace: NAMESPACE, name: 'deepwiki-data' };
const storageClass: ResourceAddress = { system: 'kubernetes', kind: 'StorageClass', name: 'fast-ssd' };
const note = (address: ResourceAddress) => ({ address, type: 'Normal' as const, reason: 'Updated', message: 'set size 50Gi → 200Gi' });

let emulator: KubeEmulator;
let core: CoreV1Api;
let recorder: EventRecorder;

beforeEach(async () => {
  emulator = await startKubeEmulator();
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(emulator.kubeconfig);
  core = kubeConfig.makeApiClient(CoreV1Api);
  recorder = createEventRecorder({ kubeConfig, host: 'laptop' });
  await core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
});
afterEach(() => emulator.stop());

describe('createEventRecorder', () => {
  it("writes the event in the object's namespace, tied to its uid, from source strata", async () => {
    const created = await core.createNamespacedPersistentVolumeClaim({
      namespace: NAMESPACE,
      body: { metadata: { name: 'deepwiki-data' }, spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } } },
    });
    await recorder.record(note(claim));
    const [event] = (await core.listNamespacedEvent({ namespace: NAMESPACE, fieldSelector: `involvedObject.uid=${created.metadata!.uid}` })).items;
    expect(event).toMatchObject({
      type: 'Normal',
      reason: 'Updated',
      message: 'set size 50Gi → 200Gi',
      involvedObject: { apiVersion: 'v1', kind: 'PersistentVolumeClaim', name: 'deepwiki-data', namespace: NAMESPACE },
      source: { component: 'strata', host: 'laptop' },
      count: 1,
    });
    expect(event?.metadata.name).toMatch(/^deepwiki-data\.[0-9a-f]+$/);
  });

  it('writes an event about a cluster-scoped object in default', async () => {
    await recorder.record(note(storageClass));
    const events = (await core.listNamespacedEvent({ namespace: 'default' })).items;
    expect(events.map((event) => event.involvedObject.name)).toEqual(['fast-ssd']);
  });

  it('writes an event about an object that is gone (a delete) without a uid', async () => {
    await recorder.record(note(claim));
    const [event] = (await core.listNamespacedEvent({ namespace: NAMESPACE })).items;
    expect(event?.involvedObject.uid).toBeUndefined();
  });

  it('gives two events in the same millisecond different names', async () => {
    await Promise.all([recorder.record(note(storageClass)), recorder.record(note(storageClass))]);
    expect((await core.listNamespacedEvent({ namespace: 'default' })).items).toHaveLength(2);
  });

  it("reports the server's refusal as a provider error naming the object", async () => {
    emulator.faults.add({ verb: 'create', resource: 'events', status: 500 });
    const failure = await recorder.record(note(claim)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    expect((failure as ProviderError).message).toContain('deepwiki-data');
  });
});
