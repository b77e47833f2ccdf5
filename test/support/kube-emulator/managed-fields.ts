/**
 * managedFields bookkeeping and server-side apply (structured-merge-diff, as kube-apiserver's fieldmanager uses it):
 * who owns which field, conflicts when an applier would change a field another manager owns, shared ownership when
 * the values agree, `force` to take fields over, and pruning of fields an applier stopped sending.
 */
import {
  appliedSet,
  compare,
  describePath,
  fromFieldsV1,
  removePath,
  toFieldsV1,
  itemElement,
  valueAt,
  valueElement,
  type FieldSet,
  type FieldsV1,
} from './fieldset.js';
import { childPath, deepEqual, isPlainObject, itemPath, listKind } from './schema.js';
import { ApiError } from './status.js';
import { clone, type KubeObject } from './store.js';

export interface ManagerEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  subresource?: string;
  fields: FieldSet;
}

interface ManagedFieldsEntryJson {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: FieldsV1;
  subresource?: string;
}

/** Applies are one manager per name; updates are told apart by apiVersion too (fieldmanager BuildManagerIdentifier). */
function sameManager(a: Pick<ManagerEntry, 'manager' | 'operation' | 'apiVersion' | 'subresource'>, b: typeof a): boolean {
  return (
    a.manager === b.manager &&
    a.operation === b.operation &&
    (a.subresource ?? '') === (b.subresource ?? '') &&
    (a.operation === 'Apply' || a.apiVersion === b.apiVersion)
  );
}

export function readManagedFields(object: KubeObject | undefined): ManagerEntry[] {
  const entries = (object?.metadata.managedFields ?? []) as ManagedFieldsEntryJson[];
  return entries.map((entry) => ({
    manager: entry.manager,
    operation: entry.operation,
    apiVersion: entry.apiVersion,
    time: entry.time,
    ...(entry.subresource ? { subresource: entry.subresource } : {}),
    fields: fromFieldsV1(entry.fieldsV1 ?? {}),
  }));
}

export function writeManagedFields(entries: ManagerEntry[]): ManagedFieldsEntryJson[] {
  return entries
    .filter((entry) => entry.fields.size > 0)
    .sort((a, b) => (a.operation !== b.operation ? (a.operation < b.operation ? -1 : 1) : a.time !== b.time ? (a.time < b.time ? -1 : 1) : a.manager < b.manager ? -1 : 1))
    .map((entry) => ({
      manager: entry.manager,
      operation: entry.operation,
      apiVersion: entry.apiVersion,
      time: entry.time,
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(entry.fields),
      ...(entry.subresource ? { subresource: entry.subresource } : {}),
    }));
}

/** The part of an object that field ownership is about: no identity or system metadata, and only what the endpoint may change. */
export function ownedPart(object: Record<string, unknown> | undefined, scope: 'main' | 'status' | 'all'): Record<string, unknown> {
  if (!object) return {};
  const { apiVersion: _a, kind: _k, status, metadata, ...rest } = object as KubeObject;
  if (scope === 'status') return status === undefined ? {} : { status };
  const {
    name: _n, namespace: _ns, uid: _u, resourceVersion: _rv, generation: _g, creationTimestamp: _c, deletionTimestamp: _d,
    deletionGracePeriodSeconds: _dg, managedFields: _m, selfLink: _s, ...meta
  } = (metadata ?? {}) as Record<string, unknown>;
  const owned: Record<string, unknown> = { ...rest };
  if (Object.keys(meta).length > 0) owned.metadata = meta;
  if (scope === 'all' && status !== undefined) owned.status = status;
  return owned;
}

/** Records a create or update by `manager`: it takes every field it changed; others lose them. */
export function recordUpdate(
  entries: ManagerEntry[],
  writer: Omit<ManagerEntry, 'fields' | 'operation'>,
  before: Record<string, unknown>,
  after: Record<string, unknown>,
): ManagerEntry[] {
  const { changed, removed } = compare(before, after);
  if (changed.size === 0 && removed.size === 0) return entries;
  const touched = new Set([...changed, ...removed]);
  const next = entries.map((entry) => ({ ...entry, fields: new Set([...entry.fields].filter((path) => !touched.has(path))) }));
  const identity = { ...writer, operation: 'Update' as const };
  let mine = next.find((entry) => sameManager(entry, identity));
  if (!mine) next.push((mine = { ...identity, fields: new Set() }));
  const previous = entries.find((entry) => sameManager(entry, identity))?.fields ?? new Set();
  for (const path of previous) if (!removed.has(path)) mine.fields.add(path);
  for (const path of changed) mine.fields.add(path);
  mine.time = writer.time;
  return next;
}

export interface ApplyResult {
  object: Record<string, unknown>;
  entries: ManagerEntry[];
}

/**
 * Server-side apply of `config` over `live` (both reduced to their owned part). Throws the apiserver's 409 when the
 * applier would change a field another manager owns, unless forced.
 */
export function applyConfiguration(
  live: Record<string, unknown>,
  config: Record<string, unknown>,
  entries: ManagerEntry[],
  applier: Omit<ManagerEntry, 'fields' | 'operation'>,
  force: boolean,
): ApplyResult {
  const identity = { ...applier, operation: 'Apply' as const };
  const claimed = appliedSet(config);
  const merged = mergeValues(live, config, '') as Record<string, unknown>;
  const others = entries.filter((entry) => !sameManager(entry, identity));

  const conflicts: Array<{ manager: ManagerEntry; path: string }> = [];
  for (const other of others) {
    for (const path of other.fields) {
      if (!claimed.has(path)) continue;
      const before = valueAt(live, path);
      const after = valueAt(merged, path);
      if (before.found !== after.found || (before.found && after.found && !deepEqual(before.value, after.value))) conflicts.push({ manager: other, path });
    }
  }
  if (conflicts.length > 0 && !force) throw applyConflict(conflicts);
  const taken = new Set(conflicts.map((entry) => entry.path));

  const previous = entries.find((entry) => sameManager(entry, identity))?.fields ?? new Set<string>();
  const ownedByOthers = new Set(others.flatMap((entry) => [...entry.fields]));
  // Longest paths first, so an item's fields go before the item itself.
  const dropped = [...previous].filter((path) => !claimed.has(path) && !ownedByOthers.has(path)).sort((a, b) => b.length - a.length);
  for (const path of dropped) removePath(merged, path);

  const unchanged = previous.size === claimed.size && [...claimed].every((path) => previous.has(path));
  const existing = entries.find((entry) => sameManager(entry, identity));
  const next: ManagerEntry[] = others.map((entry) => ({ ...entry, fields: new Set([...entry.fields].filter((path) => !taken.has(path))) }));
  next.push({ ...identity, time: unchanged && existing ? existing.time : applier.time, fields: claimed });
  return { object: merged, entries: next };
}

/** Merges an applied configuration into the live object: maps key by key, keyed lists item by item, sets as unions. */
export function mergeValues(live: unknown, config: unknown, schemaPath: string): unknown {
  if (isPlainObject(live) && isPlainObject(config)) {
    const result: Record<string, unknown> = clone(live);
    for (const [key, value] of Object.entries(config)) {
      result[key] = Object.hasOwn(live, key) ? mergeValues(live[key], value, childPath(schemaPath, key)) : clone(value);
    }
    return result;
  }
  const kind = listKind(schemaPath);
  if (Array.isArray(live) && Array.isArray(config) && kind.type !== 'atomic') {
    const elementOf = (item: unknown) => (kind.type === 'set' ? valueElement(item) : itemElement(item, kind.keys));
    const result = clone(live);
    for (const item of config) {
      const index = result.findIndex((existing) => elementOf(existing) === elementOf(item));
      if (index < 0) result.push(clone(item));
      else if (kind.type === 'map') result[index] = mergeValues(result[index], item, itemPath(schemaPath));
    }
    return result;
  }
  return clone(config);
}

function printManager(entry: ManagerEntry): string {
  const name = JSON.stringify(entry.manager) + (entry.subresource ? ` with subresource ${JSON.stringify(entry.subresource)}` : '');
  return entry.operation === 'Update' ? `${name} using ${entry.apiVersion}` : name;
}

/** internal.NewConflictError: one conflict inline, several grouped by manager (sorted), one path per line. */
function applyConflict(conflicts: Array<{ manager: ManagerEntry; path: string }>): ApiError {
  const causes = conflicts.map(({ manager, path }) => ({ reason: 'FieldManagerConflict', message: `conflict with ${printManager(manager)}`, field: describePath(path) }));
  let message: string;
  if (conflicts.length === 1) {
    message = `Apply failed with 1 conflict: conflict with ${printManager(conflicts[0]!.manager)}: ${describePath(conflicts[0]!.path)}`;
  } else {
    const byManager = new Map<string, string[]>();
    for (const { manager, path } of conflicts) {
      const key = printManager(manager);
      byManager.set(key, [...(byManager.get(key) ?? []), describePath(path)]);
    }
    const lines = [...byManager.keys()].sort().flatMap((manager) => [`conflicts with ${manager}:`, ...byManager.get(manager)!.map((path) => `- ${path}`)]);
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiError(409, 'Conflict', message, { causes });
}
