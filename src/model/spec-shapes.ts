/**
 * Resource addresses and the specs of resources.ts as JSON shapes, for the files that carry them back to strata
 * (observed snapshots, the before and after of a saved plan's changes). They check what the planner and the renderers
 * rely on: the JSON type of each field and that quantities parse. Enumerations stay strings, as the providers pass on
 * whatever value the server holds, and unknown fields are left alone, so every file strata writes reads back.
 */
import { KUBERNETES_KINDS, S3_KINDS, type ResourceKind } from './address.js';
import { isQuantity } from './quantity.js';
import {
  anything,
  arrayOf,
  boolean,
  describeJson,
  number,
  object,
  oneOf,
  recordOf,
  refined,
  string,
  type Shape,
} from './shape.js';

/** Far longer than any quantity Kubernetes writes; a longer string is not one, and is not parsed. */
const MAX_QUANTITY_CHARACTERS = 64;

export const quantity: Shape = refined(string, (value: string) =>
  value.length <= MAX_QUANTITY_CHARACTERS && isQuantity(value)
    ? undefined
    : `expected a Kubernetes quantity such as "50Gi", found ${describeJson(value)}`,
);

const strings = recordOf(string);

/** Annotation values as found: strings, which the planner reads as percentages or quantities and words if it cannot. */
const growth = object({ optional: { threshold: string, increase: string, storageLimit: string }, open: true });

const transition = object({ required: { days: number, storageClass: string }, open: true });

const lifecycleRule = object({
  required: {
    id: string,
    enabled: boolean,
    prefix: string,
    tags: strings,
    transitions: arrayOf(transition),
    noncurrentTransitions: arrayOf(transition),
  },
  optional: {
    largerThan: string,
    smallerThan: string,
    expirationDays: number,
    expiredObjectDeleteMarker: boolean,
    noncurrentExpirationDays: number,
    abortIncompleteUploadsDays: number,
  },
  open: true,
});

const alertRule = object({
  required: { alert: string, expr: string, for: string, labels: strings, annotations: strings },
  open: true,
});

const ruleGroups = recordOf(recordOf(alertRule));

const statement = recordOf(anything);
/** One statement or a list of them, as IAM reads `Statement`; the planner reads each as an object. */
const statements: Shape = (value, path) => (Array.isArray(value) ? arrayOf(statement) : statement)(value, path);
const policyDocument = object({ optional: { Statement: statements }, open: true });

const spec = (required: Record<string, Shape>, optional: Record<string, Shape> = {}): Shape =>
  object({ required, optional, open: true });

export const ADDRESS_SHAPE = object({
  required: { system: oneOf('kubernetes', 's3'), kind: oneOf(...KUBERNETES_KINDS, ...S3_KINDS), name: string },
  optional: { namespace: string },
});

export const SPEC_SHAPES: Record<ResourceKind, Shape> = {
  Namespace: spec({ labels: strings }, { unmanagedLabels: strings }),
  StorageClass: spec(
    {
      provisioner: string,
      parameters: strings,
      reclaimPolicy: string,
      volumeBindingMode: string,
      allowVolumeExpansion: boolean,
      mountOptions: arrayOf(string),
    },
    { autoresize: boolean, unmanagedAutoresize: boolean },
  ),
  ResourceQuota: spec({ hard: recordOf(quantity) }, { unmanagedHard: strings }),
  PersistentVolumeClaim: spec(
    { storageClassName: string, accessModes: arrayOf(string), volumeMode: string, size: quantity },
    { maxSize: quantity, growth, unmanagedGrowth: growth, labels: strings },
  ),
  ServiceAccount: spec({}),
  Role: spec({
    rules: arrayOf(
      object({
        required: { apiGroups: arrayOf(string), resources: arrayOf(string), verbs: arrayOf(string) },
        open: true,
      }),
    ),
  }),
  RoleBinding: spec({ role: string, serviceAccount: string }),
  CronJob: spec(
    {
      schedule: string,
      timeZone: string,
      volume: string,
      destination: object({ required: { bucket: string, prefix: string }, open: true }),
      keepDays: number,
      concurrencyPolicy: string,
      successfulJobsHistoryLimit: number,
      failedJobsHistoryLimit: number,
      image: string,
      suspend: boolean,
    },
    {
      activeDeadlineSeconds: number,
      // Optional so that snapshots taken before the copy named its credentials and target still read (as drift).
      credentials: object({ optional: { secret: string, serviceAccount: string }, open: true }),
      s3: object({ required: { forcePathStyle: boolean }, optional: { region: string, endpoint: string }, open: true }),
      serviceAccount: string,
      kubectlImage: string,
      volumeSnapshotClass: string,
      editedTemplate: arrayOf(string),
    },
  ),
  PrometheusRule: spec({ groups: ruleGroups }, { unmanagedGroups: ruleGroups }),
  BackupStorageLocation: spec(
    { provider: string, bucket: string, prefix: string, config: strings },
    { credential: object({ required: { name: string, key: string }, open: true }) },
  ),
  Schedule: spec({
    schedule: string,
    timeZone: string,
    includedNamespaces: arrayOf(string),
    labelSelector: strings,
    keepDays: number,
    storageLocation: string,
    snapshotVolumes: boolean,
    paused: boolean,
  }),
  Bucket: spec({ objectLockEnabled: boolean }, { region: string }),
  BucketVersioning: spec({ status: string }),
  BucketObjectLock: spec(
    {},
    { defaultRetention: object({ required: { mode: string }, optional: { days: number, years: number }, open: true }) },
  ),
  BucketEncryption: spec({ algorithm: string }, { kmsKeyId: string }),
  BucketPublicAccessBlock: spec({
    blockPublicAcls: boolean,
    ignorePublicAcls: boolean,
    blockPublicPolicy: boolean,
    restrictPublicBuckets: boolean,
  }),
  BucketLifecycle: spec({ rules: arrayOf(lifecycleRule) }, { unmanagedRules: arrayOf(lifecycleRule) }),
  BucketTags: spec({ tags: strings }, { unmanagedTags: strings }),
  BucketPolicy: spec({ document: policyDocument }, { unmanagedStatements: arrayOf(statement) }),
};
