/** Quantity fields are decoded and re-serialised on write, so `1024Gi` is stored and returned as `1Ti`. */
import { canonicalQuantity, isQuantity } from '../../../src/model/quantity.js';
import { isPlainObject } from './schema.js';
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
