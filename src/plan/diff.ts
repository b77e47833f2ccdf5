/**
 * Attribute diffs between two specs of one kind, after normalization: dotted paths (`parameters.type`,
 * `hard["requests.storage"]`, `rules[tiering].expirationDays`, `tags.team`) with the values on each side.
 */
import type { ResourceKind } from '../model/address.js';
import { formatKey } from '../model/attribute-path.js';
import type { AttributeChange } from '../model/plan.js';
import { compareQuantities } from '../model/quantity.js';
import type { PersistentVolumeClaimSpec, SpecByKind } from '../model/resources.js';
import { deepEqual, isPlainObject } from '../model/canonical.js';
import { normalizeSpec } from './normalize/index.js';

/** What an immutable field means when it changes: the object is deleted and created again, or it cannot be done. */
export type ImmutableEffect = 'replace' | 'impossible';

/** Fields the server refuses to change in place (docs/TEST-WORLD.md): top-level spec keys per kind. */
export const IMMUTABLE_FIELDS: Partial<Record<ResourceKind, Record<string, ImmutableEffect>>> = {
  StorageClass: {
    provisioner: 'replace',
    parameters: 'replace',
    reclaimPolicy: 'replace',
    volumeBindingMode: 'replace',
  },
  PersistentVolumeClaim: { storageClassName: 'replace', accessModes: 'replace', volumeMode: 'replace' },
  // The API refuses to change a binding's roleRef.
  RoleBinding: { role: 'replace' },
  Bucket: { region: 'impossible', objectLockEnabled: 'impossible' },
};

/**
 * Parts of a spec that are not compared: the unmanaged rules, tags, labels, limits, policy statements, autoresizer
 * annotations and rule groups strata keeps as found, and a claim's maxSize (desired only: the top of the in-sync range).
 */
const NOT_COMPARED = new Set([
  'unmanagedRules',
  'unmanagedTags',
  'unmanagedLabels',
  'unmanagedHard',
  'unmanagedStatements',
  'unmanagedGrowth',
  'unmanagedAutoresize',
  'unmanagedGroups',
  'maxSize',
]);

/** Whether the planner compares a spec's top-level attribute; drift's cosmetic report skips the same ones. */
export function isCompared(key: string): boolean {
  return !NOT_COMPARED.has(key);
}

/**
 * Values compared whole: a policy document is shown as one value, diffed as text by renderers; a claim's growth reads
 * as one sentence (`at 80% full, +20Gi, up to 500Gi`), as pvc-autoresizer acts on its annotations together.
 */
const WHOLE_VALUES: Partial<Record<ResourceKind, string[]>> = {
  BucketPolicy: ['document'],
  PersistentVolumeClaim: ['growth'],
};

/** Whether an attribute is a value compared whole (a policy document), which renderers diff as text, not as a tree. */
export function isWholeValue(kind: ResourceKind, path: string): boolean {
  return WHOLE_VALUES[kind]?.includes(path) ?? false;
}

export function diffSpecs<K extends ResourceKind>(
  kind: K,
  before: SpecByKind[K] | undefined,
  after: SpecByKind[K] | undefined,
): AttributeChange[] {
  return diffNormalizedSpecs(
    kind,
    before === undefined ? undefined : normalizeSpec(kind, before),
    after === undefined ? undefined : normalizeSpec(kind, after),
  );
}

/** `diffSpecs` of specs `normalizeSpec` already made: the planner normalizes each spec once and diffs that. */
export function diffNormalizedSpecs<K extends ResourceKind>(
  kind: K,
  before: SpecByKind[K] | undefined,
  after: SpecByKind[K] | undefined,
): AttributeChange[] {
  const normalizedBefore = before ?? {};
  const normalizedAfter = after ?? {};
  const changes: AttributeChange[] = [];
  const keys = unionKeys(normalizedBefore, normalizedAfter).filter(isCompared);
  const immutable: Record<string, ImmutableEffect> =
    before !== undefined && after !== undefined ? (IMMUTABLE_FIELDS[kind] ?? {}) : {};
  for (const key of keys) {
    const start = changes.length;
    const beforeValue = (normalizedBefore as Record<string, unknown>)[key];
    const afterValue = (normalizedAfter as Record<string, unknown>)[key];
    if (WHOLE_VALUES[kind]?.includes(key)) {
      if (!deepEqual(beforeValue, afterValue)) changes.push(attribute(key, beforeValue, afterValue));
    } else {
      diffValues(beforeValue, afterValue, formatKey('', key), changes);
    }
    if (immutable[key] === 'replace') for (const change of changes.slice(start)) change.forcesReplacement = true;
  }
  return changes;
}

/**
 * Whether a written spec reads back as what was intended (the applier's verify-after-write). A claim counts as
 * converged anywhere in [size, maxSize]: an autoscaler may already have grown it.
 */
export function specsConverged<K extends ResourceKind>(
  kind: K,
  desiredAfter: SpecByKind[K],
  observedSpec: SpecByKind[K],
): boolean {
  if (kind === 'PersistentVolumeClaim') {
    const desired = desiredAfter as PersistentVolumeClaimSpec;
    const observed = observedSpec as PersistentVolumeClaimSpec;
    const inRange =
      compareQuantities(observed.size, desired.size) >= 0 &&
      compareQuantities(observed.size, desired.maxSize ?? desired.size) <= 0;
    return inRange && diffSpecs('PersistentVolumeClaim', { ...observed, size: desired.size }, desired).length === 0;
  }
  return diffSpecs(kind, observedSpec, desiredAfter).length === 0;
}

function diffValues(before: unknown, after: unknown, path: string, changes: AttributeChange[]): void {
  if (deepEqual(before, after)) return;
  if (isPlainObject(before) && isPlainObject(after)) {
    for (const key of unionKeys(before, after)) diffValues(before[key], after[key], formatKey(path, key), changes);
    return;
  }
  if (isKeyedList(before) && isKeyedList(after)) {
    const beforeById = new Map(before.map((item) => [item.id, item]));
    const afterById = new Map(after.map((item) => [item.id, item]));
    const ids = [...new Set([...beforeById.keys(), ...afterById.keys()])].sort();
    for (const id of ids) diffValues(beforeById.get(id), afterById.get(id), `${path}[${id}]`, changes);
    return;
  }
  changes.push(attribute(path, before, after));
}

function attribute(path: string, before: unknown, after: unknown): AttributeChange {
  const change: AttributeChange = { path };
  if (before !== undefined) change.before = before;
  if (after !== undefined) change.after = after;
  return change;
}

/** Lists whose items carry an `id` (lifecycle rules) are compared item by item, whatever their order. */
function isKeyedList(value: unknown): value is { id: string }[] {
  return Array.isArray(value) && value.every((item) => isPlainObject(item) && typeof item.id === 'string');
}

function unionKeys(a: object, b: object): string[] {
  return [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
}
