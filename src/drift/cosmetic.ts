/**
 * Cosmetic drift: values that differ as written but are equal once normalized (`1024Gi` declared, `1Ti` read back; a
 * server default written out on one side; a set in another order). The plan calls these in sync, rightly; a verbose
 * drift report still shows them, so nobody is surprised by what the live objects literally say.
 * Maps are compared as maps: key order never counts, since the live side does not keep it.
 */
import type { ResourceKind } from '../model/address.js';
import type { AnySpec } from '../model/resources.js';
import { deepEqual, isPlainObject } from '../model/canonical.js';
import { formatKey } from '../model/attribute-path.js';
import { isCompared, normalizeSpec } from '../plan/index.js';
import type { DriftAttribute } from './types.js';

export function cosmeticDifferences(kind: ResourceKind, declared: AnySpec, live: AnySpec): DriftAttribute[] {
  const normalizedDeclared = normalizeSpec<ResourceKind>(kind, declared);
  const normalizedLive = normalizeSpec<ResourceKind>(kind, live);
  const found: DriftAttribute[] = [];
  for (const key of unionKeys(declared, live).filter(isCompared)) {
    walk(
      { declared: member(declared, key), live: member(live, key) },
      { declared: member(normalizedDeclared, key), live: member(normalizedLive, key) },
      formatKey('', key),
      found,
    );
  }
  return found;
}

interface Sides {
  declared: unknown;
  live: unknown;
}

function walk(raw: Sides, normalized: Sides, path: string, found: DriftAttribute[]): void {
  if (deepEqual(raw.declared, raw.live) || !deepEqual(normalized.declared, normalized.live)) return;
  if (isPlainObject(raw.declared) && isPlainObject(raw.live)) {
    for (const key of unionKeys(raw.declared, raw.live)) {
      walk(
        { declared: raw.declared[key], live: raw.live[key] },
        { declared: member(normalized.declared, key), live: member(normalized.live, key) },
        formatKey(path, key),
        found,
      );
    }
    return;
  }
  if (
    isKeyedList(raw.declared) &&
    isKeyedList(raw.live) &&
    isKeyedList(normalized.declared) &&
    isKeyedList(normalized.live)
  ) {
    const ids = [...new Set([...raw.declared, ...raw.live].map((item) => item.id))].sort();
    for (const id of ids) {
      walk(
        { declared: byId(raw.declared, id), live: byId(raw.live, id) },
        { declared: byId(normalized.declared, id), live: byId(normalized.live, id) },
        `${path}[${id}]`,
        found,
      );
    }
    return;
  }
  const attribute: DriftAttribute = { path };
  if (raw.declared !== undefined) attribute.declared = raw.declared;
  if (raw.live !== undefined) attribute.live = raw.live;
  found.push(attribute);
}

function member(value: unknown, key: string): unknown {
  return isPlainObject(value) ? value[key] : undefined;
}

function byId(list: { id: string }[], id: string): unknown {
  return list.find((item) => item.id === id);
}

function isKeyedList(value: unknown): value is { id: string }[] {
  return Array.isArray(value) && value.every((item) => isPlainObject(item) && typeof item.id === 'string');
}

function unionKeys(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}
