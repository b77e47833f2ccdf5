/**
 * Changes that cannot be carried out, each with the reason and the fix: a plan shows them as blocked instead of
 * letting the apply fail half-way.
 */
import { addressKey } from '../model/address.js';
import type { AttributeChange } from '../model/plan.js';
import { canonicalQuantity, compareQuantities } from '../model/quantity.js';
import {
  filtersBySize,
  KIND_CAPABILITY,
  type BucketLifecycleSpec,
  type BucketSpec,
  type BucketVersioningSpec,
  type Capability,
  type CapabilityReport,
  type DesiredResource,
  type ObservedResource,
  type PersistentVolumeClaimSpec,
  type StorageClassSpec,
} from '../model/resources.js';
import { bucketAddress, kubernetesAddress } from './dependencies.js';

export interface BlockerContext {
  desiredByKey: ReadonlyMap<string, DesiredResource>;
  observedByKey: ReadonlyMap<string, ObservedResource>;
  capabilities: readonly CapabilityReport[];
}

const CANNOT_ENABLE_OBJECT_LOCK =
  'object lock can only be enabled when a bucket is created; create a new bucket and copy the data';

/** Why a create or an in-place change of this desired resource cannot be done, if it cannot. */
export function blockedReason(
  desired: DesiredResource,
  observed: ObservedResource | undefined,
  attributes: readonly AttributeChange[],
  context: BlockerContext,
): string | undefined {
  switch (desired.address.kind) {
    case 'BucketEncryption':
    case 'PrometheusRule': {
      const missing = missingCapability(desired, context);
      return missing ? CAPABILITY_MISSING[missing] : undefined;
    }
    case 'BucketLifecycle': {
      // Rules with size filters already in place show the server keeps them: only a change waits for the capability.
      const missing = attributes.length > 0 ? missingCapability(desired, context) : undefined;
      return missing ? CAPABILITY_MISSING[missing] : undefined;
    }
    case 'Schedule':
    case 'BackupStorageLocation': {
      const missing = missingCapability(desired, context);
      if (missing) return CAPABILITY_MISSING[missing];
      return observed ? undefined : veleroNamespaceMissing(desired.address.namespace ?? '', context);
    }
    case 'BucketObjectLock':
      return bucketExistsWithoutLock(desired.address.name, context) ? CANNOT_ENABLE_OBJECT_LOCK : undefined;
    case 'Bucket':
      return observed
        ? bucketChange(desired.spec as BucketSpec, observed.spec as BucketSpec, desired.address.name)
        : undefined;
    case 'BucketVersioning':
      return observed
        ? versioningChange(
            desired.spec as BucketVersioningSpec,
            observed.spec as BucketVersioningSpec,
            desired.address.name,
            context,
          )
        : undefined;
    case 'PersistentVolumeClaim':
      return observed && !attributes.some((change) => change.forcesReplacement)
        ? claimResize(desired, observed, context)
        : undefined;
    default:
      return undefined;
  }
}

/** The optional server capability a resource needs, if any. */
function capabilityNeeded({ address, spec }: Pick<DesiredResource, 'address' | 'spec'>): Capability | undefined {
  if (address.kind === 'BucketLifecycle' && (spec as BucketLifecycleSpec).rules.some(filtersBySize))
    return 'lifecycle-size-filters';
  return KIND_CAPABILITY[address.kind];
}

/**
 * Short, as it is said once per resource: why the server lacks the capability (or why strata cannot tell yet) is in the
 * plan's capability report, which renderers show once however many resources wait for it.
 */
const CAPABILITY_MISSING: Record<Capability, string> = {
  encryption: 'unavailable on this S3 server',
  'lifecycle-size-filters': 'unavailable on this S3 server',
  'prometheus-rules': 'the cluster does not serve monitoring.coreos.com/v1 PrometheusRule',
  velero: 'the cluster does not serve velero.io/v1',
};

/**
 * Velero's namespace is its installation's, never strata's: the file names it (targets.velero) and strata writes
 * into it only once it exists. A desired namespace of that name (an environment that declares it) counts.
 */
function veleroNamespaceMissing(namespace: string, context: BlockerContext): string | undefined {
  const key = addressKey(kubernetesAddress('Namespace', namespace));
  if (context.observedByKey.has(key) || context.desiredByKey.has(key)) return undefined;
  return `namespace ${namespace} does not exist: install Velero, or set targets.velero.namespace to the namespace it runs in`;
}

/** The capability this resource needs when the server lacks it, or has not shown it: it is left alone. */
export function missingCapability(
  resource: Pick<DesiredResource, 'address' | 'spec'>,
  context: Pick<BlockerContext, 'capabilities'>,
): Capability | undefined {
  const needed = capabilityNeeded(resource);
  if (needed === undefined) return undefined;
  return context.capabilities.some((report) => report.capability === needed && !report.supported) ? needed : undefined;
}

function bucketExistsWithoutLock(bucket: string, context: BlockerContext): boolean {
  const observed = context.observedByKey.get(addressKey(bucketAddress('Bucket', bucket)));
  return observed !== undefined && (observed.spec as BucketSpec).objectLockEnabled !== true;
}

export function bucketHasObjectLock(bucket: string, context: Pick<BlockerContext, 'observedByKey'>): boolean {
  const observed = context.observedByKey.get(addressKey(bucketAddress('Bucket', bucket)));
  return (
    (observed?.spec as BucketSpec | undefined)?.objectLockEnabled === true ||
    context.observedByKey.has(addressKey(bucketAddress('BucketObjectLock', bucket)))
  );
}

function bucketChange(desired: BucketSpec, observed: BucketSpec, bucket: string): string | undefined {
  if (desired.region !== undefined && observed.region !== undefined && desired.region !== observed.region) {
    return `bucket ${bucket} is in ${observed.region} and a bucket cannot move to ${desired.region}; declare region ${observed.region}, or create a new bucket there and copy the data`;
  }
  if (desired.objectLockEnabled && !observed.objectLockEnabled) return CANNOT_ENABLE_OBJECT_LOCK;
  if (!desired.objectLockEnabled && observed.objectLockEnabled) {
    return `object lock cannot be turned off once a bucket has it; declare objectLock on bucket ${bucket}`;
  }
  return undefined;
}

function versioningChange(
  desired: BucketVersioningSpec,
  observed: BucketVersioningSpec,
  bucket: string,
  context: BlockerContext,
): string | undefined {
  if (observed.status !== 'Enabled' || desired.status === 'Enabled' || !bucketHasObjectLock(bucket, context))
    return undefined;
  return `versioning cannot be suspended on bucket ${bucket}: it has object lock, which needs versioning on (S3 answers InvalidBucketState); keep versioning: true`;
}

/**
 * A claim may sit anywhere in [size, maxSize] (an autoscaler grows it); below size it grows, above maxSize it would
 * shrink, which Kubernetes forbids. Growth needs a Bound claim and a class that allows expansion.
 */
function claimResize(
  desired: DesiredResource,
  observed: ObservedResource,
  context: BlockerContext,
): string | undefined {
  const wanted = desired.spec as PersistentVolumeClaimSpec;
  const current = observed.spec as PersistentVolumeClaimSpec;
  const ceiling = wanted.maxSize ?? wanted.size;
  if (compareQuantities(current.size, ceiling) > 0) {
    const field = wanted.maxSize === undefined ? 'size' : 'maxSize';
    return `${canonicalQuantity(current.size)} → ${canonicalQuantity(ceiling)} would shrink a volume; Kubernetes forbids it (set ${field}: ${canonicalQuantity(current.size)}, or migrate the data to a new claim)`;
  }
  if (compareQuantities(current.size, wanted.size) >= 0) return undefined;
  const growth = `${canonicalQuantity(current.size)} → ${canonicalQuantity(wanted.size)}`;
  if (observed.status?.phase === 'Pending') {
    return `${growth}: the claim is Pending and Kubernetes cannot resize a Pending claim (wait until a pod uses it, or declare size: ${canonicalQuantity(current.size)})`;
  }
  const className = wanted.storageClassName;
  const storageClass = storageClassSpec(className, context);
  if (storageClass && !storageClass.allowVolumeExpansion) {
    return `${growth}: storage class ${className} does not allow volume expansion (set allowVolumeExpansion: true on storage class ${className})`;
  }
  return undefined;
}

/** The class as it will be when the claim is resized: declared (its update runs first), else as observed. */
function storageClassSpec(name: string, context: BlockerContext): StorageClassSpec | undefined {
  const key = addressKey(kubernetesAddress('StorageClass', name));
  return (context.desiredByKey.get(key)?.spec ?? context.observedByKey.get(key)?.spec) as StorageClassSpec | undefined;
}
