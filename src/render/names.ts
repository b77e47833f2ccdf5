/**
 * Words people read for addresses, actions and risks, shared by the text, Markdown and ink renderers so they all
 * call a thing by the same name: `kubernetes pvc codequal-prod/deepwiki-data`, `s3 bucket akosha-backups-prod · lifecycle`.
 */
import type { ResourceAddress, ResourceKind } from '../model/address.js';
import { compareText } from '../model/compare.js';
import type { Action, Change, RiskKind } from '../model/plan.js';
import type { Capability } from '../model/resources.js';
import { KIND_ORDER } from '../plan/order.js';

const KIND_NAMES: Record<ResourceKind, string> = {
  Namespace: 'namespace',
  StorageClass: 'storageclass',
  ResourceQuota: 'quota',
  PersistentVolumeClaim: 'pvc',
  ServiceAccount: 'sa',
  Role: 'role',
  RoleBinding: 'rolebinding',
  CronJob: 'cronjob',
  PrometheusRule: 'prometheusrule',
  // Velero's own words: its CRD's short name for a location, and the kind for a schedule (which has none).
  BackupStorageLocation: 'velero bsl',
  Schedule: 'velero schedule',
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

/**
 * An optional server capability: what people call it, what needs it, and either the file setting that accepts its
 * lack or, where lacking it is never the plan, what to do instead.
 */
export const CAPABILITY_WORDS: Record<
  Capability,
  { name: string; needer: string } & ({ setting: string } | { remedy: string })
> = {
  encryption: { name: 'default encryption', needer: 'bucket', setting: 'targets.s3.unsupported' },
  'lifecycle-size-filters': {
    name: 'lifecycle size filters (largerThan, smallerThan)',
    needer: 'lifecycle configuration',
    setting: 'targets.s3.unsupported',
  },
  'prometheus-rules': {
    name: 'capacity alerts',
    needer: 'namespace',
    remedy:
      'install the Prometheus Operator (or at least its monitoring.coreos.com CRDs) on the cluster, or remove alerts from the environment file',
  },
  velero: {
    name: 'Velero (velero.io/v1)',
    needer: 'velero object',
    remedy: 'install Velero on the cluster, or write engine: cronjob on the backups',
  },
};

/** Changes are grouped by what happens to them, in the order a reviewer weighs them; blocked ones close the list. */
const ACTION_ORDER: Action[] = ['create', 'adopt', 'update', 'replace', 'delete', 'blocked', 'no-op'];

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

/** `sha256:4be1…9c0e` → `4be1…9c0e`: enough to match a plan by eye. */
export function shortHash(hash: string): string {
  const hex = hash.replace(/^sha256:/, '');
  return hex.length <= 12 ? hex : `${hex.slice(0, 4)}…${hex.slice(-4)}`;
}
