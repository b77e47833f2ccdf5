/**
 * What the environment file says happens to a volume's backups once they are written: which backups name the volume,
 * which lifecycle expiration S3 applies to their copies, which rules would delete copies before `keep`, how long an
 * object lock holds them, and whether a versioned bucket ever removes what an expiration hides. The checks
 * (`checks/coverage.ts`) and `strata backups` read these answers, so the two cannot disagree.
 *
 * Pure, and lenient about what it reads: a duration that does not parse or a rule that is not a mapping is left out
 * (the other checks report it), so it can run on a document the schema accepted only in part.
 */
import { compareText } from '../model/compare.js';
import { parseDays } from '../model/duration.js';
import type {
  BucketDeclaration,
  EnvironmentDocument,
  LifecycleRuleDeclaration,
  NamespaceDeclaration,
} from '../model/environment.js';
import type { ObjectLockMode } from '../model/resources.js';
import { BACKUP_RULE_PREFIX } from './checks/buckets.js';
import { entries, items } from './checks/check.js';

const DAYS_PER_YEAR = 365;

/** An expiration whose prefix overlaps a backup's destination prefix. */
export interface Expiration {
  ruleId: string;
  days: number;
  prefix: string;
  /** A rule of the bucket's `lifecycle` (its index), or the rule strata writes for a backup's `keep`. */
  source: { kind: 'rule'; index: number } | { kind: 'backup'; namespace: string; backup: string };
  /** The rule's prefix holds every copy (the backup prefix starts with it), not only those under a longer prefix. */
  coversAll: boolean;
}

export interface CopiesFate {
  keepDays: number;
  /** What S3 applies to every copy: of overlapping expirations, AWS honours the shortest (lifecycle-conflicts). */
  expiredBy: Expiration;
  /** Other expirations that delete some or all of the copies before `keep`, shortest first. */
  early: Expiration[];
  /** The bucket's default object-lock retention, in days. */
  lock?: { mode: ObjectLockMode; days: number };
  /** The bucket keeps versions, so an expiration only hides a copy behind a delete marker. */
  versioned: boolean;
  /** On a versioned bucket: the shortest noncurrent-version expiration that removes every hidden copy, if any. */
  noncurrentExpiredBy?: Expiration;
}

/** The bucket a backup's destination names (a key under `buckets`), by its physical name; the key when undeclared. */
export function destinationBucketName(document: EnvironmentDocument, bucketKey: string): string {
  return document.buckets?.[bucketKey]?.name ?? bucketKey;
}

/** The keys of the namespace's backups that name this volume; `counts` leaves out backups whose `volume` is unread. */
export function backupsOfVolume(
  namespace: NamespaceDeclaration,
  volumeKey: string,
  counts: (backupKey: string) => boolean = () => true,
): string[] {
  return (backupsByVolume(namespace).get(volumeKey) ?? []).filter(counts);
}

/*
 * A file with a backup for each of thousands of volumes asks these questions once per volume and per backup. Each
 * answer is read from an index of the whole namespace or document, built on the first question in one pass (asking
 * every backup again made validating 10,000 backups take a minute). Documents are never changed once parsed, so an
 * index is kept as long as its document lives.
 */
const volumeIndexes = new WeakMap<NamespaceDeclaration, Map<string, string[]>>();
const expirationIndexes = new WeakMap<EnvironmentDocument, Map<string, Expiration[]>>();

function backupsByVolume(namespace: NamespaceDeclaration): Map<string, string[]> {
  let index = volumeIndexes.get(namespace);
  if (!index) {
    index = new Map();
    for (const [backupKey, backup] of entries(namespace.backups)) {
      if (typeof backup.volume !== 'string') continue;
      const named = index.get(backup.volume);
      if (named) named.push(backupKey);
      else index.set(backup.volume, [backupKey]);
    }
    volumeIndexes.set(namespace, index);
  }
  return index;
}

/**
 * The fate of one backup's copies, or undefined when its keep, prefix or bucket cannot be read. Rules with tags are
 * left out: the copies are written without tags, so no tag filter matches them.
 */
export function copiesFate(
  document: EnvironmentDocument,
  namespaceKey: string,
  backupKey: string,
): CopiesFate | undefined {
  const backup = document.namespaces?.[namespaceKey]?.backups?.[backupKey];
  const keepDays = backup ? days(backup.keep) : undefined;
  const bucketKey = backup?.destination?.bucket;
  const prefix = backup?.destination?.prefix;
  const bucket = typeof bucketKey === 'string' ? document.buckets?.[bucketKey] : undefined;
  if (keepDays === undefined || typeof prefix !== 'string' || !bucket || typeof bucketKey !== 'string') return;
  const overlapping = (rulePrefix: string) => prefix.startsWith(rulePrefix) || rulePrefix.startsWith(prefix);
  const isOwn = (expiration: Expiration) =>
    expiration.source.kind === 'backup' &&
    expiration.source.namespace === namespaceKey &&
    expiration.source.backup === backupKey;
  const expirations = [...declaredExpirations(bucket, 'expireAfter'), ...backupExpirations(document, bucketKey)]
    .filter((expiration) => overlapping(expiration.prefix))
    .map((expiration) => ({ ...expiration, coversAll: prefix.startsWith(expiration.prefix) }));
  const own = expirations.find(isOwn);
  if (!own) return;
  const shortest = (list: Expiration[]) =>
    list.reduce<Expiration | undefined>(
      (best, next) => (best === undefined || next.days < best.days ? next : best),
      undefined,
    );
  const versioned = bucket.versioning === true || (bucket.objectLock !== undefined && bucket.versioning !== false);
  const noncurrent = versioned
    ? shortest(
        declaredExpirations(bucket, 'noncurrentExpireAfter')
          .filter((expiration) => prefix.startsWith(expiration.prefix))
          .map((expiration) => ({ ...expiration, coversAll: true })),
      )
    : undefined;
  const lock = lockOf(bucket);
  return {
    keepDays,
    // The backup's own rule first, so a declared rule of the same length is not named as the one that applies.
    expiredBy: shortest([own, ...expirations.filter((expiration) => expiration !== own && expiration.coversAll)])!,
    early: expirations
      .filter((expiration) => expiration !== own && expiration.days < keepDays)
      .sort((a, b) => a.days - b.days || compareText(a.ruleId, b.ruleId)),
    ...(lock ? { lock } : {}),
    versioned,
    ...(noncurrent ? { noncurrentExpiredBy: noncurrent } : {}),
  };
}

/** The bucket's enabled, tag-free rules with this kind of expiration, as written (coversAll is decided by the caller). */
function declaredExpirations(bucket: BucketDeclaration, field: 'expireAfter' | 'noncurrentExpireAfter'): Expiration[] {
  return items(bucket.lifecycle).flatMap((rule: LifecycleRuleDeclaration, index) => {
    if (rule === null || typeof rule !== 'object' || rule.enabled === false || hasTags(rule)) return [];
    const expiration = days(rule[field]);
    if (expiration === undefined || typeof rule.id !== 'string') return [];
    const prefix = typeof rule.prefix === 'string' ? rule.prefix : '';
    return [{ ruleId: rule.id, days: expiration, prefix, source: { kind: 'rule', index }, coversAll: false }];
  });
}

/** The `backup-keep-<key>` rule strata writes for each backup into this bucket (see `backupRule` in expand.ts). */
function backupExpirations(document: EnvironmentDocument, bucketKey: string): Expiration[] {
  let index = expirationIndexes.get(document);
  if (!index) {
    index = backupExpirationsByBucket(document);
    expirationIndexes.set(document, index);
  }
  return index.get(bucketKey) ?? [];
}

function backupExpirationsByBucket(document: EnvironmentDocument): Map<string, Expiration[]> {
  const byBucket = new Map<string, Expiration[]>();
  for (const [namespace, declared] of entries(document.namespaces)) {
    for (const [backup, declaredBackup] of entries(declared.backups)) {
      const keep = days(declaredBackup.keep);
      const bucketKey = declaredBackup.destination?.bucket;
      const prefix = declaredBackup.destination?.prefix;
      if (typeof bucketKey !== 'string' || keep === undefined || typeof prefix !== 'string') continue;
      const expiration: Expiration = {
        ruleId: `${BACKUP_RULE_PREFIX}${backup}`,
        days: keep,
        prefix,
        source: { kind: 'backup', namespace, backup },
        coversAll: false,
      };
      const into = byBucket.get(bucketKey);
      if (into) into.push(expiration);
      else byBucket.set(bucketKey, [expiration]);
    }
  }
  return byBucket;
}

function lockOf(bucket: BucketDeclaration): CopiesFate['lock'] {
  const lock = bucket.objectLock;
  if (!lock || typeof lock !== 'object') return undefined;
  const lockDays =
    typeof lock.days === 'number' ? lock.days : typeof lock.years === 'number' ? lock.years * DAYS_PER_YEAR : undefined;
  return lockDays === undefined ? undefined : { mode: lock.mode, days: lockDays };
}

function hasTags(rule: LifecycleRuleDeclaration): boolean {
  return rule.tags !== null && typeof rule.tags === 'object' && Object.keys(rule.tags).length > 0;
}

function days(text: unknown): number | undefined {
  if (typeof text !== 'string') return undefined;
  const parsed = parseDays(text);
  return parsed.ok ? parsed.days : undefined;
}
