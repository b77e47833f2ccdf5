/**
 * The write path every create and update goes through, in kube-apiserver's order: decode checks (400), system
 * metadata, status reset, defaults, quantity canonicalisation, validation (422), admission (403), managedFields, then
 * the no-op check (an unchanged object keeps its resourceVersion) and storage unless it is a dry run.
 */
import { randomUUID } from 'node:crypto';
import { KIND_RULES } from './kinds/index.js';
import type { WriteContext } from './kinds/rules.js';
import { ownedPart, readManagedFields, recordUpdate, writeManagedFields, type ManagerEntry } from './managed-fields.js';
import { nameErrors } from './names.js';
import { canonicaliseQuantities, dropEmptyCollections } from './quantities.js';
import { apiVersionOf, type ResourceType } from './resources.js';
import { deepEqual } from './schema.js';
import { invalidObject } from './status.js';
import { clone, type KubeObject, type ObjectStore } from './store.js';

export interface Writer {
  manager: string;
  time: string;
}

export interface CommitRequest {
  type: ResourceType;
  candidate: KubeObject;
  old?: KubeObject;
  subresource?: 'status';
  writer: Writer;
  /** Server-side apply has already worked out ownership; other writes derive it from the change. */
  managedFields?: ManagerEntry[];
  dryRun: boolean;
  now: Date;
}

export interface CommitResult {
  object: KubeObject;
  created: boolean;
  /** False for a no-op or a dry run. */
  stored: boolean;
  removed: boolean;
}

/** Kubernetes timestamps are to the second. */
export function timestamp(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Which part of the object this endpoint writes: the main resource never writes a status it has a subresource for. */
export function ownershipScope(type: ResourceType, subresource: 'status' | undefined): 'main' | 'status' | 'all' {
  if (subresource === 'status') return 'status';
  return type.statusSubresource ? 'main' : 'all';
}

function withSystemFields(request: CommitRequest): KubeObject {
  const { type, old, now, subresource } = request;
  let object = clone(request.candidate);
  if (subresource === 'status' && old) object = { ...clone(old), status: object.status };
  object.apiVersion = apiVersionOf(type);
  object.kind = type.kind;
  const metadata = object.metadata;
  delete metadata.resourceVersion;
  if (old) {
    for (const key of ['uid', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds', 'generation'] as const) {
      if (old.metadata[key] === undefined) delete metadata[key];
      else (metadata as Record<string, unknown>)[key] = old.metadata[key];
    }
    if (type.statusSubresource && subresource !== 'status') {
      if (old.status === undefined) delete object.status;
      else object.status = clone(old.status);
    }
  } else {
    metadata.uid = randomUUID();
    metadata.creationTimestamp = timestamp(now);
    delete metadata.deletionTimestamp;
    delete metadata.deletionGracePeriodSeconds;
    if (type.tracksGeneration) metadata.generation = 1;
    else delete metadata.generation;
    if (type.statusSubresource) delete object.status;
  }
  return object;
}

/** Everything except metadata and status: what bumps metadata.generation. */
function specPart(object: KubeObject): Record<string, unknown> {
  const { metadata: _m, status: _s, ...rest } = object;
  return rest;
}

export function commit(store: ObjectStore, request: CommitRequest): CommitResult {
  const { type, old, subresource, now } = request;
  const rules = KIND_RULES[type.kind] ?? {};
  rules.decode?.(request.candidate, type);
  const object = withSystemFields(request);
  const context: WriteContext = { store, type, old, subresource, now };
  canonicaliseQuantities(type, object);
  rules.defaults?.(object, context);
  dropEmptyCollections(type, object);

  const errors = [...(old ? [] : nameErrors(object.metadata.name, type.kind === 'Namespace')), ...(rules.validate?.(object, context) ?? [])];
  if (errors.length > 0) throw invalidObject(type, object.metadata.name, errors);
  rules.admit?.(object, context);

  if (old && type.tracksGeneration && !deepEqual(specPart(old), specPart(object))) object.metadata.generation = (old.metadata.generation ?? 0) + 1;

  const scope = ownershipScope(type, subresource);
  const entries =
    request.managedFields ??
    recordUpdate(
      readManagedFields(old),
      { ...request.writer, apiVersion: apiVersionOf(type), ...(subresource ? { subresource } : {}) },
      ownedPart(old, scope),
      ownedPart(object, scope),
    );
  const managedFields = writeManagedFields(entries);
  if (managedFields.length > 0) object.metadata.managedFields = managedFields;
  else delete object.metadata.managedFields;

  if (old) {
    const previous = { ...old, metadata: { ...old.metadata, resourceVersion: undefined } };
    if (deepEqual(JSON.parse(JSON.stringify(previous)), JSON.parse(JSON.stringify(object)))) {
      return { object: old, created: false, stored: false, removed: false };
    }
  }
  const finishesDeletion = Boolean(old?.metadata.deletionTimestamp) && (object.metadata.finalizers ?? []).length === 0;
  if (request.dryRun) {
    if (old) object.metadata.resourceVersion = old.metadata.resourceVersion;
    return { object, created: !old, stored: false, removed: false };
  }
  if (finishesDeletion) {
    store.remove(type, object.metadata.namespace, object.metadata.name);
    return { object, created: false, stored: true, removed: true };
  }
  return { object: store.write(type, object), created: !old, stored: true, removed: false };
}
