/**
 * A small prod world for the applier's tests, with the numbers of docs/DOMAIN.md: the codequal-prod namespace, the
 * fast-ssd class, the deepwiki-data claim growing 50Gi → 200Gi, its nightly backup CronJob, and the akosha-backups-prod
 * bucket. `world(entries)` seeds the providers with each entry's `before`, so the plan's fingerprints are the live
 * ones.
 */
import { addressKey, type ResourceAddress } from '../../../src/model/address.js';
import type { AuditRecord } from '../../../src/model/audit.js';
import type { Action, AttributeChange, Change, Plan, Risk, SavedPlan, Step } from '../../../src/model/plan.js';
import type {
  BackupCronJobSpec,
  BucketLifecycleSpec,
  BucketSpec,
  BucketVersioningSpec,
  NamespaceSpec,
  PersistentVolumeClaimSpec,
  StorageClassSpec,
} from '../../../src/model/resources.js';
import { stepHistory, type ApplyInput, type StepHistory } from '../../../src/apply/index.js';
import { summarize } from '../../../src/plan/index.js';
import { MemoryLock, MemoryProvider } from '../../support/memory-provider.js';

export const ENVIRONMENT = 'prod';
export const DIGEST = 'sha256:3f1c9a0e6b7d4c2a';
export const PLAN_HASH = '4be1d2c39c0e';
export const ACTOR = { user: 'alice', host: 'ops-laptop' };

export const at = {
  namespace: { system: 'kubernetes', kind: 'Namespace', name: 'codequal-prod' },
  fastSsd: { system: 'kubernetes', kind: 'StorageClass', name: 'fast-ssd' },
  deepwikiData: {
    system: 'kubernetes',
    kind: 'PersistentVolumeClaim',
    namespace: 'codequal-prod',
    name: 'deepwiki-data',
  },
  oldCache: { system: 'kubernetes', kind: 'PersistentVolumeClaim', namespace: 'codequal-prod', name: 'old-cache' },
  nightly: { system: 'kubernetes', kind: 'CronJob', namespace: 'codequal-prod', name: 'deepwiki-nightly' },
  bucket: { system: 's3', kind: 'Bucket', name: 'akosha-backups-prod' },
  versioning: { system: 's3', kind: 'BucketVersioning', name: 'akosha-backups-prod' },
  lifecycle: { system: 's3', kind: 'BucketLifecycle', name: 'akosha-backups-prod' },
  objectLock: { system: 's3', kind: 'BucketObjectLock', name: 'akosha-backups-prod' },
} satisfies Record<string, ResourceAddress>;

export const specs = {
  namespace: (team: string): NamespaceSpec => ({ labels: { team } }),
  fastSsd: (allowVolumeExpansion: boolean): StorageClassSpec => ({
    provisioner: 'ebs.csi.aws.com',
    parameters: { type: 'gp3', iops: '16000', throughput: '1000', encrypted: 'true' },
    reclaimPolicy: 'Retain',
    volumeBindingMode: 'WaitForFirstConsumer',
    allowVolumeExpansion,
    mountOptions: [],
  }),
  deepwikiData: (size: string): PersistentVolumeClaimSpec => ({
    storageClassName: 'fast-ssd',
    accessModes: ['ReadWriteOnce'],
    volumeMode: 'Filesystem',
    size,
    maxSize: '500Gi',
  }),
  oldCache: (): PersistentVolumeClaimSpec => ({
    storageClassName: 'fast-ssd',
    accessModes: ['ReadWriteOnce'],
    volumeMode: 'Filesystem',
    size: '20Gi',
  }),
  nightly: (): BackupCronJobSpec => ({
    schedule: '0 2 * * *',
    timeZone: 'Etc/UTC',
    volume: 'deepwiki-data',
    destination: { bucket: 'akosha-backups-prod', prefix: 'deepwiki/' },
    keepDays: 30,
    concurrencyPolicy: 'Forbid',
    successfulJobsHistoryLimit: 3,
    failedJobsHistoryLimit: 3,
    activeDeadlineSeconds: 3600,
    image: 'ghcr.io/strata/backup:1.4.0',
    credentials: { secret: 'backup-s3' },
    s3: { forcePathStyle: false },
    serviceAccount: 'strata-backup-deepwiki-nightly',
    kubectlImage: 'registry.k8s.io/kubectl:v1.34.4',
    suspend: false,
  }),
  bucket: (): BucketSpec => ({ region: 'us-west-2', objectLockEnabled: true }),
  versioning: (): BucketVersioningSpec => ({ status: 'Enabled' }),
  lifecycle: (expirationDays: number): BucketLifecycleSpec => ({
    rules: [
      {
        id: 'backup-keep-deepwiki',
        enabled: true,
        prefix: 'deepwiki/',
        tags: {},
        transitions: [],
        expirationDays,
        noncurrentTransitions: [],
      },
    ],
  }),
};

export const risks = {
  dataLoss: (message: string): Risk => ({ kind: 'data-loss', severity: 'high', message }),
  irreversible: (message: string): Risk => ({ kind: 'irreversible', severity: 'high', message }),
};

export interface Entry {
  address: ResourceAddress;
  action: Action;
  before?: unknown;
  after?: unknown;
  dependsOn?: number[];
  risks?: Risk[];
  attributes?: AttributeChange[];
}

/** The usual run: four Kubernetes steps and three S3 steps, with the dependencies the planner would order. */
export function typicalEntries(): Entry[] {
  return [
    {
      address: at.namespace,
      action: 'update',
      before: specs.namespace('platform'),
      after: specs.namespace('codequal'),
    },
    { address: at.fastSsd, action: 'update', before: specs.fastSsd(false), after: specs.fastSsd(true) },
    {
      address: at.deepwikiData,
      action: 'update',
      before: specs.deepwikiData('50Gi'),
      after: specs.deepwikiData('200Gi'),
      dependsOn: [1, 2],
    },
    { address: at.nightly, action: 'create', after: specs.nightly(), dependsOn: [1, 3] },
    { address: at.bucket, action: 'create', after: specs.bucket() },
    { address: at.versioning, action: 'create', after: specs.versioning(), dependsOn: [5] },
    { address: at.lifecycle, action: 'create', after: specs.lifecycle(30), dependsOn: [5, 6] },
  ];
}

export class MemoryAudit {
  readonly records: AuditRecord[] = [];
  private failWhen: ((record: AuditRecord) => boolean) | undefined;

  /** Appends matching `when` fail (a full disk, a read-only directory). */
  failOn(when: (record: AuditRecord) => boolean): void {
    this.failWhen = when;
  }

  async append(record: AuditRecord): Promise<AuditRecord> {
    if (this.failWhen?.(record)) throw new Error('ENOSPC: no space left on device, write');
    this.records.push(structuredClone(record));
    return record;
  }

  /** `type` or `type:step`, in log order. */
  get trail(): string[] {
    return this.records.map((record) => (record.step === undefined ? record.type : `${record.type}:${record.step}`));
  }

  /** What a resume finds in the log for the plan. */
  history(): StepHistory {
    return stepHistory(this.records, PLAN_HASH);
  }
}

export interface World {
  kubernetes: MemoryProvider;
  s3: MemoryProvider;
  lock: MemoryLock;
  audit: MemoryAudit;
  saved: SavedPlan;
  input(overrides?: Partial<ApplyInput>): ApplyInput;
}

/** Where the plan was made, and where the providers write unless a test points them elsewhere. */
const SOURCES = { kubernetes: 'context prod-eks (https://prod-eks.example)', s3: 'us-west-2 (AWS)' };

export function world(entries: Entry[] = typicalEntries()): World {
  const kubernetes = new MemoryProvider('kubernetes', SOURCES.kubernetes);
  const s3 = new MemoryProvider('s3', SOURCES.s3);
  const providers = { kubernetes, s3 };
  const changes: Change[] = [];
  const steps: Step[] = [];
  for (const entry of entries) {
    const seeded =
      entry.before === undefined ? undefined : providers[entry.address.system].seed(entry.address, entry.before);
    changes.push({
      address: entry.address,
      action: entry.action,
      before: entry.before,
      after: entry.after,
      attributes: entry.attributes ?? [],
      risks: entry.risks ?? [],
      ...(seeded ? { fingerprint: seeded.fingerprint } : {}),
    });
    if (entry.action !== 'blocked' && entry.action !== 'no-op') {
      steps.push({
        index: steps.length + 1,
        address: entry.address,
        action: entry.action,
        dependsOn: entry.dependsOn ?? [],
      });
    }
  }
  const plan: Plan = {
    formatVersion: 2,
    environment: ENVIRONMENT,
    createdAt: '2026-11-23T09:00:00.000Z',
    desiredDigest: DIGEST,
    desiredFiles: ['environments/prod.yaml'],
    sources: { ...SOURCES },
    capabilities: [],
    changes,
    steps,
    summary: summarize(changes),
  };
  const lock = new MemoryLock(ENVIRONMENT);
  const audit = new MemoryAudit();
  const saved = { plan, planHash: PLAN_HASH };
  return {
    kubernetes,
    s3,
    lock,
    audit,
    saved,
    input: (overrides = {}) => ({
      saved,
      // Nothing moved between the plan and the apply: planning again derives the same plan.
      rederive: async () => plan,
      currentDesiredDigest: DIGEST,
      providers,
      lock,
      actor: ACTOR,
      audit,
      now: () => new Date('2026-11-23T10:00:00.000Z'),
      ...overrides,
    }),
  };
}

/** A promise a test resolves when it chooses, to hold a write in flight. */
export function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void;
  const promise = new Promise<void>((resolve) => (open = resolve));
  return { promise, open };
}

export const indexes = (steps: Step[]): number[] => steps.map((step) => step.index);

/**
 * The plan the planner would make now: the saved one, with the changes at some addresses as they would be derived now
 * (merged over the saved change; `undefined`: the planner has no change there any more).
 */
export function rederivedAs(plan: Plan, now: [ResourceAddress, Partial<Change> | undefined][]): Plan {
  const edits = new Map(now.map(([address, edit]) => [addressKey(address), edit]));
  const changes = plan.changes.flatMap((change) => {
    const key = addressKey(change.address);
    if (!edits.has(key)) return [change];
    const edit = edits.get(key);
    return edit === undefined ? [] : [{ ...change, ...edit }];
  });
  return { ...structuredClone(plan), changes };
}

/** The history of an earlier run that wrote these steps and nothing else. */
export function doneBefore(...steps: number[]): StepHistory {
  return { succeeded: new Set(steps), sent: new Set(steps), skipped: new Map() };
}
