/** Backups (Velero Schedules or CronJobs): what they copy, where to, when, and for how long the copies are kept. */
import {
  kubernetesScheduleErrors,
  kubernetesTimeZoneError,
  longestIntervalSeconds,
  parseCron,
} from '../../model/cron.js';
import { parseDays } from '../../model/duration.js';
import type { BackupDeclaration, EnvironmentDocument } from '../../model/environment.js';
import { destinationBucketName } from '../backup-coverage.js';
import { pointer } from '../pointer.js';
import { suggestion } from '../suggest.js';
import { MAX_VELERO_NAME_LENGTH, scheduleName, storageLocationName } from '../velero.js';
import { type Check, type Finding, backquoted, entries, error, warning } from './check.js';

/** Kubernetes names a CronJob's Jobs `<name>-<11 characters>`, and Job names stay within 63. */
export const MAX_CRONJOB_NAME_LENGTH = 52;

export const checkBackups: Check = ({ document, accepted }) => {
  const findings: Finding[] = [];
  const bucketKeys = entries(document.buckets).map(([key]) => key);
  for (const [namespaceKey, namespace] of entries(document.namespaces)) {
    const volumeKeys = entries(namespace.volumes).map(([key]) => key);
    for (const [backupKey, backup] of entries(namespace.backups)) {
      const path = pointer('namespaces', namespaceKey, 'backups', backupKey);
      // Each field is checked on its own, so one mistake does not hide the others in the same backup.
      const ok = (field: string) => accepted(`${path}/${field}`);
      if (!accepted(path) && !ok('volume') && !ok('schedule') && !ok('destination') && !ok('keep')) continue;
      const name = backup.name ?? backupKey;
      if (backup.name === undefined || ok('name')) {
        const message = nameError(namespace.name, name, backup);
        if (message)
          findings.push(
            error(
              backup.name === undefined ? path : `${path}/name`,
              message,
              backup.name === undefined ? 'key' : 'value',
            ),
          );
      }
      if (ok('volume') && !volumeKeys.includes(backup.volume)) {
        findings.push(
          error(
            `${path}/volume`,
            `volume \`${backup.volume}\` is not declared in namespace \`${namespaceKey}\`; ${suggestion(backup.volume, volumeKeys, 'volumes')}`,
          ),
        );
      }
      if (ok('destination/bucket') && !bucketKeys.includes(backup.destination.bucket)) {
        findings.push(
          error(
            `${path}/destination/bucket`,
            `bucket \`${backup.destination.bucket}\` is not declared under buckets; ${suggestion(backup.destination.bucket, bucketKeys, 'buckets')}`,
          ),
        );
      }
      const byCronJob = (backup.engine ?? 'velero') === 'cronjob';
      // Velero adds the slash to its location's prefix itself; the CronJob appends dates to the prefix as written.
      if (
        byCronJob &&
        ok('destination/prefix') &&
        backup.destination.prefix !== '' &&
        !backup.destination.prefix.endsWith('/')
      ) {
        findings.push(
          warning(
            `${path}/destination/prefix`,
            `prefix \`${backup.destination.prefix}\` does not end with '/', so copies land in keys like ${backup.destination.prefix}2025/01/31/; write \`${backup.destination.prefix}/\``,
          ),
        );
      }
      const volume = namespace.volumes?.[backup.volume];
      if (byCronJob && ok('volume') && volume?.volumeMode === 'Block') {
        findings.push(
          error(
            `${path}/engine`,
            `the cronjob engine copies files (\`aws s3 sync\` from a mounted snapshot), and volume \`${backup.volume}\` is a Block device with no file system to mount; back it up with Velero (remove \`engine: cronjob\`), whose snapshots copy block volumes`,
          ),
        );
      }
      if (ok('credentials')) findings.push(...credentialsFindings(`${path}/credentials`, backup));
      if (backup.engine === undefined || ok('engine')) findings.push(...engineFieldFindings(path, backup));
      const scheduleErrors = ok('schedule') ? kubernetesScheduleErrors(backup.schedule) : [];
      for (const message of scheduleErrors) {
        findings.push(error(`${path}/schedule`, `schedule \`${backup.schedule}\`: ${message}${scheduleHint(message)}`));
      }
      const zoneError = ok('timeZone') ? kubernetesTimeZoneError(backup.timeZone ?? '') : undefined;
      if (zoneError) {
        findings.push(error(`${path}/timeZone`, `${zoneError}; write an IANA zone such as Etc/UTC or Europe/Berlin`));
      }
      if (!ok('keep')) continue;
      findings.push(
        ...retentionFindings(
          `${path}/keep`,
          backup.keep,
          scheduleErrors.length === 0 && ok('schedule') ? backup.schedule : undefined,
        ),
      );
    }
  }
  findings.push(...sharedLocationFindings(document, accepted));
  return findings;
};

/** A CronJob's name is the backup's; a Schedule's is prefixed with its namespace, as Velero's namespace is shared. */
function nameError(namespaceName: string, name: string, backup: BackupDeclaration): string | undefined {
  if ((backup.engine ?? 'velero') === 'cronjob')
    return name.length > MAX_CRONJOB_NAME_LENGTH
      ? `CronJob name \`${name}\` has ${name.length} characters; Kubernetes allows ${MAX_CRONJOB_NAME_LENGTH} (it appends 11 for each Job), so shorten it`
      : undefined;
  const schedule = scheduleName(namespaceName, name);
  return schedule.length > MAX_VELERO_NAME_LENGTH
    ? `Velero Schedule name \`${schedule}\` (namespace name, '-', backup name) has ${schedule.length} characters; Velero labels each backup with it and labels allow ${MAX_VELERO_NAME_LENGTH}, so shorten the backup's name`
    : undefined;
}

/**
 * Velero backups to one bucket and prefix share one BackupStorageLocation, and a location has one credential: the
 * backups that share it must name the same one. A location's name is its destination made a Kubernetes name, so two
 * destinations can come out as one name (`Deepwiki/` and `deepwiki/`, `a_b/` and `a-b/`): the second backup would
 * write through the first one's location, to its bucket and prefix.
 */
function sharedLocationFindings(document: EnvironmentDocument, accepted: (path: string) => boolean): Finding[] {
  const first = new Map<string, { path: string; credentials: string }>();
  const byLocationName = new Map<string, { path: string; destination: string }>();
  const findings: Finding[] = [];
  for (const [namespaceKey, namespace] of entries(document.namespaces)) {
    for (const [backupKey, backup] of entries(namespace.backups)) {
      const path = pointer('namespaces', namespaceKey, 'backups', backupKey);
      if (!accepted(`${path}/credentials`) || !accepted(`${path}/destination`)) continue;
      // A backup whose credentials are wrong on their own is told so once, by credentialsFindings.
      if ((backup.engine ?? 'velero') !== 'velero' || credentialsFindings('', backup).length > 0) continue;
      const bucketName = destinationBucketName(document, backup.destination.bucket);
      const destination = `${bucketName}/${backup.destination.prefix.replace(/\/+$/, '')}`;
      const locationName = storageLocationName(bucketName, backup.destination.prefix);
      const named = byLocationName.get(locationName);
      if (!named) byLocationName.set(locationName, { path, destination });
      else if (named.destination !== destination) {
        findings.push(
          error(
            `${path}/destination/prefix`,
            `\`${destination}\` and \`${named.destination}\` (${named.path}) both become Velero BackupStorageLocation \`${locationName}\`, so this backup would write to the other's bucket and prefix; give it a prefix that differs in more than case and punctuation`,
          ),
        );
        continue;
      }
      const { secret, key, veleroServer } = backup.credentials;
      const credentials = veleroServer ? 'veleroServer: true' : `secret: ${secret}, key: ${key ?? 'cloud'}`;
      const earlier = first.get(destination);
      if (!earlier) first.set(destination, { path, credentials });
      else if (earlier.credentials !== credentials)
        findings.push(
          error(
            `${path}/credentials`,
            `this backup writes to the same bucket and prefix as ${earlier.path}, so they share one Velero BackupStorageLocation, which has one credential: write the same credentials (${earlier.credentials}), or give this backup a prefix of its own`,
          ),
        );
    }
  }
  return findings;
}

function scheduleHint(message: string): string {
  if (message.startsWith('cannot use TZ')) return ' (move the zone to `timeZone:`)';
  if (message.startsWith('expected exactly 5 fields'))
    return '; write minute hour day-of-month month day-of-week, e.g. `0 2 * * *`, or @daily';
  if (message.includes('above maximum') || message.includes('below minimum'))
    return '; fields are minute 0-59, hour 0-23, day of month 1-31, month 1-12, day of week 0-6';
  return '';
}

/** By schedule text: a file may have thousands of backups at `0 2 * * *`, and each answer scans two years of days. */
const longestIntervals = new Map<string, number | undefined>();

function longestInterval(schedule: string): number | undefined {
  if (!longestIntervals.has(schedule)) {
    const parsed = parseCron(schedule);
    longestIntervals.set(schedule, parsed.ok ? longestIntervalSeconds(parsed.schedule) : undefined);
  }
  return longestIntervals.get(schedule);
}

function retentionFindings(path: string, keep: string, schedule: string | undefined): Finding[] {
  const days = parseDays(keep);
  if (!days.ok) return [error(path, backquoted(days.message))];
  if (days.days === 0)
    return [error(path, 'keep is 0 days, so copies would be deleted at once; keep them at least 1d')];
  const interval = schedule === undefined ? undefined : longestInterval(schedule);
  if (interval !== undefined && days.days * 86_400 < interval) {
    const gapDays = Math.ceil(interval / 86_400);
    return [
      warning(
        path,
        `copies are kept ${days.days} days but the schedule runs as rarely as every ${gapDays} days, leaving days with no backup; keep them at least ${gapDays}d`,
      ),
    ];
  }
  return [];
}

/** The credential forms: one per backup, and each read by one engine only. */
function credentialsFindings(path: string, backup: BackupDeclaration): Finding[] {
  const { credentials } = backup;
  const engine = backup.engine ?? 'velero';
  const forms = (['secret', 'serviceAccount', 'veleroServer'] as const).filter(
    (form) => credentials[form] !== undefined,
  );
  if (forms.length !== 1)
    return [
      error(
        path,
        `write exactly one of \`secret: <name>\`, \`serviceAccount: <name>\` or \`veleroServer: true\`${forms.length > 1 ? `, not ${forms.map((form) => `\`${form}\``).join(' and ')}` : ''}`,
      ),
    ];
  const [form] = forms;
  if (credentials.key !== undefined && form !== 'secret')
    return [error(`${path}/key`, '`key` names a key of the Secret; write `secret: <name>` beside it, or drop `key`')];
  if (engine === 'velero' && form === 'serviceAccount')
    return [
      error(
        `${path}/serviceAccount`,
        "the velero engine reaches the bucket with a Secret in Velero's namespace or the Velero server's identity: write `secret: <name>` or `veleroServer: true`, or `engine: cronjob` to run the copy as this service account",
      ),
    ];
  if (engine === 'cronjob' && form === 'veleroServer')
    return [
      error(
        `${path}/veleroServer`,
        'only the velero engine has a server identity; for the cronjob engine write `secret: <name>` (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) or `serviceAccount: <name>` (IRSA, workload identity)',
      ),
    ];
  if (engine === 'cronjob' && credentials.key !== undefined)
    return [
      error(
        `${path}/key`,
        'the cronjob engine reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the Secret as environment variables; drop `key`',
      ),
    ];
  return [];
}

/** Fields that shape a Kubernetes CronJob mean nothing to Velero, which runs its own schedule. */
const CRONJOB_ONLY_FIELDS = [
  'concurrencyPolicy',
  'successfulJobsHistoryLimit',
  'failedJobsHistoryLimit',
  'deadline',
  'image',
  'kubectlImage',
  'volumeSnapshotClass',
] as const;

function engineFieldFindings(path: string, backup: BackupDeclaration): Finding[] {
  if ((backup.engine ?? 'velero') !== 'velero') return [];
  return CRONJOB_ONLY_FIELDS.filter((field) => backup[field] !== undefined).map((field) =>
    error(
      `${path}/${field}`,
      `only the cronjob engine reads \`${field}\`; drop it, or write \`engine: cronjob\` (velero is the default engine)`,
      'key',
    ),
  );
}
