import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { validateEnvironments } from '../../src/config/index.js';
import { formatDiagnostic } from '../../src/model/diagnostic.js';

const cwd = fileURLToPath(new URL('../..', import.meta.url));
const fixtures = path.join('test', 'fixtures', 'config');

async function problems(file: string): Promise<string[]> {
  const { diagnostics } = await validateEnvironments([path.join(fixtures, file)], { cwd });
  return diagnostics.map(formatDiagnostic);
}

/** Each fixture plants one kind of mistake: every problem is reported, at its line and column, with its fix, and nothing else. */
describe('validating the bad-input corpus', () => {
  it('stops an alias bomb at its first alias instead of expanding it', async () => {
    expect(await problems('alias-bomb.yaml')).toEqual([
      'test/fixtures/config/alias-bomb.yaml:2:8 error /: aliases expand to too many nodes (more than 100 per anchor); write the values out instead of nesting aliases',
    ]);
  });

  it('says what to write for alert thresholds out of order, without their sign, past 99% or missing', async () => {
    expect(await problems('alert-thresholds.yaml')).toEqual([
      "test/fixtures/config/alert-thresholds.yaml:12:7 warning /namespaces/codequal/volumes/deepwiki-data: no backup names volume `deepwiki-data`; declare one under the namespace's backups (`volume: deepwiki-data`), or write `backup: { none: <why it needs none> }` on the volume",
      'test/fixtures/config/alert-thresholds.yaml:15:28 error /namespaces/codequal/volumes/deepwiki-data/alerts/warning: warning 95% is not below critical 90%; warning is the earlier alert, so write a lower share (e.g. warning: 75%, critical: 90%)',
      'test/fixtures/config/alert-thresholds.yaml:19:28 error /namespaces/codequal/volumes/repo-cache/alerts/warning: `75` is a number, not a percentage; write `75%`',
      'test/fixtures/config/alert-thresholds.yaml:19:42 error /namespaces/codequal/volumes/repo-cache/alerts/critical: `100%` is not a percentage from 1% to 99%; write a whole number and %, e.g. `80%`',
      "test/fixtures/config/alert-thresholds.yaml:20:7 warning /namespaces/codequal/volumes/scratch: no backup names volume `scratch`; declare one under the namespace's backups (`volume: scratch`), or write `backup: { none: <why it needs none> }` on the volume",
      'test/fixtures/config/alert-thresholds.yaml:23:41 error /namespaces/codequal/volumes/scratch/alerts/for/warning: for.warning waits on a warning threshold that is not declared; declare warning (e.g. warning: 75%) or remove for.warning',
      "test/fixtures/config/alert-thresholds.yaml:24:7 warning /namespaces/codequal/volumes/logs: no backup names volume `logs`; declare one under the namespace's backups (`volume: logs`), or write `backup: { none: <why it needs none> }` on the volume",
      'test/fixtures/config/alert-thresholds.yaml:27:9 error /namespaces/codequal/volumes/logs/alerts: alerts declare no threshold; write warning, critical or both, e.g. { warning: 75%, critical: 90% }',
    ]);
  });

  it('requires a quota under namespace alerts, which watch its use', async () => {
    expect(await problems('namespace-alerts-without-quota.yaml')).toEqual([
      "test/fixtures/config/namespace-alerts-without-quota.yaml:9:5 error /namespaces/codequal/alerts: namespace alerts watch the namespace's storage quota, and namespace `codequal` declares none; declare quota (e.g. quota: { requests.storage: 1Ti }), or move alerts to each of its volumes",
    ]);
  });

  it('warns when backups are kept shorter than the longest gap between runs', async () => {
    expect(await problems('backup-kept-shorter-than-interval.yaml')).toEqual([
      'test/fixtures/config/backup-kept-shorter-than-interval.yaml:20:15 warning /namespaces/analytics/backups/warm-db-daily/keep: copies are kept 3 days but the schedule runs as rarely as every 7 days, leaving days with no backup; keep them at least 7d',
    ]);
  });

  it('names the missing volume and bucket of a backup with the closest declared ones, and a prefix without a slash (leaving the volume it meant without a backup)', async () => {
    expect(await problems('backup-references.yaml')).toEqual([
      "test/fixtures/config/backup-references.yaml:13:7 warning /namespaces/analytics/volumes/warm-db: no backup names volume `warm-db`; declare one under the namespace's backups (`volume: warm-db`), or write `backup: { none: <why it needs none> }` on the volume",
      'test/fixtures/config/backup-references.yaml:16:17 error /namespaces/analytics/backups/warm-db-daily/volume: volume `warmdb` is not declared in namespace `analytics`; did you mean `warm-db`?',
      'test/fixtures/config/backup-references.yaml:18:32 error /namespaces/analytics/backups/warm-db-daily/destination/bucket: bucket `backup` is not declared under buckets; did you mean `backups`?',
      "test/fixtures/config/backup-references.yaml:18:48 warning /namespaces/analytics/backups/warm-db-daily/destination/prefix: prefix `warm` does not end with '/', so copies land in keys like warm2025/01/31/; write `warm/`",
    ]);
  });

  it('says which credential form each backup engine reads, and that Velero ignores CronJob fields', async () => {
    expect(await problems('backup-credentials.yaml')).toEqual([
      'test/fixtures/config/backup-credentials.yaml:19:22 error /namespaces/analytics/backups/two-forms/credentials: write exactly one of `secret: <name>`, `serviceAccount: <name>` or `veleroServer: true`, not `secret` and `serviceAccount`',
      "test/fixtures/config/backup-credentials.yaml:25:40 error /namespaces/analytics/backups/velero-as-account/credentials/serviceAccount: the velero engine reaches the bucket with a Secret in Velero's namespace or the Velero server's identity: write `secret: <name>` or `veleroServer: true`, or `engine: cronjob` to run the copy as this service account",
      'test/fixtures/config/backup-credentials.yaml:26:9 error /namespaces/analytics/backups/velero-as-account/image: only the cronjob engine reads `image`; drop it, or write `engine: cronjob` (velero is the default engine)',
      'test/fixtures/config/backup-credentials.yaml:33:38 error /namespaces/analytics/backups/cronjob-as-server/credentials/veleroServer: only the velero engine has a server identity; for the cronjob engine write `secret: <name>` (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY) or `serviceAccount: <name>` (IRSA, workload identity)',
      'test/fixtures/config/backup-credentials.yaml:40:48 error /namespaces/analytics/backups/cronjob-with-key/credentials/key: the cronjob engine reads AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY from the Secret as environment variables; drop `key`',
    ]);
  });

  it("rejects a minute of 61 with the apiserver's own words and the field ranges", async () => {
    expect(await problems('bad-cron.yaml')).toEqual([
      'test/fixtures/config/bad-cron.yaml:17:19 error /namespaces/analytics/backups/warm-db-daily/schedule: schedule `61 * * * *`: end of range (61) above maximum (59): 61; fields are minute 0-59, hour 0-23, day of month 1-31, month 1-12, day of week 0-6',
    ]);
  });

  it('rejects `30 days` and suggests `30d`', async () => {
    expect(await problems('bad-duration.yaml')).toEqual([
      'test/fixtures/config/bad-duration.yaml:20:15 error /namespaces/analytics/backups/warm-db-daily/keep: `30 days` is not a duration; write `30d`',
    ]);
  });

  it("checks bucket names against S3's rules: lowercase, no adjacent periods, no reserved prefix", async () => {
    expect(await problems('bucket-names.yaml')).toEqual([
      'test/fixtures/config/bucket-names.yaml:10:20 error /buckets/backups/name: bucket name `Akosha-Backups` has uppercase letters; S3 bucket names are lowercase: write `akosha-backups`',
      'test/fixtures/config/bucket-names.yaml:11:21 error /buckets/archives/name: bucket name `akosha..archives` must not have two adjacent periods',
      'test/fixtures/config/bucket-names.yaml:12:21 error /buckets/projects/name: bucket name `xn--akosha-projects` must not start with `xn--` (reserved by AWS)',
    ]);
  });

  it('warns that a COMPLIANCE lock cannot be lifted', async () => {
    expect(await problems('compliance-lock.yaml')).toEqual([
      'test/fixtures/config/compliance-lock.yaml:13:25 warning /buckets/backups/objectLock/mode: COMPLIANCE retention cannot be shortened or lifted by anyone, root included, until it ends; use GOVERNANCE unless a regulation demands it',
    ]);
  });

  it('rejects day-of-week 7, as Kubernetes does (0-6)', async () => {
    expect(await problems('day-of-week-seven.yaml')).toEqual([
      'test/fixtures/config/day-of-week-seven.yaml:17:19 error /namespaces/analytics/backups/warm-db-daily/schedule: schedule `0 2 * * 7`: end of range (7) above maximum (6): 7; fields are minute 0-59, hour 0-23, day of month 1-31, month 1-12, day of week 0-6',
    ]);
  });

  it('reports a duplicate key at its second occurrence', async () => {
    expect(await problems('duplicate-key.yaml')).toEqual([
      'test/fixtures/config/duplicate-key.yaml:16:9 error /namespaces/codequal/volumes/deepwiki-data/size: duplicate key `size`: a key may appear once in a mapping; remove or rename one of them',
    ]);
  });

  it('rejects two namespaces with one physical name and a logical key that is not a Kubernetes name', async () => {
    expect(await problems('duplicate-physical-names.yaml')).toEqual([
      'test/fixtures/config/duplicate-physical-names.yaml:11:3 error /namespaces/analytics: namespace `analytics` has the same name `shared` as `codequal`; give each its own name',
      "test/fixtures/config/duplicate-physical-names.yaml:12:3 error /namespaces/Bad_Key: `Bad_Key` is not a valid key: lowercase letters, digits and '-', starting and ending with a letter or digit (RFC 1123); logical keys become Kubernetes names",
    ]);
  });

  it('rejects a lifecycle rule id used twice and the reserved backup-keep- prefix', async () => {
    expect(await problems('duplicate-rule-ids.yaml')).toEqual([
      'test/fixtures/config/duplicate-rule-ids.yaml:14:15 error /buckets/chat-archives/lifecycle/1/id: rule id `messages` is used twice in this bucket; give each rule its own id',
      'test/fixtures/config/duplicate-rule-ids.yaml:15:15 error /buckets/chat-archives/lifecycle/2/id: rule ids starting with `backup-keep-` are reserved for the expiration rules of backups; rename the rule',
    ]);
  });

  it('rejects a policy statement Sid used twice, since strata tells its statements apart by Sid', async () => {
    expect(await problems('duplicate-policy-sids.yaml')).toEqual([
      'test/fixtures/config/duplicate-policy-sids.yaml:14:18 error /buckets/chat-archives/policy/Statement/1/Sid: statement Sid `ReadArchive` is used twice in this policy; give each statement its own Sid',
    ]);
  });

  it('refuses a policy statement that is not a mapping, which the schema leaves to strata', async () => {
    expect(await problems('policy-statement-not-a-mapping.yaml')).toEqual([
      'test/fixtures/config/policy-statement-not-a-mapping.yaml:14:11 error /buckets/chat-archives/policy/Statement/1: a policy statement is a mapping of Effect, Principal, Action and Resource (and a Sid); write this one as one',
      'test/fixtures/config/policy-statement-not-a-mapping.yaml:17:49 error /buckets/website/policy/Statement: a policy statement is a mapping of Effect, Principal, Action and Resource (and a Sid); write this one as one',
    ]);
  });

  it('says an empty file is empty', async () => {
    expect(await problems('empty.yaml')).toEqual([
      'test/fixtures/config/empty.yaml:1:1 error /: the file is empty; an environment file starts with `apiVersion: strata.dev/v1alpha1` and `kind: Environment`',
    ]);
  });

  it('requires a reason on ignore rules, a YYYY-MM-DD until and an address glob', async () => {
    expect(await problems('ignore-rules.yaml')).toEqual([
      'test/fixtures/config/ignore-rules.yaml:6:5 error /ignore/0: missing required key `reason` (why the difference is accepted; shown in every drift report)',
      'test/fixtures/config/ignore-rules.yaml:8:12 error /ignore/0/until: `31.12.2026` is not a date; write YYYY-MM-DD, e.g. 2026-01-31',
      'test/fixtures/config/ignore-rules.yaml:9:14 error /ignore/1/address: `codequal-dev` is not a resource address; write system/Kind/name or system/Kind/namespace/name, `*` matching one segment, e.g. kubernetes/PersistentVolumeClaim/*/deepwiki-data',
    ]);
  });

  it('orders transitions and checks S3 minimums, expiration after the last transition, whole days, early-deletion fees and empty rules', async () => {
    expect(await problems('lifecycle-order.yaml')).toEqual([
      'test/fixtures/config/lifecycle-order.yaml:16:22 error /buckets/chat-archives/lifecycle/0/transitions/0/after: S3 moves objects to STANDARD_IA no sooner than 30 days; write `after: 30d` or later',
      'test/fixtures/config/lifecycle-order.yaml:17:22 error /buckets/chat-archives/lifecycle/0/transitions/1/after: objects must stay 30 days in STANDARD_IA before the next transition; write `after: 37d` or later',
      'test/fixtures/config/lifecycle-order.yaml:18:22 error /buckets/chat-archives/lifecycle/0/transitions/2/after: transitions must be in ascending order of age: 10d is not after 20d (GLACIER); move it later or reorder them',
      'test/fixtures/config/lifecycle-order.yaml:22:22 error /buckets/chat-archives/lifecycle/1/expireAfter: expireAfter 300d is not after the last transition (GLACIER at 365d); expire later or drop the transition',
      'test/fixtures/config/lifecycle-order.yaml:26:22 warning /buckets/chat-archives/lifecycle/2/expireAfter: expiring at 90d leaves objects only 90 days in DEEP_ARCHIVE, which bills at least 180 days (early-deletion fee); make it 180d or later',
      'test/fixtures/config/lifecycle-order.yaml:28:38 error /buckets/chat-archives/lifecycle/3/abortIncompleteUploadsAfter: `12h` is not a whole number of days; S3 lifecycle rules count in days, e.g. 1d',
      'test/fixtures/config/lifecycle-order.yaml:29:9 error /buckets/chat-archives/lifecycle/4: rule `nothing` does nothing; add transitions, expireAfter, noncurrentExpireAfter or abortIncompleteUploadsAfter',
    ]);
  });

  it('checks lifecycle sizes: whole positive bytes S3 can carry, and a range some object falls into', async () => {
    expect(await problems('lifecycle-sizes.yaml')).toEqual([
      'test/fixtures/config/lifecycle-sizes.yaml:13:22 error /buckets/code-analysis/lifecycle/0/smallerThan: no object is larger than `2Gi` and smaller than `1Gi`; write a smallerThan above largerThan (or swap them)',
      'test/fixtures/config/lifecycle-sizes.yaml:17:22 error /buckets/code-analysis/lifecycle/1/smallerThan: no object is larger than `1Gi` and smaller than `1024Mi`; write a smallerThan above largerThan (or swap them)',
      'test/fixtures/config/lifecycle-sizes.yaml:20:22 error /buckets/code-analysis/lifecycle/2/smallerThan: smallerThan must be more than 0 bytes; write a size such as 1Mi, or remove smallerThan',
      'test/fixtures/config/lifecycle-sizes.yaml:23:21 error /buckets/code-analysis/lifecycle/3/largerThan: largerThan `0.5` is not a whole number of bytes; write one, e.g. 512 or 1Ki',
      'test/fixtures/config/lifecycle-sizes.yaml:26:21 error /buckets/code-analysis/lifecycle/4/largerThan: largerThan `9000000Ti` is more bytes than S3 can filter on; write at most 8Pi',
      'test/fixtures/config/lifecycle-sizes.yaml:29:22 error /buckets/code-analysis/lifecycle/5/smallerThan: `1GB` is not a Kubernetes quantity; write `1Gi`',
    ]);
  });

  it('refuses two destinations that become one Velero location name, which would send one backup to the other', async () => {
    expect(await problems('velero-location-names.yaml')).toEqual([
      "test/fixtures/config/velero-location-names.yaml:25:49 error /namespaces/deepwiki/backups/index-nightly/destination/prefix: `akosha-backups-dev/DeepWiki` and `akosha-backups-dev/deepwiki` (/namespaces/deepwiki/backups/repo-cache-nightly) both become Velero BackupStorageLocation `akosha-backups-dev-deepwiki`, so this backup would write to the other's bucket and prefix; give it a prefix that differs in more than case and punctuation",
    ]);
  });

  it('refuses a cronjob backup of a Block volume, which has no file system to copy', async () => {
    expect(await problems('cronjob-block-volume.yaml')).toEqual([
      'test/fixtures/config/cronjob-block-volume.yaml:16:17 error /namespaces/analytics/backups/warehouse-raw-nightly/engine: the cronjob engine copies files (`aws s3 sync` from a mounted snapshot), and volume `warehouse-raw` is a Block device with no file system to mount; back it up with Velero (remove `engine: cronjob`), whose snapshots copy block volumes',
    ]);
  });

  it('limits CronJob names to 52 characters', async () => {
    expect(await problems('long-cronjob-name.yaml')).toEqual([
      'test/fixtures/config/long-cronjob-name.yaml:16:15 error /namespaces/analytics/backups/warm-db-daily/name: CronJob name `analytics-warm-database-daily-backup-to-s3-glacier-tier` has 55 characters; Kubernetes allows 52 (it appends 11 for each Job), so shorten it',
    ]);
  });

  it("limits a Velero Schedule's name (namespace, '-', backup) to 63, and makes backups sharing a location share its credential", async () => {
    expect(await problems('velero-backups.yaml')).toEqual([
      "test/fixtures/config/velero-backups.yaml:15:7 error /namespaces/analytics/backups/warm-db-daily-to-the-glacier-archive: Velero Schedule name `analytics-warehouse-production-eu-west-warm-db-daily-to-the-…` (namespace name, '-', backup name) has 75 characters; Velero labels each backup with it and labels allow 63, so shorten the backup's name",
      'test/fixtures/config/velero-backups.yaml:24:49 error /namespaces/analytics/backups/warm-db-weekly/destination/prefix: backup `warm-db-daily-to-the-glacier-archive` keeps its copies under `warm/` 30 days, and its rule `backup-keep-warm-db-daily-to-the-glacier-archive` deletes the copies under `warm/` of this backup (s3://akosha-backups-dev/warm) before its keep of 90 days; give the two backups prefixes where neither starts with the other',
      'test/fixtures/config/velero-backups.yaml:26:22 error /namespaces/analytics/backups/warm-db-weekly/credentials: this backup writes to the same bucket and prefix as /namespaces/analytics/backups/warm-db-daily-to-the-glacier-archive, so they share one Velero BackupStorageLocation, which has one credential: write the same credentials (secret: velero-s3, key: cloud), or give this backup a prefix of its own',
    ]);
  });

  it('names a missing required key, a misspelt enum value and the missing cluster target', async () => {
    expect(await problems('missing-required.yaml')).toEqual([
      'test/fixtures/config/missing-required.yaml:4:1 error /targets: namespaces or storage classes are declared but no cluster is; add `kubernetes: { context: <kubeconfig context> }` under targets',
      'test/fixtures/config/missing-required.yaml:6:60 error /storageClasses/fast-ssd/reclaimPolicy: `Retian` is not allowed here; did you mean `Retain`?',
      'test/fixtures/config/missing-required.yaml:11:7 error /namespaces/codequal/volumes/deepwiki-data: missing required key `size` (requested size, the floor, e.g. 20Gi)',
    ]);
  });

  it('requires a cluster for namespaces and an S3 target for buckets', async () => {
    expect(await problems('missing-targets.yaml')).toEqual([
      'test/fixtures/config/missing-targets.yaml:4:1 error /targets: namespaces or storage classes are declared but no cluster is; add `kubernetes: { context: <kubeconfig context> }` under targets',
      'test/fixtures/config/missing-targets.yaml:4:1 error /targets: buckets are declared but no S3 target is; add `s3: { region: <region> }` under targets',
    ]);
  });

  it('warns when maxSize asks for growth a storage class does not allow', async () => {
    expect(await problems('no-expansion.yaml')).toEqual([
      'test/fixtures/config/no-expansion.yaml:12:66 warning /namespaces/codequal/volumes/repo-cache/maxSize: maxSize 100Gi lets the volume grow, but storage class `standard` does not allow expansion; set allowVolumeExpansion: true on it',
    ]);
  });

  it('says what growth needs: maxSize, a positive step, a Filesystem claim, an expandable class, a percentage', async () => {
    expect(await problems('growth.yaml')).toEqual([
      'test/fixtures/config/growth.yaml:13:55 error /namespaces/codequal/volumes/no-limit/growth: growth needs maxSize, the size pvc-autoresizer never grows past (its storage_limit); add maxSize beside size, e.g. maxSize: 500Gi',
      'test/fixtures/config/growth.yaml:14:74 error /namespaces/codequal/volumes/fixed-class/growth: growth needs storage class `standard` to allow expansion, or Kubernetes refuses every resize; set allowVolumeExpansion: true under storageClasses.standard',
      'test/fixtures/config/growth.yaml:15:95 error /namespaces/codequal/volumes/no-step/growth/step: step 0Gi adds nothing; write a positive quantity, e.g. step: 20Gi',
      'test/fixtures/config/growth.yaml:16:85 error /namespaces/codequal/volumes/raw/growth: pvc-autoresizer grows only Filesystem volumes (it reads the file system usage); remove growth or set volumeMode: Filesystem',
      'test/fixtures/config/growth.yaml:17:88 error /namespaces/codequal/volumes/bare-number/growth/at: `80` is a number, not a percentage; write `80%`',
      'test/fixtures/config/growth.yaml:18:81 error /namespaces/codequal/volumes/full/growth/at: `100%` is not a percentage from 1% to 99%; write a whole number and %, e.g. `80%`',
    ]);
  });

  it('locates the first byte that is not UTF-8', async () => {
    expect(await problems('not-utf8.yaml')).toEqual([
      'test/fixtures/config/not-utf8.yaml:4:6 error /: is not UTF-8 text; save the file as UTF-8',
    ]);
  });

  it('refuses object lock with versioning off', async () => {
    expect(await problems('object-lock-without-versioning.yaml')).toEqual([
      'test/fixtures/config/object-lock-without-versioning.yaml:12:17 error /buckets/backups/versioning: object lock needs versioning; S3 cannot lock objects in a bucket with versioning off: write `versioning: true`',
    ]);
  });

  it('rejects a promotion cycle in every file of the cycle', async () => {
    expect(await problems('promotion-cycle')).toEqual([
      'test/fixtures/config/promotion-cycle/dev.yaml:3:38 error /metadata/promotesFrom: promotion cycle dev \u2190 prod \u2190 dev; one environment in the chain must not promote from another',
      'test/fixtures/config/promotion-cycle/prod.yaml:3:39 error /metadata/promotesFrom: promotion cycle prod \u2190 dev \u2190 prod; one environment in the chain must not promote from another',
    ]);
  });

  it('checks a quota against the volumes it must hold: classes, claim count, sizes and maxSizes', async () => {
    expect(await problems('quota.yaml')).toEqual([
      'test/fixtures/config/quota.yaml:13:25 warning /namespaces/codequal/quota/requests.storage: the volumes of the namespace may grow to 140Gi (their maxSize) but the quota allows 100Gi; growth stops at the quota unless you raise it to 140Gi',
      'test/fixtures/config/quota.yaml:14:31 error /namespaces/codequal/quota/persistentvolumeclaims: the namespace declares 2 volumes but its quota allows 1 claim; raise persistentvolumeclaims to at least 2',
      'test/fixtures/config/quota.yaml:15:28 error /namespaces/codequal/quota/classes/fast-ssd: the volumes of class `fast-ssd` request 80Gi but the quota allows 50Gi; raise it to at least 80Gi or shrink the volumes',
      'test/fixtures/config/quota.yaml:15:34 error /namespaces/codequal/quota/classes/standrd: storage class `standrd` is not declared under storageClasses; declared storage classes: fast-ssd',
    ]);
  });

  it('refuses a maxSize below size and says how to fix it', async () => {
    expect(await problems('shrinking-max-size.yaml')).toEqual([
      'test/fixtures/config/shrinking-max-size.yaml:13:69 error /namespaces/codequal/volumes/deepwiki-data/maxSize: maxSize 10Gi is below size 20Gi; a volume is never shrunk, so raise maxSize to at least 20Gi or lower size',
    ]);
  });

  it('rejects tabs used for indentation', async () => {
    expect(await problems('tabs.yaml')).toEqual([
      'test/fixtures/config/tabs.yaml:4:1 error /: tab used for indentation; YAML indents with spaces only',
    ]);
  });

  it('rejects a top-level list', async () => {
    expect(await problems('top-level-list.yaml')).toEqual([
      'test/fixtures/config/top-level-list.yaml:1:1 error /: the file holds a list; an environment file is a mapping with apiVersion, kind, metadata and targets',
    ]);
  });

  it('rejects a top-level scalar', async () => {
    expect(await problems('top-level-scalar.yaml')).toEqual([
      'test/fixtures/config/top-level-scalar.yaml:1:1 error /: the file holds the string `just a string`; an environment file is a mapping with apiVersion, kind, metadata and targets',
    ]);
  });

  it('moves TZ= out of the schedule into timeZone', async () => {
    expect(await problems('tz-in-schedule.yaml')).toEqual([
      'test/fixtures/config/tz-in-schedule.yaml:17:19 error /namespaces/analytics/backups/warm-db-daily/schedule: schedule `TZ=Europe/Berlin 0 2 * * *`: cannot use TZ or CRON_TZ in schedule, use timeZone field instead (move the zone to `timeZone:`)',
    ]);
  });

  it('suggests the declared storage class closest to an unknown one', async () => {
    expect(await problems('unknown-class.yaml')).toEqual([
      'test/fixtures/config/unknown-class.yaml:13:38 error /namespaces/codequal/volumes/deepwiki-data/storageClass: storage class `fast-sdd` is not declared under storageClasses; did you mean `fast-ssd`?',
    ]);
  });

  it('points at an unknown key and suggests the allowed one it resembles', async () => {
    expect(await problems('unknown-key.yaml')).toEqual([
      'test/fixtures/config/unknown-key.yaml:16:9 error /namespaces/codequal/volumes/deepwiki-data/maxsize: unknown key `maxsize`; did you mean `maxSize`?',
    ]);
  });

  it('rejects a time zone that is not in the IANA database', async () => {
    expect(await problems('unknown-time-zone.yaml')).toEqual([
      'test/fixtures/config/unknown-time-zone.yaml:18:19 error /namespaces/analytics/backups/warm-db-daily/timeZone: unknown time zone Mars/Olympus_Mons; write an IANA zone such as Etc/UTC or Europe/Berlin',
    ]);
  });

  it('suggests the S3 storage class closest to an unknown one', async () => {
    expect(await problems('unknown-transition-class.yaml')).toEqual([
      'test/fixtures/config/unknown-transition-class.yaml:14:53 error /buckets/chat-archives/lifecycle/0/transitions/0/storageClass: `GLACEIR` is not allowed here; did you mean `GLACIER`?',
    ]);
  });

  it('requires the apiVersion and suggests `buckets` for `bucket`', async () => {
    expect(await problems('wrong-api-version.yaml')).toEqual([
      'test/fixtures/config/wrong-api-version.yaml:1:13 error /apiVersion: must be `strata.dev/v1alpha1`',
      'test/fixtures/config/wrong-api-version.yaml:5:1 error /bucket: unknown key `bucket`; did you mean `buckets`?',
    ]);
  });

  it('requires metadata.name to match the file name and warns about an unknown promotesFrom', async () => {
    expect(await problems('wrong-name/wrong-name.yaml')).toEqual([
      'test/fixtures/config/wrong-name/wrong-name.yaml:3:19 error /metadata/name: metadata.name `prod` differs from the file name; write `wrong-name` or rename the file to prod.yaml',
      'test/fixtures/config/wrong-name/wrong-name.yaml:3:39 warning /metadata/promotesFrom: promotesFrom names `qa`, but there is no qa.yaml next to this file',
    ]);
  });

  it('rejects `1Tb` and suggests `1Ti`', async () => {
    expect(await problems('wrong-quantity.yaml')).toEqual([
      'test/fixtures/config/wrong-quantity.yaml:13:54 error /namespaces/codequal/volumes/deepwiki-data/size: `1Tb` is not a Kubernetes quantity; write `1Ti`',
    ]);
  });

  it('takes targets.s3.concurrency only as a whole number from 1 to 512', async () => {
    expect(await problems('s3-concurrency.yaml')).toEqual([
      'test/fixtures/config/s3-concurrency.yaml:5:41 error /targets/s3/concurrency: `0` is out of range; write a whole number from 1 to 512',
    ]);
  });

  it('locates a YAML syntax error', async () => {
    expect(await problems('yaml-syntax-error.yaml')).toEqual([
      'test/fixtures/config/yaml-syntax-error.yaml:4:1 error /: YAML syntax error: Flow map in block collection must be sufficiently indented and end with a }',
    ]);
  });

  it('warns about a volume no backup names, with both fixes', async () => {
    expect(await problems('volume-without-backup.yaml')).toEqual([
      "test/fixtures/config/volume-without-backup.yaml:14:7 warning /namespaces/codequal/volumes/repo-cache: no backup names volume `repo-cache`; declare one under the namespace's backups (`volume: repo-cache`), or write `backup: { none: <why it needs none> }` on the volume",
    ]);
  });

  it('rejects a volume marked `backup: none` that a backup names, and a blank reason', async () => {
    expect(await problems('backup-none-and-named.yaml')).toEqual([
      'test/fixtures/config/backup-none-and-named.yaml:16:9 error /namespaces/codequal/volumes/deepwiki-data/backup: volume `deepwiki-data` is marked `backup: none` but backup `deepwiki-nightly` names it; remove `backup: none` or the backup',
      'test/fixtures/config/backup-none-and-named.yaml:20:25 error /namespaces/codequal/volumes/repo-cache/backup/none: say why the volume needs no backup, e.g. `none: clones are rebuilt from git`',
    ]);
  });

  it("rejects lifecycle rules, and other backups' rules, that expire copies before `keep`; longer, disabled and tagged rules are fine", async () => {
    expect(await problems('lifecycle-expires-backups-early.yaml')).toEqual([
      'test/fixtures/config/lifecycle-expires-backups-early.yaml:25:49 error /namespaces/analytics/backups/cold-db-daily/destination/prefix: backup `warm-db-daily` keeps its copies under `db/` 7 days, and its rule `backup-keep-warm-db-daily` deletes every copy of this backup (s3://akosha-backups-dev/db/cold/) before its keep of 30 days; give the two backups prefixes where neither starts with the other',
      'test/fixtures/config/lifecycle-expires-backups-early.yaml:36:22 error /buckets/backups/lifecycle/1/expireAfter: rule `old-db` expires objects under `db/` after 3 days, so it deletes every copy of backup `warm-db-daily` (s3://akosha-backups-dev/db/) before its keep of 7 days; raise expireAfter to at least 7d or narrow its prefix so it leaves `db/` out',
      'test/fixtures/config/lifecycle-expires-backups-early.yaml:36:22 error /buckets/backups/lifecycle/1/expireAfter: rule `old-db` expires objects under `db/` after 3 days, so it deletes every copy of backup `cold-db-daily` (s3://akosha-backups-dev/db/cold/) before its keep of 30 days; raise expireAfter to at least 30d or narrow its prefix so it leaves `db/cold/` out',
      'test/fixtures/config/lifecycle-expires-backups-early.yaml:39:22 error /buckets/backups/lifecycle/2/expireAfter: rule `cold-2025` expires objects under `db/cold/2025/` after 14 days, so it deletes the copies under `db/cold/2025/` of backup `cold-db-daily` (s3://akosha-backups-dev/db/cold/) before its keep of 30 days; raise expireAfter to at least 30d or move its prefix out of `db/cold/`',
    ]);
  });

  it('warns that an object lock longer than `keep` holds copies until it ends', async () => {
    expect(await problems('object-lock-longer-than-keep.yaml')).toEqual([
      "test/fixtures/config/object-lock-longer-than-keep.yaml:19:15 warning /namespaces/codequal/backups/deepwiki-nightly/keep: copies are kept 30 days, but bucket `backups` locks every object version for 90 days (objectLock GOVERNANCE); neither the expiration rule nor Velero's garbage collection can delete a locked copy before its lock ends, so copies stay 90 days: shorten the lock to 30 days or raise keep to 90d",
    ]);
  });

  it('warns that a versioned bucket without a noncurrent expiration never deletes expired copies', async () => {
    expect(await problems('versioned-backups-never-deleted.yaml')).toEqual([
      'test/fixtures/config/versioned-backups-never-deleted.yaml:18:32 warning /namespaces/codequal/backups/deepwiki-nightly/destination/bucket: bucket `backups` keeps versions, so expiring a copy after 30 days only hides it behind a delete marker, and no lifecycle rule with noncurrentExpireAfter covers `deepwiki/`: the copies are never deleted; add one to the bucket (e.g. `noncurrentExpireAfter: 1d`, with no prefix or prefix `deepwiki/`)',
    ]);
  });
});
