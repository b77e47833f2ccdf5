/** The Kubernetes kinds strata manages, with what the API needs to address them. */
import type { KubernetesKind } from '../../model/address.js';
import type { Capability } from '../../model/resources.js';

export interface KindInfo {
  apiVersion: string;
  kind: KubernetesKind;
  /** Plural resource name, as it appears in URLs and RBAC rules. */
  plural: string;
  namespaced: boolean;
  /**
   * Served only once a product installs its CRDs: a cluster without them answers 404, which observation reports as
   * this capability missing (the planner blocks the kind's objects, saying so once) rather than as a failure.
   */
  servedBy?: Capability & `${string}/${string}`;
}

export const KIND_INFO: Record<KubernetesKind, KindInfo> = {
  Namespace: { apiVersion: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false },
  StorageClass: { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', plural: 'storageclasses', namespaced: false },
  ResourceQuota: { apiVersion: 'v1', kind: 'ResourceQuota', plural: 'resourcequotas', namespaced: true },
  PersistentVolumeClaim: {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    plural: 'persistentvolumeclaims',
    namespaced: true,
  },
  CronJob: { apiVersion: 'batch/v1', kind: 'CronJob', plural: 'cronjobs', namespaced: true },
  BackupStorageLocation: {
    apiVersion: 'velero.io/v1',
    kind: 'BackupStorageLocation',
    plural: 'backupstoragelocations',
    namespaced: true,
    servedBy: 'velero.io/v1',
  },
  Schedule: {
    apiVersion: 'velero.io/v1',
    kind: 'Schedule',
    plural: 'schedules',
    namespaced: true,
    servedBy: 'velero.io/v1',
  },
};

export const OBSERVED_KINDS = Object.values(KIND_INFO);
