import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/apply/index.js';
import { NotConvergedError } from '../../../src/errors/not-converged-error.js';
import { isStalePlanError } from '../../../src/errors/stale-plan-error.js';
import { ProviderError } from '../../../src/errors/provider-error.js';
import type { PersistentVolumeClaimSpec } from '../../../src/model/resources.js';
import { at, gate, indexes, specs, typicalEntries, world } from './world.js';

describe('applyPlan: a step that cannot be carried out', () => {
  it('fails a step whose resource someone else wrote since the plan, writing nothing to it', async () => {
    const w = world(typicalEntries().slice(0, 3));
    w.kubernetes.writeConcurrently(at.deepwikiData, specs.deepwikiData('100Gi'));

    const result = await applyPlan(w.input({ concurrency: 1 }));

    expect(result.outcome).toBe('failed');
    expect(indexes(result.failed.map((f) => f.step))).toEqual([3]);
    const error = result.failed[0]!.error;
    expect(isStalePlanError(error)).toBe(true);
    expect(error.message).toBe(
      'kubernetes/PersistentVolumeClaim/codequal-prod/deepwiki-data changed since the plan was made (someone else wrote it); run strata plan prod again',
    );
    expect(w.kubernetes.applied.map((change) => change.address.kind)).toEqual(['Namespace', 'StorageClass']);
    expect(w.kubernetes.get(at.deepwikiData)?.spec).toMatchObject({ size: '100Gi' });
  });

  it('says so when a resource the plan would create was created by someone else', async () => {
    const w = world([{ address: at.nightly, action: 'create', after: specs.nightly() }]);
    w.kubernetes.seed(at.nightly, { ...specs.nightly(), schedule: '0 3 * * *' }, { owned: false });

    const result = await applyPlan(w.input());

    expect(result.failed[0]?.error.message).toContain(
      'deepwiki-nightly changed since the plan was made (someone else created it)',
    );
  });

  it('says so when a resource the plan would update was deleted by someone else', async () => {
    const w = world(typicalEntries().slice(1, 2));
    w.kubernetes.deleteConcurrently(at.fastSsd);

    const result = await applyPlan(w.input());

    expect(result.failed[0]?.error.message).toContain(
      'fast-ssd changed since the plan was made (someone else deleted it)',
    );
  });

  it('fails a step whose read-back does not match the plan, naming the attributes that differ', async () => {
    const w = world(
      typicalEntries()
        .slice(2, 3)
        .map((entry) => ({ ...entry, dependsOn: [] })),
    );
    // An admission webhook caps claims at 100Gi.
    w.kubernetes.rewriteWrites(at.deepwikiData, (spec) => ({ ...(spec as PersistentVolumeClaimSpec), size: '100Gi' }));

    const result = await applyPlan(w.input());

    expect(result.outcome).toBe('failed');
    const error = result.failed[0]!.error;
    expect(error).toBeInstanceOf(NotConvergedError);
    expect(error.message).toBe(
      'kubernetes/PersistentVolumeClaim/codequal-prod/deepwiki-data did not converge after the write: size is "100Gi", planned "200Gi"',
    );
    expect(w.audit.records.find((record) => record.type === 'step-failed')?.error).toBe(error.message);
  });

  it('accepts a read-back that differs only in form, such as 1Ti for 1024Gi', async () => {
    const w = world([
      {
        address: at.deepwikiData,
        action: 'update',
        before: specs.deepwikiData('50Gi'),
        after: { ...specs.deepwikiData('1024Gi'), maxSize: '1Ti' },
      },
    ]);
    w.kubernetes.rewriteWrites(at.deepwikiData, (spec) => ({ ...(spec as PersistentVolumeClaimSpec), size: '1Ti' }));

    const result = await applyPlan(w.input());

    expect(result.outcome).toBe('succeeded');
  });

  it('fails a delete whose resource is still there when read back', async () => {
    const w = world([{ address: at.oldCache, action: 'delete', before: specs.oldCache() }]);
    // A finalizer keeps it: the delete is accepted, the object stays.
    const original = w.kubernetes.apply.bind(w.kubernetes);
    w.kubernetes.apply = async (change, options) => {
      await original(change, options);
      const kept = w.kubernetes.seed(at.oldCache, specs.oldCache());
      return { observed: kept };
    };

    const result = await applyPlan(w.input());

    expect(result.failed[0]?.error.message).toBe(
      'kubernetes/PersistentVolumeClaim/codequal-prod/old-cache did not converge after the write: it still exists',
    );
  });

  it('stops scheduling after a failure, lets running steps finish, and lists what was not attempted', async () => {
    const w = world(typicalEntries());
    // Steps 1, 2 and 5 start together; 2 fails while 5 (S3) is still writing.
    const s3Write = gate();
    w.s3.beforeWrite = () => s3Write.promise;
    w.kubernetes.failApply(
      2,
      new ProviderError('the server is currently unable to handle the request', { status: 503, retryable: true }),
    );
    w.kubernetes.beforeWrite = async (change) => {
      if (change.address.kind === 'StorageClass') setTimeout(s3Write.open, 20);
    };

    const result = await applyPlan(w.input({ concurrency: 3 }));

    expect(result.outcome).toBe('failed');
    expect(indexes(result.succeeded)).toEqual([1, 5]);
    expect(indexes(result.failed.map((f) => f.step))).toEqual([2]);
    expect(result.failed[0]?.error.message).toContain('unable to handle the request');
    expect(indexes(result.notAttempted)).toEqual([3, 4, 6, 7]);
    expect(w.s3.get(at.bucket)).toBeDefined();
    expect(w.audit.records.at(-1)).toMatchObject({
      type: 'run-finished',
      outcome: 'failed',
      counts: { succeeded: 2, failed: 1, skipped: 0, notAttempted: 4 },
    });
  });

  it('never starts a step that depends on a failed one, even with slots free', async () => {
    const w = world(typicalEntries().slice(0, 4));
    w.kubernetes.failApply(1);

    const result = await applyPlan(w.input({ concurrency: 1 }));

    expect(indexes(result.failed.map((f) => f.step))).toEqual([1]);
    expect(indexes(result.notAttempted)).toEqual([2, 3, 4]);
  });

  it('records the failed step in the audit log with the error', async () => {
    const w = world(typicalEntries().slice(0, 1));
    w.kubernetes.failApply(1);

    await applyPlan(w.input());

    expect(w.audit.trail).toEqual(['run-started', 'step-started:1', 'step-failed:1', 'run-finished']);
    expect(w.audit.records[2]).toMatchObject({
      address: at.namespace,
      action: 'update',
      error: 'Internal Server Error',
    });
  });

  it('tells the observer which step failed, with the error and how long it took', async () => {
    const w = world(typicalEntries().slice(0, 1));
    w.kubernetes.failApply(1);
    const failures: string[] = [];

    await applyPlan(
      w.input({
        observer: {
          onStepFailed: (step, change, error, ms) =>
            failures.push(`${step.index} ${change.action} ${error.message} ${ms >= 0}`),
        },
      }),
    );

    expect(failures).toEqual(['1 update Internal Server Error true']);
  });

  it('fails a step whose resource cannot be read before the write, writing nothing', async () => {
    const w = world(typicalEntries().slice(0, 1));
    w.kubernetes.failNextRead();

    const result = await applyPlan(w.input());

    expect(result.failed[0]?.error.message).toBe('connect ECONNREFUSED 127.0.0.1:6443');
    expect(w.kubernetes.applied).toEqual([]);
  });

  it('records what the resource reads back as after a successful step', async () => {
    const w = world(
      typicalEntries()
        .slice(2, 3)
        .map((entry) => ({ ...entry, dependsOn: [] })),
    );
    // The log keeps the size as read back, not as planned.
    w.kubernetes.rewriteWrites(at.deepwikiData, (spec) => ({
      ...(spec as PersistentVolumeClaimSpec),
      size: '204800Mi',
    }));

    await applyPlan(w.input());

    expect(w.audit.records.find((record) => record.type === 'step-succeeded')?.after).toMatchObject({
      size: '204800Mi',
    });
  });

  it('releases the lock after a failed run', async () => {
    const w = world(typicalEntries().slice(0, 1));
    w.kubernetes.failApply(1);

    await applyPlan(w.input());

    expect(w.lock.released).toBe(1);
  });
});
