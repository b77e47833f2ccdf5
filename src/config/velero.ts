/**
 * How a velero backup is named on the cluster. Velero's objects live in one namespace that environments sharing a
 * cluster share too, so their names carry what makes them unique: the claim's namespace for a Schedule, the bucket
 * and prefix for a BackupStorageLocation.
 */
import type { EnvironmentDocument } from '../model/environment.js';

export const DEFAULT_VELERO_NAMESPACE = 'velero';

/**
 * Velero labels each Backup with its schedule's and its location's names (`velero.io/schedule-name`,
 * `velero.io/storage-location`), and label values stop at 63 characters.
 */
export const MAX_VELERO_NAME_LENGTH = 63;

export function veleroNamespace(document: EnvironmentDocument): string {
  return document.targets.velero?.namespace ?? DEFAULT_VELERO_NAMESPACE;
}

export function scheduleName(namespaceName: string, backupName: string): string {
  return `${namespaceName}-${backupName}`;
}

/**
 * `<bucket>-<prefix>` as a Kubernetes name (`akosha-backups-prod-deepwiki` for `deepwiki/`). A longer one keeps its
 * start and ends in a hash of the whole destination, so two long prefixes of one bucket still differ.
 */
export function storageLocationName(bucket: string, prefix: string): string {
  const readable = `${bucket}-${prefix}`
    .toLowerCase()
    .replace(/[^a-z0-9.-]+/g, '-')
    .replace(/^[^a-z0-9]+|[^a-z0-9]+$/g, '');
  if (readable.length <= MAX_VELERO_NAME_LENGTH) return readable;
  const hash = fnv1a(`${bucket}/${prefix}`);
  return `${readable.slice(0, MAX_VELERO_NAME_LENGTH - hash.length - 1).replace(/[^a-z0-9]+$/, '')}-${hash}`;
}

/** 32-bit FNV-1a as 8 hex digits: stable across runs and machines, which is all a name suffix needs. */
function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash.toString(16).padStart(8, '0');
}
