/**
 * Who manages each attribute of a spec, read from `metadata.managedFields`: the planner compares and
 * writes only what strata manages or the file declares, and names the manager a declared field is taken from.
 * One table maps each spec attribute to the object field behind it, as fieldsV1 keys.
 */
import type { KubernetesKind } from '../../model/address.js';
import { formatKey } from '../../model/attribute-path.js';
import { FIELD_MANAGER, type AnySpec } from '../../model/resources.js';

const POD = ['f:spec', 'f:jobTemplate', 'f:spec', 'f:template', 'f:spec'];
const CONTAINER = [...POD, 'f:containers', 'k:{"name":"backup"}'];

interface FieldPath {
  /** The fieldsV1 keys down to the field. */
  path: string[];
  /** A map whose entries are owned one by one (labels, quota limits), not as a whole. */
  entries?: true;
}

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
  },
  ResourceQuota: { hard: { path: ['f:spec', 'f:hard'], entries: true } },
  PersistentVolumeClaim: {
    size: { path: ['f:spec', 'f:resources', 'f:requests', 'f:storage'] },
    storageClassName: { path: ['f:spec', 'f:storageClassName'] },
    accessModes: { path: ['f:spec', 'f:accessModes'] },
    volumeMode: { path: ['f:spec', 'f:volumeMode'] },
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
        owners[formatKey(attribute, key)] = managersOf(managedFields, [...field.path, `f:${key}`]);
    } else if (value !== undefined) {
      owners[attribute] = managersOf(managedFields, field.path);
    }
  }
  return Object.fromEntries(Object.entries(owners).filter(([, managers]) => managers.length > 0));
}

/** The entries of an entry map (labels, quota limits) strata's field manager does not own: another writer's. */
export function foreignEntries(
  kind: KubernetesKind,
  managedFields: ManagedFields,
  attribute: string,
  entries: Record<string, string>,
): Set<string> {
  const field = FIELD_PATHS[kind][attribute];
  if (managedFields.length === 0 || field === undefined) return new Set();
  return new Set(
    Object.keys(entries).filter(
      (key) => !managersOf(managedFields, [...field.path, `f:${key}`]).includes(FIELD_MANAGER),
    ),
  );
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
