/** Pairs desired with observed resources by address: a missing side means create or delete. */
import { addressKey, type ResourceAddress } from '../model/address.js';
import { compareText } from '../model/compare.js';
import type { DesiredResource, ObservedResource } from '../model/resources.js';

export interface ResourcePair {
  key: string;
  address: ResourceAddress;
  desired?: DesiredResource;
  observed?: ObservedResource;
}

export function pairResources(
  desired: readonly DesiredResource[],
  observed: readonly ObservedResource[],
): ResourcePair[] {
  const pairs = new Map<string, ResourcePair>();
  for (const resource of desired) {
    const key = addressKey(resource.address);
    if (pairs.has(key)) throw new Error(`bug: ${key} is declared twice in the desired state`);
    pairs.set(key, { key, address: resource.address, desired: resource });
  }
  for (const resource of observed) {
    const key = addressKey(resource.address);
    const pair = pairs.get(key);
    if (pair?.observed) throw new Error(`bug: ${key} was observed twice`);
    if (pair) pair.observed = resource;
    else pairs.set(key, { key, address: resource.address, observed: resource });
  }
  return [...pairs.values()].sort((a, b) => compareText(a.key, b.key));
}
