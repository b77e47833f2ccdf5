/** The Kubernetes kinds strata manages, with what the API needs to address them. */
import type { KubernetesKind, ResourceAddress } from '../../model/address.js';

export interface KindInfo {
  apiVersion: string;
  kind: KubernetesKind;
  /** Plural resource name, as it appears in URLs and RBAC rules. */
  plural: string;
  namespaced: boolean;
  /**
   * Unowned objects in a declared namespace are not kept for drift's unmanaged report: every namespace has a
   * `default` service account, and teams keep their own RBAC there.
   */
  ownedOnly?: true;
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
  ServiceAccount: {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    plural: 'serviceaccounts',
    namespaced: true,
    ownedOnly: true,
  },
  Role: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'Role',
    plural: 'roles',
    namespaced: true,
    ownedOnly: true,
  },
  RoleBinding: {
    apiVersion: 'rbac.authorization.k8s.io/v1',
    kind: 'RoleBinding',
    plural: 'rolebindings',
    namespaced: true,
    ownedOnly: true,
  },
  CronJob: { apiVersion: 'batch/v1', kind: 'CronJob', plural: 'cronjobs', namespaced: true },
  PrometheusRule: {
    apiVersion: 'monitoring.coreos.com/v1',
    kind: 'PrometheusRule',
    plural: 'prometheusrules',
    namespaced: true,
  },
  BackupStorageLocation: {
    apiVersion: 'velero.io/v1',
    kind: 'BackupStorageLocation',
    plural: 'backupstoragelocations',
    namespaced: true,
  },
  Schedule: {
    apiVersion: 'velero.io/v1',
    kind: 'Schedule',
    plural: 'schedules',
    namespaced: true,
  },
};

export const OBSERVED_KINDS = Object.values(KIND_INFO);

/** The cluster-wide collection of a kind: `/api/v1/persistentvolumeclaims`, `/apis/velero.io/v1/schedules`. */
export function collectionPath(info: KindInfo): string {
  return `${apiRoot(info)}/${info.plural}`;
}

/** `/api/v1/namespaces/codequal-prod/persistentvolumeclaims/deepwiki-data`, `/apis/storage.k8s.io/v1/storageclasses/fast`. */
export function objectPath(info: KindInfo, address: ResourceAddress): string {
  const namespace = address.namespace ? `/namespaces/${encodeURIComponent(address.namespace)}` : '';
  return `${apiRoot(info)}${namespace}/${info.plural}/${encodeURIComponent(address.name)}`;
}

function apiRoot(info: KindInfo): string {
  return `${info.apiVersion.includes('/') ? '/apis' : '/api'}/${info.apiVersion}`;
}
