import { describe, expect, it } from 'vitest';
import type { Action, Change } from '../../src/model/plan.js';
import type { ResourceKind } from '../../src/model/address.js';
import { addressKey } from '../../src/model/address.js';
import type { LifecycleRule, ReclaimPolicy, SpecByKind } from '../../src/model/resources.js';
import { diffSpecs } from '../../src/plan/diff.js';
import { risksOf, type RiskContext } from '../../src/plan/risks.js';
import { address, backupCronJob, desired, lifecycleRule, observed } from '../fixtures/plan/builders.js';

function changeOf<K extends ResourceKind>(
  kind: K,
  action: Action,
  before: SpecByKind[K] | undefined,
  after: SpecByKind[K] | undefined,
): Change {
  const change: Change = { address: address(kind, 'x'), action, attributes: diffSpecs(kind, before, after), risks: [] };
  if (before !== undefined) change.before = before;
  if (after !== undefined) change.after = after;
  return change;
}

const rule = lifecycleRule;
const claim = (size: string): SpecByKind['PersistentVolumeClaim'] => ({
  storageClassName: 'fast-ssd',
  accessModes: ['ReadWriteOnce'],
  volumeMode: 'Filesystem',
  size,
});
const storageClass: SpecByKind['StorageClass'] = {
  provisioner: 'ebs.csi.aws.com',
  parameters: { type: 'gp2' },
  reclaimPolicy: 'Retain',
  volumeBindingMode: 'WaitForFirstConsumer',
  allowVolumeExpansion: true,
  mountOptions: [],
};
const blockAll = {
  blockPublicAcls: true,
  ignorePublicAcls: true,
  blockPublicPolicy: true,
  restrictPublicBuckets: true,
};

/** What the plan knows of class fast-ssd: observed with `observedPolicy`, declared with `declaredPolicy`. */
function knowing(observedPolicy?: ReclaimPolicy, declaredPolicy?: ReclaimPolicy): RiskContext {
  const key = addressKey(address('StorageClass', 'fast-ssd'));
  const withPolicy = (reclaimPolicy: ReclaimPolicy) => ({ ...storageClass, reclaimPolicy });
  return {
    observedByKey: new Map(
      observedPolicy ? [[key, observed('StorageClass', 'fast-ssd', withPolicy(observedPolicy))]] : [],
    ),
    desiredByKey: new Map(
      declaredPolicy ? [[key, desired('StorageClass', 'fast-ssd', withPolicy(declaredPolicy))]] : [],
    ),
  };
}

describe('what deleting or replacing a claim does to its volume', () => {
  const deleted = changeOf('PersistentVolumeClaim', 'delete', claim('200Gi'), undefined);
  const replaced = changeOf('PersistentVolumeClaim', 'replace', claim('50Gi'), {
    ...claim('50Gi'),
    storageClassName: 'standard',
  });

  it('says the volume and its data are deleted when its class is known to delete volumes', () => {
    expect(risksOf(deleted, knowing('Delete'))).toEqual([
      {
        kind: 'data-loss',
        severity: 'high',
        message:
          'deleting the claim deletes its volume and the data on it (200Gi): class fast-ssd has reclaimPolicy Delete',
      },
    ]);
  });

  it('says the volume is kept, Released, when its class is known to retain volumes: no data is lost', () => {
    expect(risksOf(deleted, knowing('Retain'))).toEqual([
      {
        kind: 'cost',
        severity: 'low',
        message:
          'deleting the claim keeps its volume and the data on it (200Gi), Released, as class fast-ssd retains volumes: it is billed until someone deletes it',
      },
    ]);
  });

  it('hedges only when the class is neither declared nor observed', () => {
    expect(risksOf(deleted)).toEqual([
      {
        kind: 'data-loss',
        severity: 'high',
        message:
          'deleting the claim deletes its volume and the data on it (200Gi) unless class fast-ssd retains volumes',
      },
    ]);
  });

  it('takes a class the plan has not observed as declared', () => {
    expect(risksOf(deleted, knowing(undefined, 'Delete'))[0]?.message).toBe(
      'deleting the claim deletes its volume and the data on it (200Gi): class fast-ssd has reclaimPolicy Delete',
    );
  });

  it('goes by the class as observed when the file declares it otherwise: that decided the volume', () => {
    expect(risksOf(deleted, knowing('Retain', 'Delete'))[0]?.kind).toBe('cost');
  });

  it('flags replacing a claim: its volume goes with it, or stays Released while the new claim starts empty', () => {
    expect(risksOf(replaced, knowing('Delete'))).toEqual([
      {
        kind: 'data-loss',
        severity: 'high',
        message:
          'storageClassName fast-ssd → standard replaces the claim: its volume and data are deleted (class fast-ssd has reclaimPolicy Delete); migrate the data first',
        path: 'storageClassName',
      },
    ]);
    expect(risksOf(replaced, knowing('Retain'))).toMatchObject([
      {
        kind: 'data-loss',
        severity: 'high',
        message:
          'storageClassName fast-ssd → standard replaces the claim: the new claim starts empty; the old volume keeps the data, Released, as class fast-ssd retains volumes; migrate the data first',
      },
    ]);
    expect(risksOf(replaced)[0]?.message).toBe(
      'storageClassName fast-ssd → standard replaces the claim: its volume and data are deleted unless class fast-ssd retains volumes; migrate the data first',
    );
  });
});

describe('data-loss risks', () => {
  it('flags deleting a bucket', () => {
    expect(risksOf(changeOf('Bucket', 'delete', { objectLockEnabled: false }, undefined))[0]).toMatchObject({
      kind: 'data-loss',
      message: 'deleting the bucket deletes every object in it',
    });
  });

  it('flags deleting a namespace', () => {
    expect(risksOf(changeOf('Namespace', 'delete', { labels: {} }, undefined))[0]?.kind).toBe('data-loss');
  });

  it('flags a shortened expiration with the ages that become eligible for deletion', () => {
    const change = changeOf(
      'BucketLifecycle',
      'update',
      { rules: [rule({ expirationDays: 2555 })] },
      { rules: [rule({ expirationDays: 365 })] },
    );
    expect(risksOf(change)).toEqual([
      {
        kind: 'data-loss',
        severity: 'high',
        message:
          'lifecycle rule "tiering" expiration 2555d → 365d (objects 1–7 years old become eligible for deletion)',
        path: 'rules[tiering].expirationDays',
      },
    ]);
  });

  it('flags an expiration added to an existing rule', () => {
    const change = changeOf(
      'BucketLifecycle',
      'update',
      { rules: [rule({})] },
      { rules: [rule({ expirationDays: 90 })] },
    );
    expect(risksOf(change)[0]?.message).toBe(
      'lifecycle rule "tiering" expiration none → 90d (objects over 90d old become eligible for deletion)',
    );
  });

  it('does not flag a longer expiration or a new rule', () => {
    const longer = changeOf(
      'BucketLifecycle',
      'update',
      { rules: [rule({ expirationDays: 30 })] },
      { rules: [rule({ expirationDays: 90 }), rule({ id: 'new', expirationDays: 1 })] },
    );
    expect(risksOf(longer)).toEqual([]);
  });

  it('flags a shortened noncurrent-version expiration', () => {
    const change = changeOf(
      'BucketLifecycle',
      'update',
      { rules: [rule({ noncurrentExpirationDays: 90 })] },
      { rules: [rule({ noncurrentExpirationDays: 30 })] },
    );
    expect(risksOf(change)).toMatchObject([
      {
        kind: 'data-loss',
        severity: 'medium',
        message:
          'lifecycle rule "tiering" noncurrent expiration 90d → 30d (old versions 30–90 days old become eligible for deletion)',
      },
    ]);
  });

  it('flags a shortened backup keep', () => {
    const backup = backupCronJob();
    expect(risksOf(changeOf('CronJob', 'update', backup, { ...backup, keepDays: 7 }))[0]?.message).toBe(
      'backups kept 30d → 7d (backups 7–30 days old will be deleted)',
    );
  });

  describe('velero objects', () => {
    const schedule: SpecByKind['Schedule'] = {
      schedule: '0 2 * * *',
      timeZone: 'Etc/UTC',
      includedNamespaces: ['analytics-prod'],
      labelSelector: { 'strata.dev/volume': 'warm-db' },
      keepDays: 30,
      storageLocation: 'backups-warm',
      snapshotVolumes: true,
      paused: false,
    };
    const location: SpecByKind['BackupStorageLocation'] = {
      provider: 'aws',
      bucket: 'akosha-backups-prod',
      prefix: 'warm',
      config: {},
    };

    it('flags deleting or pausing a schedule, which stops its backups, and a shortened ttl', () => {
      expect(risksOf(changeOf('Schedule', 'delete', schedule, undefined))[0]?.message).toBe(
        'deleting the schedule stops its backups (backups already taken keep their ttl)',
      );
      expect(risksOf(changeOf('Schedule', 'update', schedule, { ...schedule, paused: true }))[0]?.message).toBe(
        'paused: Velero takes no backups until it is resumed',
      );
      expect(risksOf(changeOf('Schedule', 'update', schedule, { ...schedule, keepDays: 7 }))[0]?.message).toBe(
        'backups kept 30d → 7d (Velero deletes the new backups after 7d)',
      );
      expect(risksOf(changeOf('Schedule', 'create', undefined, schedule))).toEqual([]);
    });

    it('flags deleting or moving a location, which leaves its backups unreachable for restore', () => {
      expect(risksOf(changeOf('BackupStorageLocation', 'delete', location, undefined))[0]?.message).toBe(
        'deleting the location makes the backups under s3://akosha-backups-prod/warm unreachable for restore (they stay in the bucket)',
      );
      expect(
        risksOf(changeOf('BackupStorageLocation', 'update', location, { ...location, prefix: 'cold' }))[0],
      ).toMatchObject({ kind: 'data-loss', path: 'prefix' });
      expect(
        risksOf(
          changeOf('BackupStorageLocation', 'update', location, { ...location, config: { region: 'eu-west-1' } }),
        ),
      ).toEqual([]);
    });
  });

  it('flags suspending versioning', () => {
    expect(
      risksOf(changeOf('BucketVersioning', 'update', { status: 'Enabled' }, { status: 'Suspended' })),
    ).toMatchObject([
      {
        kind: 'data-loss',
        severity: 'high',
        message: 'versioning Enabled → Suspended: overwritten and deleted objects can no longer be recovered',
      },
    ]);
  });

  it('flags a class that starts deleting volumes with their claims (Retain → Delete)', () => {
    const risks = risksOf(
      changeOf('StorageClass', 'replace', storageClass, { ...storageClass, reclaimPolicy: 'Delete' }),
    );
    expect(risks.map((risk) => risk.kind)).toEqual(['data-loss', 'replace']);
  });

  it('flags a shortened object lock retention', () => {
    const change = changeOf(
      'BucketObjectLock',
      'update',
      { defaultRetention: { mode: 'GOVERNANCE', years: 7 } },
      { defaultRetention: { mode: 'GOVERNANCE', years: 1 } },
    );
    expect(risksOf(change)).toMatchObject([
      { kind: 'data-loss', message: 'default retention 7y → 1y: new objects are protected for less time' },
    ]);
  });
});

describe('security-weakened risks', () => {
  it('flags turning the public access block off', () => {
    const change = changeOf('BucketPublicAccessBlock', 'update', blockAll, {
      ...blockAll,
      blockPublicPolicy: false,
      restrictPublicBuckets: false,
    });
    expect(risksOf(change)).toMatchObject([
      {
        kind: 'security-weakened',
        severity: 'high',
        message:
          'public access block turned off (blockPublicPolicy, restrictPublicBuckets): the bucket can be made public',
      },
    ]);
  });

  it('flags removing default encryption', () => {
    expect(risksOf(changeOf('BucketEncryption', 'delete', { algorithm: 'AES256' }, undefined))[0]?.kind).toBe(
      'security-weakened',
    );
  });

  it('flags a policy statement widened to everyone, by its Sid (more in policy-risks.test.ts)', () => {
    const statement = { Sid: 'MediaRead', Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::media/*' };
    const change = changeOf(
      'BucketPolicy',
      'update',
      { document: { Statement: [{ ...statement, Principal: { AWS: 'arn:aws:iam::1:root' } }] } },
      { document: { Statement: [{ ...statement, Principal: { AWS: ['*'] } }] } },
    );
    expect(risksOf(change)).toMatchObject([
      { kind: 'security-weakened', message: 'policy statement "MediaRead" allows everyone (Principal "*")' },
    ]);
  });
});

describe('irreversible risks', () => {
  it('flags a COMPLIANCE retention', () => {
    const change = changeOf('BucketObjectLock', 'create', undefined, {
      defaultRetention: { mode: 'COMPLIANCE', years: 7 },
    });
    expect(risksOf(change)).toMatchObject([
      {
        kind: 'irreversible',
        severity: 'high',
        message:
          'COMPLIANCE retention of 7y: no one, the root account included, can shorten it or delete a locked object before it expires',
      },
    ]);
  });

  it('flags a bucket created with object lock', () => {
    expect(risksOf(changeOf('Bucket', 'create', undefined, { objectLockEnabled: true }))).toMatchObject([
      { kind: 'irreversible', message: 'object lock cannot be turned off once the bucket exists' },
    ]);
  });
});

describe('replace risks', () => {
  it('says existing volumes keep their class when a StorageClass is replaced', () => {
    const change = changeOf('StorageClass', 'replace', storageClass, { ...storageClass, parameters: { type: 'gp3' } });
    expect(risksOf(change)).toEqual([
      {
        kind: 'replace',
        severity: 'medium',
        message:
          'parameters.type gp2 → gp3 forces delete + create (existing volumes keep their class; new claims use the new one)',
        path: 'parameters.type',
      },
    ]);
  });
});

describe('cost risks', () => {
  it('counts requested storage growth in bytes with a +Gi message', () => {
    expect(risksOf(changeOf('PersistentVolumeClaim', 'update', claim('50Gi'), claim('200Gi')))).toEqual([
      {
        kind: 'cost',
        severity: 'low',
        message: '+150Gi requested storage (50Gi → 200Gi)',
        path: 'size',
        storageDeltaBytes: 150 * 2 ** 30,
      },
    ]);
  });

  it('counts a new claim', () => {
    expect(risksOf(changeOf('PersistentVolumeClaim', 'create', undefined, claim('1Ti')))[0]).toMatchObject({
      message: '+1Ti requested storage (new claim)',
      storageDeltaBytes: 2 ** 40,
    });
  });

  it('names the storage pvc-autoresizer may add later, without counting it as requested', () => {
    const growth = (storageLimit: string) => ({ threshold: '20%', increase: '20Gi', storageLimit });
    expect(
      risksOf(
        changeOf('PersistentVolumeClaim', 'update', claim('20Gi'), { ...claim('20Gi'), growth: growth('500Gi') }),
      ),
    ).toEqual([
      {
        kind: 'cost',
        severity: 'low',
        message: 'pvc-autoresizer may grow the claim up to 500Gi (growth is new)',
        path: 'growth',
      },
    ]);
    const raised = risksOf(
      changeOf(
        'PersistentVolumeClaim',
        'update',
        { ...claim('20Gi'), growth: growth('500Gi') },
        { ...claim('20Gi'), growth: growth('1Ti') },
      ),
    );
    expect(raised).toMatchObject([
      { message: 'pvc-autoresizer may grow the claim up to 1Ti (storage_limit 500Gi → 1Ti)' },
    ]);
    expect(
      risksOf(
        changeOf(
          'PersistentVolumeClaim',
          'update',
          { ...claim('20Gi'), growth: growth('1Ti') },
          { ...claim('20Gi'), growth: growth('500Gi') },
        ),
      ),
    ).toEqual([]);
  });

  it('counts a bigger storage quota', () => {
    expect(
      risksOf(
        changeOf(
          'ResourceQuota',
          'update',
          { hard: { 'requests.storage': '1Ti' } },
          { hard: { 'requests.storage': '1536Gi' } },
        ),
      ),
    ).toMatchObject([
      {
        kind: 'cost',
        message: '+512Gi storage quota requests.storage (1Ti → 1536Gi)',
        path: 'hard["requests.storage"]',
      },
    ]);
  });

  it('flags objects kept longer in a more expensive storage class', () => {
    const before = rule({
      transitions: [
        { days: 30, storageClass: 'STANDARD_IA' },
        { days: 90, storageClass: 'GLACIER' },
      ],
    });
    const after = rule({
      transitions: [
        { days: 30, storageClass: 'STANDARD_IA' },
        { days: 365, storageClass: 'GLACIER' },
      ],
    });
    expect(risksOf(changeOf('BucketLifecycle', 'update', { rules: [before] }, { rules: [after] }))).toMatchObject([
      {
        kind: 'cost',
        message: 'lifecycle rule "tiering": objects 90–365 days old stay in STANDARD_IA instead of GLACIER',
      },
    ]);
  });
});

describe('lifecycle size filters', () => {
  const expiring = (sizes: Partial<LifecycleRule>) =>
    rule({ id: 'expire-small', expirationDays: 90, transitions: [], ...sizes });

  it('flags data loss when an expiring rule takes in more sizes, worded as sizes', () => {
    expect(
      risksOf(
        changeOf(
          'BucketLifecycle',
          'update',
          { rules: [expiring({ smallerThan: '1Gi' })] },
          { rules: [expiring({ smallerThan: '2Gi' })] },
        ),
      ),
    ).toMatchObject([
      {
        kind: 'data-loss',
        severity: 'high',
        message: 'lifecycle rule "expire-small" now expires objects smaller than 2Gi (was smaller than 1Gi)',
        path: 'rules[expire-small].smallerThan',
      },
    ]);
    expect(
      risksOf(
        changeOf(
          'BucketLifecycle',
          'update',
          { rules: [expiring({ largerThan: '1Mi', smallerThan: '1Gi' })] },
          { rules: [expiring({ smallerThan: '1Gi' })] },
        ),
      ).map((r) => r.message),
    ).toEqual([
      'lifecycle rule "expire-small" now expires objects smaller than 1Gi (was larger than 1Mi and smaller than 1Gi)',
    ]);
  });

  it('sees no risk in a narrower size range, or in sizes on a rule that expires nothing', () => {
    const narrower = changeOf(
      'BucketLifecycle',
      'update',
      { rules: [expiring({})] },
      { rules: [expiring({ largerThan: '1Gi' })] },
    );
    expect(risksOf(narrower)).toEqual([]);
    const archive = (largerThan: string) =>
      rule({ id: 'archive-large', largerThan, transitions: [{ days: 30, storageClass: 'GLACIER' }] });
    const tiering = changeOf('BucketLifecycle', 'update', { rules: [archive('1Gi')] }, { rules: [archive('1Mi')] });
    expect(risksOf(tiering)).toEqual([]);
  });
});

describe('capacity alerts', () => {
  it('carry no risk, even deleted: a rule holds no data', () => {
    const rules: SpecByKind['PrometheusRule'] = {
      groups: { 'volume/x': { warning: { alert: 'A', expr: 'x > 75', for: '15m', labels: {}, annotations: {} } } },
    };
    expect(risksOf(changeOf('PrometheusRule', 'delete', rules, undefined))).toEqual([]);
    expect(risksOf(changeOf('PrometheusRule', 'create', undefined, rules))).toEqual([]);
  });
});

describe('ranking', () => {
  it('ranks high before medium before low', () => {
    const risks = risksOf(
      changeOf('StorageClass', 'replace', storageClass, { ...storageClass, reclaimPolicy: 'Delete' }),
    );
    const lifecycle = risksOf(
      changeOf(
        'BucketLifecycle',
        'update',
        {
          rules: [
            rule({
              expirationDays: 2555,
              noncurrentExpirationDays: 90,
              transitions: [{ days: 30, storageClass: 'GLACIER' }],
            }),
          ],
        },
        {
          rules: [
            rule({
              expirationDays: 365,
              noncurrentExpirationDays: 30,
              transitions: [{ days: 90, storageClass: 'GLACIER' }],
            }),
          ],
        },
      ),
    );
    expect(lifecycle.map((risk) => risk.severity)).toEqual(['high', 'medium', 'low']);
    expect(risks.map((risk) => risk.severity)).toEqual(['medium', 'medium']);
  });

  it('gives blocked and unchanged resources no risks: nothing of them runs', () => {
    expect(risksOf(changeOf('PersistentVolumeClaim', 'blocked', claim('50Gi'), claim('200Gi')))).toEqual([]);
  });
});
