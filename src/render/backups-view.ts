/** What every backup coverage renderer calls things: one wording for text and Markdown, escaped by each of them. */
import type { BackupCoverage, CoverageReport, VolumeCoverage } from '../coverage/report.js';
import { plural } from '../model/words.js';

export function volumeLabel(volume: VolumeCoverage): string {
  return `${volume.namespace}/${volume.volume}`;
}

export function countsLine(report: CoverageReport): string {
  const { volumes, covered, none, uncovered } = report.counts;
  return `${plural(volumes, 'volume')}: ${covered} backed up, ${none} marked none, ${uncovered} not covered`;
}

export const NOT_COVERED = 'NOT COVERED';
export const NOT_COVERED_NOTE = 'no backup names this volume and it is not marked `backup: none`';

export function scheduleText(backup: BackupCoverage): string {
  return `${backup.schedule} (${backup.timeZone})`;
}

/** How long copies last: the expiration S3 applies, then what versioning and a lock add. */
export function lifetimeParts(backup: BackupCoverage): string[] {
  const parts = [`expired by ${backup.expiredBy.rule} after ${backup.expiredBy.days}d`];
  if (backup.noncurrentExpiredBy === null) parts.push('versioned: expired copies are never deleted');
  else if (backup.noncurrentExpiredBy)
    parts.push(`versioned: deleted ${backup.noncurrentExpiredBy.days}d later by ${backup.noncurrentExpiredBy.rule}`);
  if (backup.lock) parts.push(`locked ${backup.lock.days}d (${backup.lock.mode})`);
  return parts;
}
