/** Kind-specific rules by kind name; kinds without an entry follow only the common write path. */
import { cronJobRules } from './cronjob.js';
import { eventRules } from './event.js';
import { leaseRules } from './lease.js';
import { pvcRules } from './pvc.js';
import type { KindRules } from './rules.js';
import { volumeSnapshotClassRules, volumeSnapshotRules } from './snapshots.js';
import { storageClassRules } from './storageclass.js';

const namespaceRules: KindRules = {
  defaults(object, context) {
    const namespaceSpec = (object.spec ??= {}) as { finalizers?: string[] };
    namespaceSpec.finalizers ??= ['kubernetes'];
    if (!context.old) object.status = { phase: 'Active' };
  },
};

export const KIND_RULES: Record<string, KindRules> = {
  Namespace: namespaceRules,
  PersistentVolumeClaim: pvcRules,
  StorageClass: storageClassRules,
  CronJob: cronJobRules,
  Lease: leaseRules,
  Event: eventRules,
  VolumeSnapshotClass: volumeSnapshotClassRules,
  VolumeSnapshot: volumeSnapshotRules,
};
