/**
 * Who changed a drifted Kubernetes field: the field manager that last wrote it, from `metadata.managedFields` as the
 * provider flattens it (`spec.resources.requests.storage` → `kubectl-edit`). One table maps the normalized spec's
 * attributes to the object's field paths; a sub-path (`labels.team`, `hard["requests.storage"]`) is appended.
 */
import type { KubernetesKind, ResourceKind } from '../model/address.js';

/** strata's own server-side apply manager: when someone else also wrote a field, they are the one who changed it. */
const STRATA_MANAGER = 'strata';

const CONTAINER = 'spec.jobTemplate.spec.template.spec.containers[{"name":"backup"}]';

/** Spec attribute (its first segment) → the object field path that holds it. */
export const FIELD_PATHS: Record<KubernetesKind, Record<string, string>> = {
  Namespace: { labels: 'metadata.labels' },
  StorageClass: {
    provisioner: 'provisioner',
    parameters: 'parameters',
    reclaimPolicy: 'reclaimPolicy',
    volumeBindingMode: 'volumeBindingMode',
    allowVolumeExpansion: 'allowVolumeExpansion',
    mountOptions: 'mountOptions',
  },
  ResourceQuota: { hard: 'spec.hard' },
  PersistentVolumeClaim: {
    size: 'spec.resources.requests.storage',
    storageClassName: 'spec.storageClassName',
    accessModes: 'spec.accessModes',
    volumeMode: 'spec.volumeMode',
  },
  CronJob: {
    schedule: 'spec.schedule',
    timeZone: 'spec.timeZone',
    concurrencyPolicy: 'spec.concurrencyPolicy',
    successfulJobsHistoryLimit: 'spec.successfulJobsHistoryLimit',
    failedJobsHistoryLimit: 'spec.failedJobsHistoryLimit',
    suspend: 'spec.suspend',
    activeDeadlineSeconds: 'spec.jobTemplate.spec.activeDeadlineSeconds',
    image: `${CONTAINER}.image`,
    volume: 'spec.jobTemplate.spec.template.spec.volumes',
    destination: `${CONTAINER}.env`,
    keepDays: 'metadata.annotations.strata.dev/backup-keep-days',
  },
};

/**
 * The manager(s) that last wrote the field behind an attribute, or undefined when unknown (S3 keeps no such record;
 * an object read without managedFields). Managers other than strata are named first: they made the change.
 */
export function changedBy(kind: ResourceKind, attributePath: string, fieldManagers: Record<string, string> | undefined): string | undefined {
  const fieldPath = fieldPathOf(kind, attributePath);
  if (fieldPath === undefined || fieldManagers === undefined) return undefined;
  const managers = new Set<string>();
  for (const [path, names] of Object.entries(fieldManagers)) {
    if (path === fieldPath || path.startsWith(`${fieldPath}.`) || path.startsWith(`${fieldPath}[`)) {
      for (const name of names.split(', ')) managers.add(name);
    }
  }
  const others = [...managers].filter((name) => name !== STRATA_MANAGER).sort();
  if (others.length > 0) return others.join(', ');
  return managers.size > 0 ? STRATA_MANAGER : undefined;
}

/** `size` → `spec.resources.requests.storage`; `labels.team` → `metadata.labels.team`; `hard["requests.storage"]` → `spec.hard.requests.storage`. */
export function fieldPathOf(kind: ResourceKind, attributePath: string): string | undefined {
  const table = (FIELD_PATHS as Partial<Record<ResourceKind, Record<string, string>>>)[kind];
  const match = /^([A-Za-z_$][\w$-]*)(.*)$/.exec(attributePath);
  if (table === undefined || match === null) return undefined;
  const [, head = '', rest = ''] = match;
  const base = table[head];
  if (base === undefined) return undefined;
  return base + rest.replace(/\["((?:[^"\\]|\\.)*)"\]/g, (_whole, key: string) => `.${JSON.parse(`"${key}"`) as string}`);
}
