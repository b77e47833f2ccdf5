/**
 * Rule-level ownership for the whole-set S3 APIs (lifecycle, tagging): strata manages the rules and tags it declares
 * and keeps every other one as found, carrying it into the spec it writes so a write never wipes them.
 */
import type { BucketLifecycleSpec, BucketTagsSpec, LifecycleRule } from '../model/resources.js';
import { sortedRecord } from './canonical.js';

/** The observed set seen through what is declared now: a declared id found among the unmanaged rules is strata's. */
export function claimDeclaredRules(observed: BucketLifecycleSpec, declaredIds: ReadonlySet<string>): BucketLifecycleSpec {
  const unmanaged = observed.unmanagedRules ?? [];
  return {
    rules: [...(observed.rules ?? []), ...unmanaged.filter((rule) => declaredIds.has(rule.id))],
    unmanagedRules: unmanaged.filter((rule) => !declaredIds.has(rule.id)),
  };
}

export function claimDeclaredTags(observed: BucketTagsSpec, declaredKeys: ReadonlySet<string>): BucketTagsSpec {
  const unmanaged = Object.entries(observed.unmanagedTags ?? {});
  return {
    tags: { ...observed.tags, ...Object.fromEntries(unmanaged.filter(([key]) => declaredKeys.has(key))) },
    unmanagedTags: Object.fromEntries(unmanaged.filter(([key]) => !declaredKeys.has(key))),
  };
}

/** What the applier writes: strata's rules (none, when no longer declared) plus the unmanaged ones as found. */
export function lifecycleToWrite(managedRules: LifecycleRule[], observed: BucketLifecycleSpec): BucketLifecycleSpec {
  return { rules: managedRules, unmanagedRules: observed.unmanagedRules ?? [] };
}

export function tagsToWrite(managedTags: Record<string, string>, observed: BucketTagsSpec): BucketTagsSpec {
  return { tags: managedTags, unmanagedTags: observed.unmanagedTags ?? {} };
}

/** For people: `lifecycle rule "legal-hold-archive"`, `tag cost-center=1234`. */
export function preservedRules(spec: BucketLifecycleSpec): string[] {
  return (spec.unmanagedRules ?? []).map((rule) => `lifecycle rule "${rule.id}"`).sort();
}

export function preservedTags(spec: BucketTagsSpec): string[] {
  return Object.entries(sortedRecord(spec.unmanagedTags)).map(([key, value]) => `tag ${key}=${value}`);
}
