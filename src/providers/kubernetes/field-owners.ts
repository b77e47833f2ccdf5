/**
 * Who manages each attribute of a spec, read from `metadata.managedFields`: the planner compares and
 * writes only what strata manages or the file declares, and names the manager a declared field is taken from.
 * One table maps each spec attribute to the object field behind it, as fieldsV1 keys.
 */
import type { KubernetesKind } from '../../model/address.js';
import { formatKey, pathSegments } from '../../model/attribute-path.js';
import { AUTORESIZE_ENABLED_ANNOTATION, GROWTH_ANNOTATIONS } from '../../model/growth.js';
import { FIELD_MANAGER, type AnySpec } from '../../model/resources.js';

const POD = ['f:spec', 'f:jobTemplate', 'f:spec', 'f:template', 'f:spec'];
const CONTAINER = [...POD, 'f:containers', 'k:{"name":"backup"}'];

interface FieldPath {
  /** The fieldsV1 keys down to the field. */
  path: string[];
  /** A map whose entries are owned one by one (labels, quota limits), not as a whole. */
  entries?: true;
  /** Further fields that hold the same attribute: a claim's growth is three annotations, owned one by one. */
  alsoAt?: string[][];
  /** The entries are the items of a list keyed by this field (`x-kubernetes-list-type: map`), as `k:{"name":…}`. */
  listKey?: string;
  /**
   * The attribute's value lists fields below `path` (attribute paths, named list items by name): it is owned by
   * whoever owns those fields.
   */
  lists?: true;
}

/** The fieldsV1 key of one entry: `f:<key>` in a map, `k:{"<listKey>":"<key>"}` in a keyed list. */
function entryField(field: FieldPath, key: string): string {
  return field.listKey === undefined ? `f:${key}` : `k:${JSON.stringify({ [field.listKey]: key })}`;
}

const annotation = (name: string): string[] => ['f:metadata', 'f:annotations', `f:${name}`];
const [thresholdAt, ...otherGrowthAt] = Object.values(GROWTH_ANNOTATIONS).map(annotation);

/** Spec attribute → the object field that holds it. */
const FIELD_PATHS: Record<KubernetesKind, Record<string, FieldPath>> = {
  Namespace: { labels: { path: ['f:metadata', 'f:labels'], entries: true } },
  StorageClass: {
    provisioner: { path: ['f:provisioner'] },
    parameters: { path: ['f:parameters'], entries: true },
    reclaimPolicy: { path: ['f:reclaimPolicy'] },
    volumeBindingMode: { path: ['f:volumeBindingMode'] },
    allowVolumeExpansion: { path: ['f:allowVolumeExpansion'] },
    mountOptions: { path: ['f:mountOptions'] },
    autoresize: { path: annotation(AUTORESIZE_ENABLED_ANNOTATION) },
  },
  ResourceQuota: { hard: { path: ['f:spec', 'f:hard'], entries: true } },
  PersistentVolumeClaim: {
    labels: { path: ['f:metadata', 'f:labels'], entries: true },
    size: { path: ['f:spec', 'f:resources', 'f:requests', 'f:storage'] },
    storageClassName: { path: ['f:spec', 'f:storageClassName'] },
    accessModes: { path: ['f:spec', 'f:accessModes'] },
    volumeMode: { path: ['f:spec', 'f:volumeMode'] },
    growth: { path: thresholdAt!, alsoAt: otherGrowthAt },
  },
  ServiceAccount: {},
  Role: { rules: { path: ['f:rules'] } },
  RoleBinding: { role: { path: ['f:roleRef'] }, serviceAccount: { path: ['f:subjects'] } },
  CronJob: {
    schedule: { path: ['f:spec', 'f:schedule'] },
    timeZone: { path: ['f:spec', 'f:timeZone'] },
    concurrencyPolicy: { path: ['f:spec', 'f:concurrencyPolicy'] },
    successfulJobsHistoryLimit: { path: ['f:spec', 'f:successfulJobsHistoryLimit'] },
    failedJobsHistoryLimit: { path: ['f:spec', 'f:failedJobsHistoryLimit'] },
    suspend: { path: ['f:spec', 'f:suspend'] },
    activeDeadlineSeconds: { path: ['f:spec', 'f:jobTemplate', 'f:spec', 'f:activeDeadlineSeconds'] },
    image: { path: [...CONTAINER, 'f:env', 'k:{"name":"COPY_POD"}'] },
    // The copy pod's settings are one env value (COPY_POD), so they share its owners.
    credentials: { path: [...CONTAINER, 'f:env', 'k:{"name":"COPY_POD"}'] },
    s3: { path: [...CONTAINER, 'f:env', 'k:{"name":"COPY_POD"}'] },
    serviceAccount: { path: [...POD, 'f:serviceAccountName'] },
    kubectlImage: { path: [...CONTAINER, 'f:image'] },
    volumeSnapshotClass: { path: [...CONTAINER, 'f:env', 'k:{"name":"BACKUP_SNAPSHOT_CLASS"}'] },
    volume: { path: [...CONTAINER, 'f:env', 'k:{"name":"BACKUP_CLAIM"}'] },
    destination: { path: [...CONTAINER, 'f:env', 'k:{"name":"COPY_POD"}'] },
    keepDays: { path: ['f:metadata', 'f:annotations', 'f:strata.dev/backup-keep-days'] },
    editedTemplate: { path: ['f:spec', 'f:jobTemplate'], lists: true },
  },
  // A list keyed by group name: each group is owned on its own, and a group another writer added is theirs.
  PrometheusRule: { groups: { path: ['f:spec', 'f:groups'], entries: true, listKey: 'name' } },
  BackupStorageLocation: {
    provider: { path: ['f:spec', 'f:provider'] },
    bucket: { path: ['f:spec', 'f:objectStorage', 'f:bucket'] },
    prefix: { path: ['f:spec', 'f:objectStorage', 'f:prefix'] },
    config: { path: ['f:spec', 'f:config'], entries: true },
    credential: { path: ['f:spec', 'f:credential'] },
  },
  Schedule: {
    // The zone is part of the schedule string (CRON_TZ=...), so both attributes are that one field.
    schedule: { path: ['f:spec', 'f:schedule'] },
    timeZone: { path: ['f:spec', 'f:schedule'] },
    paused: { path: ['f:spec', 'f:paused'] },
    includedNamespaces: { path: ['f:spec', 'f:template', 'f:includedNamespaces'] },
    labelSelector: { path: ['f:spec', 'f:template', 'f:labelSelector'] },
    keepDays: { path: ['f:spec', 'f:template', 'f:ttl'] },
    storageLocation: { path: ['f:spec', 'f:template', 'f:storageLocation'] },
    snapshotVolumes: { path: ['f:spec', 'f:template', 'f:snapshotVolumes'] },
  },
};

/** `metadata.managedFields` as read: who wrote which fields (fieldsV1), by which operation. */
export type ManagedFields = { manager?: string; operation?: string; time?: string | Date; fieldsV1?: unknown }[];

/**
 * The managers of each attribute of `spec` (`size` → `kubectl-edit`; `labels["team"]` → `strata`), sorted; an entry
 * map lists each entry. Empty when the object carries no managedFields (then nothing is known of its owners).
 */
export function fieldOwnersOf(
  kind: KubernetesKind,
  managedFields: ManagedFields,
  spec: AnySpec,
): Record<string, string[]> {
  const owners: Record<string, string[]> = {};
  if (managedFields.length === 0) return owners;
  for (const [attribute, field] of Object.entries(FIELD_PATHS[kind])) {
    const value = (spec as Record<string, unknown>)[attribute];
    if (field.entries && value !== null && typeof value === 'object') {
      for (const key of Object.keys(value))
        owners[formatKey(attribute, key)] = managersOf(managedFields, [...field.path, entryField(field, key)]);
    } else if (value !== undefined) {
      owners[attribute] = [...new Set(pathsOf(field, value).flatMap((path) => managersOf(managedFields, path)))].sort();
    }
  }
  return Object.fromEntries(Object.entries(owners).filter(([, managers]) => managers.length > 0));
}

/** The entries of an entry map (labels, quota limits) strata's field manager does not own: another writer's. */
export function foreignEntries(
  kind: KubernetesKind,
  managedFields: ManagedFields,
  attribute: string,
  entries: Record<string, unknown>,
): Set<string> {
  const field = FIELD_PATHS[kind][attribute];
  if (managedFields.length === 0 || field === undefined) return new Set();
  return new Set(
    Object.keys(entries).filter(
      (key) => !managersOf(managedFields, [...field.path, entryField(field, key)]).includes(FIELD_MANAGER),
    ),
  );
}

/**
 * Whether another writer set an attribute strata does not manage: strata's field manager owns none of the fields
 * behind it (another writer's autoresizer annotations). False when nothing is known of owners.
 */
export function isForeign(kind: KubernetesKind, managedFields: ManagedFields, attribute: string): boolean {
  const field = FIELD_PATHS[kind][attribute];
  if (managedFields.length === 0 || field === undefined) return false;
  return pathsOf(field).every((path) => !managersOf(managedFields, path).includes(FIELD_MANAGER));
}

/** `containers[backup].args` → `f:containers`, `k:{"name":"backup"}`, `f:args`. */
function fieldKeys(attributePath: string): string[] {
  return pathSegments(attributePath).map((segment) =>
    'key' in segment ? `f:${segment.key}` : `k:${JSON.stringify({ name: segment.item })}`,
  );
}

/** The fields behind an attribute; for a listing attribute, the fields its value lists. */
function pathsOf(field: FieldPath, value?: unknown): string[][] {
  if (field.lists)
    return (Array.isArray(value) ? value : []).map((listed) => [...field.path, ...fieldKeys(String(listed))]);
  return [field.path, ...(field.alsoAt ?? [])];
}

/** Managers whose fieldsV1 reach the field (own it, or something inside it). */
function managersOf(managedFields: ManagedFields, path: string[]): string[] {
  const managers = managedFields
    .filter((entry) => entry.manager && reaches(entry.fieldsV1, path))
    .map((entry) => entry.manager!);
  return [...new Set(managers)].sort();
}

function reaches(fields: unknown, path: string[]): boolean {
  let node = fields;
  for (const key of path) {
    if (node === null || typeof node !== 'object' || !(key in node)) return false;
    node = (node as Record<string, unknown>)[key];
  }
  return true;
}
