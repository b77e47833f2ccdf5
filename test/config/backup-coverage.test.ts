/**
 * What the file says happens to backups, and the checks built on it, without files or servers. Each test plants one
 * inconsistency in an otherwise consistent document (the corpus in `corpus.test.ts` checks the same findings with
 * their lines and columns).
 */
import { describe, expect, it } from 'vitest';
import { copiesFate } from '../../src/config/backup-coverage.js';
import type { CheckInput } from '../../src/config/checks/check.js';
import { checkBackupRetention, checkVolumeCoverage } from '../../src/config/checks/coverage.js';
import type {
  BackupDeclaration,
  BucketDeclaration,
  EnvironmentDocument,
  VolumeDeclaration,
} from '../../src/model/environment.js';

const nightly: BackupDeclaration = {
  volume: 'deepwiki-data',
  schedule: '0 2 * * *',
  destination: { bucket: 'backups', prefix: 'deepwiki/' },
  keep: '30d',
  credentials: { veleroServer: true },
};

function document(
  options: {
    volumes?: Record<string, VolumeDeclaration>;
    backups?: Record<string, BackupDeclaration>;
    bucket?: Partial<BucketDeclaration>;
  } = {},
): EnvironmentDocument {
  return {
    apiVersion: 'strata.dev/v1alpha1',
    kind: 'Environment',
    metadata: { name: 'dev' },
    targets: { kubernetes: {}, s3: {} },
    namespaces: {
      codequal: {
        name: 'codequal-dev',
        volumes: options.volumes ?? { 'deepwiki-data': { storageClass: 'fast-ssd', size: '20Gi' } },
        backups: options.backups ?? { 'deepwiki-nightly': nightly },
      },
    },
    buckets: { backups: { name: 'akosha-backups-dev', ...options.bucket } },
  };
}

const fateOf = (doc: EnvironmentDocument, backup = 'deepwiki-nightly') => copiesFate(doc, 'codequal', backup);
const input = (doc: EnvironmentDocument): CheckInput => ({
  document: doc,
  fileName: 'dev',
  accepted: () => true,
  environments: new Map(),
});
const messages = (check: typeof checkVolumeCoverage, doc: EnvironmentDocument) =>
  check(input(doc)).map((finding) => `${finding.severity} ${finding.path}: ${finding.message}`);

describe('the fate of copies', () => {
  it("is the backup's own keep rule when no other rule reaches them", () => {
    expect(fateOf(document())).toEqual({
      keepDays: 30,
      expiredBy: {
        ruleId: 'backup-keep-deepwiki-nightly',
        days: 30,
        prefix: 'deepwiki/',
        source: { kind: 'backup', namespace: 'codequal', backup: 'deepwiki-nightly' },
        coversAll: true,
      },
      early: [],
      versioned: false,
    });
  });

  it('ignores a longer expiration over the same prefix, since S3 honours the shorter one', () => {
    const fate = fateOf(document({ bucket: { lifecycle: [{ id: 'everything', expireAfter: '90d' }] } }));
    expect(fate?.expiredBy.ruleId).toBe('backup-keep-deepwiki-nightly');
    expect(fate?.early).toEqual([]);
  });

  it('names a shorter rule over a shorter prefix as the one that expires every copy early', () => {
    const fate = fateOf(document({ bucket: { lifecycle: [{ id: 'short', prefix: 'deep', expireAfter: '7d' }] } }));
    expect(fate?.expiredBy).toMatchObject({ ruleId: 'short', days: 7, coversAll: true });
    expect(fate?.early.map((expiration) => expiration.ruleId)).toEqual(['short']);
  });

  it('counts a shorter rule over a longer prefix as early for the copies under it only', () => {
    const fate = fateOf(
      document({ bucket: { lifecycle: [{ id: 'old', prefix: 'deepwiki/2025/', expireAfter: '7d' }] } }),
    );
    expect(fate?.expiredBy.ruleId).toBe('backup-keep-deepwiki-nightly');
    expect(fate?.early).toMatchObject([{ ruleId: 'old', coversAll: false }]);
  });

  it('leaves out disabled rules, tagged rules and rules over other prefixes', () => {
    const lifecycle = [
      { id: 'paused', enabled: false, expireAfter: '1d' },
      { id: 'tagged', tags: { temporary: 'true' }, expireAfter: '1d' },
      { id: 'elsewhere', prefix: 'warm/', expireAfter: '1d' },
    ];
    expect(fateOf(document({ bucket: { lifecycle } }))?.early).toEqual([]);
  });

  it("counts another backup's shorter keep over an enclosing prefix as early", () => {
    const backups = {
      'deepwiki-nightly': nightly,
      everything: { ...nightly, destination: { bucket: 'backups', prefix: '' }, keep: '7d' },
    };
    expect(fateOf(document({ backups }))?.early).toMatchObject([
      { ruleId: 'backup-keep-everything', source: { kind: 'backup', backup: 'everything' } },
    ]);
  });

  it('reads a lock in years as 365 days each', () => {
    const bucket = { versioning: true, objectLock: { mode: 'GOVERNANCE' as const, years: 1 } };
    expect(fateOf(document({ bucket }))?.lock).toEqual({ mode: 'GOVERNANCE', days: 365 });
  });

  it('treats a bucket with object lock as versioned, and finds the noncurrent expiration over the copies', () => {
    const bucket = {
      objectLock: { mode: 'GOVERNANCE' as const, days: 30 },
      lifecycle: [{ id: 'cleanup', noncurrentExpireAfter: '30d' }],
    };
    expect(fateOf(document({ bucket }))).toMatchObject({
      versioned: true,
      noncurrentExpiredBy: { ruleId: 'cleanup', days: 30 },
    });
  });

  it('has no answer for a keep that is not a duration', () => {
    expect(fateOf(document({ backups: { 'deepwiki-nightly': { ...nightly, keep: '30 days' } } }))).toBeUndefined();
  });
});

describe('checkVolumeCoverage', () => {
  it('passes a volume a backup names', () => {
    expect(messages(checkVolumeCoverage, document())).toEqual([]);
  });

  it('passes a volume marked `backup: none` with a reason', () => {
    const volumes = {
      'deepwiki-data': { storageClass: 'fast-ssd', size: '20Gi' },
      'repo-cache': { storageClass: 'fast-ssd', size: '50Gi', backup: { none: 'clones are rebuilt from git' } },
    };
    expect(messages(checkVolumeCoverage, document({ volumes }))).toEqual([]);
  });

  it('warns about a volume no backup names, with both fixes', () => {
    expect(messages(checkVolumeCoverage, document({ backups: {} }))).toEqual([
      "warning /namespaces/codequal/volumes/deepwiki-data: no backup names volume `deepwiki-data`; declare one under the namespace's backups (`volume: deepwiki-data`), or write `backup: { none: <why it needs none> }` on the volume",
    ]);
  });

  it('rejects `backup: none` on a volume a backup names', () => {
    const volumes = { 'deepwiki-data': { storageClass: 'fast-ssd', size: '20Gi', backup: { none: 'rebuilt' } } };
    expect(messages(checkVolumeCoverage, document({ volumes }))).toEqual([
      'error /namespaces/codequal/volumes/deepwiki-data/backup: volume `deepwiki-data` is marked `backup: none` but backup `deepwiki-nightly` names it; remove `backup: none` or the backup',
    ]);
  });

  it('rejects a blank reason', () => {
    const volumes = { 'repo-cache': { storageClass: 'fast-ssd', size: '50Gi', backup: { none: ' ' } } };
    expect(messages(checkVolumeCoverage, document({ volumes, backups: {} }))).toEqual([
      'error /namespaces/codequal/volumes/repo-cache/backup/none: say why the volume needs no backup, e.g. `none: clones are rebuilt from git`',
    ]);
  });
});

describe('checkBackupRetention', () => {
  it('passes a backup whose own rule expires its copies', () => {
    expect(messages(checkBackupRetention, document())).toEqual([]);
  });

  it('rejects a declared rule that expires copies before keep, at its expireAfter', () => {
    const lifecycle = [{ id: 'short', expireAfter: '7d' }];
    expect(messages(checkBackupRetention, document({ bucket: { lifecycle } }))).toEqual([
      'error /buckets/backups/lifecycle/0/expireAfter: rule `short` expires every object after 7 days, so it deletes every copy of backup `deepwiki-nightly` (s3://akosha-backups-dev/deepwiki/) before its keep of 30 days; raise expireAfter to at least 30d or narrow its prefix so it leaves `deepwiki/` out',
    ]);
  });

  it('warns about an object lock longer than keep, at keep', () => {
    const bucket = {
      versioning: true,
      objectLock: { mode: 'COMPLIANCE' as const, days: 90 },
      lifecycle: [{ id: 'cleanup', noncurrentExpireAfter: '1d' }],
    };
    expect(messages(checkBackupRetention, document({ bucket }))).toEqual([
      "warning /namespaces/codequal/backups/deepwiki-nightly/keep: copies are kept 30 days, but bucket `backups` locks every object version for 90 days (objectLock COMPLIANCE); neither the expiration rule nor Velero's garbage collection can delete a locked copy before its lock ends, so copies stay 90 days: shorten the lock to 30 days or raise keep to 90d",
    ]);
  });

  it('passes an object lock no longer than keep', () => {
    const bucket = {
      versioning: true,
      objectLock: { mode: 'GOVERNANCE' as const, days: 30 },
      lifecycle: [{ id: 'cleanup', noncurrentExpireAfter: '1d' }],
    };
    expect(messages(checkBackupRetention, document({ bucket }))).toEqual([]);
  });

  it('warns that a versioned bucket without a noncurrent expiration over the copies never deletes them', () => {
    expect(messages(checkBackupRetention, document({ bucket: { versioning: true } }))).toEqual([
      'warning /namespaces/codequal/backups/deepwiki-nightly/destination/bucket: bucket `backups` keeps versions, so expiring a copy after 30 days only hides it behind a delete marker, and no lifecycle rule with noncurrentExpireAfter covers `deepwiki/`: the copies are never deleted; add one to the bucket (e.g. `noncurrentExpireAfter: 1d`, with no prefix or prefix `deepwiki/`)',
    ]);
  });

  it('reads nothing the schema refused', () => {
    const refused: CheckInput = { ...input(document({ bucket: { versioning: true } })), accepted: () => false };
    expect(checkBackupRetention(refused)).toEqual([]);
  });
});
