/** The resource types the emulator serves, with what discovery, URLs and error messages need to know about each. */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  /** Served by CustomResourceDefinitions: no strategic merge patch, resourceVersion required on PUT, typed list items. */
  custom: boolean;
  /** Has a `/status` subresource, so `status` is ignored on the main resource. */
  statusSubresource: boolean;
  /** DELETE answers with the object rather than a Success Status (genericregistry `ReturnDeletedObject`). */
  returnsDeletedObject: boolean;
  /** metadata.generation is kept and bumped when anything but metadata and status changes. */
  tracksGeneration: boolean;
}

const core = (kind: string, plural: string, namespaced: boolean, shortNames: string[], extra: Partial<ResourceType> = {}): ResourceType => ({
  group: '',
  version: 'v1',
  kind,
  plural,
  singular: kind.toLowerCase(),
  namespaced,
  shortNames,
  custom: false,
  statusSubresource: false,
  returnsDeletedObject: false,
  tracksGeneration: false,
  ...extra,
});

const SNAPSHOT = { group: 'snapshot.storage.k8s.io', version: 'v1', custom: true, returnsDeletedObject: true, tracksGeneration: true };

export const RESOURCE_TYPES: ResourceType[] = [
  core('Namespace', 'namespaces', false, ['ns'], { statusSubresource: true }),
  core('PersistentVolumeClaim', 'persistentvolumeclaims', true, ['pvc'], { statusSubresource: true, returnsDeletedObject: true }),
  core('ResourceQuota', 'resourcequotas', true, ['quota'], { statusSubresource: true }),
  core('LimitRange', 'limitranges', true, ['limits']),
  core('ConfigMap', 'configmaps', true, ['cm']),
  core('Event', 'events', true, ['ev']),
  // Only listed (kubectl describe pvc lists a claim's pods); no pod validation or scheduling is emulated.
  core('Pod', 'pods', true, ['po'], { statusSubresource: true }),
  core('StorageClass', 'storageclasses', false, ['sc'], { group: 'storage.k8s.io' }),
  core('CronJob', 'cronjobs', true, ['cj'], { group: 'batch', statusSubresource: true, tracksGeneration: true }),
  core('Lease', 'leases', true, [], { group: 'coordination.k8s.io' }),
  core('VolumeSnapshotClass', 'volumesnapshotclasses', false, ['vsclass', 'vsclasses'], SNAPSHOT),
  core('VolumeSnapshot', 'volumesnapshots', true, ['vs'], { ...SNAPSHOT, statusSubresource: true }),
];

export function apiVersionOf(type: ResourceType): string {
  return type.group ? `${type.group}/${type.version}` : type.version;
}

export function findType(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((type) => type.group === group && type.version === version && type.plural === plural);
}

export function typeByKind(kind: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((type) => type.kind === kind);
}

export const NAMESPACE_TYPE = typeByKind('Namespace')!;
export const PVC_TYPE = typeByKind('PersistentVolumeClaim')!;
export const STORAGE_CLASS_TYPE = typeByKind('StorageClass')!;
export const QUOTA_TYPE = typeByKind('ResourceQuota')!;
export const LIMIT_RANGE_TYPE = typeByKind('LimitRange')!;
