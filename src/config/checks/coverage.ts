/**
 * Backups against the rest of the file: every volume is backed up or says why not, and no lifecycle rule, object lock
 * or versioning undoes a backup's `keep`. What each rule means for the copies is decided in `../backup-coverage.ts`.
 */
import { backupsOfVolume, copiesFate, destinationBucketName, type Expiration } from '../backup-coverage.js';
import { pointer } from '../pointer.js';
import { type Check, type Finding, entries, error, warning } from './check.js';

export const checkVolumeCoverage: Check = ({ document, accepted }) => {
  const findings: Finding[] = [];
  for (const [namespaceKey, namespace] of entries(document.namespaces)) {
    for (const [volumeKey, volume] of entries(namespace.volumes)) {
      const path = pointer('namespaces', namespaceKey, 'volumes', volumeKey);
      if (!accepted(path)) continue;
      const named = backupsOfVolume(namespace, volumeKey, (backupKey) =>
        accepted(pointer('namespaces', namespaceKey, 'backups', backupKey, 'volume')),
      );
      const none = volume.backup?.none;
      if (none === undefined) {
        if (named.length === 0) {
          findings.push(
            warning(
              path,
              `no backup names volume \`${volumeKey}\`; declare one under the namespace's backups (\`volume: ${volumeKey}\`), or write \`backup: { none: <why it needs none> }\` on the volume`,
              'key',
            ),
          );
        }
        continue;
      }
      if (none.trim() === '') {
        findings.push(
          error(`${path}/backup/none`, 'say why the volume needs no backup, e.g. `none: clones are rebuilt from git`'),
        );
      }
      if (named.length > 0) {
        const names = named.map((key) => `\`${key}\``).join(', ');
        const backups = named.length === 1 ? `backup ${names} names` : `backups ${names} name`;
        findings.push(
          error(
            `${path}/backup`,
            `volume \`${volumeKey}\` is marked \`backup: none\` but ${backups} it; remove \`backup: none\` or the ${named.length === 1 ? 'backup' : 'backups'}`,
            'key',
          ),
        );
      }
    }
  }
  return findings;
};

export const checkBackupRetention: Check = ({ document, accepted }) => {
  const findings: Finding[] = [];
  for (const [namespaceKey, namespace] of entries(document.namespaces)) {
    for (const [backupKey, backup] of entries(namespace.backups)) {
      const path = pointer('namespaces', namespaceKey, 'backups', backupKey);
      const bucketKey = backup.destination?.bucket;
      if (!accepted(path) || typeof bucketKey !== 'string' || !accepted(pointer('buckets', bucketKey))) continue;
      const fate = copiesFate(document, namespaceKey, backupKey);
      if (!fate) continue;
      const prefix = backup.destination.prefix;
      const where = `s3://${destinationBucketName(document, bucketKey)}/${prefix}`;
      const copies = { bucketKey, backupKey, path, prefix, where, keepDays: fate.keepDays };
      // Only shorter expirations are reported: S3 honours the shortest of overlapping ones, so a longer rule never
      // keeps copies past `keep` while strata's own rule is on the prefix.
      for (const expiration of fate.early) findings.push(earlyExpiration(copies, expiration));
      if (fate.lock && fate.lock.days > fate.keepDays) {
        findings.push(
          warning(
            `${path}/keep`,
            `copies are kept ${fate.keepDays} days, but bucket \`${bucketKey}\` locks every object version for ${fate.lock.days} days (objectLock ${fate.lock.mode}); neither the expiration rule nor Velero's garbage collection can delete a locked copy before its lock ends, so copies stay ${fate.lock.days} days: shorten the lock to ${fate.keepDays} days or raise keep to ${fate.lock.days}d`,
          ),
        );
      }
      // Expiring a current version of a versioned bucket only adds a delete marker: without a noncurrent expiration
      // the copy's data, and its bill, stay forever, however short `keep` is. A short noncurrent expiration is not
      // reported: it removes only copies already expired, or replaced by a newer run under the same key.
      if (fate.versioned && !fate.noncurrentExpiredBy) {
        findings.push(
          warning(
            `${path}/destination/bucket`,
            `bucket \`${bucketKey}\` keeps versions, so expiring a copy after ${fate.keepDays} days only hides it behind a delete marker, and no lifecycle rule with noncurrentExpireAfter covers \`${prefix}\`: the copies are never deleted; add one to the bucket (e.g. \`noncurrentExpireAfter: 1d\`, with no prefix or prefix \`${prefix}\`)`,
          ),
        );
      }
    }
  }
  return findings;
};

/** The backup an early expiration is about: where its copies go and how long they should stay. */
interface Copies {
  bucketKey: string;
  backupKey: string;
  path: string;
  prefix: string;
  /** s3://<physical bucket>/<prefix> */
  where: string;
  keepDays: number;
}

/** An expiration shorter than keep: a declared rule is reported at its expireAfter, another backup's at this prefix. */
function earlyExpiration(copies: Copies, expiration: Expiration): Finding {
  const { bucketKey, backupKey, path, prefix, where, keepDays } = copies;
  const reach = expiration.coversAll ? 'every copy' : `the copies under \`${expiration.prefix}\``;
  if (expiration.source.kind === 'rule') {
    const scope = expiration.prefix === '' ? 'every object' : `objects under \`${expiration.prefix}\``;
    const fix = expiration.coversAll
      ? `narrow its prefix so it leaves \`${prefix}\` out`
      : `move its prefix out of \`${prefix}\``;
    return error(
      pointer('buckets', bucketKey, 'lifecycle', expiration.source.index, 'expireAfter'),
      `rule \`${expiration.ruleId}\` expires ${scope} after ${expiration.days} days, so it deletes ${reach} of backup \`${backupKey}\` (${where}) before its keep of ${keepDays} days; raise expireAfter to at least ${keepDays}d or ${fix}`,
    );
  }
  return error(
    `${path}/destination/prefix`,
    `backup \`${expiration.source.backup}\` keeps its copies under \`${expiration.prefix}\` ${expiration.days} days, and its rule \`${expiration.ruleId}\` deletes ${reach} of this backup (${where}) before its keep of ${keepDays} days; give the two backups prefixes where neither starts with the other`,
  );
}
