/**
 * What a live system is still carrying out after an accepted write: a claim whose request grew while its volume (or
 * file system) has yet to. In sync as far as strata writes go, but not done; plan and drift say so.
 */
import { canonicalQuantity, compareQuantities } from '../model/quantity.js';
import type { ObservedResource, PersistentVolumeClaimSpec } from '../model/resources.js';

export function resizeInProgress(observed: ObservedResource): string | undefined {
  if (observed.address.kind !== 'PersistentVolumeClaim' || observed.status?.phase !== 'Bound') return undefined;
  const capacity = observed.status.capacity;
  const requested = (observed.spec as PersistentVolumeClaimSpec).size;
  if (capacity === undefined || compareQuantities(capacity, requested) >= 0) return undefined;
  const conditions = observed.status.conditions ?? [];
  const waitingOn = conditions.length > 0 ? ` (${conditions.join(', ')})` : '';
  return `resize to ${canonicalQuantity(requested)} in progress: capacity ${canonicalQuantity(capacity)} so far${waitingOn}`;
}
