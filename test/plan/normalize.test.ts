import { describe, expect, it } from 'vitest';
import type { ResourceKind } from '../../src/model/address.js';
import type { AlertRuleSpec, LifecycleRule, SpecByKind } from '../../src/model/resources.js';
import { NORMALIZATION_TABLES, normalizeSpec } from '../../src/plan/normalize/index.js';
import { strataSid } from '../../src/plan/normalize/policy.js';
import { backupCronJob, lifecycleRule } from '../fixtures/plan/builders.js';

function sameAfterNormalizing<K extends ResourceKind>(kind: K, a: SpecByKind[K], b: SpecByKind[K]): boolean {
  return JSON.stringify(normalizeSpec(kind, a)) === JSON.stringify(normalizeSpec(kind, b));
}

const storageClass: SpecByKind['StorageClass'] = {
  provisioner: 'ebs.csi.aws.com',
  parameters: { type: 'gp3' },
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'Immediate',
  allowVolumeExpansion: false,
  mountOptions: [],
};
const claim: SpecByKind['PersistentVolumeClaim'] = {
  storageClassName: 'fast-ssd',
  accessModes: ['ReadWriteOnce'],
  volumeMode: 'Filesystem',
  size: '20Gi',
};
const rule = lifecycleRule;
/** A spec as a hand-written snapshot or an older provider might leave it, with defaults omitted. */
const omitting = <T>(spec: T, ...keys: string[]): T =>
  Object.fromEntries(Object.entries(spec as object).filter(([k]) => !keys.includes(k))) as T;

describe('normalization tables', () => {
  it('documents every rule of every kind in words', () => {
    for (const rules of Object.values(NORMALIZATION_TABLES)) {
      for (const { rule } of rules) expect(rule.length).toBeGreaterThan(10);
    }
  });
});

describe('Namespace', () => {
  it('ignores the ownership labels and the server-set kubernetes.io/metadata.name label', () => {
    const live = {
      labels: {
        team: 'codequal',
        'app.kubernetes.io/managed-by': 'strata',
        'strata.dev/environment': 'prod',
        'kubernetes.io/metadata.name': 'codequal-prod',
      },
    };
    expect(sameAfterNormalizing('Namespace', live, { labels: { team: 'codequal' } })).toBe(true);
  });

  it('compares labels as a map, whatever their order', () => {
    expect(sameAfterNormalizing('Namespace', { labels: { a: '1', b: '2' } }, { labels: { b: '2', a: '1' } })).toBe(
      true,
    );
  });
});

describe('StorageClass', () => {
  it('treats an omitted reclaimPolicy as Delete', () => {
    expect(sameAfterNormalizing('StorageClass', omitting(storageClass, 'reclaimPolicy'), storageClass)).toBe(true);
  });

  it('treats an omitted volumeBindingMode as Immediate', () => {
    expect(sameAfterNormalizing('StorageClass', omitting(storageClass, 'volumeBindingMode'), storageClass)).toBe(true);
  });

  it('treats an omitted allowVolumeExpansion as false', () => {
    expect(sameAfterNormalizing('StorageClass', omitting(storageClass, 'allowVolumeExpansion'), storageClass)).toBe(
      true,
    );
  });

  it('compares parameters as strings in any order', () => {
    const numeric = { ...storageClass, parameters: { iops: 16000 as unknown as string, type: 'gp3' } };
    expect(
      sameAfterNormalizing('StorageClass', numeric, { ...storageClass, parameters: { type: 'gp3', iops: '16000' } }),
    ).toBe(true);
  });

  it('treats omitted mountOptions as none', () => {
    expect(sameAfterNormalizing('StorageClass', omitting(storageClass, 'mountOptions'), storageClass)).toBe(true);
  });

  it('treats autoresize false as no resize.topolvm.io/enabled annotation', () => {
    const off = { ...storageClass, autoresize: false, unmanagedAutoresize: false };
    expect(sameAfterNormalizing('StorageClass', off, storageClass)).toBe(true);
    expect(normalizeSpec('StorageClass', { ...storageClass, autoresize: true })).toMatchObject({ autoresize: true });
  });
});

describe('ResourceQuota', () => {
  it('compares hard limits by value: 1Ti equals 1024Gi', () => {
    expect(
      sameAfterNormalizing(
        'ResourceQuota',
        { hard: { 'requests.storage': '1Ti' } },
        { hard: { 'requests.storage': '1024Gi' } },
      ),
    ).toBe(true);
  });

  it('compares a count with its string form and ignores key order', () => {
    const a = { hard: { persistentvolumeclaims: 10 as unknown as string, 'requests.storage': '500Gi' } };
    expect(
      sameAfterNormalizing('ResourceQuota', a, { hard: { 'requests.storage': '500Gi', persistentvolumeclaims: '10' } }),
    ).toBe(true);
  });
});

describe('PersistentVolumeClaim', () => {
  it('compares sizes by value the way the server re-serialises them (1024Gi reads back as 1Ti)', () => {
    expect(sameAfterNormalizing('PersistentVolumeClaim', { ...claim, size: '1Ti' }, { ...claim, size: '1024Gi' })).toBe(
      true,
    );
    expect(normalizeSpec('PersistentVolumeClaim', { ...claim, size: '0.5Gi', maxSize: '1024Gi' })).toMatchObject({
      size: '512Mi',
      maxSize: '1Ti',
    });
  });

  it('treats an omitted volumeMode as Filesystem', () => {
    expect(sameAfterNormalizing('PersistentVolumeClaim', omitting(claim, 'volumeMode'), claim)).toBe(true);
  });

  it("compares growth annotations by value, an absent threshold or increase being pvc-autoresizer's 10%", () => {
    const growth = { threshold: '20%', increase: '20Gi', storageLimit: '500Gi' };
    expect(
      sameAfterNormalizing(
        'PersistentVolumeClaim',
        { ...claim, growth },
        { ...claim, growth: { threshold: '20.0%', increase: '20480Mi', storageLimit: '500Gi' } },
      ),
    ).toBe(true);
    expect(
      normalizeSpec('PersistentVolumeClaim', { ...claim, unmanagedGrowth: { storageLimit: '1024Gi' } }),
    ).toMatchObject({ unmanagedGrowth: { threshold: '10%', increase: '10%', storageLimit: '1Ti' } });
    expect(
      normalizeSpec('PersistentVolumeClaim', { ...claim, growth: { threshold: 'lots', increase: '20Gi' } }),
    ).toMatchObject({ growth: { threshold: 'lots', increase: '20Gi' } });
  });

  it('compares accessModes as a set', () => {
    const a = {
      ...claim,
      accessModes: [
        'ReadWriteOnce',
        'ReadOnlyMany',
        'ReadWriteOnce',
      ] as SpecByKind['PersistentVolumeClaim']['accessModes'],
    };
    const b = {
      ...claim,
      accessModes: ['ReadOnlyMany', 'ReadWriteOnce'] as SpecByKind['PersistentVolumeClaim']['accessModes'],
    };
    expect(sameAfterNormalizing('PersistentVolumeClaim', a, b)).toBe(true);
  });

  it('reads no volume label and an empty label map alike, so a claim no velero backup names has no labels to compare', () => {
    expect(sameAfterNormalizing('PersistentVolumeClaim', { ...claim, labels: {} }, claim)).toBe(true);
    expect(normalizeSpec('PersistentVolumeClaim', claim)).not.toHaveProperty('labels');
    expect(
      sameAfterNormalizing('PersistentVolumeClaim', { ...claim, labels: { 'strata.dev/volume': 'warm-db' } }, claim),
    ).toBe(false);
  });
});

describe('Role', () => {
  it('compares rules as a set of grants: rule order and the order within each are ignored', () => {
    expect(
      sameAfterNormalizing(
        'Role',
        {
          rules: [
            { apiGroups: [''], resources: ['pods', 'persistentvolumeclaims'], verbs: ['get', 'create'] },
            { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshots'], verbs: ['create'] },
          ],
        },
        {
          rules: [
            { apiGroups: ['snapshot.storage.k8s.io'], resources: ['volumesnapshots'], verbs: ['create'] },
            { apiGroups: [''], resources: ['persistentvolumeclaims', 'pods'], verbs: ['create', 'get'] },
          ],
        },
      ),
    ).toBe(true);
  });

  it('still tells a missing verb apart', () => {
    expect(
      sameAfterNormalizing(
        'Role',
        { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['create', 'delete', 'get'] }] },
        { rules: [{ apiGroups: [''], resources: ['pods'], verbs: ['create', 'get'] }] },
      ),
    ).toBe(false);
  });
});

describe('CronJob', () => {
  const backup = backupCronJob();

  it('treats omitted job settings as the batch/v1 defaults', () => {
    const bare = omitting(
      backup,
      'concurrencyPolicy',
      'successfulJobsHistoryLimit',
      'failedJobsHistoryLimit',
      'suspend',
    );
    expect(sameAfterNormalizing('CronJob', bare, backup)).toBe(true);
  });

  it('reads runs of spaces in a schedule as one', () => {
    expect(sameAfterNormalizing('CronJob', { ...backup, schedule: ' 0  2 * *  * ' }, backup)).toBe(true);
  });
});

describe('PrometheusRule', () => {
  const rule = (wait: string | undefined, labels?: Record<string, string>) =>
    ({
      groups: {
        'volume/deepwiki-data': {
          warning: {
            alert: 'StorageVolumeFillingUp',
            expr: 'x > 75',
            ...(wait === undefined ? {} : { for: wait }),
            ...(labels === undefined ? {} : { labels }),
            annotations: { summary: 's' },
          },
        },
      },
    }) as SpecByKind['PrometheusRule'];

  it("compares a rule's for by value: 900s equals 15m, 1h30m equals 90m, and an omitted for is 0s", () => {
    expect(sameAfterNormalizing('PrometheusRule', rule('900s', {}), rule('15m', {}))).toBe(true);
    expect(sameAfterNormalizing('PrometheusRule', rule('1h30m', {}), rule('90m', {}))).toBe(true);
    expect(sameAfterNormalizing('PrometheusRule', rule(undefined, {}), rule('0s', {}))).toBe(true);
    expect(sameAfterNormalizing('PrometheusRule', rule('15m', {}), rule('16m', {}))).toBe(false);
    expect(normalizeSpec('PrometheusRule', rule('3600s', {})).groups['volume/deepwiki-data']!.warning!.for).toBe('1h');
  });

  it('reads omitted labels and annotations of a rule as empty maps', () => {
    const bare = rule('5m');
    delete (bare.groups['volume/deepwiki-data']!.warning as Partial<AlertRuleSpec>).annotations;
    const empty = rule('5m', {});
    empty.groups['volume/deepwiki-data']!.warning!.annotations = {};
    expect(sameAfterNormalizing('PrometheusRule', bare, empty)).toBe(true);
  });
});

describe('Schedule', () => {
  const schedule: SpecByKind['Schedule'] = {
    schedule: '0 2 * * *',
    timeZone: 'Etc/UTC',
    includedNamespaces: ['analytics-prod'],
    labelSelector: { 'strata.dev/volume': 'warm-db' },
    keepDays: 30,
    storageLocation: 'akosha-backups-prod-warm',
    snapshotVolumes: true,
    paused: false,
  };

  it('reads runs of spaces in a schedule as one', () => {
    expect(sameAfterNormalizing('Schedule', { ...schedule, schedule: '0  2 * * * ' }, schedule)).toBe(true);
  });

  it('reads no zone, UTC and Etc/UTC as one zone, and keeps any other', () => {
    expect(sameAfterNormalizing('Schedule', { ...schedule, timeZone: '' }, schedule)).toBe(true);
    expect(sameAfterNormalizing('Schedule', { ...schedule, timeZone: 'UTC' }, schedule)).toBe(true);
    expect(sameAfterNormalizing('Schedule', { ...schedule, timeZone: 'Europe/Berlin' }, schedule)).toBe(false);
  });

  it('compares includedNamespaces as a set', () => {
    const both = { ...schedule, includedNamespaces: ['b', 'a', 'b'] };
    expect(sameAfterNormalizing('Schedule', both, { ...schedule, includedNamespaces: ['a', 'b'] })).toBe(true);
  });

  it("treats omitted paused and snapshotVolumes as Velero's defaults", () => {
    expect(sameAfterNormalizing('Schedule', omitting(schedule, 'paused', 'snapshotVolumes'), schedule)).toBe(true);
  });
});

describe('BackupStorageLocation', () => {
  const location: SpecByKind['BackupStorageLocation'] = {
    provider: 'aws',
    bucket: 'akosha-backups-prod',
    prefix: 'warm',
    config: { region: 'us-east-1', s3ForcePathStyle: 'true' },
    credential: { name: 'velero-s3', key: 'cloud' },
  };

  it('reads a prefix with and without its trailing slash alike, as Velero adds one', () => {
    expect(sameAfterNormalizing('BackupStorageLocation', { ...location, prefix: 'warm/' }, location)).toBe(true);
  });

  it('compares config as a string map', () => {
    const typed = { ...location, config: { s3ForcePathStyle: true as unknown as string, region: 'us-east-1' } };
    expect(sameAfterNormalizing('BackupStorageLocation', typed, location)).toBe(true);
  });
});

describe('Bucket', () => {
  it('reads an empty region (LocationConstraint) as us-east-1', () => {
    expect(
      sameAfterNormalizing(
        'Bucket',
        { region: '', objectLockEnabled: false },
        { region: 'us-east-1', objectLockEnabled: false },
      ),
    ).toBe(true);
  });

  it('treats an omitted objectLockEnabled as false', () => {
    expect(sameAfterNormalizing('Bucket', {} as SpecByKind['Bucket'], { objectLockEnabled: false })).toBe(true);
  });
});

describe('BucketVersioning', () => {
  it('treats a fresh bucket (Disabled, read as {}) as Suspended', () => {
    expect(sameAfterNormalizing('BucketVersioning', { status: 'Disabled' }, { status: 'Suspended' })).toBe(true);
    expect(sameAfterNormalizing('BucketVersioning', { status: 'Disabled' }, { status: 'Enabled' })).toBe(false);
  });
});

describe('BucketObjectLock', () => {
  it('drops unset days and years', () => {
    expect(
      normalizeSpec('BucketObjectLock', { defaultRetention: { mode: 'GOVERNANCE', days: undefined, years: 7 } }),
    ).toEqual({
      defaultRetention: { mode: 'GOVERNANCE', years: 7 },
    });
  });
});

describe('BucketEncryption', () => {
  it('ignores a KMS key id unless the algorithm is aws:kms', () => {
    expect(
      sameAfterNormalizing(
        'BucketEncryption',
        { algorithm: 'AES256', kmsKeyId: 'arn:aws:kms:key/1' },
        { algorithm: 'AES256' },
      ),
    ).toBe(true);
    expect(
      sameAfterNormalizing(
        'BucketEncryption',
        { algorithm: 'aws:kms', kmsKeyId: 'arn:aws:kms:key/1' },
        { algorithm: 'aws:kms' },
      ),
    ).toBe(false);
  });
});

describe('BucketPublicAccessBlock', () => {
  it('reads an unconfigured block (RGW: all-false instead of 404) as every setting off', () => {
    const off = {
      blockPublicAcls: false,
      ignorePublicAcls: false,
      blockPublicPolicy: false,
      restrictPublicBuckets: false,
    };
    expect(sameAfterNormalizing('BucketPublicAccessBlock', {} as SpecByKind['BucketPublicAccessBlock'], off)).toBe(
      true,
    );
  });
});

describe('BucketLifecycle', () => {
  it('compares rules by id regardless of order (RGW returns them sorted)', () => {
    const a = { rules: [rule({ id: 'b' }), rule({ id: 'a' })] };
    expect(sameAfterNormalizing('BucketLifecycle', a, { rules: [rule({ id: 'a' }), rule({ id: 'b' })] })).toBe(true);
  });

  it('treats an absent prefix as the empty prefix (Filter {} reads back as Prefix "")', () => {
    const { prefix: _prefix, ...withoutPrefix } = rule();
    expect(
      sameAfterNormalizing(
        'BucketLifecycle',
        { rules: [withoutPrefix as LifecycleRule] },
        { rules: [rule({ prefix: '' })] },
      ),
    ).toBe(true);
  });

  it('compares a tag filter as a map and reads a missing one as empty', () => {
    expect(
      sameAfterNormalizing(
        'BucketLifecycle',
        { rules: [rule({ tags: { b: '2', a: '1' } })] },
        { rules: [rule({ tags: { a: '1', b: '2' } })] },
      ),
    ).toBe(true);
    const { tags: _tags, ...withoutTags } = rule();
    expect(
      sameAfterNormalizing('BucketLifecycle', { rules: [withoutTags as LifecycleRule] }, { rules: [rule()] }),
    ).toBe(true);
  });

  it('treats an omitted enabled as true', () => {
    const { enabled: _enabled, ...withoutEnabled } = rule();
    expect(
      sameAfterNormalizing('BucketLifecycle', { rules: [withoutEnabled as LifecycleRule] }, { rules: [rule()] }),
    ).toBe(true);
  });

  it('compares transitions as a set (RGW sorts them by storage class)', () => {
    const rgw = rule({
      transitions: [
        { days: 365, storageClass: 'GLACIER' },
        { days: 30, storageClass: 'STANDARD_IA' },
      ],
    });
    const declared = rule({
      transitions: [
        { days: 30, storageClass: 'STANDARD_IA' },
        { days: 365, storageClass: 'GLACIER' },
      ],
    });
    expect(sameAfterNormalizing('BucketLifecycle', { rules: [rgw] }, { rules: [declared] })).toBe(true);
    const noncurrent = rule({
      noncurrentTransitions: [
        { days: 90, storageClass: 'GLACIER' },
        { days: 7, storageClass: 'STANDARD_IA' },
      ],
    });
    expect(
      normalizeSpec('BucketLifecycle', { rules: [noncurrent] }).rules[0]?.noncurrentTransitions.map((t) => t.days),
    ).toEqual([7, 90]);
  });

  it('treats expiredObjectDeleteMarker false as absent', () => {
    expect(
      sameAfterNormalizing(
        'BucketLifecycle',
        { rules: [rule({ expiredObjectDeleteMarker: false })] },
        { rules: [rule()] },
      ),
    ).toBe(true);
  });

  it('compares size filters by value, as the bytes S3 reads back, whichever unit they were written in', () => {
    const declared = { rules: [rule({ largerThan: '1Gi', smallerThan: '500M' })] };
    const readBack = { rules: [rule({ largerThan: '1073741824', smallerThan: '500000000' })] };
    expect(sameAfterNormalizing('BucketLifecycle', declared, readBack)).toBe(true);
    expect(sameAfterNormalizing('BucketLifecycle', { rules: [rule({ largerThan: '1024Mi' })] }, declared)).toBe(false);
    expect(normalizeSpec('BucketLifecycle', declared).rules[0]).toMatchObject({
      largerThan: '1Gi',
      smallerThan: '500M',
    });
    expect(normalizeSpec('BucketLifecycle', { rules: [rule({ largerThan: '2048' })] }).rules[0]?.largerThan).toBe(
      '2Ki',
    );
    expect(
      sameAfterNormalizing('BucketLifecycle', { rules: [rule({ smallerThan: '1Gi' })] }, { rules: [rule()] }),
    ).toBe(false);
  });

  it('normalizes the unmanaged rules found on the bucket the same way', () => {
    const spec = normalizeSpec('BucketLifecycle', {
      rules: [],
      unmanagedRules: [rule({ id: 'z' }), rule({ id: 'legal-hold-archive' })],
    });
    expect(spec.unmanagedRules?.map((r) => r.id)).toEqual(['legal-hold-archive', 'z']);
  });
});

describe('BucketTags', () => {
  it('compares tags as a map (RGW returns them sorted by key)', () => {
    const a = { tags: { team: 'platform', 'managed-by': 'strata' }, unmanagedTags: { z: '1', 'cost-center': '1234' } };
    const b = { tags: { 'managed-by': 'strata', team: 'platform' }, unmanagedTags: { 'cost-center': '1234', z: '1' } };
    expect(JSON.stringify(normalizeSpec('BucketTags', a))).toBe(JSON.stringify(normalizeSpec('BucketTags', b)));
  });
});

describe('BucketPolicy', () => {
  const statement = {
    Sid: 'Read',
    Effect: 'Allow',
    Principal: { AWS: 'arn:aws:iam::123456789012:root' },
    Action: 's3:GetObject',
    Resource: 'arn:aws:s3:::media/*',
  };

  it('ignores key order', () => {
    const reordered = Object.fromEntries(Object.entries(statement).reverse());
    expect(
      sameAfterNormalizing(
        'BucketPolicy',
        { document: { Statement: [reordered], Version: '2012-10-17' } },
        { document: { Version: '2012-10-17', Statement: [statement] } },
      ),
    ).toBe(true);
  });

  it('treats a single-element Action, Resource or Principal list as its only element', () => {
    const listed = {
      ...statement,
      Action: ['s3:GetObject'],
      Resource: ['arn:aws:s3:::media/*'],
      Principal: { AWS: ['arn:aws:iam::123456789012:root'] },
    };
    expect(
      sameAfterNormalizing(
        'BucketPolicy',
        { document: { Statement: [listed] } },
        { document: { Statement: [statement] } },
      ),
    ).toBe(true);
  });

  it('compares Action lists as sets', () => {
    const a = { ...statement, Action: ['s3:PutObject', 's3:GetObject'] };
    const b = { ...statement, Action: ['s3:GetObject', 's3:PutObject', 's3:GetObject'] };
    expect(
      sameAfterNormalizing('BucketPolicy', { document: { Statement: [a] } }, { document: { Statement: [b] } }),
    ).toBe(true);
  });

  it('treats a lone Statement object as a list of one, and statement order as irrelevant', () => {
    const other = { ...statement, Sid: 'Write', Action: 's3:PutObject' };
    expect(
      sameAfterNormalizing(
        'BucketPolicy',
        { document: { Statement: statement } },
        { document: { Statement: [statement] } },
      ),
    ).toBe(true);
    expect(
      sameAfterNormalizing(
        'BucketPolicy',
        { document: { Statement: [other, statement] } },
        { document: { Statement: [statement, other] } },
      ),
    ).toBe(true);
  });

  it('treats Principal {"AWS": "*"} as "*"', () => {
    expect(
      sameAfterNormalizing(
        'BucketPolicy',
        { document: { Statement: [{ ...statement, Principal: { AWS: ['*'] } }] } },
        { document: { Statement: [{ ...statement, Principal: '*' }] } },
      ),
    ).toBe(true);
  });

  it('collapses single-element condition values', () => {
    const a = { ...statement, Condition: { StringEquals: { 'aws:PrincipalOrgID': ['o-123'] } } };
    const b = { ...statement, Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-123' } } };
    expect(
      sameAfterNormalizing('BucketPolicy', { document: { Statement: [a] } }, { document: { Statement: [b] } }),
    ).toBe(true);
  });

  it('counts a repeated statement once', () => {
    expect(
      sameAfterNormalizing(
        'BucketPolicy',
        { document: { Statement: [statement, { ...statement }] } },
        { document: { Statement: [statement] } },
      ),
    ).toBe(true);
  });

  it('treats a declared statement without a Sid as the one strata writes under strata<hash of its content>', () => {
    const { Sid: _, ...anonymous } = statement;
    expect(
      sameAfterNormalizing(
        'BucketPolicy',
        { document: { Statement: [anonymous] } },
        { document: { Statement: [{ ...anonymous, Sid: strataSid(anonymous) }] } },
      ),
    ).toBe(true);
  });

  it("keeps other writers' statements as they are, unnamed, apart from strata's", () => {
    const { Sid: _, ...anonymous } = statement;
    const normalized = normalizeSpec('BucketPolicy', { document: { Statement: [] }, unmanagedStatements: [anonymous] });
    expect(normalized).toEqual({ document: { Statement: [] }, unmanagedStatements: [anonymous] });
  });
});
