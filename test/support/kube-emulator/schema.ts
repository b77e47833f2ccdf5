/**
 * The little of the OpenAPI schema that merging needs: how each list merges (atomic, set, or map keyed by fields, from
 * the `+listType`/`+patchMergeKey` markers of the Go types) and which objects are maps rather than structs.
 * Paths are field names joined by dots, list items written `[]`: `spec.jobTemplate.spec.template.spec.containers[].env`.
 */
export type ListKind = { type: 'atomic' } | { type: 'set' } | { type: 'map'; keys: string[] };

const ATOMIC: ListKind = { type: 'atomic' };
const keyed = (...keys: string[]): ListKind => ({ type: 'map', keys });

const LIST_RULES: Array<[RegExp, ListKind]> = [
  [/^metadata\.finalizers$/, { type: 'set' }],
  [/^metadata\.ownerReferences$/, keyed('uid')],
  [/(^|\.)(containers|initContainers|ephemeralContainers)$/, keyed('name')],
  [/containers\[\]\.env$/i, keyed('name')],
  [/containers\[\]\.volumeMounts$/i, keyed('mountPath')],
  [/containers\[\]\.volumeDevices$/i, keyed('devicePath')],
  [/containers\[\]\.ports$/i, keyed('containerPort', 'protocol')],
  [/template\.spec\.(volumes|imagePullSecrets)$/, keyed('name')],
  [/^status\.conditions$/, keyed('type')],
];

/** Objects whose keys are data (label names, resource names), not struct fields: owned as a whole when created. */
const MAP_FIELDS = new Set([
  'labels', 'annotations', 'data', 'binaryData', 'parameters', 'requests', 'limits', 'hard', 'used', 'capacity',
  'allocatedResources', 'nodeSelector', 'matchLabels', 'max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio',
]);

export function listKind(path: string): ListKind {
  return LIST_RULES.find(([pattern]) => pattern.test(path))?.[1] ?? ATOMIC;
}

export function isMapField(path: string): boolean {
  const last = path.split('.').at(-1) ?? '';
  return MAP_FIELDS.has(last);
}

export function childPath(path: string, field: string): string {
  return path ? `${path}.${field}` : field;
}

export function itemPath(path: string): string {
  return `${path}[]`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && deepEqual(a[key], b[key]));
  }
  return false;
}
