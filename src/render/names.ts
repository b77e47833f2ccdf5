/**
 * Words people read for addresses, actions and risks, shared by the text, Markdown and ink renderers so they all
 * call a thing by the same name: `kubernetes pvc codequal-prod/deepwiki-data`, `s3 bucket akosha-backups-prod · lifecycle`.
 */
import { KUBERNETES_KINDS, S3_KINDS, type ResourceAddress, type ResourceKind } from '../model/address.js';
import type { Action, Change, RiskKind, RiskSeverity } from '../model/plan.js';

const KIND_NAMES: Record<ResourceKind, string> = {
  Namespace: 'namespace',
  StorageClass: 'storageclass',
  ResourceQuota: 'quota',
  PersistentVolumeClaim: 'pvc',
  CronJob: 'cronjob',
  Bucket: '',
  BucketVersioning: 'versioning',
  BucketObjectLock: 'object lock',
  BucketEncryption: 'encryption',
  BucketPublicAccessBlock: 'public access block',
  BucketLifecycle: 'lifecycle',
  BucketTags: 'tags',
  BucketPolicy: 'policy',
};

export function displayName(address: ResourceAddress): string {
  if (address.system === 's3') {
    const facet = KIND_NAMES[address.kind];
    return facet === '' ? `s3 bucket ${address.name}` : `s3 bucket ${address.name} · ${facet}`;
  }
  const name = address.namespace === undefined ? address.name : `${address.namespace}/${address.name}`;
  return `kubernetes ${KIND_NAMES[address.kind]} ${name}`;
}

/** Terraform's symbols where it has one; `<=` for adopt, explained by a legend line because it is not obvious. */
export const ACTION_SYMBOLS: Record<Action, string> = {
  create: '+',
  update: '~',
  replace: '-/+',
  delete: '-',
  adopt: '<=',
  blocked: '!',
  'no-op': ' ',
};

export const ADOPT_LEGEND = '<= adopt: exists but is not yet owned by strata; apply takes it over as declared';

export const RISK_LABELS: Record<RiskKind, string> = {
  'data-loss': 'data loss',
  irreversible: 'irreversible',
  'security-weakened': 'security',
  replace: 'replace',
  cost: 'cost',
};

const RISK_KIND_ORDER: RiskKind[] = ['data-loss', 'irreversible', 'security-weakened', 'replace', 'cost'];
const SEVERITY_ORDER: RiskSeverity[] = ['high', 'medium', 'low'];

/** Changes are grouped by what happens to them, in the order a reviewer weighs them; blocked ones close the list. */
const ACTION_ORDER: Action[] = ['create', 'adopt', 'update', 'replace', 'delete', 'blocked', 'no-op'];
const KIND_ORDER: readonly ResourceKind[] = [...KUBERNETES_KINDS, ...S3_KINDS];

/**
 * Within an action: Kubernetes before S3; Kubernetes kinds in dependency order (StorageClass before PVC), then by
 * namespace and name; S3 by bucket, each bucket's settings in dependency order, so one bucket reads as one block.
 */
export function compareChangesForDisplay(a: Change, b: Change): number {
  return (
    ACTION_ORDER.indexOf(a.action) - ACTION_ORDER.indexOf(b.action) || compareAddressesForDisplay(a.address, b.address)
  );
}

export function compareAddressesForDisplay(a: ResourceAddress, b: ResourceAddress): number {
  const kinds = KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind);
  if (a.system !== b.system) return a.system === 'kubernetes' ? -1 : 1;
  if (a.system === 's3') return compareText(a.name, b.name) || kinds;
  return kinds || compareText(a.namespace ?? '', b.namespace ?? '') || compareText(a.name, b.name);
}

export function compareRiskRank(
  a: { kind: RiskKind; severity: RiskSeverity },
  b: { kind: RiskKind; severity: RiskSeverity },
): number {
  return (
    SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) ||
    RISK_KIND_ORDER.indexOf(a.kind) - RISK_KIND_ORDER.indexOf(b.kind)
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `sha256:4be1…9c0e` → `4be1…9c0e`: enough to match a plan by eye. */
export function shortHash(hash: string): string {
  const hex = hash.replace(/^sha256:/, '');
  return hex.length <= 12 ? hex : `${hex.slice(0, 4)}…${hex.slice(-4)}`;
}

export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${count} ${count === 1 ? singular : pluralForm}`;
}
