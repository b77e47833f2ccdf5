import { describe, expect, it } from 'vitest';
import { driftReport, hasDrift, type DriftReport } from '../../src/drift/index.js';
import type { IgnoreRule } from '../../src/model/environment.js';
import type { DesiredResource, ObservedResource, PersistentVolumeClaimSpec } from '../../src/model/resources.js';
import { NOW, desired, desiredState, lifecycleRule, observed, observedState } from '../fixtures/plan/builders.js';

const claim = (size: string, extra: Partial<PersistentVolumeClaimSpec> = {}): PersistentVolumeClaimSpec => ({
  storageClassName: 'fast-ssd',
  accessModes: ['ReadWriteOnce'],
  volumeMode: 'Filesystem',
  size,
  ...extra,
});
const namespace = desired('Namespace', 'codequal-prod', { labels: {} });
const liveNamespace = observed('Namespace', 'codequal-prod', { labels: {} });

function report(
  wanted: DesiredResource[],
  live: ObservedResource[],
  options: { ignore?: IgnoreRule[]; verbose?: boolean; now?: Date } = {},
): DriftReport {
  const state = desiredState(wanted);
  if (options.ignore) state.document.ignore = options.ignore;
  return driftReport({
    desired: state,
    observed: observedState(live),
    now: options.now ?? NOW,
    verbose: options.verbose ?? false,
  });
}

const classes = (result: DriftReport) =>
  result.findings.map((finding) => `${finding.class} ${finding.address.kind}/${finding.address.name}`);

describe('driftReport: classes', () => {
  it('calls a setting that changes behaviour effective, with the declared and live values', () => {
    const result = report(
      [namespace, desired('PersistentVolumeClaim', 'deepwiki-data', claim('200Gi'), { namespace: 'codequal-prod' })],
      [
        liveNamespace,
        observed('PersistentVolumeClaim', 'deepwiki-data', claim('100Gi'), { namespace: 'codequal-prod' }),
      ],
    );
    expect(classes(result)).toEqual(['effective PersistentVolumeClaim/deepwiki-data']);
    expect(result.findings[0]).toMatchObject({
      action: 'update',
      attributes: [{ path: 'size', declared: '200Gi', live: '100Gi' }],
    });
    expect(hasDrift(result)).toBe(true);
  });

  it('calls a lifecycle size changed on the bucket effective, in the units declared and read back', () => {
    const rule = (smallerThan: string) => lifecycleRule({ id: 'expire-small', smallerThan, expirationDays: 90 });
    const result = report(
      [desired('BucketLifecycle', 'akosha-code-analysis-prod', { rules: [rule('1Gi')] })],
      [observed('BucketLifecycle', 'akosha-code-analysis-prod', { rules: [rule('2Gi')] })],
    );
    expect(classes(result)).toEqual(['effective BucketLifecycle/akosha-code-analysis-prod']);
    expect(result.findings[0]).toMatchObject({
      action: 'update',
      attributes: [{ path: 'rules[expire-small].smallerThan', declared: '1Gi', live: '2Gi' }],
    });
    const same = report(
      [desired('BucketLifecycle', 'akosha-code-analysis-prod', { rules: [rule('1024Mi')] })],
      [observed('BucketLifecycle', 'akosha-code-analysis-prod', { rules: [rule('1Gi')] })],
    );
    expect(hasDrift(same)).toBe(false);
  });

  it('calls a declared resource that does not exist missing', () => {
    const result = report([namespace], []);
    expect(classes(result)).toEqual(['missing Namespace/codequal-prod']);
    expect(result.findings[0]?.action).toBe('create');
  });

  it('calls an owned resource the file no longer declares effective: the next apply deletes it', () => {
    const result = report(
      [],
      [
        observed('BucketVersioning', 'old', { status: 'Enabled' }),
        observed('Bucket', 'old', { objectLockEnabled: false }),
      ],
    );
    expect(classes(result)).toEqual(['effective Bucket/old']);
    expect(result.findings[0]).toMatchObject({ action: 'delete', reason: 'managed by strata and no longer declared' });
  });

  it('calls an undeclared, unowned claim in a managed namespace unmanaged, and leaves one elsewhere alone', () => {
    const result = report(
      [namespace],
      [
        liveNamespace,
        observed('PersistentVolumeClaim', 'copy', claim('20Gi'), { namespace: 'codequal-prod', owned: false }),
        observed('PersistentVolumeClaim', 'other', claim('20Gi'), { namespace: 'kube-system', owned: false }),
      ],
    );
    expect(classes(result)).toEqual(['unmanaged PersistentVolumeClaim/copy']);
    expect(result.findings[0]?.action).toBeUndefined();
    expect(result.findings[0]).toMatchObject({
      attributes: expect.arrayContaining([{ path: 'size', live: '20Gi' }]) as unknown,
    });
    expect(result.findings[0]?.reason).toContain('in namespace codequal-prod, which this file manages');
  });

  it("leaves a team's own PrometheusRule in a managed namespace alone, and calls one named as strata's unmanaged", () => {
    const rules = { groups: {} };
    const result = report(
      [namespace],
      [
        liveNamespace,
        observed('PrometheusRule', 'app-alerts', rules, { namespace: 'codequal-prod', owned: false }),
        observed('PrometheusRule', 'strata-storage-alerts', rules, { namespace: 'codequal-prod', owned: false }),
      ],
    );
    expect(classes(result)).toEqual(['unmanaged PrometheusRule/strata-storage-alerts']);
  });

  it('calls an unowned bucket named like the declared ones unmanaged', () => {
    const buckets = ['akosha-backups-prod', 'akosha-media-prod'].map((name) =>
      desired('Bucket', name, { objectLockEnabled: false }),
    );
    const result = report(buckets, [
      ...buckets.map((bucket) => observed('Bucket', bucket.address.name, { objectLockEnabled: false })),
      observed('Bucket', 'akosha-tmp-prod', { objectLockEnabled: false }, { owned: false }),
      observed('Bucket', 'someone-elses', { objectLockEnabled: false }, { owned: false }),
    ]);
    expect(classes(result)).toEqual(['unmanaged Bucket/akosha-tmp-prod']);
    expect(result.findings[0]?.reason).toContain('akosha-*-prod');
  });

  it('counts cosmetic differences always and lists them only when verbose', () => {
    const wanted = [
      namespace,
      desired('PersistentVolumeClaim', 'data', claim('1024Gi'), { namespace: 'codequal-prod' }),
    ];
    const live = [
      liveNamespace,
      observed('PersistentVolumeClaim', 'data', claim('1Ti'), { namespace: 'codequal-prod' }),
    ];
    const quiet = report(wanted, live);
    expect(quiet.findings).toEqual([]);
    expect(quiet.counts).toMatchObject({ cosmetic: 1, effective: 0, inSync: 2 });
    expect(hasDrift(quiet)).toBe(false);
    const verbose = report(wanted, live, { verbose: true });
    expect(verbose.findings).toMatchObject([
      { class: 'cosmetic', action: 'no-op', attributes: [{ path: 'size', declared: '1024Gi', live: '1Ti' }] },
    ]);
    expect(verbose.counts).toMatchObject({ cosmetic: 1, inSync: 1 });
  });

  it('says nothing about a claim an autoscaler grew within its range', () => {
    const result = report(
      [desired('PersistentVolumeClaim', 'data', claim('20Gi', { maxSize: '100Gi' }), { namespace: 'codequal-prod' })],
      [observed('PersistentVolumeClaim', 'data', claim('60Gi'), { namespace: 'codequal-prod' })],
      { verbose: true },
    );
    expect(result.findings).toEqual([]);
    expect(result.counts.inSync).toBe(1);
  });

  it('records the environment, the time, the files and the sources', () => {
    expect(report([], [])).toMatchObject({
      formatVersion: 1,
      environment: 'prod',
      checkedAt: '2026-11-23T18:00:00.000Z',
      desiredFiles: ['environments/prod.yaml'],
      sources: { kubernetes: 'context prod-eks', s3: 's3 us-west-2' },
    });
  });
});

describe('driftReport: changes still being carried out', () => {
  it('lists a claim whose resize is in progress as settling, not as drift', () => {
    const resizing = observed('PersistentVolumeClaim', 'data', claim('200Gi'), {
      namespace: 'codequal-prod',
      status: { phase: 'Bound', capacity: '100Gi', conditions: ['Resizing'] },
    });
    const result = report(
      [desired('PersistentVolumeClaim', 'data', claim('200Gi'), { namespace: 'codequal-prod' })],
      [resizing],
    );

    expect(result.findings).toEqual([
      expect.objectContaining({
        class: 'settling',
        action: 'no-op',
        reason: 'resize to 200Gi in progress: capacity 100Gi so far (Resizing)',
      }),
    ]);
    expect(hasDrift(result)).toBe(false);
  });
});

describe('driftReport: attribution', () => {
  it('names the writer that owns a drifted Kubernetes field now', () => {
    const live = observed('PersistentVolumeClaim', 'data', claim('150Gi'), { namespace: 'codequal-prod' });
    live.fieldOwners = { size: ['kubectl-edit'], storageClassName: ['strata'] };
    const result = report(
      [desired('PersistentVolumeClaim', 'data', claim('100Gi'), { namespace: 'codequal-prod' })],
      [live],
    );
    expect(result.findings[0]?.attributes).toEqual([
      { path: 'size', declared: '100Gi', live: '150Gi', changedBy: 'kubectl-edit' },
    ]);
  });

  it('attributes nothing on S3, which keeps no record of who wrote a setting', () => {
    const result = report(
      [desired('BucketVersioning', 'b', { status: 'Enabled' })],
      [observed('BucketVersioning', 'b', { status: 'Suspended' })],
    );
    expect(result.findings[0]?.attributes).toEqual([{ path: 'status', declared: 'Enabled', live: 'Suspended' }]);
  });
});

describe('driftReport: ignore rules', () => {
  const wanted = [
    desired('Namespace', 'codequal-prod', { labels: { team: 'codequal' } }),
    desired('PersistentVolumeClaim', 'deepwiki-data', claim('100Gi'), { namespace: 'codequal-prod' }),
  ];
  const live = [
    observed('Namespace', 'codequal-prod', { labels: { team: 'platform' } }),
    observed('PersistentVolumeClaim', 'deepwiki-data', claim('150Gi'), { namespace: 'codequal-prod' }),
  ];
  const claimRule: IgnoreRule = {
    address: 'kubernetes/PersistentVolumeClaim/*/deepwiki-data',
    reason: 'resized by hand during the incident',
  };

  it('moves a whole resource matched by an address glob aside, with its reason', () => {
    const result = report(wanted, live, { ignore: [claimRule] });
    expect(classes(result)).toEqual(['effective Namespace/codequal-prod']);
    expect(result.ignored).toMatchObject([{ address: { name: 'deepwiki-data' }, class: 'effective', rule: claimRule }]);
    expect(result.counts).toMatchObject({ effective: 1, ignored: 1 });
  });

  it('ignores only the attributes under a rule path', () => {
    const labelsRule: IgnoreRule = {
      address: 'kubernetes/Namespace/codequal-prod',
      path: 'labels.team',
      reason: 'team label owned by the org chart sync',
    };
    const other: IgnoreRule = {
      address: 'kubernetes/Namespace/codequal-prod',
      path: 'labels.cost',
      reason: 'nothing to match',
    };
    const result = report(wanted, live, { ignore: [labelsRule, other] });
    expect(classes(result)).toEqual(['effective PersistentVolumeClaim/deepwiki-data']);
    expect(result.ignored).toMatchObject([{ rule: labelsRule, attributes: [{ path: 'labels.team' }] }]);
  });

  it('applies a rule through its last day', () => {
    const result = report(wanted, live, {
      ignore: [{ ...claimRule, until: '2026-11-23' }],
      now: new Date('2026-11-23T23:59:59Z'),
    });
    expect(result.ignored).toHaveLength(1);
    expect(result.expiredIgnoreRules).toEqual([]);
  });

  it('stops applying a rule after its until date and lists it as expired with what it no longer hides', () => {
    const rule = { ...claimRule, until: '2026-11-22' };
    const result = report(wanted, live, { ignore: [rule] });
    expect(result.ignored).toEqual([]);
    expect(classes(result)).toContain('effective PersistentVolumeClaim/deepwiki-data');
    expect(result.expiredIgnoreRules).toEqual([
      { rule, nowReported: ['kubernetes/PersistentVolumeClaim/codequal-prod/deepwiki-data'] },
    ]);
  });
});
