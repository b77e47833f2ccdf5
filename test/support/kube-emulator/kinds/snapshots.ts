/** VolumeSnapshotClass and VolumeSnapshot: what their CRD schemas (external-snapshotter v8) require. */
import { notSupported, required, type FieldError } from '../status.js';
import { spec, type KindRules } from './rules.js';

const DELETION_POLICIES = ['Delete', 'Retain'];

export const volumeSnapshotClassRules: KindRules = {
  validate(object) {
    const errors: FieldError[] = [];
    const { driver, deletionPolicy } = object as { driver?: string; deletionPolicy?: string };
    if (!deletionPolicy) errors.push(required('deletionPolicy'));
    else if (!DELETION_POLICIES.includes(deletionPolicy)) errors.push(notSupported('deletionPolicy', deletionPolicy, DELETION_POLICIES));
    if (!driver) errors.push(required('driver'));
    return errors;
  },
};

export const volumeSnapshotRules: KindRules = {
  validate(object, context) {
    if (context.subresource === 'status') return [];
    const source = spec(object).source as { persistentVolumeClaimName?: string; volumeSnapshotContentName?: string } | undefined;
    if (!source) return [required('spec.source')];
    return [];
  },
};
