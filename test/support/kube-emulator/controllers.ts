/**
 * What a real cluster's controllers would do after a write, done at once so tests need not wait: the PV binder and
 * provisioner (bind a claim whose class binds Immediately, or on request; finish an accepted resize) and the quota
 * controller (keep status.hard/used current). Each is a separate write by kube-controller-manager, as in a cluster.
 */
import { compareQuantities } from '../../../src/model/quantity.js';
import { quotaStatus } from './kinds/quota.js';
import { ownedPart, readManagedFields, recordUpdate, writeManagedFields } from './managed-fields.js';
import { PVC_TYPE, QUOTA_TYPE, RESOURCE_TYPES, STORAGE_CLASS_TYPE, apiVersionOf, type ResourceType } from './resources.js';
import { deepEqual } from './schema.js';
import { clone, type KubeObject, type ObjectStore } from './store.js';
import { timestamp } from './writes.js';

const CONTROLLER = 'kube-controller-manager';

/** Stores a controller's change to an object, attributing spec/metadata and status changes as the real managers do. */
function controllerWrite(store: ObjectStore, type: ResourceType, before: KubeObject, after: KubeObject, now: Date): void {
  if (deepEqual(before, after)) return;
  const writer = { manager: CONTROLLER, time: timestamp(now), apiVersion: apiVersionOf(type) };
  let entries = readManagedFields(before);
  entries = recordUpdate(entries, writer, ownedPart(before, 'main'), ownedPart(after, 'main'));
  entries = recordUpdate(entries, { ...writer, subresource: 'status' }, ownedPart(before, 'status'), ownedPart(after, 'status'));
  const object = clone(after);
  object.metadata.managedFields = writeManagedFields(entries);
  store.write(type, object);
}

interface Claim {
  spec?: { storageClassName?: string; accessModes?: string[]; volumeName?: string; resources?: { requests?: Record<string, string> } };
  status?: { phase?: string; capacity?: Record<string, string>; accessModes?: string[] };
}

export function bind(store: ObjectStore, claim: KubeObject, now: Date): void {
  const { spec = {}, status = {} } = claim as Claim;
  if (status.phase === 'Bound' || claim.metadata.deletionTimestamp) return;
  const storageClass = spec.storageClassName ? store.get(STORAGE_CLASS_TYPE, undefined, spec.storageClassName) : undefined;
  const provisioner = (storageClass as { provisioner?: string } | undefined)?.provisioner;
  const bound = clone(claim) as KubeObject & Claim;
  bound.spec = { ...bound.spec, volumeName: spec.volumeName ?? `pvc-${claim.metadata.uid}` };
  bound.metadata.annotations = {
    ...bound.metadata.annotations,
    'pv.kubernetes.io/bind-completed': 'yes',
    'pv.kubernetes.io/bound-by-controller': 'yes',
    ...(provisioner ? { 'volume.beta.kubernetes.io/storage-provisioner': provisioner, 'volume.kubernetes.io/storage-provisioner': provisioner } : {}),
  };
  const request = spec.resources?.requests?.storage;
  bound.status = { phase: 'Bound', accessModes: spec.accessModes ?? [], ...(request ? { capacity: { storage: request } } : {}) };
  controllerWrite(store, PVC_TYPE, claim, bound, now);
}

function bindsImmediately(store: ObjectStore, claim: KubeObject): boolean {
  const className = (claim as Claim).spec?.storageClassName;
  const storageClass = className ? store.get(STORAGE_CLASS_TYPE, undefined, className) : undefined;
  return (storageClass as { volumeBindingMode?: string } | undefined)?.volumeBindingMode === 'Immediate';
}

/** A bound claim whose request grew past its capacity is expanded (the resizer and kubelet, instantly). */
function finishResize(store: ObjectStore, claim: KubeObject, now: Date): void {
  const { spec = {}, status = {} } = claim as Claim;
  const request = spec.resources?.requests?.storage;
  const capacity = status.capacity?.storage;
  if (status.phase !== 'Bound' || !request || !capacity || compareQuantities(request, capacity) <= 0) return;
  const resized = clone(claim) as KubeObject & Claim;
  resized.status = { ...resized.status, capacity: { ...resized.status?.capacity, storage: request } };
  controllerWrite(store, PVC_TYPE, claim, resized, now);
}

function refreshQuotas(store: ObjectStore, namespace: string, now: Date): void {
  for (const quota of store.list(QUOTA_TYPE, namespace)) {
    const status = quotaStatus(store, quota, RESOURCE_TYPES);
    if (deepEqual(quota.status ?? {}, status)) continue;
    controllerWrite(store, QUOTA_TYPE, quota, { ...quota, status }, now);
  }
}

/** Runs after every stored write. */
export function reconcile(store: ObjectStore, type: ResourceType, object: KubeObject, now: Date): void {
  if (type === PVC_TYPE) {
    const current = store.get(PVC_TYPE, object.metadata.namespace, object.metadata.name);
    if (current && bindsImmediately(store, current)) bind(store, current, now);
    const latest = store.get(PVC_TYPE, object.metadata.namespace, object.metadata.name);
    if (latest) finishResize(store, latest, now);
  }
  if (type === STORAGE_CLASS_TYPE) {
    for (const claim of store.list(PVC_TYPE, undefined)) {
      if ((claim as Claim).spec?.storageClassName === object.metadata.name && bindsImmediately(store, claim)) bind(store, claim, now);
    }
  }
  if (type.namespaced && object.metadata.namespace) refreshQuotas(store, object.metadata.namespace, now);
}
