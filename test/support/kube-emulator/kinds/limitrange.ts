/** LimitRange: the LimitRanger admission plugin's PersistentVolumeClaim checks, with its messages. */
import { compareQuantities } from '../../../../src/model/quantity.js';
import { LIMIT_RANGE_TYPE, type ResourceType } from '../resources.js';
import { forbidden } from '../status.js';
import type { KubeObject, ObjectStore } from '../store.js';

interface LimitItem {
  type?: string;
  max?: Record<string, string>;
  min?: Record<string, string>;
}

export function admitLimitRanges(store: ObjectStore, type: ResourceType, claim: KubeObject): void {
  const requests = ((claim.spec as { resources?: { requests?: Record<string, string> } }).resources?.requests ?? {}) as Record<string, string>;
  const problems: string[] = [];
  for (const range of store.list(LIMIT_RANGE_TYPE, claim.metadata.namespace)) {
    for (const limit of ((range.spec as { limits?: LimitItem[] } | undefined)?.limits ?? []).filter((item) => item.type === 'PersistentVolumeClaim')) {
      for (const [resource, enforced] of Object.entries(limit.min ?? {})) {
        const request = requests[resource];
        if (request === undefined) problems.push(`minimum ${resource} usage per PersistentVolumeClaim is ${enforced}.  No request is specified`);
        else if (compareQuantities(request, enforced) < 0) {
          problems.push(`minimum ${resource} usage per PersistentVolumeClaim is ${enforced}, but request is ${request}`);
        }
      }
      for (const [resource, enforced] of Object.entries(limit.max ?? {})) {
        const request = requests[resource];
        if (request === undefined) problems.push(`maximum ${resource} usage per PersistentVolumeClaim is ${enforced}.  No request is specified`);
        else if (compareQuantities(request, enforced) > 0) {
          problems.push(`maximum ${resource} usage per PersistentVolumeClaim is ${enforced}, but request is ${request}`);
        }
      }
    }
  }
  if (problems.length > 0) throw forbidden(type, claim.metadata.name, problems.length === 1 ? problems[0]! : `[${problems.join(', ')}]`);
}
