import { describe, expect, it } from 'vitest';
import type {
  CapabilityReport,
  DesiredResource,
  LifecycleRule,
  ObservedResource,
  SpecByKind,
} from '../../src/model/resources.js';
import { createPlan } from '../../src/plan/index.js';
import {
  NOW,
  backupCronJob,
  desired,
  desiredState,
  lifecycleRule,
  observed,
  observedState,
} from '../fixtures/plan/builders.js';

function alertRules(threshold: number): SpecByKind['PrometheusRule'] {
  return {
    groups: {
      'volume/data': {
        warning: { alert: 'StorageVolumeFillingUp', expr: `x > ${threshold}`, for: '15m', labels: {}, annotations: {} },
      },
    },
  };
}

function planOf(
  desiredResources: DesiredResource[],
  observedResources: ObservedResource[],
  capabilities: CapabilityReport[] = [],
) {
  return createPlan({
    desired: desiredState(desiredResources),
    observed: observedState(observedResources, capabilities),
    now: NOW,
  });
}

function onlyChange(
  desiredResources: DesiredResource[],
  observedResources: ObservedResource[],
  capabilities: CapabilityReport[] = [],
) {
  const changes = planOf(desiredResources, observedResources, capabilities).changes;
  expect(changes).toHaveLength(1);
  return changes[0]!;
}

const NS = 'codequal-prod';
const BUCKET = 'akosha-backups-prod';
const fastSsd: SpecByKind['StorageClass'] = {
  provisioner: 'ebs.csi.aws.com',
  parameters: { type: 'gp3' },
  reclaimPolicy: 'Delete',
  volumeBindingMode: 'WaitForFirstConsumer',
  allowVolumeExpansion: true,
  mountOptions: [],
};
const claimSpec = (size: string, maxSize?: string): SpecByKind['PersistentVolumeClaim'] => ({
  storageClassName: 'fast-ssd',
  accessModes: ['ReadWriteOnce'],
  volumeMode: 'Filesystem',
  size,
  ...(maxSize === undefined ? {} : { maxSize }),
});
const bound = { phase: 'Bound' as const };
const rule = (id: string, overrides: Partial<LifecycleRule> = {}): LifecycleRule => lifecycleRule({ id, ...overrides });

describe('pairing', () => {
  it('blocks a declared resource that is being deleted, naming what holds it, and plans nothing for an undeclared one', () => {
    const terminating = {
      ...observed('PersistentVolumeClaim', 'data', claimSpec('10Gi'), { namespace: NS, status: bound }),
      terminating: { finalizers: ['kubernetes.io/pvc-protection'] },
    };

    const change = onlyChange(
      [desired('PersistentVolumeClaim', 'data', claimSpec('10Gi'), { namespace: NS })],
      [terminating],
    );

    expect(change).toMatchObject({
      action: 'blocked',
      reason:
        'is being deleted (held by kubernetes.io/pvc-protection: a pod still uses the claim); plan again once it is gone',
    });
    expect(planOf([], [terminating]).changes).toEqual([]);
  });

  it('blocks a declared resource that another environment manages, never adopting it', () => {
    const theirs = {
      ...observed('StorageClass', 'fast-ssd', fastSsd, { owned: false }),
      ownedByEnvironment: 'staging',
    };

    const change = onlyChange([desired('StorageClass', 'fast-ssd', fastSsd)], [theirs]);

    expect(change.action).toBe('blocked');
    expect(change.reason).toMatch(
      /^belongs to environment staging \(strata\.dev\/environment=staging\); strata never takes what another environment manages/,
    );
  });

  it('creates a declared resource that does not exist', () => {
    expect(onlyChange([desired('StorageClass', 'fast-ssd', fastSsd)], []).action).toBe('create');
  });

  it('deletes an owned resource that is no longer declared', () => {
    const change = onlyChange([], [observed('StorageClass', 'fast-ssd', fastSsd)]);
    expect(change).toMatchObject({ action: 'delete', reason: 'managed by strata and no longer declared' });
  });

  it('ignores an undeclared resource strata does not own', () => {
    expect(planOf([], [observed('StorageClass', 'gp2', fastSsd, { owned: false })]).changes).toEqual([]);
  });

  it('records the fingerprint of what was observed', () => {
    const change = onlyChange(
      [desired('StorageClass', 'fast-ssd', fastSsd)],
      [observed('StorageClass', 'fast-ssd', fastSsd, { fingerprint: '48007' })],
    );
    expect(change.fingerprint).toBe('48007');
  });
});

describe('actions', () => {
  it('is a no-op when the live values match after normalization', () => {
    const live = { ...fastSsd, reclaimPolicy: undefined } as unknown as SpecByKind['StorageClass'];
    expect(
      onlyChange([desired('StorageClass', 'fast-ssd', fastSsd)], [observed('StorageClass', 'fast-ssd', live)]).action,
    ).toBe('no-op');
  });

  it('updates a mutable field in place', () => {
    const change = onlyChange(
      [desired('StorageClass', 'fast-ssd', fastSsd)],
      [observed('StorageClass', 'fast-ssd', { ...fastSsd, allowVolumeExpansion: false })],
    );
    expect(change).toMatchObject({
      action: 'update',
      attributes: [{ path: 'allowVolumeExpansion', before: false, after: true }],
    });
  });

  it('replaces a StorageClass whose parameters changed, and says why', () => {
    const change = onlyChange(
      [desired('StorageClass', 'fast-ssd', fastSsd)],
      [observed('StorageClass', 'fast-ssd', { ...fastSsd, parameters: { type: 'gp2' } })],
    );
    expect(change).toMatchObject({
      action: 'replace',
      reason: 'parameters.type cannot change in place; apply deletes and creates it',
    });
  });

  it('adopts an unowned resource that matches, taking ownership', () => {
    const change = onlyChange(
      [desired('StorageClass', 'fast-ssd', fastSsd)],
      [observed('StorageClass', 'fast-ssd', fastSsd, { owned: false })],
    );
    expect(change).toMatchObject({
      action: 'adopt',
      attributes: [],
      reason: 'exists with the declared values but is not managed by strata; apply takes ownership',
    });
  });

  it('adopts an unowned resource that differs, showing what it will write', () => {
    const change = onlyChange(
      [desired('BucketTags', BUCKET, { tags: { 'managed-by': 'strata', team: 'platform' } })],
      [observed('BucketTags', BUCKET, { tags: { team: 'data' } }, { owned: false })],
    );
    expect(change.action).toBe('adopt');
    expect(change.attributes).toEqual([
      { path: 'tags.managed-by', after: 'strata' },
      { path: 'tags.team', before: 'data', after: 'platform' },
    ]);
  });

  it('blocks replacing a resource strata does not own', () => {
    const change = onlyChange(
      [desired('StorageClass', 'fast-ssd', fastSsd)],
      [observed('StorageClass', 'fast-ssd', { ...fastSsd, parameters: { type: 'gp2' } }, { owned: false })],
    );
    expect(change.action).toBe('blocked');
    expect(change.reason).toBe(
      'exists but is not managed by strata, and parameters.type can only change by deleting and creating it; strata does not replace what it does not own (declare its current values, or delete it yourself)',
    );
  });
});

describe('PersistentVolumeClaim sizes', () => {
  const declare = (size: string, maxSize?: string) =>
    desired('PersistentVolumeClaim', 'deepwiki-data', claimSpec(size, maxSize), { namespace: NS });
  const live = (size: string, status: ObservedResource['status'] = bound) =>
    observed('PersistentVolumeClaim', 'deepwiki-data', claimSpec(size), { namespace: NS, status });

  it('is in sync anywhere in [size, maxSize] and never shrinks a claim an autoscaler grew', () => {
    const change = onlyChange([declare('50Gi', '500Gi')], [live('150Gi')]);
    expect(change).toMatchObject({
      action: 'no-op',
      reason: 'grown to 150Gi (an autoscaler); in sync anywhere from 50Gi to 500Gi',
    });
    expect(change.after).toMatchObject({ size: '150Gi' });
  });

  it('says a resize is still in progress while the volume has yet to reach the request', () => {
    const change = onlyChange(
      [declare('200Gi')],
      [live('200Gi', { phase: 'Bound', capacity: '100Gi', conditions: ['FileSystemResizePending'] })],
    );
    expect(change).toMatchObject({
      action: 'no-op',
      reason: 'resize to 200Gi in progress: capacity 100Gi so far (FileSystemResizePending)',
    });
  });

  it('grows a claim below size to size', () => {
    const change = onlyChange([declare('200Gi', '500Gi')], [live('50Gi')]);
    expect(change).toMatchObject({ action: 'update', attributes: [{ path: 'size', before: '50Gi', after: '200Gi' }] });
  });

  it('blocks a shrink below the live size and says how to fix it', () => {
    const change = onlyChange([declare('100Gi')], [live('200Gi')]);
    expect(change).toMatchObject({
      action: 'blocked',
      reason:
        '200Gi → 100Gi would shrink a volume; Kubernetes forbids it (set size: 200Gi, or migrate the data to a new claim)',
    });
  });

  it('names maxSize in the fix when the claim grew past it', () => {
    expect(onlyChange([declare('50Gi', '100Gi')], [live('150Gi')]).reason).toBe(
      '150Gi → 100Gi would shrink a volume; Kubernetes forbids it (set maxSize: 150Gi, or migrate the data to a new claim)',
    );
  });

  it('blocks growing a Pending claim', () => {
    expect(onlyChange([declare('200Gi')], [live('50Gi', { phase: 'Pending' })])).toMatchObject({
      action: 'blocked',
      reason:
        '50Gi → 200Gi: the claim is Pending and Kubernetes cannot resize a Pending claim (wait until a pod uses it, or declare size: 50Gi)',
    });
  });

  it('blocks growth when the storage class does not allow expansion, with the fix', () => {
    const change = onlyChange(
      [declare('200Gi')],
      [
        live('50Gi'),
        observed('StorageClass', 'fast-ssd', { ...fastSsd, allowVolumeExpansion: false }, { owned: false }),
      ],
    );
    expect(change).toMatchObject({
      action: 'blocked',
      reason:
        '50Gi → 200Gi: storage class fast-ssd does not allow volume expansion (set allowVolumeExpansion: true on storage class fast-ssd)',
    });
  });

  it('grows the claim when the same plan turns expansion on for its class', () => {
    const plan = planOf(
      [declare('200Gi'), desired('StorageClass', 'fast-ssd', fastSsd)],
      [live('50Gi'), observed('StorageClass', 'fast-ssd', { ...fastSsd, allowVolumeExpansion: false })],
    );
    expect(plan.changes.map((change) => change.action)).toEqual(['update', 'update']);
  });

  it('replaces a claim whose storage class changed instead of resizing it', () => {
    const change = onlyChange(
      [
        desired(
          'PersistentVolumeClaim',
          'deepwiki-data',
          { ...claimSpec('50Gi'), storageClassName: 'standard' },
          { namespace: NS },
        ),
      ],
      [live('100Gi')],
    );
    expect(change.action).toBe('replace');
  });
});

describe('buckets', () => {
  const lockedBucket = observed('Bucket', BUCKET, { region: 'us-west-2', objectLockEnabled: true });
  const plainBucket = observed('Bucket', BUCKET, { region: 'us-west-2', objectLockEnabled: false });

  it('treats a fresh bucket (versioning Disabled) as matching a declared Suspended', () => {
    expect(
      onlyChange(
        [desired('BucketVersioning', BUCKET, { status: 'Suspended' })],
        [observed('BucketVersioning', BUCKET, { status: 'Disabled' })],
      ).action,
    ).toBe('no-op');
  });

  it('blocks suspending versioning on an object-locked bucket', () => {
    const change = planOf(
      [desired('BucketVersioning', BUCKET, { status: 'Suspended' })],
      [lockedBucket, observed('BucketVersioning', BUCKET, { status: 'Enabled' })],
    ).changes.find((c) => c.address.kind === 'BucketVersioning');
    expect(change).toMatchObject({
      action: 'blocked',
      reason: `versioning cannot be suspended on bucket ${BUCKET}: it has object lock, which needs versioning on (S3 answers InvalidBucketState); keep versioning: true`,
    });
  });

  it('blocks object lock on an existing bucket created without it', () => {
    const plan = planOf(
      [
        desired('Bucket', BUCKET, { region: 'us-west-2', objectLockEnabled: true }),
        desired('BucketObjectLock', BUCKET, { defaultRetention: { mode: 'GOVERNANCE', days: 30 } }),
      ],
      [plainBucket],
    );
    const message = 'object lock can only be enabled when a bucket is created; create a new bucket and copy the data';
    expect(plan.changes.map((c) => [c.address.kind, c.action, c.reason])).toEqual([
      ['Bucket', 'blocked', message],
      ['BucketObjectLock', 'blocked', message],
    ]);
  });

  it('creates object lock with a bucket that is created with it', () => {
    const plan = planOf(
      [
        desired('Bucket', BUCKET, { objectLockEnabled: true }),
        desired('BucketObjectLock', BUCKET, { defaultRetention: { mode: 'GOVERNANCE', days: 30 } }),
      ],
      [],
    );
    expect(plan.changes.map((c) => c.action)).toEqual(['create', 'create']);
  });

  it('blocks turning object lock off', () => {
    expect(
      onlyChange([desired('Bucket', BUCKET, { region: 'us-west-2', objectLockEnabled: false })], [lockedBucket]).reason,
    ).toBe(`object lock cannot be turned off once a bucket has it; declare objectLock on bucket ${BUCKET}`);
  });

  it('blocks moving a bucket to another region', () => {
    expect(
      onlyChange([desired('Bucket', BUCKET, { region: 'eu-west-1', objectLockEnabled: false })], [plainBucket]),
    ).toMatchObject({
      action: 'blocked',
      reason: `bucket ${BUCKET} is in us-west-2 and a bucket cannot move to eu-west-1; declare region us-west-2, or create a new bucket there and copy the data`,
    });
  });

  it('keeps the live region when the file does not pin one', () => {
    expect(onlyChange([desired('Bucket', BUCKET, { objectLockEnabled: false })], [plainBucket]).action).toBe('no-op');
  });

  it('blocks default encryption when the server lacks it, in a few words: the capability report says why, once', () => {
    const unsupported = {
      capability: 'encryption' as const,
      supported: false,
      detail: 'PutBucketEncryption answered NotImplemented',
    };
    expect(onlyChange([desired('BucketEncryption', BUCKET, { algorithm: 'AES256' })], [], [unsupported])).toMatchObject(
      { action: 'blocked', reason: 'unavailable on this S3 server', needsCapability: 'encryption' },
    );
  });

  it('blocks a lifecycle with size filters where the server drops them, and only a lifecycle that has them', () => {
    const dropsSizes = { capability: 'lifecycle-size-filters' as const, supported: false, detail: 'Ceph RGW 16.2.15' };
    const sized = lifecycleRule({ id: 'expire-small', smallerThan: '1Gi', expirationDays: 90 });
    const plain = lifecycleRule({ id: 'expire-old', expirationDays: 90 });
    expect(onlyChange([desired('BucketLifecycle', BUCKET, { rules: [sized, plain] })], [], [dropsSizes])).toMatchObject(
      {
        action: 'blocked',
        reason: 'unavailable on this S3 server',
        needsCapability: 'lifecycle-size-filters',
      },
    );
    expect(onlyChange([desired('BucketLifecycle', BUCKET, { rules: [plain] })], [], [dropsSizes]).action).toBe(
      'create',
    );
    // What the bucket already holds shows the filters are kept: nothing waits when nothing changes.
    expect(
      onlyChange(
        [desired('BucketLifecycle', BUCKET, { rules: [sized] })],
        [observed('BucketLifecycle', BUCKET, { rules: [{ ...sized, smallerThan: '1073741824' }] })],
        [dropsSizes],
      ).action,
    ).toBe('no-op');
  });

  it('blocks capacity alerts on a cluster that does not serve PrometheusRule, naming the API it lacks', () => {
    const unsupported = {
      capability: 'prometheus-rules' as const,
      supported: false,
      detail: 'the cluster does not serve monitoring.coreos.com/v1 PrometheusRule (its CRD is not installed)',
    };
    expect(
      onlyChange(
        [desired('PrometheusRule', 'strata-storage-alerts', alertRules(75), { namespace: 'ns' })],
        [],
        [unsupported],
      ),
    ).toMatchObject({
      action: 'blocked',
      reason: 'the cluster does not serve monitoring.coreos.com/v1 PrometheusRule',
      needsCapability: 'prometheus-rules',
    });
  });

  it("keeps a rule group another writer added to strata's PrometheusRule, and says so when it writes", () => {
    const theirs = alertRules(50).groups['volume/data']!;
    const live = observed(
      'PrometheusRule',
      'strata-storage-alerts',
      { ...alertRules(75), unmanagedGroups: { 'team/own': theirs } },
      { namespace: 'ns' },
    );
    const inSync = onlyChange(
      [desired('PrometheusRule', 'strata-storage-alerts', alertRules(75), { namespace: 'ns' })],
      [live],
    );
    const raised = onlyChange(
      [desired('PrometheusRule', 'strata-storage-alerts', alertRules(80), { namespace: 'ns' })],
      [live],
    );

    expect(inSync.action).toBe('no-op');
    expect(raised).toMatchObject({ action: 'update', preserved: ['rule group team/own'] });
    expect(raised.attributes.map((attribute) => attribute.path)).toEqual(['groups["volume/data"].warning.expr']);
  });

  it('names no capability on a change blocked for another reason', () => {
    const locked = planOf(
      [
        desired('Bucket', BUCKET, { objectLockEnabled: false }),
        desired('BucketObjectLock', BUCKET, { defaultRetention: { mode: 'GOVERNANCE', days: 30 } }),
      ],
      [plainBucket],
    ).changes.find((change) => change.address.kind === 'BucketObjectLock');
    expect(locked?.action).toBe('blocked');
    expect(locked).not.toHaveProperty('needsCapability');
  });

  it('never deletes encryption on a server that does not support it', () => {
    const unsupported = { capability: 'encryption' as const, supported: false, detail: 'NotImplemented' };
    expect(
      planOf(
        [desired('Bucket', BUCKET, { objectLockEnabled: false })],
        [plainBucket, observed('BucketEncryption', BUCKET, { algorithm: 'AES256' })],
        [unsupported],
      ).changes.map((c) => c.action),
    ).toEqual(['no-op']);
  });

  it('leaves undeclared versioning alone: S3 cannot remove it', () => {
    expect(
      planOf(
        [desired('Bucket', BUCKET, { objectLockEnabled: false })],
        [plainBucket, observed('BucketVersioning', BUCKET, { status: 'Enabled' })],
      ).changes.map((c) => c.address.kind),
    ).toEqual(['Bucket']);
  });

  it('deletes a bucket no longer declared as one change, its settings with it', () => {
    const plan = planOf(
      [],
      [
        plainBucket,
        observed('BucketTags', BUCKET, { tags: { 'managed-by': 'strata' } }),
        observed('BucketLifecycle', BUCKET, { rules: [rule('tiering')] }),
      ],
    );
    expect(plan.changes.map((c) => [c.address.kind, c.action])).toEqual([['Bucket', 'delete']]);
  });
});

describe('rule-level ownership', () => {
  const legalHold = rule('legal-hold-archive', {
    prefix: 'legal/',
    transitions: [{ days: 1, storageClass: 'GLACIER' }],
  });

  it('diffs only the lifecycle rules strata declares and carries the others into what it writes', () => {
    const change = onlyChange(
      [desired('BucketLifecycle', BUCKET, { rules: [rule('tiering', { expirationDays: 365 })] })],
      [
        observed('BucketLifecycle', BUCKET, {
          rules: [rule('tiering', { expirationDays: 2555 })],
          unmanagedRules: [legalHold],
        }),
      ],
    );
    expect(change.attributes.map((a) => a.path)).toEqual(['rules[tiering].expirationDays']);
    expect(change.preserved).toEqual(['lifecycle rule "legal-hold-archive"']);
    expect((change.after as SpecByKind['BucketLifecycle']).unmanagedRules).toEqual([legalHold]);
  });

  it('manages a rule found on the bucket once the file declares its id', () => {
    const change = onlyChange(
      [
        desired('BucketLifecycle', BUCKET, {
          rules: [rule('legal-hold-archive', { prefix: 'legal/', expirationDays: 2555 })],
        }),
      ],
      [observed('BucketLifecycle', BUCKET, { rules: [], unmanagedRules: [legalHold] })],
    );
    expect(change.attributes.map((a) => a.path)).toEqual([
      'rules[legal-hold-archive].expirationDays',
      'rules[legal-hold-archive].transitions',
    ]);
    expect(change.preserved).toBeUndefined();
  });

  it('keeps unmanaged tags as found and lists them', () => {
    const change = onlyChange(
      [desired('BucketTags', BUCKET, { tags: { 'managed-by': 'strata', team: 'platform' } })],
      [
        observed('BucketTags', BUCKET, {
          tags: { 'managed-by': 'strata', team: 'data' },
          unmanagedTags: { 'cost-center': '1234' },
        }),
      ],
    );
    expect(change.attributes).toEqual([{ path: 'tags.team', before: 'data', after: 'platform' }]);
    expect(change.preserved).toEqual(['tag cost-center=1234']);
    expect(change.after).toEqual({
      tags: { 'managed-by': 'strata', team: 'platform' },
      unmanagedTags: { 'cost-center': '1234' },
    });
  });

  it("removes only strata's rules when the lifecycle is no longer declared", () => {
    const change = onlyChange(
      [],
      [
        observed('BucketLifecycle', BUCKET, {
          rules: [rule('tiering', { expirationDays: 365 })],
          unmanagedRules: [legalHold],
        }),
      ],
    );
    expect(change).toMatchObject({
      action: 'delete',
      after: { rules: [], unmanagedRules: [legalHold] },
      preserved: ['lifecycle rule "legal-hold-archive"'],
      reason: "no longer declared: apply removes strata's rules and keeps the others as found",
    });
    expect(change.attributes.map((a) => a.path)).toEqual(['rules[tiering]']);
  });

  it("removes only strata's tags when tags are no longer declared", () => {
    const change = onlyChange(
      [],
      [observed('BucketTags', BUCKET, { tags: { 'managed-by': 'strata' }, unmanagedTags: { 'cost-center': '1234' } })],
    );
    expect(change).toMatchObject({
      action: 'delete',
      after: { tags: {}, unmanagedTags: { 'cost-center': '1234' } },
      preserved: ['tag cost-center=1234'],
    });
  });
});

describe('field-level ownership on Kubernetes', () => {
  const namespace = (labels: Record<string, string>, unmanagedLabels?: Record<string, string>) =>
    observed('Namespace', NS, { labels, ...(unmanagedLabels ? { unmanagedLabels } : {}) });
  const quota = (hard: Record<string, string>, fieldOwners: Record<string, string[]>) => ({
    ...observed('ResourceQuota', 'storage', { hard }, { namespace: NS }),
    fieldOwners,
  });
  const declaredQuota = desired(
    'ResourceQuota',
    'storage',
    { hard: { 'requests.storage': '500Gi' } },
    { namespace: NS },
  );

  it('keeps a label another writer added as found: nothing to change, and the plan says it keeps it', () => {
    const change = onlyChange(
      [desired('Namespace', NS, { labels: { team: 'codequal' } })],
      [namespace({ team: 'codequal' }, { 'pod-security.kubernetes.io/enforce': 'restricted' })],
    );

    expect(change).toMatchObject({
      action: 'no-op',
      attributes: [],
      preserved: ['label pod-security.kubernetes.io/enforce=restricted'],
    });
  });

  it("counts a declared label found among the foreign ones as strata's", () => {
    const change = onlyChange(
      [desired('Namespace', NS, { labels: { team: 'codequal' } })],
      [namespace({}, { team: 'platform', cost: 'a1' })],
    );

    expect(change).toMatchObject({
      action: 'update',
      attributes: [{ path: 'labels.team', before: 'platform', after: 'codequal' }],
      preserved: ['label cost=a1'],
    });
  });

  it('takes a declared field from the writer that owns it, and says so on the attribute', () => {
    const change = onlyChange(
      [declaredQuota],
      [quota({ 'requests.storage': '800Gi' }, { 'hard["requests.storage"]': ['kubectl-edit'] })],
    );

    expect(change.action).toBe('update');
    expect(change.attributes).toEqual([
      { path: 'hard["requests.storage"]', before: '800Gi', after: '500Gi', takesFrom: ['kubectl-edit'] },
    ]);
  });

  it('takes nothing when strata alone owns the field (the file changed, not the cluster)', () => {
    const change = onlyChange(
      [declaredQuota],
      [quota({ 'requests.storage': '400Gi' }, { 'hard["requests.storage"]': ['strata'] })],
    );

    expect(change.attributes).toEqual([{ path: 'hard["requests.storage"]', before: '400Gi', after: '500Gi' }]);
  });

  it('blocks the change up front with --no-force-conflicts, naming the field, its owner and the ways on', () => {
    const plan = createPlan({
      desired: desiredState([declaredQuota]),
      observed: observedState([
        quota({ 'requests.storage': '800Gi' }, { 'hard["requests.storage"]': ['kubectl-edit'] }),
      ]),
      now: NOW,
      forceConflicts: false,
    });

    expect(plan.forceConflicts).toBe(false);
    expect(plan.steps).toEqual([]);
    expect(plan.changes[0]).toMatchObject({ action: 'blocked' });
    expect(plan.changes[0]!.reason).toBe(
      'another writer owns hard["requests.storage"] (kubectl-edit) and --no-force-conflicts keeps strata from taking it: declare the live value, have that writer give the field up, or plan without --no-force-conflicts to take it',
    );
  });

  it('blocks writing back an edited backup Job with --no-force-conflicts, offering no live value to declare', () => {
    const liveBackup = {
      ...observed(
        'CronJob',
        'deepwiki-nightly',
        backupCronJob({ editedTemplate: ['spec.template.spec.containers[backup].args'] }),
        {
          namespace: NS,
        },
      ),
      fieldOwners: { editedTemplate: ['kubectl-patch'] },
    };
    const plan = createPlan({
      desired: desiredState([desired('CronJob', 'deepwiki-nightly', backupCronJob(), { namespace: NS })]),
      observed: observedState([liveBackup]),
      now: NOW,
      forceConflicts: false,
    });

    expect(plan.changes[0]).toMatchObject({ action: 'blocked' });
    expect(plan.changes[0]!.reason).toBe(
      "another writer owns editedTemplate (kubectl-patch) and --no-force-conflicts keeps strata from taking it: have that writer give the field up, or plan without --no-force-conflicts to write strata's back",
    );
  });
});

describe('growth bounds (pvc-autoresizer annotations)', () => {
  const growth = { threshold: '20%', increase: '20Gi', storageLimit: '500Gi' };
  const declaredClaim = desired(
    'PersistentVolumeClaim',
    'data',
    { ...claimSpec('20Gi', '500Gi'), growth },
    {
      namespace: NS,
    },
  );
  const liveClaim = (spec: Partial<SpecByKind['PersistentVolumeClaim']>, fieldOwners?: Record<string, string[]>) => ({
    ...observed('PersistentVolumeClaim', 'data', { ...claimSpec('20Gi'), ...spec }, { namespace: NS, status: bound }),
    ...(fieldOwners ? { fieldOwners } : {}),
  });

  it('is in sync once the live annotations say the same, whatever the autoresizer grew the claim to', () => {
    const change = onlyChange([declaredClaim], [liveClaim({ size: '60Gi', growth })]);

    expect(change.action).toBe('no-op');
    expect(change.reason).toContain('grown to 60Gi (an autoscaler)');
  });

  it('updates a changed threshold in place as one value, taking it from the writer that set it', () => {
    const change = onlyChange(
      [declaredClaim],
      [liveClaim({ growth: { ...growth, threshold: '5%' } }, { growth: ['kubectl-annotate', 'strata'] })],
    );

    expect(change.action).toBe('update');
    expect(change.attributes).toEqual([
      { path: 'growth', before: { ...growth, threshold: '5%' }, after: growth, takesFrom: ['kubectl-annotate'] },
    ]);
  });

  it("keeps another writer's autoresizer annotations as found when the file declares no growth", () => {
    const change = onlyChange(
      [desired('PersistentVolumeClaim', 'data', claimSpec('20Gi'), { namespace: NS })],
      [liveClaim({ unmanagedGrowth: { storageLimit: '1Ti' } })],
    );

    expect(change).toMatchObject({
      action: 'no-op',
      attributes: [],
      preserved: ['growth annotations (at 90% full, +10%, up to 1Ti)'],
    });
  });

  it("counts another writer's annotations as strata's once growth is declared, and writes the declared values", () => {
    const change = onlyChange([declaredClaim], [liveClaim({ unmanagedGrowth: { storageLimit: '1Ti' } })]);

    expect(change.action).toBe('update');
    expect(change.attributes).toEqual([
      {
        path: 'growth',
        before: { threshold: '10%', increase: '10%', storageLimit: '1Ti' },
        after: growth,
      },
    ]);
    expect(change.preserved).toBeUndefined();
  });

  it('removes the annotations strata wrote when growth is no longer declared', () => {
    const change = onlyChange(
      [desired('PersistentVolumeClaim', 'data', claimSpec('20Gi', '500Gi'), { namespace: NS })],
      [liveClaim({ growth })],
    );

    expect(change.action).toBe('update');
    expect(change.attributes).toEqual([{ path: 'growth', before: growth }]);
  });

  it("enables pvc-autoresizer on a class in place, and keeps another writer's enabled annotation", () => {
    const enabled = onlyChange(
      [desired('StorageClass', 'fast-ssd', { ...fastSsd, autoresize: true })],
      [observed('StorageClass', 'fast-ssd', fastSsd)],
    );
    expect(enabled).toMatchObject({ action: 'update', attributes: [{ path: 'autoresize', after: true }] });

    const foreign = onlyChange(
      [desired('StorageClass', 'fast-ssd', fastSsd)],
      [observed('StorageClass', 'fast-ssd', { ...fastSsd, unmanagedAutoresize: true })],
    );
    expect(foreign).toMatchObject({ action: 'no-op', preserved: ['annotation resize.topolvm.io/enabled=true'] });

    const claimed = onlyChange(
      [desired('StorageClass', 'fast-ssd', { ...fastSsd, autoresize: true })],
      [observed('StorageClass', 'fast-ssd', { ...fastSsd, unmanagedAutoresize: true })],
    );
    expect(claimed).toMatchObject({ action: 'no-op', attributes: [] });
  });

  it('takes the enabled annotation from a writer who set it to "false", which pvc-autoresizer reads as off', () => {
    const change = onlyChange(
      [desired('StorageClass', 'fast-ssd', { ...fastSsd, autoresize: true })],
      [
        {
          ...observed('StorageClass', 'fast-ssd', { ...fastSsd, unmanagedAutoresize: false }),
          fieldOwners: { autoresize: ['kubectl-annotate'] },
        },
      ],
    );
    expect(change).toMatchObject({
      action: 'update',
      attributes: [{ path: 'autoresize', after: true, takesFrom: ['kubectl-annotate'] }],
    });
  });
});
