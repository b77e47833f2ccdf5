/** The verbs: GET, LIST, POST, PUT, PATCH (four formats, server-side apply included) and DELETE, over the store. */
import type { ServerResponse } from 'node:http';
import { parse as parseYaml } from 'yaml';
import { reconcile } from './controllers.js';
import { listBody } from './list.js';
import { applyConfiguration, ownedPart, readManagedFields } from './managed-fields.js';
import { applyJsonPatch, applyMergePatch, applyStrategicMergePatch } from './patch.js';
import { canonicaliseQuantities } from './quantities.js';
import { apiVersionOf, NAMESPACE_TYPE, RESOURCE_TYPES, type ResourceType } from './resources.js';
import { isPlainObject } from './schema.js';
import {
  alreadyExists,
  badRequest,
  conflict,
  invalid,
  invalidObject,
  invalidOptions,
  notFound,
  notSupported,
  required,
  forbiddenField,
  unsupportedMediaType,
  type FieldError,
} from './status.js';
import { clone, type KubeObject, type ObjectStore } from './store.js';
import { serveWatch } from './watch.js';
import { commit, ownershipScope, timestamp, type CommitResult } from './writes.js';

export interface Target {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: 'status';
}

export interface Reply {
  status: number;
  body: unknown;
}

export interface WriteOptions {
  query: URLSearchParams;
  userAgent: string;
}

const PATCH_TYPES = {
  json: 'application/json-patch+json',
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  apply: 'application/apply-patch+yaml',
} as const;

/** The manager a write is recorded under: ?fieldManager, else the User-Agent up to its first slash. */
function managerOf(options: WriteOptions): string {
  const explicit = options.query.get('fieldManager');
  if (explicit) return explicit;
  return (options.userAgent.split('/')[0] ?? '').replace(/[^\x20-\x7e]/g, '').slice(0, 128) || 'unknown';
}

function dryRunOf(query: URLSearchParams, optionsKind: string): boolean {
  const values = query.getAll('dryRun');
  const unsupported = values.filter((value) => value !== 'All');
  if (unsupported.length > 0) throw invalidOptions(optionsKind, unsupported.map((value) => notSupported('dryRun', value, ['All'])));
  return values.length > 0;
}

const SYSTEM_METADATA = ['uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp', 'deletionGracePeriodSeconds'];

/** The whole object an apply produces: identity and system metadata from the live object, the merged owned part, and the status it may not change. */
function rebuild(old: KubeObject | undefined, merged: Record<string, unknown>, scope: 'main' | 'status' | 'all', identity: { name: string; namespace?: string }): KubeObject {
  if (scope === 'status') return { ...clone(old!), status: merged.status };
  const { metadata: mergedMetadata, ...fields } = merged as { metadata?: Record<string, unknown> };
  const system = Object.fromEntries(Object.entries(old?.metadata ?? {}).filter(([key]) => SYSTEM_METADATA.includes(key)));
  const object = { ...fields, metadata: { ...identity, ...system, ...mergedMetadata } } as KubeObject;
  if (scope === 'main' && old?.status !== undefined) object.status = clone(old.status);
  return object;
}

export class KubeApi {
  constructor(
    private readonly store: ObjectStore,
    private readonly afterWrite: () => void,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  get(target: Target): Reply {
    return { status: 200, body: this.existing(target) };
  }

  watch(target: Target, query: URLSearchParams, response: ServerResponse): void {
    serveWatch(this.store, target, query, response);
  }

  list(target: Target, query: URLSearchParams): Reply {
    return { status: 200, body: listBody(this.store, target.type, target.namespace, query) };
  }

  create(target: Target, body: unknown, options: WriteOptions): Reply {
    const { type, namespace } = target;
    const dryRun = dryRunOf(options.query, 'CreateOptions');
    const object = this.decodeBody(type, body);
    if (type.namespaced) this.checkNamespace(object, namespace!);
    const metadata = object.metadata;
    if (!metadata.name && typeof metadata.generateName === 'string' && metadata.generateName) {
      metadata.name = `${metadata.generateName}${Math.random().toString(36).slice(2, 7)}`;
    }
    if (metadata.name && this.store.get(type, namespace, metadata.name)) throw alreadyExists(type, metadata.name);
    this.requireNamespace(type, namespace);
    return this.finish(type, this.commitWrite(type, object, undefined, undefined, options, dryRun));
  }

  update(target: Target, body: unknown, options: WriteOptions): Reply {
    const { type, namespace, name, subresource } = target;
    const dryRun = dryRunOf(options.query, 'UpdateOptions');
    const object = this.decodeBody(type, body);
    if (object.metadata.name !== name) {
      throw badRequest(`the name of the object (${object.metadata.name ?? ''}) does not match the name on the URL (${name})`);
    }
    if (type.namespaced) this.checkNamespace(object, namespace!);
    const old = this.existing(target);
    const version = object.metadata.resourceVersion;
    if (!version && type.custom) {
      throw invalidObject(type, name!, [invalid('metadata.resourceVersion', 0, 'must be specified for an update')]);
    }
    if (version && version !== old.metadata.resourceVersion) throw conflict(type, name!);
    return this.finish(type, this.commitWrite(type, object, old, subresource, options, dryRun));
  }

  patch(target: Target, contentType: string, raw: string, options: WriteOptions): Reply {
    const { type, namespace, name, subresource } = target;
    const mediaType = contentType.split(';')[0]!.trim().toLowerCase();
    const accepted = [PATCH_TYPES.json, PATCH_TYPES.merge, ...(type.custom ? [] : [PATCH_TYPES.strategic]), PATCH_TYPES.apply];
    if (!accepted.includes(mediaType as (typeof accepted)[number])) throw unsupportedMediaType(accepted);
    const isApply = mediaType === PATCH_TYPES.apply;
    const problems: FieldError[] = [];
    const force = options.query.get('force');
    if (!isApply && force !== null) problems.push(forbiddenField('force', 'may not be specified for non-apply patch'));
    if (isApply && !options.query.get('fieldManager')) problems.push(required('fieldManager', 'is required for apply patch'));
    if (problems.length > 0) throw invalidOptions('PatchOptions', problems);
    const dryRun = dryRunOf(options.query, 'PatchOptions');

    const old = this.store.get(type, namespace, name!);
    if (!old && subresource) throw notFound(type, name!);
    if (isApply) return this.apply(target, old, raw, options, force === 'true', dryRun);
    if (!old) throw notFound(type, name!);
    let patch: unknown;
    try {
      patch = JSON.parse(raw);
    } catch (error) {
      throw badRequest(`error decoding patch: ${(error as Error).message}`);
    }
    const current = clone(old) as unknown;
    const patched =
      mediaType === PATCH_TYPES.json
        ? applyJsonPatch(current, patch)
        : mediaType === PATCH_TYPES.merge
          ? applyMergePatch(current, patch)
          : applyStrategicMergePatch(current, patch);
    const object = this.decodeBody(type, patched);
    if (object.metadata.name !== name) throw badRequest(`the name of the object (${object.metadata.name}) does not match the name on the URL (${name})`);
    const version = object.metadata.resourceVersion;
    if (version && version !== old.metadata.resourceVersion) throw conflict(type, name!);
    return this.finish(type, this.commitWrite(type, object, old, subresource, options, dryRun));
  }

  delete(target: Target, body: unknown, options: WriteOptions): Reply {
    const { type, namespace, name } = target;
    const dryRun = dryRunOf(options.query, 'DeleteOptions');
    const old = this.existing(target);
    const preconditions = isPlainObject(body) && isPlainObject(body.preconditions) ? body.preconditions : {};
    if (preconditions.resourceVersion !== undefined && preconditions.resourceVersion !== old.metadata.resourceVersion) {
      throw conflict(
        type,
        name!,
        `the ResourceVersion in the precondition (${String(preconditions.resourceVersion)}) does not match the ResourceVersion in record (${old.metadata.resourceVersion}). The object might have been modified`,
      );
    }
    if (preconditions.uid !== undefined && preconditions.uid !== old.metadata.uid) {
      throw conflict(type, name!, `the UID in the precondition (${String(preconditions.uid)}) does not match the UID in record (${old.metadata.uid}). The object might have been modified`);
    }
    const now = this.clock();
    if (type === NAMESPACE_TYPE) return this.deleteNamespace(old, dryRun, now);
    if ((old.metadata.finalizers ?? []).length > 0) {
      if (old.metadata.deletionTimestamp) return { status: 200, body: old };
      const marked = clone(old);
      marked.metadata.deletionTimestamp = timestamp(now);
      marked.metadata.deletionGracePeriodSeconds = 0;
      if (dryRun) return { status: 200, body: marked };
      const stored = this.store.write(type, marked);
      this.afterWrite();
      return { status: 200, body: stored };
    }
    if (!dryRun) {
      this.store.remove(type, namespace, name!);
      reconcile(this.store, type, old, now);
      this.afterWrite();
    }
    return { status: 200, body: type.returnsDeletedObject ? old : this.successStatus(type, old) };
  }

  /** Marks a claim Bound now, as the binder would once a consumer is scheduled (WaitForFirstConsumer). */
  bindClaim(type: ResourceType, namespace: string, name: string, bind: (claim: KubeObject) => void): void {
    const claim = this.store.get(type, namespace, name);
    if (!claim) throw notFound(type, name);
    bind(claim);
    reconcile(this.store, type, claim, this.clock());
    this.afterWrite();
  }

  private apply(target: Target, old: KubeObject | undefined, raw: string, options: WriteOptions, force: boolean, dryRun: boolean): Reply {
    const { type, namespace, name, subresource } = target;
    let parsed: unknown;
    try {
      parsed = parseYaml(raw);
    } catch (error) {
      throw badRequest(`error decoding YAML: ${(error as Error).message}`);
    }
    if (!isPlainObject(parsed)) throw badRequest('error decoding YAML: the applied configuration is not an object');
    const config = clone(parsed) as KubeObject;
    const metadata = (config.metadata ??= { name: '' });
    if (config.apiVersion !== apiVersionOf(type) || config.kind !== type.kind) {
      throw badRequest(`the API version in the data (${String(config.apiVersion ?? '')}) does not match the expected API version (${apiVersionOf(type)})`);
    }
    if (metadata.name !== name) throw badRequest(`the name of the object (${metadata.name ?? ''}) does not match the name on the URL (${name})`);
    if (type.namespaced) this.checkNamespace(config, namespace!);
    if (metadata.resourceVersion && metadata.resourceVersion !== old?.metadata.resourceVersion) {
      throw old ? conflict(type, name!) : notFound(type, name!);
    }
    canonicaliseQuantities(type, config);
    if (!old) this.requireNamespace(type, namespace);
    const now = this.clock();
    const scope = ownershipScope(type, subresource);
    const result = applyConfiguration(
      ownedPart(old, scope),
      ownedPart(config, scope),
      readManagedFields(old),
      { manager: options.query.get('fieldManager')!, time: timestamp(now), apiVersion: String(config.apiVersion), ...(subresource ? { subresource } : {}) },
      force,
    );
    const object = rebuild(old, result.object, scope, { name: name!, ...(namespace ? { namespace } : {}) });
    const committed = commit(this.store, { type, candidate: object, old, subresource, writer: { manager: '', time: timestamp(now) }, managedFields: result.entries, dryRun, now });
    return this.finish(type, committed);
  }

  private commitWrite(type: ResourceType, object: KubeObject, old: KubeObject | undefined, subresource: 'status' | undefined, options: WriteOptions, dryRun: boolean): CommitResult {
    const now = this.clock();
    return commit(this.store, { type, candidate: object, old, subresource, writer: { manager: managerOf(options), time: timestamp(now) }, dryRun, now });
  }

  private finish(type: ResourceType, result: CommitResult): Reply {
    if (result.stored) {
      if (!result.removed) reconcile(this.store, type, result.object, this.clock());
      this.afterWrite();
    }
    return { status: result.created ? 201 : 200, body: result.object };
  }

  private deleteNamespace(namespace: KubeObject, dryRun: boolean, now: Date): Reply {
    const terminating = clone(namespace);
    terminating.metadata.deletionTimestamp = timestamp(now);
    terminating.status = { phase: 'Terminating' };
    if (!dryRun) {
      // The namespace controller's work, done at once: everything in the namespace goes with it.
      for (const type of RESOURCE_TYPES.filter((candidate) => candidate.namespaced)) {
        for (const object of this.store.list(type, namespace.metadata.name)) this.store.remove(type, namespace.metadata.name, object.metadata.name);
      }
      this.store.remove(NAMESPACE_TYPE, undefined, namespace.metadata.name);
      this.afterWrite();
    }
    return { status: 200, body: terminating };
  }

  private successStatus(type: ResourceType, object: KubeObject): Record<string, unknown> {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Success',
      details: { name: object.metadata.name, ...(type.group ? { group: type.group } : {}), kind: type.plural, uid: object.metadata.uid },
    };
  }

  private existing(target: Target): KubeObject {
    const object = this.store.get(target.type, target.namespace, target.name!);
    if (!object) throw notFound(target.type, target.name!);
    return object;
  }

  private decodeBody(type: ResourceType, body: unknown): KubeObject {
    if (!isPlainObject(body)) throw badRequest(`${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: the body is not a JSON object`);
    const object = clone(body) as KubeObject;
    if (!isPlainObject(object.metadata)) object.metadata = { name: '' };
    if (object.kind !== undefined && object.kind !== type.kind) {
      throw badRequest(`${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: kind ${String(object.kind)} does not match`);
    }
    return object;
  }

  private checkNamespace(object: KubeObject, namespace: string): void {
    if (object.metadata.namespace && object.metadata.namespace !== namespace) {
      throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
    }
    object.metadata.namespace = namespace;
  }

  private requireNamespace(type: ResourceType, namespace: string | undefined): void {
    if (type.namespaced && !this.store.get(NAMESPACE_TYPE, undefined, namespace!)) throw notFound(NAMESPACE_TYPE, namespace!);
  }
}
