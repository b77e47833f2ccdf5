/**
 * Kubernetes objects as read from the API, decoded into the specs of src/model/resources.ts (the planner's comparison
 * form is plan/normalize/). Absent fields become the value the server defaults them to, so an omitted default never
 * reads as drift.
 */
import type { KubernetesKind, ResourceAddress } from '../../model/address.js';
import { AUTORESIZE_ENABLED_ANNOTATION, AUTORESIZE_ENABLED_VALUE, GROWTH_ANNOTATIONS } from '../../model/growth.js';
import {
  type ClaimGrowth,
  ENVIRONMENT_LABEL,
  MANAGED_BY_LABEL,
  MANAGED_BY_VALUE,
  type AccessMode,
  type AnySpec,
  VOLUME_LABEL,
  type BackupCronJobSpec,
  type BackupStorageLocationSpec,
  type NamespaceSpec,
  type ObservedResource,
  type PersistentVolumeClaimSpec,
  type PersistentVolumeClaimStatus,
  type AlertRuleSpec,
  type PrometheusRuleSpec,
  type ResourceQuotaSpec,
  type RoleBindingSpec,
  type RoleRule,
  type RoleSpec,
  type StorageClassSpec,
  type VeleroScheduleSpec,
} from '../../model/resources.js';
import { compareQuantities, quantitiesEqual } from '../../model/quantity.js';
import { fingerprintOf } from '../fingerprint.js';
import { fieldOwnersOf, foreignEntries, isForeign, type ManagedFields } from './field-owners.js';
import { KIND_INFO } from './kinds.js';
import { BACKUP_DESTINATION_ANNOTATION, BACKUP_KEEP_ANNOTATION, backupJobTemplate } from './manifests.js';
import { editsOf } from './template-edits.js';

/** The parts of an object strata reads; the API's generated types are looser than the JSON it receives. */
export interface LiveObject {
  metadata?: {
    name?: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    resourceVersion?: string;
    uid?: string;
    deletionTimestamp?: string | Date;
    finalizers?: string[];
    managedFields?: ManagedFields;
  };
  [field: string]: unknown;
}

/** The environment strata's labels say manage the object, when they are strata's. */
export function ownerEnvironment(object: LiveObject): string | undefined {
  const labels = object.metadata?.labels ?? {};
  return labels[MANAGED_BY_LABEL] === MANAGED_BY_VALUE ? labels[ENVIRONMENT_LABEL] : undefined;
}

/** Where the object is, read from its metadata alone: cheap enough to sort a whole LIST page by it. */
export function addressOf(kind: KubernetesKind, object: LiveObject): ResourceAddress {
  const name = object.metadata?.name ?? '';
  const namespace = KIND_INFO[kind].namespaced ? object.metadata?.namespace : undefined;
  return { system: 'kubernetes', kind, name, ...(namespace === undefined ? {} : { namespace }) };
}

export function observeObject(kind: KubernetesKind, object: LiveObject, environment: string): ObservedResource {
  const read = specOf(kind, object);
  const spec = withForeignEntriesApart(kind, object, read);
  const owner = ownerEnvironment(object);
  const owned = owner === environment;
  const observed: ObservedResource = {
    address: addressOf(kind, object),
    spec,
    // Not resourceVersion: controllers write status (quota usage, binding, lastScheduleTime) and bump it constantly.
    fingerprint: fingerprintOf({ spec, owned }),
    ...(object.metadata?.resourceVersion ? { version: object.metadata.resourceVersion } : {}),
    ...(object.metadata?.uid ? { uid: object.metadata.uid } : {}),
    owned,
  };
  const fieldOwners = fieldOwnersOf(kind, object.metadata?.managedFields ?? [], read);
  if (Object.keys(fieldOwners).length > 0) observed.fieldOwners = fieldOwners;
  if (owner !== undefined && !owned) observed.ownedByEnvironment = owner;
  if (object.metadata?.deletionTimestamp)
    observed.terminating = { finalizers: [...(object.metadata.finalizers ?? [])] };
  if (kind === 'PersistentVolumeClaim') observed.status = claimStatus(object);
  return observed;
}

/**
 * Labels, quota limits and rule groups are maps other writers share (Pod Security labels a namespace, a team adds a
 * limit): the entries strata's field manager does not own are set apart as unmanaged, as foreign lifecycle rules are.
 * So are autoresizer annotations strata never wrote (a platform team's own `resize.topolvm.io/*`).
 */
function withForeignEntriesApart(kind: KubernetesKind, object: LiveObject, spec: AnySpec): AnySpec {
  const split = <V>(entries: Record<string, V>, attribute: string) => {
    const foreign = foreignEntries(kind, object.metadata?.managedFields ?? [], attribute, entries);
    const pick = (wanted: boolean) =>
      Object.fromEntries(Object.entries(entries).filter(([key]) => foreign.has(key) === wanted));
    return { managed: pick(false), unmanaged: pick(true) };
  };
  if (kind === 'Namespace') {
    const { managed, unmanaged } = split((spec as NamespaceSpec).labels, 'labels');
    return Object.keys(unmanaged).length > 0 ? { labels: managed, unmanagedLabels: unmanaged } : spec;
  }
  if (kind === 'ResourceQuota') {
    const { managed, unmanaged } = split((spec as ResourceQuotaSpec).hard, 'hard');
    return Object.keys(unmanaged).length > 0 ? { hard: managed, unmanagedHard: unmanaged } : spec;
  }
  const foreign = (attribute: string) => isForeign(kind, object.metadata?.managedFields ?? [], attribute);
  if (kind === 'PersistentVolumeClaim') {
    const { growth, labels, ...rest } = spec as PersistentVolumeClaimSpec;
    // Another writer's volume label is theirs: strata's claim manifest never sends it, so it is not strata's to compare.
    const managedLabels = labels === undefined ? {} : split(labels, 'labels').managed;
    const claim = Object.keys(managedLabels).length > 0 ? { ...rest, labels: managedLabels } : rest;
    if (growth === undefined) return claim;
    return foreign('growth') ? { ...claim, unmanagedGrowth: growth } : { ...claim, growth };
  }
  if (kind === 'StorageClass') {
    const { autoresize, ...rest } = spec as StorageClassSpec;
    return autoresize !== undefined && foreign('autoresize') ? { ...rest, unmanagedAutoresize: autoresize } : spec;
  }
  if (kind === 'PrometheusRule') {
    const { managed, unmanaged } = split((spec as PrometheusRuleSpec).groups, 'groups');
    return Object.keys(unmanaged).length > 0 ? { groups: managed, unmanagedGroups: unmanaged } : spec;
  }
  return spec;
}

function specOf(kind: KubernetesKind, object: LiveObject) {
  switch (kind) {
    case 'Namespace':
      return namespaceSpec(object);
    case 'StorageClass':
      return storageClassSpec(object);
    case 'ResourceQuota':
      return quotaSpec(object);
    case 'PersistentVolumeClaim':
      return claimSpec(object);
    case 'ServiceAccount':
      return {};
    case 'Role':
      return roleSpec(object);
    case 'RoleBinding':
      return roleBindingSpec(object);
    case 'CronJob':
      return backupSpec(object);
    case 'PrometheusRule':
      return prometheusRuleSpec(object);
    case 'BackupStorageLocation':
      return storageLocationSpec(object);
    case 'Schedule':
      return scheduleSpec(object);
  }
}

/** Strata's own labels are ownership, not part of the declared spec. */
function namespaceSpec(object: LiveObject): NamespaceSpec {
  const {
    [MANAGED_BY_LABEL]: _managedBy,
    [ENVIRONMENT_LABEL]: _environment,
    ...labels
  } = object.metadata?.labels ?? {};
  return { labels };
}

function storageClassSpec(object: LiveObject): StorageClassSpec {
  const autoresize = object.metadata?.annotations?.[AUTORESIZE_ENABLED_ANNOTATION];
  return {
    provisioner: typeof object.provisioner === 'string' ? object.provisioner : '',
    parameters: { ...((object.parameters as Record<string, string> | undefined) ?? {}) },
    reclaimPolicy: (object.reclaimPolicy as StorageClassSpec['reclaimPolicy'] | undefined) ?? 'Delete',
    volumeBindingMode: (object.volumeBindingMode as StorageClassSpec['volumeBindingMode'] | undefined) ?? 'Immediate',
    allowVolumeExpansion: object.allowVolumeExpansion === true,
    mountOptions: [...((object.mountOptions as string[] | undefined) ?? [])],
    // Any value is read, so that a writer of "false" is known and strata can take the annotation from them.
    ...(autoresize === undefined ? {} : { autoresize: autoresize === AUTORESIZE_ENABLED_VALUE }),
  };
}

function quotaSpec(object: LiveObject): ResourceQuotaSpec {
  const spec = (object.spec ?? {}) as { hard?: Record<string, string | number> };
  return { hard: Object.fromEntries(Object.entries(spec.hard ?? {}).map(([key, value]) => [key, String(value)])) };
}

function claimSpec(object: LiveObject): PersistentVolumeClaimSpec {
  const spec = (object.spec ?? {}) as {
    storageClassName?: string;
    accessModes?: AccessMode[];
    volumeMode?: PersistentVolumeClaimSpec['volumeMode'];
    resources?: { requests?: { storage?: string } };
  };
  // Of a claim's labels strata writes only the volume label; the application's own labels are not part of the spec.
  const volume = object.metadata?.labels?.[VOLUME_LABEL];
  const claim: PersistentVolumeClaimSpec = {
    storageClassName: spec.storageClassName ?? '',
    accessModes: [...(spec.accessModes ?? [])],
    volumeMode: spec.volumeMode ?? 'Filesystem',
    size: spec.resources?.requests?.storage ?? '0',
    ...(volume === undefined ? {} : { labels: { [VOLUME_LABEL]: volume } }),
  };
  const growth = growthOf(object.metadata?.annotations ?? {});
  return growth === undefined ? claim : { ...claim, growth };
}

/** The autoresizer annotations a claim carries, as written; undefined when it has none. */
function growthOf(annotations: Record<string, string>): ClaimGrowth | undefined {
  const growth: ClaimGrowth = {};
  for (const [field, annotation] of Object.entries(GROWTH_ANNOTATIONS)) {
    const value = annotations[annotation];
    if (value !== undefined) growth[field as keyof ClaimGrowth] = value;
  }
  return Object.keys(growth).length > 0 ? growth : undefined;
}

interface RuleGroupObject {
  name?: string;
  rules?: {
    alert?: string;
    record?: string;
    expr?: string | number;
    for?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  }[];
}

/**
 * The groups by name and their rules by `severity` label, as manifests.ts writes them. A rule someone else added
 * (a second warning, a recording rule) gets its position as key, so it shows as drift instead of vanishing.
 */
function prometheusRuleSpec(object: LiveObject): PrometheusRuleSpec {
  const groups: PrometheusRuleSpec['groups'] = {};
  const list = ((object.spec ?? {}) as { groups?: RuleGroupObject[] }).groups ?? [];
  list.forEach((group, groupIndex) => {
    const rules: Record<string, AlertRuleSpec> = {};
    (group.rules ?? []).forEach((rule, index) => {
      const severity = rule.labels?.severity;
      const key = severity !== undefined && rules[severity] === undefined ? severity : `rule ${index}`;
      rules[key] = {
        alert: rule.alert ?? rule.record ?? '',
        expr: String(rule.expr ?? ''),
        for: rule.for ?? '0s',
        labels: { ...rule.labels },
        annotations: { ...rule.annotations },
      };
    });
    groups[group.name ?? `group ${groupIndex}`] = rules;
  });
  return { groups };
}

function claimStatus(object: LiveObject): PersistentVolumeClaimStatus {
  const status = (object.status ?? {}) as {
    phase?: PersistentVolumeClaimStatus['phase'];
    capacity?: { storage?: string };
    conditions?: { type?: string }[];
  };
  const result: PersistentVolumeClaimStatus = { phase: status.phase ?? 'Pending' };
  if (status.capacity?.storage !== undefined) result.capacity = status.capacity.storage;
  const conditions = (status.conditions ?? []).map((condition) => condition.type ?? '').filter(Boolean);
  if (conditions.length > 0) result.conditions = conditions;
  return result;
}

/**
 * Whether the quota controller enforces a ResourceQuota's spec yet: admission checks new claims against
 * `status.hard`, which the controller copies from `spec.hard` after each change.
 */
export function quotaEnforced(object: LiveObject): boolean {
  const spec = ((object.spec ?? {}) as { hard?: Record<string, string> }).hard ?? {};
  const status = ((object.status ?? {}) as { hard?: Record<string, string> }).hard ?? {};
  const keys = Object.keys(spec);
  return (
    keys.length === Object.keys(status).length &&
    keys.every((key) => status[key] !== undefined && quantitiesEqual(String(spec[key]), String(status[key])))
  );
}

export interface ResizeState {
  state: 'done' | 'in-progress' | 'file-system-pending' | 'failed';
  requested: string;
  capacity: string;
  /** The claim's conditions, or the failure's message. */
  detail: string;
}

/**
 * Where a bound claim's resize stands, read as external-resizer and the kubelet write it: `allocatedResourceStatuses`
 * and the Resizing, FileSystemResizePending and *ResizeError conditions. Undefined for a claim that is not bound.
 */
export function resizeState(object: LiveObject): ResizeState | undefined {
  const spec = (object.spec ?? {}) as { resources?: { requests?: { storage?: string } } };
  const status = (object.status ?? {}) as {
    phase?: string;
    capacity?: { storage?: string };
    allocatedResourceStatuses?: { storage?: string };
    conditions?: { type?: string; message?: string }[];
  };
  const requested = spec.resources?.requests?.storage;
  const capacity = status.capacity?.storage;
  if (status.phase !== 'Bound' || !requested || !capacity) return undefined;
  const base = { requested, capacity };
  if (compareQuantities(capacity, requested) >= 0) return { ...base, state: 'done', detail: '' };
  const conditions = status.conditions ?? [];
  const failure = conditions.find(
    (condition) => condition.type === 'ControllerResizeError' || condition.type === 'NodeResizeError',
  );
  const allocation = status.allocatedResourceStatuses?.storage ?? '';
  if (failure || allocation.endsWith('Infeasible')) {
    return { ...base, state: 'failed', detail: failure?.message || `${failure?.type ?? allocation}` };
  }
  const detail =
    conditions
      .map((condition) => condition.type)
      .filter(Boolean)
      .join(', ') ||
    allocation ||
    'no resize condition yet';
  const fileSystem =
    conditions.some((condition) => condition.type === 'FileSystemResizePending') || allocation === 'NodeResizePending';
  return { ...base, state: fileSystem ? 'file-system-pending' : 'in-progress', detail };
}

interface PodObject {
  serviceAccountName?: string;
  containers?: {
    image?: string;
    env?: { name: string; value?: string }[];
    envFrom?: { secretRef?: { name?: string; optional?: boolean } }[];
  }[];
  volumes?: { persistentVolumeClaim?: { claimName?: string } }[];
}

interface CronJobObject {
  schedule?: string;
  timeZone?: string;
  concurrencyPolicy?: BackupCronJobSpec['concurrencyPolicy'];
  successfulJobsHistoryLimit?: number;
  failedJobsHistoryLimit?: number;
  suspend?: boolean;
  jobTemplate?: { spec?: { activeDeadlineSeconds?: number; template?: { spec?: PodObject } } };
}

/** Reads a backup CronJob back; a CronJob strata did not write reads with empty backup fields, which shows as drift. */
function backupSpec(object: LiveObject): BackupCronJobSpec {
  const spec = (object.spec ?? {}) as CronJobObject;
  const job = spec.jobTemplate?.spec;
  const pod = job?.template?.spec;
  const annotations = object.metadata?.annotations ?? {};
  const orchestration = envOf(pod?.containers?.[0]);
  const copy = copyOf(copyPodOf(orchestration.COPY_POD));
  const result: BackupCronJobSpec = {
    schedule: spec.schedule ?? '',
    timeZone: spec.timeZone ?? '',
    volume: orchestration.BACKUP_CLAIM ?? '',
    destination: destinationOf(copy.env, annotations),
    keepDays: Number(annotations[BACKUP_KEEP_ANNOTATION] ?? 0),
    // Server defaults (batch/v1 defaults.go): Allow, 3 successful, 1 failed, not suspended.
    concurrencyPolicy: spec.concurrencyPolicy ?? 'Allow',
    successfulJobsHistoryLimit: spec.successfulJobsHistoryLimit ?? 3,
    failedJobsHistoryLimit: spec.failedJobsHistoryLimit ?? 1,
    image: copy.image,
    credentials: copy.credentials,
    s3: copy.s3,
    serviceAccount: pod?.serviceAccountName ?? '',
    kubectlImage: pod?.containers?.[0]?.image ?? '',
    suspend: spec.suspend ?? false,
  };
  if (orchestration.BACKUP_SNAPSHOT_CLASS !== undefined)
    result.volumeSnapshotClass = orchestration.BACKUP_SNAPSHOT_CLASS;
  if (job?.activeDeadlineSeconds !== undefined) result.activeDeadlineSeconds = job.activeDeadlineSeconds;
  // Rebuilt from what was read back, so an edit of a field the spec reads shows there, once.
  const edits = editsOf(backupJobTemplate(result, object.metadata?.name ?? ''), spec.jobTemplate);
  if (edits.length > 0) result.editedTemplate = edits;
  return result;
}

type ContainerObject = NonNullable<PodObject['containers']>[number];

function envOf(container: ContainerObject | undefined): Record<string, string | undefined> {
  return Object.fromEntries((container?.env ?? []).map((variable) => [variable.name, variable.value]));
}

/** The copy pod the orchestration creates, as the CronJob carries it; an edit that breaks it reads as an empty pod. */
function copyPodOf(text: string | undefined): PodObject | undefined {
  if (text === undefined) return undefined;
  try {
    const pod = JSON.parse(text) as { spec?: PodObject | null };
    return pod.spec !== null && typeof pod.spec === 'object' ? pod.spec : undefined;
  } catch {
    return undefined;
  }
}

/** The copy pod's image, credentials and S3 target, the inverse of `copyPodManifest`. */
function copyOf(pod: PodObject | undefined) {
  const container = pod?.containers?.[0];
  const env = Object.fromEntries((container?.env ?? []).map((variable) => [variable.name, variable.value ?? '']));
  // An optional Secret is not the declared credentials: without it the copy would run with none.
  const secret = container?.envFrom?.find((source) => source.secretRef && source.secretRef.optional !== true)?.secretRef
    ?.name;
  const credentials: BackupCronJobSpec['credentials'] =
    pod?.serviceAccountName !== undefined ? { serviceAccount: pod.serviceAccountName } : { secret: secret ?? '' };
  const s3: BackupCronJobSpec['s3'] = { forcePathStyle: env.BACKUP_PATH_STYLE === 'true' };
  if (env.AWS_REGION !== undefined) s3.region = env.AWS_REGION;
  if (env.AWS_ENDPOINT_URL !== undefined) s3.endpoint = env.AWS_ENDPOINT_URL;
  return { image: container?.image ?? '', env, credentials, s3 };
}

function roleSpec(object: LiveObject): RoleSpec {
  const rules = (object.rules ?? []) as Partial<RoleRule>[];
  return {
    rules: rules.map((rule) => ({
      apiGroups: [...(rule.apiGroups ?? [])],
      resources: [...(rule.resources ?? [])],
      verbs: [...(rule.verbs ?? [])],
    })),
  };
}

/** A binding to anything but a Role, or to more than one service account, is not one strata wrote: it reads as drift. */
function roleBindingSpec(object: LiveObject): RoleBindingSpec {
  const roleRef = (object.roleRef ?? {}) as { kind?: string; name?: string };
  const subjects = (object.subjects ?? []) as { kind?: string; name?: string }[];
  const [subject] = subjects;
  return {
    role: roleRef.kind === 'Role' ? (roleRef.name ?? '') : '',
    serviceAccount: subjects.length === 1 && subject?.kind === 'ServiceAccount' ? (subject.name ?? '') : '',
  };
}

function destinationOf(
  env: Record<string, string>,
  annotations: Record<string, string>,
): BackupCronJobSpec['destination'] {
  if (env.BACKUP_BUCKET !== undefined) return { bucket: env.BACKUP_BUCKET, prefix: env.BACKUP_PREFIX ?? '' };
  const match = /^s3:\/\/([^/]+)\/(.*)$/.exec(annotations[BACKUP_DESTINATION_ANNOTATION] ?? '');
  return { bucket: match?.[1] ?? '', prefix: match?.[2] ?? '' };
}

interface StorageLocationObject {
  provider?: string;
  objectStorage?: { bucket?: string; prefix?: string };
  config?: Record<string, string | boolean>;
  credential?: { name?: string; key?: string };
}

function storageLocationSpec(object: LiveObject): BackupStorageLocationSpec {
  const spec = (object.spec ?? {}) as StorageLocationObject;
  const result: BackupStorageLocationSpec = {
    provider: spec.provider ?? '',
    bucket: spec.objectStorage?.bucket ?? '',
    prefix: spec.objectStorage?.prefix ?? '',
    config: Object.fromEntries(Object.entries(spec.config ?? {}).map(([key, value]) => [key, String(value)])),
  };
  if (spec.credential !== undefined)
    result.credential = { name: spec.credential.name ?? '', key: spec.credential.key ?? '' };
  return result;
}

interface ScheduleObject {
  schedule?: string;
  paused?: boolean;
  template?: {
    includedNamespaces?: string[];
    labelSelector?: { matchLabels?: Record<string, string> };
    ttl?: string;
    storageLocation?: string;
    snapshotVolumes?: boolean;
  };
}

/** `CRON_TZ=Europe/Berlin 0 2 * * *` (or robfig/cron's older `TZ=`) is a zone and a schedule. */
const ZONED_SCHEDULE = /^(?:CRON_TZ|TZ)=(\S+)\s+(.*)$/;

function scheduleSpec(object: LiveObject): VeleroScheduleSpec {
  const spec = (object.spec ?? {}) as ScheduleObject;
  const written = spec.schedule ?? '';
  const zoned = ZONED_SCHEDULE.exec(written);
  const template = spec.template ?? {};
  return {
    schedule: zoned ? zoned[2]! : written,
    timeZone: zoned ? zoned[1]! : '',
    includedNamespaces: [...(template.includedNamespaces ?? [])],
    labelSelector: { ...template.labelSelector?.matchLabels },
    keepDays: goDurationSeconds(template.ttl ?? '') / 86_400,
    storageLocation: template.storageLocation ?? '',
    // Velero's defaults: a schedule runs unless paused, and snapshots volumes unless snapshotVolumes is false.
    snapshotVolumes: template.snapshotVolumes !== false,
    paused: spec.paused === true,
  };
}

const GO_DURATION_UNITS: Record<string, number> = { h: 3600, m: 60, s: 1, ms: 1e-3, us: 1e-6, µs: 1e-6, ns: 1e-9 };

/** A Go duration (`720h0m0s`, `1.5h`) in seconds; 0 for what is not one, which then shows as drift. */
function goDurationSeconds(text: string): number {
  if (!/^(\d+(\.\d+)?(h|ms|us|µs|ns|m|s))+$/.test(text)) return 0;
  let seconds = 0;
  for (const [, amount = '0', unit = 's'] of text.matchAll(/(\d+(?:\.\d+)?)(h|ms|us|µs|ns|m|s)/g))
    seconds += Number(amount) * (GO_DURATION_UNITS[unit] ?? 0);
  return seconds;
}
