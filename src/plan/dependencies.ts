/**
 * What a resource needs to exist first. Declared dependencies come from the environment file (DesiredResource.dependsOn);
 * the implied ones follow from the spec, so deletes (which have only an observed side) are ordered too.
 */
import { addressKey, type ResourceAddress, type ResourceKind } from '../model/address.js';
import type {
  AnySpec,
  BackupCronJobSpec,
  BackupStorageLocationSpec,
  PersistentVolumeClaimSpec,
  RoleBindingSpec,
  VeleroScheduleSpec,
} from '../model/resources.js';

export function kubernetesAddress(kind: ResourceKind, name: string, namespace?: string): ResourceAddress {
  return namespace === undefined
    ? { system: 'kubernetes', kind, name }
    : { system: 'kubernetes', kind, namespace, name };
}

export function bucketAddress(kind: ResourceKind, bucket: string): ResourceAddress {
  return { system: 's3', kind, name: bucket };
}

export function impliedDependencies(address: ResourceAddress, spec: AnySpec | undefined): ResourceAddress[] {
  const namespace = address.namespace === undefined ? [] : [kubernetesAddress('Namespace', address.namespace)];
  switch (address.kind) {
    case 'PersistentVolumeClaim': {
      const className = (spec as PersistentVolumeClaimSpec | undefined)?.storageClassName;
      return className ? [...namespace, kubernetesAddress('StorageClass', className)] : namespace;
    }
    case 'CronJob': {
      const backup = spec as BackupCronJobSpec | undefined;
      const claim = backup?.volume
        ? [kubernetesAddress('PersistentVolumeClaim', backup.volume, address.namespace)]
        : [];
      const bucket = backup?.destination.bucket ? [bucketAddress('Bucket', backup.destination.bucket)] : [];
      // Its pods are refused while their service account is missing.
      const account = backup?.serviceAccount
        ? [kubernetesAddress('ServiceAccount', backup.serviceAccount, address.namespace)]
        : [];
      return [...namespace, ...claim, ...bucket, ...account];
    }
    case 'Schedule': {
      const location = (spec as VeleroScheduleSpec | undefined)?.storageLocation;
      return location
        ? [...namespace, kubernetesAddress('BackupStorageLocation', location, address.namespace)]
        : namespace;
    }
    case 'BackupStorageLocation': {
      const bucket = (spec as BackupStorageLocationSpec | undefined)?.bucket;
      return bucket ? [...namespace, bucketAddress('Bucket', bucket)] : namespace;
    }
    case 'RoleBinding': {
      const binding = spec as RoleBindingSpec | undefined;
      return [
        ...namespace,
        ...(binding?.role ? [kubernetesAddress('Role', binding.role, address.namespace)] : []),
        ...(binding?.serviceAccount
          ? [kubernetesAddress('ServiceAccount', binding.serviceAccount, address.namespace)]
          : []),
      ];
    }
    case 'ServiceAccount':
    case 'Role':
    case 'ResourceQuota':
    case 'PrometheusRule':
      return namespace;
    case 'Namespace':
    case 'StorageClass':
    case 'Bucket':
      return [];
    case 'BucketObjectLock':
      // Object lock needs versioning on; the versioning write comes first.
      return [bucketAddress('Bucket', address.name), bucketAddress('BucketVersioning', address.name)];
    case 'BucketVersioning':
    case 'BucketEncryption':
    case 'BucketPublicAccessBlock':
    case 'BucketLifecycle':
    case 'BucketTags':
    case 'BucketPolicy':
      return [bucketAddress('Bucket', address.name)];
  }
}

export function dependencyKeys(
  address: ResourceAddress,
  spec: AnySpec | undefined,
  declared: readonly ResourceAddress[] = [],
): Set<string> {
  return new Set(
    [...declared, ...impliedDependencies(address, spec)].map(addressKey).filter((key) => key !== addressKey(address)),
  );
}
