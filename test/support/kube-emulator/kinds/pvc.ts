/**
 * PersistentVolumeClaim: defaults, the DefaultStorageClass and pvc-protection admission on create, validation
 * (pkg/apis/core/validation ValidatePersistentVolumeClaim[Update], Kubernetes 1.32 with RecoverVolumeExpansionFailure),
 * and the PersistentVolumeClaimResize admission plugin.
 */
import { compareQuantities, parseQuantity } from '../../../../src/model/quantity.js';
import { dnsSubdomainErrors } from '../names.js';
import { STORAGE_CLASS_TYPE } from '../resources.js';
import { deepEqual } from '../schema.js';
import { forbidden, forbiddenField, invalid, notSupported, required, type FieldError } from '../status.js';
import type { KubeObject } from '../store.js';
import { admitLimitRanges } from './limitrange.js';
import { admitAgainstQuotas } from './quota.js';
import { spec, type KindRules, type WriteContext } from './rules.js';

export const PVC_PROTECTION = 'kubernetes.io/pvc-protection';
const ACCESS_MODES = ['ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOnce', 'ReadWriteOncePod'];
const VOLUME_MODES = ['Block', 'Filesystem'];
const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';

interface PvcSpec {
  accessModes?: string[];
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  storageClassName?: string;
  volumeMode?: string;
  volumeName?: string;
  volumeAttributesClassName?: string;
}

const pvcSpec = (object: KubeObject) => spec(object) as PvcSpec;
const phaseOf = (object: KubeObject | undefined) => (object?.status as { phase?: string } | undefined)?.phase;
const storageOf = (object: KubeObject) => pvcSpec(object).resources?.requests?.storage;

function defaultClassName(context: WriteContext): string | undefined {
  const defaults = context.store
    .list(STORAGE_CLASS_TYPE, undefined)
    .filter((sc) => sc.metadata.annotations?.[DEFAULT_CLASS_ANNOTATION] === 'true')
    .sort((a, b) => (b.metadata.creationTimestamp ?? '').localeCompare(a.metadata.creationTimestamp ?? '') || a.metadata.name.localeCompare(b.metadata.name));
  return defaults[0]?.metadata.name;
}

function specErrors(object: KubeObject): FieldError[] {
  const errors: FieldError[] = [];
  const claim = pvcSpec(object);
  const modes = claim.accessModes ?? [];
  if (modes.length === 0) errors.push(required('spec.accessModes', 'at least 1 access mode is required'));
  for (const mode of modes) if (!ACCESS_MODES.includes(mode)) errors.push(notSupported('spec.accessModes', mode, ACCESS_MODES));
  if (modes.includes('ReadWriteOncePod') && modes.length > 1) {
    errors.push(forbiddenField('spec.accessModes', 'may not use ReadWriteOncePod with other access modes'));
  }
  const storage = storageOf(object);
  if (storage === undefined) errors.push(required('spec.resources[storage]'));
  else if (parseQuantity(storage).ok && compareQuantities(storage, '0') <= 0) {
    errors.push(invalid('spec.resources[storage]', storage, 'must be greater than zero'));
  }
  if (claim.storageClassName) errors.push(...dnsSubdomainErrors('spec.storageClassName', claim.storageClassName));
  if (claim.volumeMode !== undefined && !VOLUME_MODES.includes(claim.volumeMode)) errors.push(notSupported('spec.volumeMode', claim.volumeMode, VOLUME_MODES));
  return errors;
}

function updateErrors(object: KubeObject, old: KubeObject): FieldError[] {
  const errors = specErrors(object);
  const next = structuredClone(pvcSpec(object));
  const previous = structuredClone(pvcSpec(old));
  // The binder may set volumeName once; a bound claim may change its storage request and volume attributes class.
  if (!previous.volumeName) previous.volumeName = next.volumeName;
  const bound = phaseOf(old) === 'Bound';
  if (bound && next.resources?.requests) next.resources.requests.storage = previous.resources?.requests?.storage as string;
  if (bound && next.volumeAttributesClassName !== undefined) next.volumeAttributesClassName = previous.volumeAttributesClassName;
  if (!deepEqual(JSON.parse(JSON.stringify(next)), JSON.parse(JSON.stringify(previous)))) {
    errors.push(forbiddenField('spec', 'spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims'));
  }
  const newSize = storageOf(object) ?? '0';
  const oldSize = storageOf(old) ?? '0';
  const capacity = (old.status as { capacity?: Record<string, string> } | undefined)?.capacity?.storage ?? '0';
  if (parseQuantity(newSize).ok && compareQuantities(newSize, oldSize) < 0 && compareQuantities(newSize, capacity) <= 0) {
    errors.push(forbiddenField('spec.resources.requests.storage', 'field can not be less than status.capacity'));
  }
  return errors;
}

/** PersistentVolumeClaimResize: growing a bound claim needs a class with allowVolumeExpansion: true. */
function admitResize(object: KubeObject, context: WriteContext): void {
  const old = context.old;
  if (!old || phaseOf(old) !== 'Bound') return;
  if (compareQuantities(storageOf(object) ?? '0', storageOf(old) ?? '0') <= 0) return;
  const className = pvcSpec(object).storageClassName;
  const storageClass = className ? context.store.get(STORAGE_CLASS_TYPE, undefined, className) : undefined;
  if ((storageClass as { allowVolumeExpansion?: boolean } | undefined)?.allowVolumeExpansion !== true) {
    throw forbidden(
      context.type,
      object.metadata.name,
      'only dynamically provisioned pvc can be resized and the storageclass that provisions the pvc must support resize',
    );
  }
}

export const pvcRules: KindRules = {
  defaults(object, context) {
    if (context.subresource === 'status') return;
    const claim = pvcSpec(object);
    claim.volumeMode ??= 'Filesystem';
    if (!context.old) {
      object.status = { phase: 'Pending' };
      if (claim.storageClassName === undefined) {
        const className = defaultClassName(context);
        if (className) claim.storageClassName = className;
      }
      const finalizers = (object.metadata.finalizers ??= []);
      if (!finalizers.includes(PVC_PROTECTION)) finalizers.push(PVC_PROTECTION);
    }
  },
  validate(object, context) {
    if (context.subresource === 'status') return [];
    return context.old ? updateErrors(object, context.old) : specErrors(object);
  },
  admit(object, context) {
    if (context.subresource === 'status') return;
    admitResize(object, context);
    admitLimitRanges(context.store, context.type, object);
    admitAgainstQuotas(context.store, context.type, object, context.old);
  },
};
