import { describe, expect, it } from 'vitest';
import { createPlan } from '../../src/plan/index.js';
import { serializePlanFile } from '../../src/plan/planfile.js';
import { NOW } from '../fixtures/plan/builders.js';
import { prodDesired } from '../fixtures/plan/prod.desired.js';
import { prodObserved } from '../fixtures/plan/prod.observed.js';

describe('the prod scenario (docs/DOMAIN.md)', () => {
  const plan = createPlan({ desired: prodDesired, observed: prodObserved(), now: NOW });
  const byName = (kind: string, name: string) =>
    plan.changes.find((c) => c.address.kind === kind && c.address.name === name);

  it('summarizes one create, two updates, one replace, one adoption and one blocked change', () => {
    expect(plan.summary).toEqual({
      create: 1,
      update: 2,
      replace: 1,
      delete: 0,
      adopt: 1,
      blocked: 1,
      noOp: 8,
      risks: 3,
    });
  });

  it('flags the expiration shortened from 2555d to 365d as data loss', () => {
    expect(byName('BucketLifecycle', 'akosha-backups-prod')?.risks).toEqual([
      {
        kind: 'data-loss',
        severity: 'high',
        message:
          'lifecycle rule "tiering" expiration 2555d → 365d (objects 1–7 years old become eligible for deletion)',
        path: 'rules[tiering].expirationDays',
      },
    ]);
  });

  it('replaces fast-ssd for its gp2 → gp3 parameter and says existing volumes keep their class', () => {
    const change = byName('StorageClass', 'fast-ssd');
    expect(change?.action).toBe('replace');
    expect(change?.risks[0]?.message).toBe(
      'parameters.type gp2 → gp3 forces delete + create (existing volumes keep their class; new claims use the new one)',
    );
  });

  it('grows deepwiki-data from 50Gi to 200Gi as a +150Gi cost', () => {
    const change = byName('PersistentVolumeClaim', 'deepwiki-data');
    expect(change?.action).toBe('update');
    expect(change?.risks[0]).toMatchObject({
      kind: 'cost',
      message: '+150Gi requested storage (50Gi → 200Gi)',
      storageDeltaBytes: 150 * 2 ** 30,
    });
  });

  it('blocks the warm-db shrink with the fix', () => {
    expect(byName('PersistentVolumeClaim', 'warm-db')?.reason).toBe(
      '200Gi → 100Gi would shrink a volume; Kubernetes forbids it (set size: 200Gi, or migrate the data to a new claim)',
    );
  });

  it('creates the nightly backup CronJob after the claim it backs up', () => {
    const claimStep = plan.steps.find((s) => s.address.name === 'deepwiki-data');
    const backupStep = plan.steps.find((s) => s.address.name === 'deepwiki-nightly');
    expect(backupStep).toMatchObject({ action: 'create', dependsOn: [claimStep?.index] });
  });

  it('keeps the unmanaged legal-hold rule and cost-center tag as found', () => {
    expect(byName('BucketLifecycle', 'akosha-backups-prod')?.preserved).toEqual([
      'lifecycle rule "legal-hold-archive"',
    ]);
    expect(byName('BucketTags', 'akosha-backups-prod')?.preserved).toEqual(['tag cost-center=1234']);
  });

  it('matches the reviewed plan file fixture (renderers read it)', async () => {
    await expect(serializePlanFile(plan)).toMatchFileSnapshot('../fixtures/plan/prod.plan.json');
  });
});
