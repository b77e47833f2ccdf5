/** Optional persistence: the store as one JSON file, written atomically (temp file + rename) after every write. */
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { RESOURCE_TYPES } from './resources.js';
import type { KubeObject, ObjectStore } from './store.js';

interface SavedStore {
  resourceVersion: number;
  objects: Array<{ group: string; resource: string; object: KubeObject }>;
}

export function loadStore(store: ObjectStore, path: string): boolean {
  if (!existsSync(path)) return false;
  const saved = JSON.parse(readFileSync(path, 'utf8')) as SavedStore;
  const entries = saved.objects.map(({ group, resource, object }) => {
    const type = RESOURCE_TYPES.find((candidate) => candidate.group === group && candidate.plural === resource);
    if (!type) throw new Error(`${path}: unknown resource ${resource}${group ? `.${group}` : ''}`);
    return { type, object };
  });
  store.restore(entries, saved.resourceVersion);
  return true;
}

export function saveStore(store: ObjectStore, path: string): void {
  const saved: SavedStore = {
    resourceVersion: store.resourceVersion,
    objects: store.entries().map(({ type, object }) => ({ group: type.group, resource: type.plural, object })),
  };
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(saved, null, 2)}\n`);
  renameSync(temporary, path);
}
