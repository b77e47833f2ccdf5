/**
 * Risks derived from a change, ranked high to low: what could hurt, with the values involved. Messages describe the
 * change; renderers show the resource address beside them.
 */
import { addressKey } from '../model/address.js';
import { isStepAction, type Change, type Risk, type RiskKind, type RiskSeverity } from '../model/plan.js';
import { compareQuantities, formatBytes, isQuantity, quantityToNumber } from '../model/quantity.js';
import { sizeRange, widenedBound } from '../model/size-range.js';
import type {
  BackupCronJobSpec,
  BackupStorageLocationSpec,
  BucketLifecycleSpec,
  BucketObjectLockSpec,
  BucketPolicySpec,
  BucketPublicAccessBlockSpec,
  BucketSpec,
  BucketVersioningSpec,
  LifecycleTransition,
  PersistentVolumeClaimSpec,
  ResourceQuotaSpec,
  S3StorageClass,
  StorageClassSpec,
  VeleroScheduleSpec,
} from '../model/resources.js';
import { formatKey } from '../model/attribute-path.js';
import { policyStatements, statementSid, type PolicyStatement } from '../model/policy-statements.js';
import { canonicalJson, deepEqual, isPlainObject } from '../model/canonical.js';
import { compareText } from '../model/compare.js';
import type { BlockerContext } from './blockers.js';
import { kubernetesAddress } from './dependencies.js';
import { allowsEveryone, normalizeSpec, statementActions } from './normalize/index.js';

const SEVERITY_RANK: Record<RiskSeverity, number> = { high: 0, medium: 1, low: 2 };
const KIND_RANK: Record<RiskKind, number> = {
  'data-loss': 0,
  'security-weakened': 1,
  irreversible: 2,
  replace: 3,
  cost: 4,
};

/** Storage classes from the most to the least expensive to store a GiB in. */
const STORAGE_CLASS_COST: S3StorageClass[] = [
  'STANDARD',
  'INTELLIGENT_TIERING',
  'STANDARD_IA',
  'ONEZONE_IA',
  'GLACIER_IR',
  'GLACIER',
  'DEEP_ARCHIVE',
];

/**
 * The one ranking of risks, worst first: by severity, then data loss, weaker security, irreversible settings,
 * replacements, cost (the order the README documents). Every list of risks (a change's, the banners) is ranked by it.
 */
export function compareRiskRank(a: Pick<Risk, 'kind' | 'severity'>, b: Pick<Risk, 'kind' | 'severity'>): number {
  return SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] || KIND_RANK[a.kind] - KIND_RANK[b.kind];
}

/** The ranking, then the message, so a change's risks come out in one stable order. */
export function compareRisks(a: Risk, b: Risk): number {
  return compareRiskRank(a, b) || compareText(a.message, b.message);
}

/** What the plan knows beside the change: the resources it declares and observed (a claim's storage class). */
export type RiskContext = Pick<BlockerContext, 'desiredByKey' | 'observedByKey'>;

const NOTHING_KNOWN: RiskContext = { desiredByKey: new Map(), observedByKey: new Map() };

/** Blocked and no-op changes carry no risk: nothing of them runs. Every kind names its rule, even "none". */
export function risksOf(change: Change, known: RiskContext = NOTHING_KNOWN): Risk[] {
  if (!isStepAction(change.action)) return [];
  return RISKS_BY_KIND[change.address.kind](change, known).sort(compareRisks);
}

type RiskRule = (change: Change, known: RiskContext) => Risk[];

const RISKS_BY_KIND: Record<Change['address']['kind'], RiskRule> = {
  Namespace: (change) =>
    change.action === 'delete'
      ? [risk('data-loss', 'high', 'deleting the namespace deletes every claim, volume and backup job in it')]
      : [],
  StorageClass: storageClassRisks,
  ResourceQuota: quotaRisks,
  PersistentVolumeClaim: claimRisks,
  // A backup's identity and its rights: losing them fails the next run, which the CronJob's own risks already cover
  // when the backup goes; nothing here holds data.
  ServiceAccount: () => [],
  Role: () => [],
  RoleBinding: () => [],
  CronJob: backupRisks,
  // Alert rules hold no data and take effect only in Prometheus: a changed or removed threshold loses nothing, and
  // the plan shows its expr beside the change.
  PrometheusRule: () => [],
  BackupStorageLocation: storageLocationRisks,
  Schedule: scheduleRisks,
  Bucket: bucketRisks,
  BucketVersioning: versioningRisks,
  BucketObjectLock: objectLockRisks,
  BucketEncryption: (change) =>
    change.action === 'delete'
      ? [risk('security-weakened', 'medium', 'default encryption removed: new objects are stored unencrypted')]
      : [],
  BucketPublicAccessBlock: publicAccessRisks,
  BucketLifecycle: lifecycleRisks,
  BucketPolicy: policyRisks,
  // Tags carry no risk: other tools' tags are kept as found.
  BucketTags: () => [],
};

function storageClassRisks(change: Change): Risk[] {
  if (change.action !== 'replace') return [];
  const immutable = change.attributes.filter((attribute) => attribute.forcesReplacement);
  const what = immutable
    .map((attribute) => `${attribute.path} ${show(attribute.before)} → ${show(attribute.after)}`)
    .join(', ');
  const risks = [
    risk(
      'replace',
      'medium',
      `${what} forces delete + create (existing volumes keep their class; new claims use the new one)`,
      immutable[0]?.path,
    ),
  ];
  const before = change.before as StorageClassSpec;
  const after = change.after as StorageClassSpec;
  if (before.reclaimPolicy === 'Retain' && after.reclaimPolicy === 'Delete') {
    risks.push(
      risk(
        'data-loss',
        'medium',
        'reclaimPolicy Retain → Delete: volumes provisioned from now on are deleted with their claims',
        'reclaimPolicy',
      ),
    );
  }
  return risks;
}

function quotaRisks(change: Change): Risk[] {
  const before = (change.before as ResourceQuotaSpec | undefined)?.hard ?? {};
  const after = (change.after as ResourceQuotaSpec | undefined)?.hard ?? {};
  return Object.keys(after)
    .filter((key) => key.endsWith('requests.storage') && isQuantity(after[key] ?? '') && isQuantity(before[key] ?? '0'))
    .flatMap((key) => {
      const delta = quantityToNumber(after[key] ?? '0') - quantityToNumber(before[key] ?? '0');
      if (delta <= 0) return [];
      const range = before[key] === undefined ? `new limit ${after[key]}` : `${before[key]} → ${after[key]}`;
      return [risk('cost', 'low', `+${formatBytes(delta)} storage quota ${key} (${range})`, formatKey('hard', key))];
    });
}

function claimRisks(change: Change, known: RiskContext): Risk[] {
  const before = change.before as PersistentVolumeClaimSpec | undefined;
  const after = change.after as PersistentVolumeClaimSpec | undefined;
  if (change.action === 'delete' && before)
    return [claimDeleted(before, reclaimPolicyOf(before.storageClassName, known))];
  if (change.action === 'replace' && before) {
    const what = change.attributes
      .filter((a) => a.forcesReplacement)
      .map((a) => `${a.path} ${show(a.before)} → ${show(a.after)}`)
      .join(', ');
    const className = before.storageClassName;
    const volume = {
      Delete: `its volume and data are deleted (class ${className} has reclaimPolicy Delete)`,
      Retain: `the new claim starts empty; the old volume keeps the data, Released, as class ${className} retains volumes`,
      unknown: `its volume and data are deleted unless class ${className} retains volumes`,
    }[reclaimPolicyOf(className, known) ?? 'unknown'];
    return [
      risk('data-loss', 'high', `${what} replaces the claim: ${volume}; migrate the data first`, 'storageClassName'),
    ];
  }
  if (!after) return [];
  const growth = growthRisks(before, after);
  const delta =
    quantityToNumber(after.size) - (before && change.action !== 'replace' ? quantityToNumber(before.size) : 0);
  if (delta <= 0) return growth;
  const range = before ? `${before.size} → ${after.size}` : `new claim`;
  return [
    { ...risk('cost', 'low', `+${formatBytes(delta)} requested storage (${range})`, 'size'), storageDeltaBytes: delta },
    ...growth,
  ];
}

/** A higher storage_limit is storage pvc-autoresizer may buy later, without another plan; not counted as requested. */
function growthRisks(before: PersistentVolumeClaimSpec | undefined, after: PersistentVolumeClaimSpec): Risk[] {
  const limit = after.growth?.storageLimit;
  const previous = before?.growth?.storageLimit;
  if (limit === undefined || !isQuantity(limit)) return [];
  if (previous !== undefined && isQuantity(previous) && compareQuantities(limit, previous) <= 0) return [];
  const range = previous === undefined ? 'growth is new' : `storage_limit ${previous} → ${limit}`;
  return [risk('cost', 'low', `pvc-autoresizer may grow the claim up to ${limit} (${range})`, 'growth')];
}

/**
 * A deleted claim's volume goes the way of its class's reclaimPolicy. With Retain nothing is lost: the volume and its
 * data stay, Released, and are billed until someone deletes them; a new claim does not bind to it by itself.
 */
function claimDeleted(before: PersistentVolumeClaimSpec, policy: StorageClassSpec['reclaimPolicy'] | undefined): Risk {
  const className = before.storageClassName;
  if (policy === 'Retain') {
    return risk(
      'cost',
      'low',
      `deleting the claim keeps its volume and the data on it (${before.size}), Released, as class ${className} retains volumes: it is billed until someone deletes it`,
    );
  }
  const unless =
    policy === 'Delete'
      ? `: class ${className} has reclaimPolicy Delete`
      : ` unless class ${className} retains volumes`;
  return risk(
    'data-loss',
    'high',
    `deleting the claim deletes its volume and the data on it (${before.size})${unless}`,
  );
}

/**
 * The reclaimPolicy a claim's volume was given, when the plan knows its class: as observed, since Kubernetes copies it
 * to each volume the class provisions and never lets it change; else as declared. Unknown for a class strata neither
 * declares nor owns.
 */
function reclaimPolicyOf(className: string, known: RiskContext): StorageClassSpec['reclaimPolicy'] | undefined {
  const key = addressKey(kubernetesAddress('StorageClass', className));
  const spec = (known.observedByKey.get(key)?.spec ?? known.desiredByKey.get(key)?.spec) as
    StorageClassSpec | undefined;
  return spec?.reclaimPolicy;
}

function backupRisks(change: Change): Risk[] {
  const before = change.before as BackupCronJobSpec | undefined;
  const after = change.after as BackupCronJobSpec | undefined;
  if (!before || !after || after.keepDays >= before.keepDays) return [];
  return [
    risk(
      'data-loss',
      'medium',
      `backups kept ${before.keepDays}d → ${after.keepDays}d (backups ${ages(after.keepDays, before.keepDays)} old will be deleted)`,
      'keepDays',
    ),
  ];
}

/** A Schedule is what runs a velero backup: deleting or pausing it stops them; backups already taken keep their ttl. */
function scheduleRisks(change: Change): Risk[] {
  const before = change.before as VeleroScheduleSpec | undefined;
  const after = change.after as VeleroScheduleSpec | undefined;
  if (change.action === 'delete')
    return [
      risk('data-loss', 'medium', 'deleting the schedule stops its backups (backups already taken keep their ttl)'),
    ];
  const risks: Risk[] = [];
  if (after?.paused && before?.paused === false)
    risks.push(risk('data-loss', 'medium', 'paused: Velero takes no backups until it is resumed', 'paused'));
  if (before && after && after.keepDays < before.keepDays) {
    risks.push(
      risk(
        'data-loss',
        'medium',
        `backups kept ${before.keepDays}d → ${after.keepDays}d (Velero deletes the new backups after ${after.keepDays}d)`,
        'keepDays',
      ),
    );
  }
  return risks;
}

/** Velero finds backups through their location: without it they stay in the bucket but cannot be listed or restored. */
function storageLocationRisks(change: Change): Risk[] {
  const before = change.before as BackupStorageLocationSpec | undefined;
  const after = change.after as BackupStorageLocationSpec | undefined;
  if (!before) return [];
  const where = `s3://${before.bucket}/${before.prefix}`;
  if (change.action === 'delete')
    return [
      risk(
        'data-loss',
        'medium',
        `deleting the location makes the backups under ${where} unreachable for restore (they stay in the bucket)`,
      ),
    ];
  if (after && (after.bucket !== before.bucket || after.prefix !== before.prefix))
    return [
      risk(
        'data-loss',
        'medium',
        `moving the location leaves the backups under ${where} unreachable for restore (they stay in the bucket)`,
        after.bucket !== before.bucket ? 'bucket' : 'prefix',
      ),
    ];
  return [];
}

function bucketRisks(change: Change): Risk[] {
  if (change.action === 'delete') return [risk('data-loss', 'high', 'deleting the bucket deletes every object in it')];
  const after = change.after as BucketSpec | undefined;
  if (change.action === 'create' && after?.objectLockEnabled) {
    return [
      risk('irreversible', 'medium', 'object lock cannot be turned off once the bucket exists', 'objectLockEnabled'),
    ];
  }
  return [];
}

function versioningRisks(change: Change): Risk[] {
  const before = change.before as BucketVersioningSpec | undefined;
  const after = change.after as BucketVersioningSpec | undefined;
  if (before?.status !== 'Enabled' || after?.status === 'Enabled') return [];
  return [
    risk(
      'data-loss',
      'high',
      `versioning Enabled → Suspended: overwritten and deleted objects can no longer be recovered`,
      'status',
    ),
  ];
}

function objectLockRisks(change: Change): Risk[] {
  const before = (change.before as BucketObjectLockSpec | undefined)?.defaultRetention;
  const after = (change.after as BucketObjectLockSpec | undefined)?.defaultRetention;
  const risks: Risk[] = [];
  if (after?.mode === 'COMPLIANCE' && change.attributes.length > 0) {
    risks.push(
      risk(
        'irreversible',
        'high',
        `COMPLIANCE retention of ${retention(after)}: no one, the root account included, can shorten it or delete a locked object before it expires`,
        'defaultRetention',
      ),
    );
  }
  if (before && (!after || retentionDays(after) < retentionDays(before))) {
    const what = after ? `${retention(before)} → ${retention(after)}` : `${retention(before)} removed`;
    risks.push(
      risk(
        'data-loss',
        'medium',
        `default retention ${what}: new objects are protected for less time`,
        'defaultRetention',
      ),
    );
  }
  return risks;
}

function publicAccessRisks(change: Change): Risk[] {
  const before = change.before as BucketPublicAccessBlockSpec | undefined;
  if (!before) return [];
  const after = (change.after as BucketPublicAccessBlockSpec | undefined) ?? {
    blockPublicAcls: false,
    ignorePublicAcls: false,
    blockPublicPolicy: false,
    restrictPublicBuckets: false,
  };
  const opened = (Object.keys(before) as (keyof BucketPublicAccessBlockSpec)[]).filter(
    (key) => before[key] && !after[key],
  );
  if (opened.length === 0) return [];
  return [
    risk(
      'security-weakened',
      'high',
      `public access block turned off (${opened.join(', ')}): the bucket can be made public`,
      opened[0],
    ),
  ];
}

/** The members of a Deny that say what it denies: changing any of them may leave something undenied. */
const DENY_SCOPE = ['Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];

/**
 * Strata's own statements, by Sid (others' are kept as found, whatever they say): one removed, a Deny turned into an
 * Allow or changed in what it covers, an Allow that newly allows everyone or no longer requires a condition it had.
 */
function policyRisks(change: Change): Risk[] {
  const before = statementsBySid(change.before as BucketPolicySpec | undefined);
  const after = statementsBySid(change.after as BucketPolicySpec | undefined);
  const risks = [...before].flatMap(([sid, was]) => {
    const now = after.get(sid);
    return now === undefined ? [removedStatement(sid, was)] : weakenedStatement(sid, was, now);
  });
  for (const [sid, now] of after) if (!before.has(sid) && allowsEveryone(now)) risks.push(allowsEveryoneRisk(sid));
  return risks;
}

function statementsBySid(spec: BucketPolicySpec | undefined): Map<string, PolicyStatement> {
  if (spec === undefined) return new Map();
  // Normalized, a declared statement without a Sid carries the name strata writes it under.
  const { document } = normalizeSpec('BucketPolicy', { document: spec.document });
  return new Map(
    policyStatements(document).map((statement) => [statementSid(statement) ?? canonicalJson(statement), statement]),
  );
}

function removedStatement(sid: string, was: PolicyStatement): Risk {
  const effect = was.Effect === 'Deny' ? 'Deny' : 'Allow';
  const message = `policy statement "${sid}" removed: its ${effect} (${statementActions(was)}) no longer applies`;
  return risk('security-weakened', effect === 'Deny' ? 'high' : 'medium', message, 'document');
}

function weakenedStatement(sid: string, was: PolicyStatement, now: PolicyStatement): Risk[] {
  if (was.Effect === 'Deny') {
    if (now.Effect !== 'Deny')
      return [risk('security-weakened', 'high', `policy statement "${sid}" turned from Deny into Allow`, 'document')];
    const changed = DENY_SCOPE.filter((member) => !deepEqual(was[member], now[member]));
    if (changed.length === 0) return [];
    return [
      risk(
        'security-weakened',
        'medium',
        `policy statement "${sid}" changed what it denies (${changed.join(', ')}): it may deny less than before`,
        'document',
      ),
    ];
  }
  if (now.Effect !== 'Allow') return [];
  const risks: Risk[] = [];
  if (allowsEveryone(now) && !allowsEveryone(was)) risks.push(allowsEveryoneRisk(sid));
  const { dropped, changed } = conditionChanges(was, now);
  if (dropped.length > 0) {
    risks.push(
      risk(
        'security-weakened',
        'high',
        `policy statement "${sid}" no longer requires ${dropped.join(', ')}: it allows without that condition`,
        'document',
      ),
    );
  }
  if (changed.length > 0) {
    risks.push(
      risk(
        'security-weakened',
        'medium',
        `policy statement "${sid}" changed its condition ${changed.join(', ')}: it may allow more than before`,
        'document',
      ),
    );
  }
  return risks;
}

/** An Allow's condition keys that are gone or hold other values (`IpAddress aws:SourceIp`); added ones narrow it. */
function conditionChanges(was: PolicyStatement, now: PolicyStatement): { dropped: string[]; changed: string[] } {
  const dropped: string[] = [];
  const changed: string[] = [];
  const conditions = (statement: PolicyStatement) => (isPlainObject(statement.Condition) ? statement.Condition : {});
  for (const [operator, keys] of Object.entries(conditions(was))) {
    const current = conditions(now)[operator];
    for (const [key, value] of Object.entries(isPlainObject(keys) ? keys : {})) {
      const after = isPlainObject(current) ? current[key] : undefined;
      if (after === undefined) dropped.push(`${operator} ${key}`);
      else if (!deepEqual(value, after)) changed.push(`${operator} ${key}`);
    }
  }
  return { dropped, changed };
}

function allowsEveryoneRisk(sid: string): Risk {
  return risk('security-weakened', 'high', `policy statement "${sid}" allows everyone (Principal "*")`, 'document');
}

function lifecycleRisks(change: Change): Risk[] {
  const before = new Map(
    ((change.before as BucketLifecycleSpec | undefined)?.rules ?? []).map((rule) => [rule.id, rule]),
  );
  const after = (change.after as BucketLifecycleSpec | undefined)?.rules ?? [];
  return after.flatMap((rule) => {
    const previous = before.get(rule.id);
    if (!previous) return [];
    const path = `rules[${rule.id}]`;
    const risks: Risk[] = [];
    const expiration = shortened(previous.expirationDays, rule.expirationDays);
    if (expiration) {
      risks.push(
        risk(
          'data-loss',
          'high',
          `lifecycle rule "${rule.id}" expiration ${expiration} (objects ${agesOf(previous.expirationDays, rule.expirationDays)} old become eligible for deletion)`,
          `${path}.expirationDays`,
        ),
      );
    }
    const noncurrent = shortened(previous.noncurrentExpirationDays, rule.noncurrentExpirationDays);
    if (noncurrent) {
      risks.push(
        risk(
          'data-loss',
          'medium',
          `lifecycle rule "${rule.id}" noncurrent expiration ${noncurrent} (old versions ${agesOf(previous.noncurrentExpirationDays, rule.noncurrentExpirationDays)} old become eligible for deletion)`,
          `${path}.noncurrentExpirationDays`,
        ),
      );
    }
    const widened = widenedBound(previous, rule);
    if (widened && rule.expirationDays !== undefined) {
      risks.push(
        risk(
          'data-loss',
          'high',
          `lifecycle rule "${rule.id}" now expires objects ${sizeRange(rule)} (was ${sizeRange(previous)})`,
          `${path}.${widened}`,
        ),
      );
    }
    const costlier = costlierTiering(previous.transitions, rule.transitions);
    if (costlier) risks.push(risk('cost', 'low', `lifecycle rule "${rule.id}": ${costlier}`, `${path}.transitions`));
    return risks;
  });
}

/** `2555d → 365d` when objects now expire sooner (or start expiring at all). */
function shortened(before: number | undefined, after: number | undefined): string | undefined {
  if (after === undefined || (before !== undefined && after >= before)) return undefined;
  return before === undefined ? `none → ${after}d` : `${before}d → ${after}d`;
}

function agesOf(before: number | undefined, after: number | undefined): string {
  return before === undefined ? `over ${after}d` : ages(after ?? 0, before);
}

/** `1–7 years` when both are whole years (retention is written that way), else `30–90 days`. */
function ages(from: number, to: number): string {
  return from % 365 === 0 && to % 365 === 0 ? `${from / 365}–${to / 365} years` : `${from}–${to} days`;
}

/**
 * Where objects of some age would sit in a more expensive class than before (a transition removed, delayed or aimed
 * at a warmer class): `objects 90–365 days old stay in STANDARD_IA instead of GLACIER`.
 */
function costlierTiering(before: LifecycleTransition[], after: LifecycleTransition[]): string | undefined {
  const edges = [...new Set([0, ...before.map((t) => t.days), ...after.map((t) => t.days)])].sort((a, b) => a - b);
  for (const [index, day] of edges.entries()) {
    const was = classAt(before, day);
    const now = classAt(after, day);
    if (STORAGE_CLASS_COST.indexOf(now) < STORAGE_CLASS_COST.indexOf(was)) {
      const next = edges[index + 1];
      const span = next === undefined ? `over ${day} days` : `${day}–${next} days`;
      return `objects ${span} old stay in ${now} instead of ${was}`;
    }
  }
  return undefined;
}

function classAt(transitions: LifecycleTransition[], day: number): S3StorageClass {
  return (
    transitions
      .filter((t) => t.days <= day)
      .sort((a, b) => a.days - b.days)
      .at(-1)?.storageClass ?? 'STANDARD'
  );
}

function retention(spec: NonNullable<BucketObjectLockSpec['defaultRetention']>): string {
  return spec.years !== undefined ? `${spec.years}y` : `${spec.days ?? 0}d`;
}

function retentionDays(spec: NonNullable<BucketObjectLockSpec['defaultRetention']>): number {
  return spec.years !== undefined ? spec.years * 365 : (spec.days ?? 0);
}

function show(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function risk(kind: RiskKind, severity: RiskSeverity, message: string, path?: string): Risk {
  return path === undefined ? { kind, severity, message } : { kind, severity, message, path };
}
