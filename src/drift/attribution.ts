/**
 * Who changed a drifted Kubernetes field: the writers other than strata that own it now (from managedFields, as the
 * provider records them per attribute), or strata when it alone does.
 */
import type { ObservedResource } from '../model/resources.js';
import { otherOwners, ownersOf } from '../plan/ownership.js';

export function changedBy(observed: ObservedResource, attributePath: string): string | undefined {
  const others = otherOwners(observed, attributePath);
  if (others.length > 0) return others.join(', ');
  const owners = ownersOf(observed, attributePath);
  return owners.length > 0 ? owners.join(', ') : undefined;
}
