import { describe, expect, it } from 'vitest';
import { changesOfEdit, createPlan } from '../../src/plan/index.js';
import { pairResources } from '../../src/plan/pair.js';
import { NOW, desired, desiredState, observed, observedState } from '../fixtures/plan/builders.js';

const labels = { labels: {} };

describe('pairResources', () => {
  it('pairs desired and observed resources by address, sorted', () => {
    const pairs = pairResources(
      [desired('Namespace', 'b', labels), desired('Namespace', 'a', labels)],
      [observed('Namespace', 'b', labels), observed('Namespace', 'c', labels)],
    );
    expect(pairs.map((pair) => [pair.key, Boolean(pair.desired), Boolean(pair.observed)])).toEqual([
      ['kubernetes/Namespace/a', true, false],
      ['kubernetes/Namespace/b', true, true],
      ['kubernetes/Namespace/c', false, true],
    ]);
  });
});

describe('createPlan', () => {
  const capabilities = [{ capability: 'encryption' as const, supported: false, detail: 'NotImplemented' }];
  const plan = createPlan({
    desired: desiredState([desired('Namespace', 'b', labels), desired('Namespace', 'a', labels)]),
    observed: observedState([observed('Namespace', 'b', labels), observed('Namespace', 'old', labels)], capabilities),
    now: NOW,
  });

  it('records the environment, the time passed in and the desired files digest', () => {
    expect(plan).toMatchObject({
      formatVersion: 2,
      environment: 'prod',
      createdAt: '2026-11-23T18:00:00.000Z',
      desiredFiles: ['environments/prod.yaml'],
      desiredDigest: desiredState([]).digest,
    });
  });

  it('copies where the observed state came from and what the servers support', () => {
    expect(plan.sources).toEqual({ kubernetes: 'context prod-eks', s3: 's3 us-west-2' });
    expect(plan.capabilities).toEqual(capabilities);
  });

  it('records how long a live observation took, and nothing for a snapshot', () => {
    const live = createPlan({
      desired: desiredState([]),
      observed: { ...observedState([]), observedInMs: 812 },
      now: NOW,
    });
    expect(live.observedInMs).toBe(812);
    expect(plan).not.toHaveProperty('observedInMs');
  });

  it('lists changes sorted by address, unchanged ones included', () => {
    expect(plan.changes.map((change) => `${change.action} ${change.address.name}`)).toEqual([
      'create a',
      'no-op b',
      'delete old',
    ]);
  });

  it('counts actions and risks', () => {
    expect(plan.summary).toEqual({
      create: 1,
      update: 0,
      replace: 0,
      delete: 1,
      adopt: 0,
      blocked: 0,
      noOp: 1,
      risks: 1,
    });
  });

  it("judges a deleted claim's risk by its storage class as the plan observed it", () => {
    const fastSsd = {
      provisioner: 'ebs.csi.aws.com',
      parameters: {},
      reclaimPolicy: 'Retain' as const,
      volumeBindingMode: 'WaitForFirstConsumer' as const,
      allowVolumeExpansion: true,
      mountOptions: [],
    };
    const claim = {
      storageClassName: 'fast-ssd',
      accessModes: ['ReadWriteOnce' as const],
      volumeMode: 'Filesystem' as const,
      size: '10Gi',
    };
    const withClaimGone = createPlan({
      desired: desiredState([desired('StorageClass', 'fast-ssd', fastSsd)]),
      observed: observedState([
        observed('StorageClass', 'fast-ssd', fastSsd),
        observed('PersistentVolumeClaim', 'scratch', claim, { namespace: 'codequal-prod' }),
      ]),
      now: NOW,
    });
    const deleted = withClaimGone.changes.find((change) => change.address.kind === 'PersistentVolumeClaim');
    expect(deleted?.risks.map((risk) => risk.kind)).toEqual(['cost']);
  });
});

describe('changesOfEdit', () => {
  const standard = {
    provisioner: 'ebs.csi.aws.com',
    parameters: { type: 'st1' },
    reclaimPolicy: 'Delete' as const,
    volumeBindingMode: 'WaitForFirstConsumer' as const,
    allowVolumeExpansion: true,
    mountOptions: [],
  };
  const claim = (storageClassName: string, size = '200Gi') =>
    desired(
      'PersistentVolumeClaim',
      'warm-db',
      { storageClassName, accessModes: ['ReadWriteOnce'], volumeMode: 'Filesystem', size },
      { namespace: 'analytics-staging' },
    );
  const file = (...resources: Parameters<typeof desiredState>[0]) =>
    desiredState([desired('StorageClass', 'standard', standard), ...resources], 'staging');

  it('is what the next plan would do were the live state the file before the edit: an immutable field replaces', () => {
    const [replaced, ...rest] = changesOfEdit(file(claim('gp3-encrypted')), file(claim('standard')));
    expect(rest).toEqual([]);
    expect(replaced).toMatchObject({
      action: 'replace',
      attributes: [{ path: 'storageClassName', before: 'gp3-encrypted', after: 'standard', forcesReplacement: true }],
      risks: [{ kind: 'data-loss' }],
    });
  });

  it('leaves out what stays as it is, and changes nothing for an edit that means nothing new', () => {
    expect(changesOfEdit(file(claim('standard')), file(claim('standard', '300Gi'))).map((c) => c.action)).toEqual([
      'update',
    ]);
    expect(changesOfEdit(file(claim('standard')), file(claim('standard')))).toEqual([]);
  });
});
