/** Serialises objects with keys in the Go structs' order (kind, apiVersion, metadata, …, status), as the apiserver does. */
import { isPlainObject } from './schema.js';

const METADATA_ORDER = [
  'name', 'generateName', 'namespace', 'selfLink', 'uid', 'resourceVersion', 'generation', 'creationTimestamp', 'deletionTimestamp',
  'deletionGracePeriodSeconds', 'labels', 'annotations', 'ownerReferences', 'finalizers', 'managedFields',
];

function ordered(value: Record<string, unknown>, first: string[], last: string[]): Record<string, unknown> {
  const keys = Object.keys(value);
  const middle = keys.filter((key) => !first.includes(key) && !last.includes(key));
  const result: Record<string, unknown> = {};
  for (const key of [...first, ...middle, ...last]) if (Object.hasOwn(value, key)) result[key] = value[key];
  return result;
}

export function inApiOrder(body: unknown): unknown {
  if (!isPlainObject(body) || body.kind === 'Status') return body;
  const object = ordered(body, ['kind', 'apiVersion', 'metadata'], ['status']);
  if (isPlainObject(object.metadata)) object.metadata = ordered(object.metadata, METADATA_ORDER, []);
  if (Array.isArray(object.items)) object.items = object.items.map(inApiOrder);
  return object;
}
