/**
 * The backup coverage of one environment, from its validated file alone (nothing is observed): each volume with the
 * backups that copy it, the lifecycle rule that expires the copies and what a lock or versioning adds, or the reason
 * it needs none, or that nothing covers it; and validation's findings about all of this. Pure: `strata backups`
 * renders it, and the versioned form is the `--format json` output.
 */
import {
  backupsOfVolume,
  copiesFate,
  DEFAULT_TIME_ZONE,
  destinationBucketName,
  pointerSegments,
} from '../config/index.js';
import type { DesiredState } from '../model/desired.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { ObjectLockMode } from '../model/resources.js';

export const COVERAGE_FORMAT_VERSION = 1;

export interface CoverageReport {
  formatVersion: typeof COVERAGE_FORMAT_VERSION;
  environment: string;
  file: string;
  volumes: VolumeCoverage[];
  /** Validation's warnings about backups, the volumes' coverage, and the lock, versioning and lifecycle of their buckets. */
  findings: Diagnostic[];
  counts: { volumes: number; covered: number; none: number; uncovered: number };
}

/** A volume by its namespace's and claim's physical names. */
export type VolumeCoverage = { namespace: string; volume: string } & (
  { status: 'covered'; backups: BackupCoverage[] } | { status: 'none'; reason: string } | { status: 'uncovered' }
);

export interface BackupCoverage {
  /** The backup's physical name. */
  name: string;
  schedule: string;
  timeZone: string;
  keepDays: number;
  /** s3://<physical bucket>/<prefix> */
  destination: string;
  /** The lifecycle rule S3 applies to the copies: the shortest expiration over their prefix. */
  expiredBy: { rule: string; days: number };
  /** A versioned bucket only hides an expired copy; this rule deletes it, null when none does. Absent: not versioned. */
  noncurrentExpiredBy?: { rule: string; days: number } | null;
  lock?: { mode: ObjectLockMode; days: number };
}

export function coverageReport(state: DesiredState, diagnostics: Diagnostic[]): CoverageReport {
  const { document } = state;
  const volumes: VolumeCoverage[] = [];
  for (const [namespaceKey, namespace] of Object.entries(document.namespaces ?? {})) {
    for (const [volumeKey, volume] of Object.entries(namespace.volumes ?? {})) {
      const where = { namespace: namespace.name, volume: volume.name ?? volumeKey };
      const backupKeys = backupsOfVolume(namespace, volumeKey);
      if (backupKeys.length > 0) {
        const backups = backupKeys.map((backupKey) => backupCoverage(state, namespaceKey, backupKey));
        volumes.push({ ...where, status: 'covered', backups });
      } else if (volume.backup) {
        volumes.push({ ...where, status: 'none', reason: volume.backup.none });
      } else {
        volumes.push({ ...where, status: 'uncovered' });
      }
    }
  }
  const count = (status: VolumeCoverage['status']) => volumes.filter((volume) => volume.status === status).length;
  return {
    formatVersion: COVERAGE_FORMAT_VERSION,
    environment: state.environment,
    file: state.files[0] ?? '',
    volumes,
    findings: diagnostics.filter((diagnostic) => concernsBackups(diagnostic.path, state)),
    counts: { volumes: volumes.length, covered: count('covered'), none: count('none'), uncovered: count('uncovered') },
  };
}

/** Every volume is backed up or says why it needs no backup. */
export function fullyCovered(report: CoverageReport): boolean {
  return report.counts.uncovered === 0;
}

function backupCoverage(state: DesiredState, namespaceKey: string, backupKey: string): BackupCoverage {
  const { document } = state;
  const backup = document.namespaces![namespaceKey]!.backups![backupKey]!;
  // A validated file has a declared bucket and a keep that parses, so the fate is known.
  const fate = copiesFate(document, namespaceKey, backupKey)!;
  const rule = (expiration: { ruleId: string; days: number }) => ({ rule: expiration.ruleId, days: expiration.days });
  return {
    name: backup.name ?? backupKey,
    schedule: backup.schedule,
    timeZone: backup.timeZone ?? DEFAULT_TIME_ZONE,
    keepDays: fate.keepDays,
    destination: `s3://${destinationBucketName(document, backup.destination.bucket)}/${backup.destination.prefix}`,
    expiredBy: rule(fate.expiredBy),
    ...(fate.versioned
      ? { noncurrentExpiredBy: fate.noncurrentExpiredBy ? rule(fate.noncurrentExpiredBy) : null }
      : {}),
    ...(fate.lock ? { lock: fate.lock } : {}),
  };
}

const BUCKET_SETTINGS_OF_BACKUPS = new Set(['objectLock', 'versioning', 'lifecycle']);

/** A path under a backup, a volume's own key or its `backup:`, or a setting of a bucket some backup writes to. */
function concernsBackups(path: string, state: DesiredState): boolean {
  const [top, key, section, name, field] = pointerSegments(path);
  if (top === 'namespaces') {
    if (section === 'backups') return true;
    return section === 'volumes' && name !== undefined && (field === undefined || field === 'backup');
  }
  if (top !== 'buckets' || section === undefined || !BUCKET_SETTINGS_OF_BACKUPS.has(section)) return false;
  return Object.values(state.document.namespaces ?? {}).some((namespace) =>
    Object.values(namespace.backups ?? {}).some((backup) => backup.destination.bucket === key),
  );
}
