/**
 * The event recorder over the wire, against the run's real control plane: where an event goes and how it names its
 * object, as kubectl looks them up. The cluster is shared (and so is its `default` namespace, where events about
 * cluster-scoped objects go), so each test names its own namespace and storage class and reads back only their events.
 */
import { randomBytes } from 'node:crypto';
import { CoreV1Api, KubeConfig } from '@kubernetes/client-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ProviderError } from '../../../src/errors/provider-error.js';
import type { ResourceAddress } from '../../../src/model/address.js';
import { createEventRecorder, type EventRecorder } from '../../../src/providers/kubernetes/events.js';
import { openTestCluster, type TestCluster } from '../../support/kube/index.js';

const note = (address: ResourceAddress) => ({
  address,
  type: 'Normal' as const,
  reason: 'Updated',
  message: 'set size 50Gi → 200Gi',
});

let NAMESPACE: string;
let claim: ResourceAddress;
let storageClass: ResourceAddress;
let cluster: TestCluster;
let core: CoreV1Api;
let recorder: EventRecorder;

beforeEach(async () => {
  const run = randomBytes(3).toString('hex');
  NAMESPACE = `codequal-${run}`;
  claim = { system: 'kubernetes', kind: 'PersistentVolumeClaim', namespace: NAMESPACE, name: 'deepwiki-data' };
  storageClass = { system: 'kubernetes', kind: 'StorageClass', name: `fast-ssd-${run}` };
  cluster = await openTestCluster();
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromString(cluster.kubeconfig);
  core = kubeConfig.makeApiClient(CoreV1Api);
  recorder = createEventRecorder({ kubeConfig, host: 'laptop' });
  await core.createNamespace({ body: { metadata: { name: NAMESPACE } } });
});
afterEach(async () => {
  await core.deleteNamespace({ name: NAMESPACE }).catch(() => undefined);
  await core
    .deleteCollectionNamespacedEvent({
      namespace: 'default',
      fieldSelector: `involvedObject.name=${storageClass.name}`,
    })
    .catch(() => undefined);
  await cluster.stop();
});

/** strata's events about an object, found by the fields `kubectl describe` selects on. */
async function eventsAbout(namespace: string, name: string) {
  return (await core.listNamespacedEvent({ namespace, fieldSelector: `involvedObject.name=${name},reason=Updated` }))
    .items;
}

describe('createEventRecorder', () => {
  it("writes the event in the object's namespace, tied to its uid, from source strata", async () => {
    const created = await core.createNamespacedPersistentVolumeClaim({
      namespace: NAMESPACE,
      body: {
        metadata: { name: 'deepwiki-data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } },
      },
    });
    await recorder.record(note(claim));
    // The PV controller writes events about the same claim too (FailedBinding: it has no class); strata's is Updated.
    const [event, ...others] = (
      await core.listNamespacedEvent({
        namespace: NAMESPACE,
        fieldSelector: `involvedObject.uid=${created.metadata!.uid},reason=Updated`,
      })
    ).items;
    expect(others).toEqual([]);
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

  it('ties the event to the object a step read back without reading it again', async () => {
    const created = await core.createNamespacedPersistentVolumeClaim({
      namespace: NAMESPACE,
      body: {
        metadata: { name: 'deepwiki-data' },
        spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '50Gi' } } },
      },
    });
    cluster.counters.reset();

    const { uid, resourceVersion } = created.metadata!;
    await recorder.record({ ...note(claim), object: { uid, version: resourceVersion } });

    expect(cluster.counters.byVerbAndResource()).toEqual({ 'create events': 1 });
    const [event] = await eventsAbout(NAMESPACE, 'deepwiki-data');
    expect(event?.involvedObject).toMatchObject({ uid, resourceVersion });
  });

  it('writes an event about a cluster-scoped object in default', async () => {
    await recorder.record(note(storageClass));
    const events = await eventsAbout('default', storageClass.name);
    expect(
      events.map((event) => [event.metadata.namespace, event.involvedObject.kind, event.involvedObject.name]),
    ).toEqual([['default', 'StorageClass', storageClass.name]]);
  });

  it('writes an event about an object that is gone (a delete) without a uid', async () => {
    await recorder.record(note(claim));
    const [event] = await eventsAbout(NAMESPACE, 'deepwiki-data');
    expect(event).toBeDefined();
    expect(event?.involvedObject.uid).toBeUndefined();
  });

  it('gives two events in the same millisecond different names', async () => {
    await Promise.all([recorder.record(note(storageClass)), recorder.record(note(storageClass))]);
    expect(await eventsAbout('default', storageClass.name)).toHaveLength(2);
  });

  it("reports the server's refusal as a provider error naming the object", async () => {
    cluster.faults.add({ verb: 'create', resource: 'events', status: 500 });
    const failure = await recorder.record(note(claim)).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ProviderError);
    expect((failure as ProviderError).message).toContain('deepwiki-data');
  });
});
