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

export interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  resource: ResourceType;
  object: KubeObject;
}

export class ObjectStore {
  private counter = 0;
  private readonly listeners = new Set<(event: WatchEvent) => void>();
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
    const versions = this.versionsOf(type, object.metadata.namespace, object.metadata.name);
    const existed = versions.at(-1)?.object !== undefined;
    versions.push({ resourceVersion: this.counter, object: stored });
    this.emit({ type: existed ? 'MODIFIED' : 'ADDED', resource: type, object: stored });
    return clone(stored);
  }

  remove(type: ResourceType, namespace: string | undefined, name: string): void {
    this.counter += 1;
    const versions = this.versionsOf(type, namespace, name);
    const last = versions.at(-1)?.object;
    versions.push({ resourceVersion: this.counter, object: undefined });
    if (last) this.emit({ type: 'DELETED', resource: type, object: { ...last, metadata: { ...last.metadata, resourceVersion: String(this.counter) } } });
  }

  /** Changes to a type after `resourceVersion`, in order, as a watch started there would see them. */
  changesSince(type: ResourceType, resourceVersion: number): WatchEvent[] {
    const events: Array<WatchEvent & { at: number }> = [];
    for (const versions of this.histories.get(typeKey(type))?.values() ?? []) {
      versions.forEach((version, index) => {
        if (version.resourceVersion <= resourceVersion) return;
        const previous = versions[index - 1]?.object;
        if (version.object) events.push({ at: version.resourceVersion, type: previous ? 'MODIFIED' : 'ADDED', resource: type, object: clone(version.object) });
        else if (previous) {
          events.push({ at: version.resourceVersion, type: 'DELETED', resource: type, object: { ...clone(previous), metadata: { ...clone(previous.metadata), resourceVersion: String(version.resourceVersion) } } });
        }
      });
    }
    return events.sort((a, b) => a.at - b.at).map(({ at: _at, ...event }) => event);
  }

  subscribe(listener: (event: WatchEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit(event: WatchEvent): void {
    for (const listener of this.listeners) listener({ ...event, object: clone(event.object) });
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
