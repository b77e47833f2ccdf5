/**
 * The emulator's etcd: every object under one global resourceVersion counter, with each object's history kept so a
 * paginated LIST can be served as of its first page's resourceVersion.
 */
import type { ResourceType } from './resources.js';

export type KubeObject = Record<string, unknown> & { metadata: Metadata };

export interface Metadata {
  name: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  managedFields?: unknown[];
  [key: string]: unknown;
}

interface Version {
  resourceVersion: number;
  object: KubeObject | undefined;
}

export interface StoredEntry {
  type: ResourceType;
  object: KubeObject;
}

const typeKey = (type: ResourceType) => `${type.group}/${type.plural}`;
// NUL sorts before every printable character, so keys order by namespace first, then name.
const objectKey = (namespace: string | undefined, name: string) => `${namespace ?? ''}\u0000${name}`;

export function clone<T>(value: T): T {
  return structuredClone(value);
}

export class ObjectStore {
  private counter = 0;
  private readonly histories = new Map<string, Map<string, Version[]>>();
  private readonly types = new Map<string, ResourceType>();

  get resourceVersion(): number {
    return this.counter;
  }

  get(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    const versions = this.histories.get(typeKey(type))?.get(objectKey(namespace, name));
    const latest = versions?.at(-1)?.object;
    return latest && clone(latest);
  }

  /** Objects of a type (in one namespace or all), as they were at `asOf`, ordered by namespace then name. */
  list(type: ResourceType, namespace: string | undefined, asOf = this.counter): KubeObject[] {
    const objects = this.histories.get(typeKey(type)) ?? new Map<string, Version[]>();
    return [...objects.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([, versions]) => versions.filter((version) => version.resourceVersion <= asOf).at(-1)?.object)
      .filter((object): object is KubeObject => object !== undefined && (namespace === undefined || object.metadata.namespace === namespace))
      .map(clone);
  }

  /** Stores the object under the next resourceVersion and returns the stored copy. */
  write(type: ResourceType, object: KubeObject): KubeObject {
    this.counter += 1;
    const stored = clone(object);
    stored.metadata.resourceVersion = String(this.counter);
    this.versionsOf(type, object.metadata.namespace, object.metadata.name).push({ resourceVersion: this.counter, object: stored });
    return clone(stored);
  }

  remove(type: ResourceType, namespace: string | undefined, name: string): void {
    this.counter += 1;
    this.versionsOf(type, namespace, name).push({ resourceVersion: this.counter, object: undefined });
  }

  /** Every live object, for persistence. */
  entries(): StoredEntry[] {
    return [...this.histories.entries()].flatMap(([key, objects]) =>
      [...objects.values()]
        .map((versions) => versions.at(-1)?.object)
        .filter((object): object is KubeObject => object !== undefined)
        .map((object) => ({ type: this.types.get(key)!, object: clone(object) })),
    );
  }

  /** Restores objects exactly as saved (their resourceVersions included) and continues the counter after them. */
  restore(entries: StoredEntry[], resourceVersion: number): void {
    for (const { type, object } of entries) {
      const version = Number(object.metadata.resourceVersion ?? 0);
      this.versionsOf(type, object.metadata.namespace, object.metadata.name).push({ resourceVersion: version, object: clone(object) });
    }
    this.counter = Math.max(this.counter, resourceVersion);
  }

  private versionsOf(type: ResourceType, namespace: string | undefined, name: string): Version[] {
    const key = typeKey(type);
    this.types.set(key, type);
    let objects = this.histories.get(key);
    if (!objects) this.histories.set(key, (objects = new Map()));
    const id = objectKey(namespace, name);
    let versions = objects.get(id);
    if (!versions) objects.set(id, (versions = []));
    return versions;
  }
}
