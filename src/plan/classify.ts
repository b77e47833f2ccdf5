/**
 * Turns one desired/observed pair into a change: create, update, replace, delete, adopt, blocked or no-op, with the
 * attribute diffs and a reason for people. Risks are derived afterwards from the change (risks.ts).
 */
import { addressKey, type ResourceKind } from '../model/address.js';
import type { Action, AttributeChange, Change } from '../model/plan.js';
import { canonicalQuantity, compareQuantities } from '../model/quantity.js';
import type {
  AnySpec,
  BucketLifecycleSpec,
  BucketPolicySpec,
  BucketSpec,
  BucketTagsSpec,
  Capability,
  DesiredResource,
  NamespaceSpec,
  ObservedResource,
  PersistentVolumeClaimSpec,
  PrometheusRuleSpec,
  ResourceQuotaSpec,
  SpecByKind,
  StorageClassSpec,
} from '../model/resources.js';
import { absenceMatches } from './absence.js';
import { blockedReason, missingCapability, type BlockerContext } from './blockers.js';
import { bucketAddress } from './dependencies.js';
import { diffNormalizedSpecs } from './diff.js';
import { normalizeSpec } from './normalize/index.js';
import {
  claimDeclaredAutoresize,
  claimDeclaredGrowth,
  claimDeclaredRules,
  claimDeclaredTags,
  claimDeclaredLabels,
  claimDeclaredGroups,
  claimDeclaredLimits,
  claimDeclaredStatements,
  holdsManagedStatements,
  lifecycleToWrite,
  otherOwners,
  preservedAutoresize,
  preservedGrowth,
  preservedGroups,
  preservedLabels,
  preservedLimits,
  policyToWrite,
  preservedRules,
  preservedStatements,
  preservedTags,
  tagsToWrite,
  writesFields,
} from './ownership.js';
import type { ResourcePair } from './pair.js';
import { resizeInProgress } from './settling.js';

export interface PlanContext extends BlockerContext {
  /** Take declared Kubernetes fields from the other writers that own them (server-side apply's force); false refuses. */
  forceConflicts: boolean;
}

/** The change for a pair, or undefined when strata has nothing to say about it (not declared and not owned). */
export function classifyPair(pair: ResourcePair, context: PlanContext): Change | undefined {
  const { desired, observed } = pair;
  // Going away already: nothing to delete, and nothing can be written to it or created in its place until it is gone.
  if (observed?.terminating) return desired ? classifyTerminating(desired, observed) : undefined;
  if (desired && observed) return classifyExisting(desired, observed, context);
  if (desired) return classifyCreate(desired, context);
  if (observed) return classifyUndeclared(observed, context);
  return undefined;
}

function classifyTerminating(desired: DesiredResource, observed: ObservedResource): Change {
  const finalizers = observed.terminating!.finalizers;
  const heldBy =
    finalizers.length === 0
      ? ''
      : ` (held by ${finalizers.join(', ')}${finalizers.includes('kubernetes.io/pvc-protection') ? ': a pod still uses the claim' : ''})`;
  const after = normalize(desired.address.kind, desired.spec);
  return change(desired, observed, 'blocked', {
    after,
    attributes: [],
    reason: `is being deleted${heldBy}; plan again once it is gone`,
  });
}

function classifyCreate(desired: DesiredResource, context: PlanContext): Change {
  const after = normalize(desired.address.kind, desired.spec);
  // A new bucket gets the server's defaults (AWS blocks public access on new buckets), so only an existing one is in sync.
  if (
    absenceMatches(desired.address.kind, after) &&
    context.observedByKey.has(addressKey(bucketAddress('Bucket', desired.address.name)))
  ) {
    return change(desired, undefined, 'no-op', {
      after,
      attributes: [],
      reason: 'nothing is blocked, as the bucket has no public access block',
    });
  }
  const attributes = diff(desired.address.kind, undefined, after);
  const blocked = blockedReason(desired, undefined, attributes, context);
  return change(desired, undefined, blocked ? 'blocked' : 'create', {
    after,
    attributes,
    reason: blocked,
    needsCapability: blocked === undefined ? undefined : missingCapability(desired, context),
  });
}

function classifyExisting(desired: DesiredResource, observed: ObservedResource, context: PlanContext): Change {
  const kind = desired.address.kind;
  const before = normalize(kind, claimDeclared(kind, observed.spec, desired.spec));
  const after = normalize(kind, specToWrite(kind, desired.spec, before));
  const attributes = withOwnership(diff(kind, before, after), observed);
  const preserved = preservedOf(kind, after);
  const blocked = blockedReason(desired, observed, attributes, context) ?? refusedConflicts(attributes, context);
  const fields = { before, after, attributes, preserved };
  if (blocked) {
    const needsCapability = missingCapability(desired, context);
    return change(desired, observed, 'blocked', { ...fields, reason: blocked, needsCapability });
  }
  const immutable = attributes.filter((attribute) => attribute.forcesReplacement).map((attribute) => attribute.path);
  if (!observed.owned && observed.ownedByEnvironment !== undefined) {
    const owner = observed.ownedByEnvironment;
    const reason = `belongs to environment ${owner} (strata.dev/environment=${owner}); strata never takes what another environment manages: give it a name of its own here, or hand it over by setting strata.dev/environment to this environment`;
    return change(desired, observed, 'blocked', { ...fields, reason });
  }
  if (!observed.owned) {
    if (immutable.length > 0) {
      const reason = `exists but is not managed by strata, and ${immutable.join(', ')} can only change by deleting and creating it; strata does not replace what it does not own (declare its current values, or delete it yourself)`;
      return change(desired, observed, 'blocked', { ...fields, reason });
    }
    const reason =
      attributes.length === 0
        ? 'exists with the declared values but is not managed by strata; apply takes ownership'
        : 'exists but is not managed by strata; apply takes ownership and writes the declared values';
    return change(desired, observed, 'adopt', { ...fields, reason });
  }
  if (immutable.length > 0) {
    return change(desired, observed, 'replace', {
      ...fields,
      reason: `${immutable.join(', ')} cannot change in place; apply deletes and creates it`,
    });
  }
  if (attributes.length === 0) {
    return change(desired, observed, 'no-op', {
      ...fields,
      reason: resizeInProgress(observed) ?? inSyncReason(kind, desired.spec, before),
    });
  }
  return change(desired, observed, 'update', fields);
}

/**
 * An owned resource that is no longer declared is deleted. For lifecycle, tags and policy that means removing strata's
 * rules, tags and statements only; the settings of a bucket that is itself deleted go with it.
 */
function classifyUndeclared(observed: ObservedResource, context: PlanContext): Change | undefined {
  const { kind, name } = observed.address;
  if (!observed.owned) return undefined;
  if (observed.address.system === 's3' && kind !== 'Bucket') {
    const bucketKey = addressKey(bucketAddress('Bucket', name));
    const bucketDeleted = context.observedByKey.get(bucketKey)?.owned === true && !context.desiredByKey.has(bucketKey);
    if (bucketDeleted) return undefined;
    // S3 cannot remove versioning, only suspend it; an undeclared versioning setting is left as it is.
    if (kind === 'BucketVersioning') return undefined;
    if (missingCapability(observed, context)) return undefined;
  }
  // A policy is split again by the one rule (a snapshot may hold any document): others' statements are not strata's.
  const before = normalize(
    kind,
    kind === 'BucketPolicy' ? claimDeclared(kind, observed.spec, { document: {} }) : observed.spec,
  );
  if (kind === 'BucketPolicy' && !holdsManagedStatements(before as BucketPolicySpec)) return undefined;
  if (kind === 'BucketLifecycle' || kind === 'BucketTags' || kind === 'BucketPolicy') {
    const after = normalize(kind, specToWrite(kind, emptyManagedSet(kind, before), before));
    const preserved = preservedOf(kind, after);
    const reason =
      preserved.length > 0
        ? `no longer declared: apply removes strata's ${MANAGED_ENTRIES[kind]} and keeps the others as found`
        : 'no longer declared';
    return change(observed, observed, 'delete', {
      before,
      after,
      attributes: diff(kind, before, after),
      preserved,
      reason,
    });
  }
  return change(observed, observed, 'delete', {
    before,
    attributes: diff(kind, before, undefined),
    reason: 'managed by strata and no longer declared',
  });
}

/**
 * A declared field another writer owns is written all the same (taken from them), as Argo CD and Flux do for what git
 * declares; the plan names who it is taken from. Removing a field strata wrote takes nothing.
 */
function withOwnership(attributes: AttributeChange[], observed: ObservedResource): AttributeChange[] {
  return attributes.map((attribute) => {
    const owners = writesFields(observed.address.kind, attribute) ? otherOwners(observed, attribute.path) : [];
    return owners.length > 0 ? { ...attribute, takesFrom: owners } : attribute;
  });
}

function refusedConflicts(attributes: AttributeChange[], context: PlanContext): string | undefined {
  if (context.forceConflicts) return undefined;
  const taken = attributes.filter((attribute) => attribute.takesFrom !== undefined);
  if (taken.length === 0) return undefined;
  const fields = taken.map((attribute) => `${attribute.path} (${attribute.takesFrom!.join(', ')})`).join(', ');
  // A removed marker of edits (a backup Job's script) has no live value to declare: strata's own is what it writes.
  const ways = taken.some((attribute) => attribute.after !== undefined)
    ? 'declare the live value, have that writer give the field up, or plan without --no-force-conflicts to take it'
    : "have that writer give the field up, or plan without --no-force-conflicts to write strata's back";
  return `another writer owns ${fields} and --no-force-conflicts keeps strata from taking it: ${ways}`;
}

/**
 * The observed spec, with declared entries (lifecycle rules, tags, labels, quota limits, autoresizer annotations)
 * found among the unmanaged ones counted as strata's.
 */
function claimDeclared(kind: ResourceKind, observed: AnySpec, desired: AnySpec): AnySpec {
  if (kind === 'BucketLifecycle') {
    const declared = new Set(((desired as BucketLifecycleSpec).rules ?? []).map((rule) => rule.id));
    return claimDeclaredRules(observed as BucketLifecycleSpec, declared);
  }
  if (kind === 'BucketTags')
    return claimDeclaredTags(observed as BucketTagsSpec, new Set(Object.keys((desired as BucketTagsSpec).tags ?? {})));
  if (kind === 'BucketPolicy')
    return claimDeclaredStatements(observed as BucketPolicySpec, desired as BucketPolicySpec);
  if (kind === 'Namespace') return claimDeclaredLabels(observed as NamespaceSpec, desired as NamespaceSpec);
  if (kind === 'ResourceQuota') return claimDeclaredLimits(observed as ResourceQuotaSpec, desired as ResourceQuotaSpec);
  if (kind === 'PersistentVolumeClaim')
    return claimDeclaredGrowth(observed as PersistentVolumeClaimSpec, desired as PersistentVolumeClaimSpec);
  if (kind === 'StorageClass')
    return claimDeclaredAutoresize(observed as StorageClassSpec, desired as StorageClassSpec);
  if (kind === 'PrometheusRule')
    return claimDeclaredGroups(observed as PrometheusRuleSpec, desired as PrometheusRuleSpec);
  return observed;
}

/**
 * The spec apply writes: the declared one, plus what strata keeps from the live resource (unmanaged rules, tags,
 * labels, limits and autoresizer annotations, a claim an autoscaler grew within [size, maxSize], a region the file
 * does not pin).
 */
function specToWrite(kind: ResourceKind, desired: AnySpec, observed: AnySpec): AnySpec {
  switch (kind) {
    case 'BucketLifecycle':
      return lifecycleToWrite((desired as BucketLifecycleSpec).rules, observed as BucketLifecycleSpec);
    case 'BucketTags':
      return tagsToWrite((desired as BucketTagsSpec).tags, observed as BucketTagsSpec);
    case 'BucketPolicy':
      return policyToWrite((desired as BucketPolicySpec).document, observed as BucketPolicySpec);
    case 'Namespace': {
      const unmanagedLabels = (observed as NamespaceSpec).unmanagedLabels;
      return unmanagedLabels ? { ...(desired as NamespaceSpec), unmanagedLabels } : desired;
    }
    case 'ResourceQuota': {
      const unmanagedHard = (observed as ResourceQuotaSpec).unmanagedHard;
      return unmanagedHard ? { ...(desired as ResourceQuotaSpec), unmanagedHard } : desired;
    }
    case 'PrometheusRule': {
      const unmanagedGroups = (observed as PrometheusRuleSpec).unmanagedGroups;
      return unmanagedGroups ? { ...(desired as PrometheusRuleSpec), unmanagedGroups } : desired;
    }
    case 'PersistentVolumeClaim': {
      const wanted = desired as PersistentVolumeClaimSpec;
      const { size: current, unmanagedGrowth } = observed as PersistentVolumeClaimSpec;
      const inRange =
        compareQuantities(current, wanted.size) > 0 && compareQuantities(current, wanted.maxSize ?? wanted.size) <= 0;
      return { ...wanted, ...(inRange ? { size: current } : {}), ...(unmanagedGrowth ? { unmanagedGrowth } : {}) };
    }
    case 'StorageClass': {
      const unmanagedAutoresize = (observed as StorageClassSpec).unmanagedAutoresize;
      return unmanagedAutoresize ? { ...(desired as StorageClassSpec), unmanagedAutoresize } : desired;
    }
    case 'Bucket': {
      const wanted = desired as BucketSpec;
      const region = wanted.region ?? (observed as BucketSpec).region;
      return region === undefined ? wanted : { ...wanted, region };
    }
    default:
      return desired;
  }
}

const MANAGED_ENTRIES = { BucketLifecycle: 'rules', BucketTags: 'tags', BucketPolicy: 'statements' } as const;

/** None of strata's entries; a policy keeps its live Version and Id for the statements left. */
function emptyManagedSet(kind: keyof typeof MANAGED_ENTRIES, observed: AnySpec): AnySpec {
  if (kind === 'BucketPolicy') return { document: { ...(observed as BucketPolicySpec).document, Statement: [] } };
  return kind === 'BucketLifecycle' ? { rules: [] } : { tags: {} };
}

function preservedOf(kind: ResourceKind, after: AnySpec): string[] {
  if (kind === 'BucketLifecycle') return preservedRules(after as BucketLifecycleSpec);
  if (kind === 'BucketTags') return preservedTags(after as BucketTagsSpec);
  if (kind === 'BucketPolicy') return preservedStatements(after as BucketPolicySpec);
  if (kind === 'Namespace') return preservedLabels(after as NamespaceSpec);
  if (kind === 'ResourceQuota') return preservedLimits(after as ResourceQuotaSpec);
  if (kind === 'PersistentVolumeClaim') return preservedGrowth(after as PersistentVolumeClaimSpec);
  if (kind === 'StorageClass') return preservedAutoresize(after as StorageClassSpec);
  if (kind === 'PrometheusRule') return preservedGroups(after as PrometheusRuleSpec);
  return [];
}

function inSyncReason(kind: ResourceKind, desired: AnySpec, observed: AnySpec): string | undefined {
  if (kind !== 'PersistentVolumeClaim') return undefined;
  const wanted = desired as SpecByKind['PersistentVolumeClaim'];
  const current = (observed as PersistentVolumeClaimSpec).size;
  if (compareQuantities(current, wanted.size) === 0) return undefined;
  return `grown to ${canonicalQuantity(current)} (an autoscaler); in sync anywhere from ${canonicalQuantity(wanted.size)} to ${canonicalQuantity(wanted.maxSize ?? wanted.size)}`;
}

/** The generic entry points, for code that handles every kind at once. */
function normalize(kind: ResourceKind, spec: AnySpec): AnySpec {
  return normalizeSpec<ResourceKind>(kind, spec);
}

/** Every caller passes specs `normalize` made. */
function diff(kind: ResourceKind, before: AnySpec | undefined, after: AnySpec | undefined): AttributeChange[] {
  return diffNormalizedSpecs<ResourceKind>(kind, before, after);
}

interface ChangeFields {
  before?: AnySpec;
  after?: AnySpec;
  attributes: AttributeChange[];
  reason?: string | undefined;
  preserved?: string[];
  needsCapability?: Capability | undefined;
}

function change(
  resource: DesiredResource | ObservedResource,
  observed: ObservedResource | undefined,
  action: Action,
  fields: ChangeFields,
): Change {
  const result: Change = { address: resource.address, action, attributes: fields.attributes, risks: [] };
  if ('logicalKey' in resource) result.logicalKey = resource.logicalKey;
  if (fields.before !== undefined) result.before = fields.before;
  if (fields.after !== undefined) result.after = fields.after;
  if (fields.reason !== undefined) result.reason = fields.reason;
  if (observed !== undefined) result.fingerprint = observed.fingerprint;
  if (fields.preserved !== undefined && fields.preserved.length > 0) result.preserved = fields.preserved;
  if (fields.needsCapability !== undefined) result.needsCapability = fields.needsCapability;
  return result;
}
