/**
 * Normalization tables for Kubernetes kinds. Each rule turns a server default, a re-serialisation or an ordering
 * difference into one canonical form, so desired and observed compare by meaning (docs/TEST-WORLD.md lists the facts).
 */
import { canonicalQuantity, isQuantity } from '../../model/quantity.js';
import {
  ENVIRONMENT_LABEL,
  MANAGED_BY_LABEL,
  type BackupCronJobSpec,
  type NamespaceSpec,
  type PersistentVolumeClaimSpec,
  type ResourceQuotaSpec,
  type RoleBindingSpec,
  type RoleSpec,
  type ServiceAccountSpec,
  type StorageClassSpec,
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
    rule: 'an omitted volumeMode is Filesystem (server default)',
    apply: (spec) => ({ ...spec, volumeMode: spec.volumeMode ?? 'Filesystem' }),
  },
  {
    rule: 'accessModes are a set: order and repeats are ignored',
    apply: (spec) => ({ ...spec, accessModes: [...new Set(spec.accessModes ?? [])].sort() }),
  },
];

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
