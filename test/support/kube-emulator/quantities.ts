/**
 * What decoding into the Go types and encoding again does to a built-in object: quantities re-serialised (`1024Gi`
 * is stored as `1Ti`) and empty maps and lists dropped (their fields are `omitempty`).
 */
import { canonicalQuantity, isQuantity } from '../../../src/model/quantity.js';
import { isMapField, isPlainObject } from './schema.js';
import type { ResourceType } from './resources.js';
import { badRequest } from './status.js';

/** Maps whose values are quantities (ResourceList), in every built-in kind the emulator serves. */
const RESOURCE_LISTS = new Set(['requests', 'limits', 'hard', 'used', 'capacity', 'allocatedResources', 'max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']);
const QUANTITY_PATTERN = "'^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'";

export function canonicaliseQuantities(type: ResourceType, object: Record<string, unknown>): void {
  const fail = () =>
    badRequest(`${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: quantities must match the regular expression ${QUANTITY_PATTERN}`);
  const canonical = (value: unknown): string => {
    const text = typeof value === 'number' ? String(value) : value;
    if (typeof text !== 'string' || !isQuantity(text)) throw fail();
    return canonicalQuantity(text);
  };
  if (type.custom) {
    const status = object.status;
    if (isPlainObject(status) && status.restoreSize !== undefined) status.restoreSize = canonical(status.restoreSize);
    return;
  }
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(walk);
    if (!isPlainObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      if (RESOURCE_LISTS.has(key) && isPlainObject(child)) {
        for (const [name, quantity] of Object.entries(child)) child[name] = canonical(quantity);
      } else walk(child);
    }
  };
  walk(object);
}

export function dropEmptyCollections(type: ResourceType, object: Record<string, unknown>): void {
  if (type.custom) return;
  const walk = (value: unknown, path: string): void => {
    if (Array.isArray(value)) value.forEach((item) => walk(item, path));
    if (!isPlainObject(value)) return;
    for (const [key, child] of Object.entries(value)) {
      const childPath = path ? `${path}.${key}` : key;
      if ((Array.isArray(child) && child.length === 0) || (isPlainObject(child) && Object.keys(child).length === 0 && isMapField(childPath))) delete value[key];
      else walk(child, childPath);
    }
  };
  walk(object, '');
}
