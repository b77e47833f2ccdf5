/** Where a resource lives. Kinds are split the way their APIs are: each S3 bucket setting is its own resource. */
import { compareText } from './compare.js';

export type System = 'kubernetes' | 's3';

export const KUBERNETES_KINDS = [
  'Namespace',
  'StorageClass',
  'ResourceQuota',
  'PersistentVolumeClaim',
  'ServiceAccount',
  'Role',
  'RoleBinding',
  'CronJob',
  'PrometheusRule',
  'BackupStorageLocation',
  'Schedule',
] as const;
export const S3_KINDS = [
  'Bucket',
  'BucketVersioning',
  'BucketObjectLock',
  'BucketEncryption',
  'BucketPublicAccessBlock',
  'BucketLifecycle',
  'BucketTags',
  'BucketPolicy',
] as const;

export type KubernetesKind = (typeof KUBERNETES_KINDS)[number];
export type S3Kind = (typeof S3_KINDS)[number];
export type ResourceKind = KubernetesKind | S3Kind;

export interface ResourceAddress {
  system: System;
  kind: ResourceKind;
  /** Kubernetes namespace of a namespaced object. */
  namespace?: string;
  /** Physical name: the object or bucket name. */
  name: string;
}

/** A stable, human-readable key, e.g. `kubernetes/PersistentVolumeClaim/codequal-prod/deepwiki-data`. */
export function addressKey(address: ResourceAddress): string {
  const parts: string[] = [address.system, address.kind];
  if (address.namespace !== undefined) parts.push(address.namespace);
  parts.push(address.name);
  return parts.join('/');
}

export function compareAddresses(a: ResourceAddress, b: ResourceAddress): number {
  return compareText(addressKey(a), addressKey(b));
}

export function sameAddress(a: ResourceAddress, b: ResourceAddress): boolean {
  return addressKey(a) === addressKey(b);
}

/**
 * The resource whose creation brings this one into existence or scope: the bucket for each of its settings (S3 gives
 * a new bucket versioning, tags and a public access block of its own), the namespace for a namespaced object.
 */
export function parentOf(address: ResourceAddress): ResourceAddress | undefined {
  if (address.system === 's3')
    return address.kind === 'Bucket' ? undefined : { system: 's3', kind: 'Bucket', name: address.name };
  return address.namespace === undefined
    ? undefined
    : { system: 'kubernetes', kind: 'Namespace', name: address.namespace };
}
