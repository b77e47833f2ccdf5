/**
 * What strata manages of a live resource, one rule for both systems: the entries it declares or wrote, everything
 * else kept as found. The whole-set S3 APIs (lifecycle, tagging, bucket policy) carry the others into the spec strata
 * writes so a write never wipes them; on Kubernetes, server-side apply leaves the fields strata does not send alone.
 */
import {
  policyStatements,
  splitPolicy,
  statementSid,
  statementSids,
  type PolicyStatement,
} from '../model/policy-statements.js';
import { AUTORESIZE_ENABLED_ANNOTATION, AUTORESIZE_ENABLED_VALUE, describeGrowth } from '../model/growth.js';
import {
  FIELD_MANAGER,
  type PersistentVolumeClaimSpec,
  type StorageClassSpec,
  type BucketLifecycleSpec,
  type BucketPolicySpec,
  type BucketTagsSpec,
  type LifecycleRule,
  type NamespaceSpec,
  type ObservedResource,
  type PrometheusRuleSpec,
  type ResourceQuotaSpec,
} from '../model/resources.js';
import { sortedRecord } from '../model/canonical.js';
import type { ResourceKind } from '../model/address.js';
import type { AttributeChange } from '../model/plan.js';
import { statementActions } from './normalize/index.js';

/** The observed set seen through what is declared now: a declared id found among the unmanaged rules is strata's. */
export function claimDeclaredRules(
  observed: BucketLifecycleSpec,
  declaredIds: ReadonlySet<string>,
): BucketLifecycleSpec {
  const unmanaged = observed.unmanagedRules ?? [];
  return {
    rules: [...(observed.rules ?? []), ...unmanaged.filter((rule) => declaredIds.has(rule.id))],
    unmanagedRules: unmanaged.filter((rule) => !declaredIds.has(rule.id)),
  };
}

export function claimDeclaredTags(observed: BucketTagsSpec, declaredKeys: ReadonlySet<string>): BucketTagsSpec {
  const { managed, unmanaged } = claimDeclaredEntries(observed.tags, observed.unmanagedTags, declaredKeys);
  return { tags: managed, unmanagedTags: unmanaged };
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
  return preservedEntries('tag', spec.unmanagedTags);
}

/** `tag cost-center=1234`, `label pod-security.kubernetes.io/enforce=restricted`, sorted by key. */
function preservedEntries(noun: string, entries: Record<string, string> | undefined): string[] {
  return Object.entries(sortedRecord(entries)).map(([key, value]) => `${noun} ${key}=${value}`);
}

/**
 * The observed policy seen through what is declared now, split again by the one rule (model/policy-statements.ts): a
 * declared Sid found among the unmanaged statements is strata's, and a snapshot's document is split as a live one is.
 */
export function claimDeclaredStatements(observed: BucketPolicySpec, declared: BucketPolicySpec): BucketPolicySpec {
  const statements = [...policyStatements(observed.document), ...(observed.unmanagedStatements ?? [])];
  return splitPolicy({ ...observed.document, Statement: statements }, statementSids(declared.document));
}

/** What the applier writes: the `managed` document (strata's statements, Version and Id) plus the others as found. */
export function policyToWrite(managed: Record<string, unknown>, observed: BucketPolicySpec): BucketPolicySpec {
  const unmanaged = observed.unmanagedStatements;
  return unmanaged === undefined ? { document: managed } : { document: managed, unmanagedStatements: unmanaged };
}

/** Whether strata has a statement in the policy (once split, `document` holds only strata's). */
export function holdsManagedStatements(spec: BucketPolicySpec): boolean {
  return policyStatements(spec.document).length > 0;
}

/** For people: `policy statement "AllowAuditRead"`, or the effect and actions of one without a Sid. */
export function preservedStatements(spec: BucketPolicySpec): string[] {
  return (spec.unmanagedStatements ?? []).map(describeStatement).sort();
}

function describeStatement(statement: PolicyStatement): string {
  const sid = statementSid(statement);
  return sid !== undefined
    ? `policy statement "${sid}"`
    : `policy statement without a Sid (${String(statement.Effect)} ${statementActions(statement)})`;
}

/**
 * A map shared with other writers (tags, labels, quota limits, rule groups) seen through what is declared now: a
 * declared key is strata's.
 */
function claimDeclaredEntries<V>(
  managed: Record<string, V>,
  unmanaged: Record<string, V> | undefined,
  declaredKeys: ReadonlySet<string>,
): { managed: Record<string, V>; unmanaged: Record<string, V> } {
  const entries = Object.entries(unmanaged ?? {});
  return {
    managed: { ...managed, ...Object.fromEntries(entries.filter(([key]) => declaredKeys.has(key))) },
    unmanaged: Object.fromEntries(entries.filter(([key]) => !declaredKeys.has(key))),
  };
}

export function claimDeclaredLabels(observed: NamespaceSpec, declared: NamespaceSpec): NamespaceSpec {
  const { managed, unmanaged } = claimDeclaredEntries(
    observed.labels,
    observed.unmanagedLabels,
    new Set(Object.keys(declared.labels)),
  );
  return Object.keys(unmanaged).length > 0 ? { labels: managed, unmanagedLabels: unmanaged } : { labels: managed };
}

export function claimDeclaredLimits(observed: ResourceQuotaSpec, declared: ResourceQuotaSpec): ResourceQuotaSpec {
  const { managed, unmanaged } = claimDeclaredEntries(
    observed.hard,
    observed.unmanagedHard,
    new Set(Object.keys(declared.hard)),
  );
  return Object.keys(unmanaged).length > 0 ? { hard: managed, unmanagedHard: unmanaged } : { hard: managed };
}

/**
 * pvc-autoresizer's annotations are strata's when its field manager owns one of them (decode sets the others apart):
 * declared growth claims what another writer set, so the plan shows the difference and takes the fields.
 */
export function claimDeclaredGrowth(
  observed: PersistentVolumeClaimSpec,
  declared: PersistentVolumeClaimSpec,
): PersistentVolumeClaimSpec {
  const { unmanagedGrowth, ...spec } = observed;
  if (unmanagedGrowth === undefined || declared.growth === undefined) return observed;
  return { ...spec, growth: unmanagedGrowth };
}

export function claimDeclaredAutoresize(observed: StorageClassSpec, declared: StorageClassSpec): StorageClassSpec {
  const { unmanagedAutoresize, ...spec } = observed;
  if (unmanagedAutoresize === undefined || declared.autoresize !== true) return observed;
  return { ...spec, autoresize: unmanagedAutoresize };
}

export function preservedGrowth(spec: PersistentVolumeClaimSpec): string[] {
  return spec.unmanagedGrowth === undefined ? [] : [`growth annotations (${describeGrowth(spec.unmanagedGrowth)})`];
}

export function preservedAutoresize(spec: StorageClassSpec): string[] {
  return spec.unmanagedAutoresize !== true
    ? []
    : [`annotation ${AUTORESIZE_ENABLED_ANNOTATION}=${AUTORESIZE_ENABLED_VALUE}`];
}

export function claimDeclaredGroups(observed: PrometheusRuleSpec, declared: PrometheusRuleSpec): PrometheusRuleSpec {
  const { managed, unmanaged } = claimDeclaredEntries(
    observed.groups,
    observed.unmanagedGroups,
    new Set(Object.keys(declared.groups)),
  );
  return Object.keys(unmanaged).length > 0 ? { groups: managed, unmanagedGroups: unmanaged } : { groups: managed };
}

/** Rule groups are named, not valued, in the list: a group is a block of rules, too long for one line. */
export function preservedGroups(spec: PrometheusRuleSpec): string[] {
  return Object.keys(spec.unmanagedGroups ?? {})
    .sort()
    .map((name) => `rule group ${name}`);
}

export function preservedLabels(spec: NamespaceSpec): string[] {
  return preservedEntries('label', spec.unmanagedLabels);
}

export function preservedLimits(spec: ResourceQuotaSpec): string[] {
  return preservedEntries('quota limit', spec.unmanagedHard);
}

/**
 * Observed-only attributes that name what another writer changed among strata's own fields (a backup Job's script):
 * removing one is writing strata's fields back, which takes them from that writer.
 */
const RESTORED_BY_REMOVAL: Partial<Record<ResourceKind, string>> = { CronJob: 'editedTemplate' };

/** Whether a change of this attribute writes fields to the resource, and so may take them from other writers. */
export function writesFields(kind: ResourceKind, attribute: AttributeChange): boolean {
  return attribute.after !== undefined || RESTORED_BY_REMOVAL[kind] === attribute.path;
}

/**
 * The other writers that own the field behind an attribute now (`size` → kubectl-edit): writing a different value
 * takes the field from them. An attribute inside a field (`destination.bucket`) is owned with the field.
 */
export function otherOwners(observed: ObservedResource, attributePath: string): string[] {
  return ownersOf(observed, attributePath).filter((manager) => manager !== FIELD_MANAGER);
}

/** Every writer that owns the field behind an attribute, strata included; empty when nothing is recorded. */
export function ownersOf(observed: ObservedResource, attributePath: string): string[] {
  const owners = observed.fieldOwners;
  if (owners === undefined) return [];
  const head = /^[A-Za-z_$][\w$-]*/.exec(attributePath)?.[0] ?? attributePath;
  // An attribute inside an owned entry (a rule group's `warning.expr`) is owned with the entry.
  const entry = Object.keys(owners).find((key) => attributePath.startsWith(`${key}.`));
  return owners[attributePath] ?? (entry === undefined ? undefined : owners[entry]) ?? owners[head] ?? [];
}
