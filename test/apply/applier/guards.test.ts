import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/apply/index.js';
import { isStalePlanError } from '../../../src/errors/stale-plan-error.js';
import { isReportedError } from '../../../src/errors/reported-error.js';
import { isUserError } from '../../../src/errors/user-error.js';
import { MemoryProvider } from '../../support/memory-provider.js';
import { at, doneBefore, risks, specs, typicalEntries, world, type Entry, type World } from './world.js';

const destructive: Entry[] = [
  {
    address: at.oldCache,
    action: 'delete',
    before: specs.oldCache(),
    risks: [risks.dataLoss('deletes claim old-cache and its 20Gi volume')],
  },
  {
    address: at.lifecycle,
    action: 'update',
    before: specs.lifecycle(2555),
    after: specs.lifecycle(365),
    risks: [
      risks.dataLoss(
        'rule backup-keep-deepwiki expiration 2555d → 365d: objects 1–7 years old become eligible for deletion',
      ),
    ],
  },
  { address: at.fastSsd, action: 'update', before: specs.fastSsd(false), after: specs.fastSsd(true) },
];

const irreversible: Entry[] = [
  {
    address: at.objectLock,
    action: 'create',
    after: { defaultRetention: { mode: 'COMPLIANCE', years: 7 } },
    risks: [
      risks.irreversible('COMPLIANCE retention of 7 years: no one, root included, can delete these objects early'),
    ],
  },
];

function nothingHappened(w: World): void {
  expect(w.lock.acquired).toBe(0);
  expect(w.kubernetes.applied).toEqual([]);
  expect(w.s3.applied).toEqual([]);
  expect(w.audit.records).toEqual([]);
}

describe('applyPlan: refusals before the lock and before any write', () => {
  it('refuses a plan made from desired files that have changed since', async () => {
    const w = world();
    const refused = applyPlan(w.input({ currentDesiredDigest: 'sha256:9d04e1b7aa51' }));

    await expect(refused).rejects.toSatisfy(isStalePlanError);
    await expect(refused).rejects.toThrow(
      'environments/prod.yaml changed since the plan was made; run strata plan prod again',
    );
    nothingHappened(w);
  });

  it('refuses changes that can lose data without --allow-destroy, listing each with its risk', async () => {
    const w = world(destructive);
    const refused = applyPlan(w.input());

    await expect(refused).rejects.toThrow(
      '2 changes can lose data:\n' +
        '  kubernetes/PersistentVolumeClaim/codequal-prod/old-cache: deletes claim old-cache and its 20Gi volume\n' +
        '  s3/BucketLifecycle/akosha-backups-prod: rule backup-keep-deepwiki expiration 2555d → 365d: objects 1–7 years old become eligible for deletion',
    );
    await expect(refused).rejects.toMatchObject({ hint: 'review them and re-run with --allow-destroy' });
    await expect(refused).rejects.toSatisfy(isUserError);
    nothingHappened(w);
  });

  it('applies changes that can lose data with --allow-destroy', async () => {
    const w = world(destructive);
    const result = await applyPlan(w.input({ allowDestroy: true }));

    expect(result.outcome).toBe('succeeded');
    expect(w.kubernetes.get(at.oldCache)).toBeUndefined();
  });

  it('does not ask for --allow-destroy again on resume once the destructive steps are done', async () => {
    const w = world(destructive);
    const result = await applyPlan(w.input({ resume: { history: doneBefore(1, 2) } }));

    expect(result.outcome).toBe('succeeded');
    expect(w.kubernetes.get(at.oldCache)).toBeDefined();
  });

  it('does not count the risks of blocked changes, which are never applied', async () => {
    const w = world([
      {
        address: at.oldCache,
        action: 'blocked',
        before: specs.oldCache(),
        risks: [risks.dataLoss('shrinks old-cache 20Gi → 10Gi')],
      },
      ...typicalEntries().slice(1, 2),
    ]);
    const result = await applyPlan(w.input());

    expect(result.outcome).toBe('succeeded');
  });

  it('refuses an irreversible change unless the environment is named with --confirm-irreversible', async () => {
    const w = world(irreversible);
    const refused = applyPlan(w.input());

    await expect(refused).rejects.toThrow(
      '1 change cannot be undone:\n  s3/BucketObjectLock/akosha-backups-prod: COMPLIANCE retention of 7 years: no one, root included, can delete these objects early',
    );
    await expect(refused).rejects.toMatchObject({
      hint: 'confirm by naming the environment: --confirm-irreversible=prod',
    });
    nothingHappened(w);
  });

  it('refuses a confirmation that names another environment', async () => {
    const w = world(irreversible);

    await expect(applyPlan(w.input({ confirmIrreversible: 'staging' }))).rejects.toThrow(
      '1 change cannot be undone (--confirm-irreversible=staging names another environment):',
    );
    nothingHappened(w);
  });

  it('applies an irreversible change confirmed with the environment name', async () => {
    const w = world(irreversible);
    const result = await applyPlan(w.input({ confirmIrreversible: 'prod' }));

    expect(result.outcome).toBe('succeeded');
  });

  it('refuses a plan made against another cluster, naming both, before the lock or any write', async () => {
    const w = world();
    const elsewhere = new MemoryProvider('kubernetes', 'context prod-gke (https://prod-gke.example)');

    await expect(applyPlan(w.input({ providers: { kubernetes: elsewhere, s3: w.s3 } }))).rejects.toThrow(
      'the plan was made against Kubernetes context prod-eks (https://prod-eks.example), and would be applied to context prod-gke (https://prod-gke.example)',
    );
    nothingHappened(w);
  });

  it('refuses a plan that records no target for a system it changes', async () => {
    const w = world();
    const saved = { ...w.saved, plan: { ...w.saved.plan, sources: { kubernetes: w.saved.plan.sources.kubernetes } } };

    await expect(applyPlan(w.input({ saved }))).rejects.toThrow(
      'the plan records no S3 target, and would be applied to us-west-2 (AWS)',
    );
    nothingHappened(w);
  });

  it('refuses a plan that changes a system it was given no connection to', async () => {
    const w = world();
    const input = w.input();

    await expect(applyPlan({ ...input, providers: { kubernetes: w.kubernetes } })).rejects.toThrow(
      'the plan changes s3 resources, but no s3 connection was given',
    );
    nothingHappened(w);
  });

  it('refuses a plan whose step has no matching change, as a bug rather than a user error', async () => {
    const w = world(typicalEntries().slice(0, 1));
    w.saved.plan.steps.push({ index: 2, address: at.nightly, action: 'create', dependsOn: [] });
    const refused = applyPlan(w.input());

    await expect(refused).rejects.toThrow(
      'plan step 2 (create kubernetes/CronJob/codequal-prod/deepwiki-nightly) has no matching change',
    );
    await expect(refused).rejects.not.toSatisfy(isReportedError);
    nothingHappened(w);
  });

  it('refuses a plan whose steps wait on each other', async () => {
    const w = world(
      typicalEntries()
        .slice(0, 2)
        .map((entry, i) => ({ ...entry, dependsOn: [2 - i] })),
    );

    await expect(applyPlan(w.input())).rejects.toThrow('plan steps depend on each other in a cycle');
    nothingHappened(w);
  });
});
