/**
 * Normalization tables for Kubernetes kinds. Each rule turns a server default, a re-serialisation or an ordering
 * difference into one canonical form, so desired and observed compare by meaning (docs/TEST-WORLD.md lists the facts).
 */
import { AUTORESIZER_DEFAULT, parsePercent } from '../../model/growth.js';
import { canonicalPrometheusDuration } from '../../model/duration.js';
import { canonicalQuantity, isQuantity } from '../../model/quantity.js';
import {
  type ClaimGrowth,
  ENVIRONMENT_LABEL,
  MANAGED_BY_LABEL,
  type BackupCronJobSpec,
  type NamespaceSpec,
  type PersistentVolumeClaimSpec,
  type PrometheusRuleSpec,
  type ResourceQuotaSpec,
  type RoleBindingSpec,
  type RoleSpec,
  type ServiceAccountSpec,
  type StorageClassSpec,
  type BackupStorageLocationSpec,
  type VeleroScheduleSpec,
} from '../../model/resources.js';
import { compareText } from '../../model/compare.js';
import { sortedRecord } from '../../model/canonical.js';
import type { NormalizationRule } from './rule.js';

/** Set by kube-apiserver on every namespace (1.21+); never declared, so never drift. */
const NAMESPACE_NAME_LABEL = 'kubernetes.io/metadata.name';

export const NAMESPACE_RULES: NormalizationRule<NamespaceSpec>[] = [
  {
    rule: `ownership labels (${MANAGED_BY_LABEL}, ${ENVIRONMENT_LABEL}) and the server's ${NAMESPACE_NAME_LABEL} are not part of the spec`,
    apply: (spec) => {
      const withoutThem = ({
        [MANAGED_BY_LABEL]: _m,
        [ENVIRONMENT_LABEL]: _e,
        [NAMESPACE_NAME_LABEL]: _n,
        ...labels
      }: Record<string, string>) => labels;
      const unmanaged = spec.unmanagedLabels && withoutThem(spec.unmanagedLabels);
      const { unmanagedLabels: _u, ...rest } = spec;
      return {
        ...rest,
        labels: withoutThem(spec.labels ?? {}),
        ...(unmanaged && Object.keys(unmanaged).length > 0 ? { unmanagedLabels: unmanaged } : {}),
      };
    },
  },
  {
    rule: 'labels compare as a map: key order is ignored',
    apply: (spec) => ({ ...spec, labels: sortedRecord(spec.labels) }),
  },
];

export const STORAGE_CLASS_RULES: NormalizationRule<StorageClassSpec>[] = [
  {
    rule: 'an omitted reclaimPolicy is Delete (server default)',
    apply: (spec) => ({ ...spec, reclaimPolicy: spec.reclaimPolicy ?? 'Delete' }),
  },
  {
    rule: 'an omitted volumeBindingMode is Immediate (server default)',
    apply: (spec) => ({ ...spec, volumeBindingMode: spec.volumeBindingMode ?? 'Immediate' }),
  },
  {
    rule: 'an omitted allowVolumeExpansion is false',
    apply: (spec) => ({ ...spec, allowVolumeExpansion: spec.allowVolumeExpansion === true }),
  },
  {
    rule: 'parameters are a string map (iops: 16000 equals "16000"), key order ignored',
    apply: (spec) => ({
      ...spec,
      parameters: sortedRecord(
        Object.fromEntries(Object.entries(spec.parameters ?? {}).map(([key, value]) => [key, String(value)])),
      ),
    }),
  },
  {
    rule: 'omitted mountOptions are an empty list',
    apply: (spec) => ({ ...spec, mountOptions: [...(spec.mountOptions ?? [])] }),
  },
  {
    rule: 'autoresize false is no resize.topolvm.io/enabled annotation: pvc-autoresizer acts only on "true", the one value strata writes',
    apply: ({ autoresize, unmanagedAutoresize, ...spec }) => ({
      ...spec,
      ...(autoresize === true ? { autoresize } : {}),
      ...(unmanagedAutoresize === true ? { unmanagedAutoresize } : {}),
    }),
  },
];

export const RESOURCE_QUOTA_RULES: NormalizationRule<ResourceQuotaSpec>[] = [
  {
    rule: 'hard limits compare by value (1Ti equals 1024Gi; a count of 10 equals "10"), key order ignored',
    apply: (spec) => ({
      ...spec,
      hard: sortedRecord(
        Object.fromEntries(
          Object.entries(spec.hard ?? {}).map(([key, value]) => {
            const text = String(value);
            return [key, isQuantity(text) ? canonicalQuantity(text) : text];
          }),
        ),
      ),
    }),
  },
];

export const PERSISTENT_VOLUME_CLAIM_RULES: NormalizationRule<PersistentVolumeClaimSpec>[] = [
  {
    rule: 'sizes compare by value: the server writes 1024Gi back as 1Ti',
    apply: (spec) => {
      const normalized = { ...spec, size: canonicalQuantity(spec.size) };
      if (spec.maxSize !== undefined) normalized.maxSize = canonicalQuantity(spec.maxSize);
      return normalized;
    },
  },
  {
    rule: 'no labels beyond ownership is no label map: a claim no velero backup names has none to compare',
    apply: (spec) => {
      const { labels, ...rest } = spec;
      return labels === undefined || Object.keys(labels).length === 0
        ? rest
        : { ...rest, labels: sortedRecord(labels) };
    },
  },
  {
    rule: 'an omitted volumeMode is Filesystem (server default)',
    apply: (spec) => ({ ...spec, volumeMode: spec.volumeMode ?? 'Filesystem' }),
  },
  {
    rule: 'accessModes are a set: order and repeats are ignored',
    apply: (spec) => ({ ...spec, accessModes: [...new Set(spec.accessModes ?? [])].sort() }),
  },
  {
    rule: `growth annotations compare by value (20.0% equals 20%, 20480Mi equals 20Gi); an absent threshold or increase is pvc-autoresizer's ${AUTORESIZER_DEFAULT}`,
    apply: (spec) => {
      const normalized = { ...spec };
      if (spec.growth !== undefined) normalized.growth = normalizedGrowth(spec.growth);
      if (spec.unmanagedGrowth !== undefined) normalized.unmanagedGrowth = normalizedGrowth(spec.unmanagedGrowth);
      return normalized;
    },
  },
];

function normalizedGrowth(growth: ClaimGrowth): ClaimGrowth {
  const normalized: ClaimGrowth = {
    threshold: growthValue(growth.threshold ?? AUTORESIZER_DEFAULT),
    increase: growthValue(growth.increase ?? AUTORESIZER_DEFAULT),
  };
  if (growth.storageLimit !== undefined) normalized.storageLimit = growthValue(growth.storageLimit);
  return normalized;
}

/** A percentage or a quantity by value; anything else (the autoresizer ignores it) as written. */
function growthValue(text: string): string {
  const percent = parsePercent(text);
  if (percent !== undefined) return `${percent}%`;
  return isQuantity(text) ? canonicalQuantity(text) : text;
}
/** A service account's spec is empty: only its existence is managed. */
export const SERVICE_ACCOUNT_RULES: NormalizationRule<ServiceAccountSpec>[] = [];

export const ROLE_RULES: NormalizationRule<RoleSpec>[] = [
  {
    rule: 'rules are a set of grants: the order of rules, and of the groups, resources and verbs in each, is ignored',
    apply: (spec) => ({
      ...spec,
      rules: (spec.rules ?? [])
        .map((rule) => ({
          apiGroups: [...new Set(rule.apiGroups ?? [])].sort(),
          resources: [...new Set(rule.resources ?? [])].sort(),
          verbs: [...new Set(rule.verbs ?? [])].sort(),
        }))
        .sort((a, b) => compareText(JSON.stringify(a), JSON.stringify(b))),
    }),
  },
];

/** Role and subject are read back as written. */
export const ROLE_BINDING_RULES: NormalizationRule<RoleBindingSpec>[] = [];

export const CRON_JOB_RULES: NormalizationRule<BackupCronJobSpec>[] = [
  {
    rule: 'omitted job settings are the batch/v1 defaults: concurrencyPolicy Allow, 3 successful and 1 failed job kept, not suspended',
    apply: (spec) => ({
      ...spec,
      concurrencyPolicy: spec.concurrencyPolicy ?? 'Allow',
      successfulJobsHistoryLimit: spec.successfulJobsHistoryLimit ?? 3,
      failedJobsHistoryLimit: spec.failedJobsHistoryLimit ?? 1,
      suspend: spec.suspend ?? false,
    }),
  },
  {
    rule: 'runs of spaces in a schedule are one separator',
    apply: (spec) => ({ ...spec, schedule: spec.schedule.trim().replace(/\s+/g, ' ') }),
  },
];

/** Each rule of each group; the groups and their rules are maps already, so their order never compares. */
function eachRule(
  spec: PrometheusRuleSpec,
  edit: (rule: PrometheusRuleSpec['groups'][string][string]) => PrometheusRuleSpec['groups'][string][string],
): PrometheusRuleSpec {
  return {
    ...spec,
    groups: Object.fromEntries(
      Object.entries(spec.groups ?? {}).map(([name, rules]) => [
        name,
        Object.fromEntries(Object.entries(rules).map(([key, rule]) => [key, edit(rule)])),
      ]),
    ),
  };
}

export const PROMETHEUS_RULE_RULES: NormalizationRule<PrometheusRuleSpec>[] = [
  {
    rule: "a rule's for compares by value: omitted is 0s, and 900s equals 15m",
    apply: (spec) => eachRule(spec, (rule) => ({ ...rule, for: canonicalPrometheusDuration(rule.for ?? '0s') })),
  },
  {
    rule: 'omitted labels and annotations of a rule are empty maps, key order ignored',
    apply: (spec) =>
      eachRule(spec, (rule) => ({
        ...rule,
        labels: sortedRecord(rule.labels ?? {}),
        annotations: sortedRecord(rule.annotations ?? {}),
      })),
  },
];

/** Velero runs a schedule without a zone in the server's local time, which is UTC in Velero's images. */
const UTC_ZONES = new Set(['UTC', 'Etc/UTC']);

export const SCHEDULE_RULES: NormalizationRule<VeleroScheduleSpec>[] = [
  {
    rule: 'runs of spaces in a schedule are one separator',
    apply: (spec) => ({ ...spec, schedule: spec.schedule.trim().replace(/\s+/g, ' ') }),
  },
  {
    rule: "the time zones UTC and Etc/UTC are one zone, and no zone is UTC (the time of Velero's server)",
    apply: (spec) => ({
      ...spec,
      timeZone: !spec.timeZone || UTC_ZONES.has(spec.timeZone) ? 'Etc/UTC' : spec.timeZone,
    }),
  },
  {
    rule: 'includedNamespaces are a set: order and repeats are ignored',
    apply: (spec) => ({ ...spec, includedNamespaces: [...new Set(spec.includedNamespaces ?? [])].sort() }),
  },
  {
    rule: 'an omitted paused is false, and snapshotVolumes true (Velero snapshots volumes unless told not to)',
    apply: (spec) => ({ ...spec, paused: spec.paused === true, snapshotVolumes: spec.snapshotVolumes !== false }),
  },
];

export const BACKUP_STORAGE_LOCATION_RULES: NormalizationRule<BackupStorageLocationSpec>[] = [
  {
    rule: "a prefix's trailing slash is not part of it (Velero adds one: deepwiki/ equals deepwiki)",
    apply: (spec) => ({ ...spec, prefix: (spec.prefix ?? '').replace(/\/+$/, '') }),
  },
  {
    rule: 'config is a string map (s3ForcePathStyle: true equals "true"), key order ignored',
    apply: (spec) => ({
      ...spec,
      config: sortedRecord(
        Object.fromEntries(Object.entries(spec.config ?? {}).map(([key, value]) => [key, String(value)])),
      ),
    }),
  },
];
