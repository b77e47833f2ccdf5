import { describe, expect, it } from 'vitest';
import { applyPlan, type ApprovalDecision } from '../../../src/apply/index.js';
import { isApplyAbortedError } from '../../../src/errors/apply-aborted-error.js';
import type { Step } from '../../../src/model/plan.js';
import { at, gate, indexes, specs, typicalEntries, world } from './world.js';

describe('applyPlan: stopping early', () => {
  it('on Ctrl-C lets the running step finish, records it, and returns aborted', async () => {
    const w = world(typicalEntries().slice(0, 4));
    const controller = new AbortController();
    const write = gate();
    w.kubernetes.beforeWrite = async (change) => {
      if (change.address.kind === 'StorageClass') {
        controller.abort();
        await write.promise;
      }
    };
    setTimeout(write.open, 20);

    const result = await applyPlan(w.input({ concurrency: 1, signal: controller.signal }));

    expect(result.outcome).toBe('aborted');
    expect(result.stopped?.reason).toBe('interrupted');
    expect(result.stopped?.message).toBe('apply interrupted; steps already running were let finish');
    expect(indexes(result.succeeded)).toEqual([1, 2]);
    expect(indexes(result.notAttempted)).toEqual([3, 4]);
    expect(w.kubernetes.get(at.fastSsd)?.spec).toMatchObject({ allowVolumeExpansion: true });
    expect(w.audit.trail).toEqual([
      'run-started',
      'step-started:1',
      'step-succeeded:1',
      'step-started:2',
      'step-succeeded:2',
      'run-finished',
    ]);
    expect(w.audit.records.at(-1)).toMatchObject({
      outcome: 'aborted',
      counts: { succeeded: 2, failed: 0, skipped: 0, notAttempted: 2 },
    });
    expect(w.lock.released).toBe(1);
  });

  it('stops scheduling when the lock is lost, and says so', async () => {
    const w = world(typicalEntries().slice(0, 3));
    w.kubernetes.beforeWrite = (change) => {
      if (change.address.kind === 'Namespace') w.lock.loseLock();
    };

    const result = await applyPlan(w.input({ concurrency: 1 }));

    expect(result.outcome).toBe('aborted');
    expect(result.stopped).toSatisfy(isApplyAbortedError);
    expect(result.stopped?.reason).toBe('lock-lost');
    expect(result.stopped?.message).toBe(
      'the lock on prod was lost while applying (it could not be renewed or someone broke it)',
    );
    expect(indexes(result.succeeded)).toEqual([1]);
    expect(indexes(result.notAttempted)).toEqual([2, 3]);
  });

  it('stops when the audit log cannot be written, without running the step it could not record', async () => {
    const w = world(typicalEntries().slice(0, 3));
    w.audit.failOn((record) => record.type === 'step-started' && record.step === 2);

    const result = await applyPlan(w.input({ concurrency: 1 }));

    expect(result.outcome).toBe('aborted');
    expect(result.stopped?.reason).toBe('audit-failed');
    expect(result.stopped?.message).toBe(
      'the audit log could not be written (ENOSPC: no space left on device, write), so the apply stopped; the step-started of step 2 event is missing from it',
    );
    expect(indexes(result.succeeded)).toEqual([1]);
    expect(indexes(result.notAttempted)).toEqual([2, 3]);
    expect(w.kubernetes.applied.map((change) => change.address.name)).toEqual(['codequal-prod']);
    expect(w.audit.trail).toEqual(['run-started', 'step-started:1', 'step-succeeded:1']);
    expect(w.lock.released).toBe(1);
  });

  it('runs nothing when even the run-started event cannot be written', async () => {
    const w = world(typicalEntries().slice(0, 2));
    w.audit.failOn(() => true);

    const result = await applyPlan(w.input());

    expect(result.outcome).toBe('aborted');
    expect(indexes(result.notAttempted)).toEqual([1, 2]);
    expect(w.kubernetes.applied).toEqual([]);
  });

  it('reports an apply whose last event could not be written as aborted, though every step succeeded', async () => {
    const w = world(typicalEntries().slice(0, 1));
    w.audit.failOn((record) => record.type === 'run-finished');

    const result = await applyPlan(w.input());

    expect(result.outcome).toBe('aborted');
    expect(indexes(result.succeeded)).toEqual([1]);
    expect(result.stopped?.reason).toBe('audit-failed');
  });

  it('still tells the observer what happened after the audit log failed', async () => {
    const w = world(typicalEntries().slice(0, 1));
    w.audit.failOn((record) => record.type === 'step-succeeded');
    const seen: string[] = [];

    await applyPlan(
      w.input({
        observer: {
          onStepSucceeded: (step) => seen.push(`succeeded ${step.index}`),
          onRunFinished: (r) => seen.push(r.outcome),
        },
      }),
    );

    expect(seen).toEqual(['succeeded 1', 'aborted']);
  });
});

describe('applyPlan: step-through mode', () => {
  const answering =
    (answers: Record<number, ApprovalDecision>, asked: number[] = []) =>
    async (step: Step): Promise<ApprovalDecision> => {
      asked.push(step.index);
      return answers[step.index] ?? 'apply';
    };

  it('asks before each step and applies the ones approved', async () => {
    const w = world(typicalEntries().slice(0, 3));
    const asked: number[] = [];

    const result = await applyPlan(w.input({ approve: answering({}, asked) }));

    expect(asked).toEqual([1, 2, 3]);
    expect(result.outcome).toBe('succeeded');
  });

  it('runs one step at a time, whatever the concurrency', async () => {
    const w = world(typicalEntries());
    w.kubernetes.delayWrites(5);
    w.s3.delayWrites(5);

    await applyPlan(w.input({ concurrency: 4, approve: answering({}) }));

    expect(Math.max(w.kubernetes.maxInFlight, w.s3.maxInFlight)).toBe(1);
  });

  it('records a skipped step and does not attempt the steps that depend on it', async () => {
    const w = world(typicalEntries().slice(0, 4));
    const skippedSeen: string[] = [];

    const result = await applyPlan(
      w.input({
        approve: answering({ 2: 'skip' }),
        observer: { onStepSkipped: (step, _change, reason) => skippedSeen.push(`${step.index}: ${reason}`) },
      }),
    );

    expect(result.outcome).toBe('succeeded');
    expect(indexes(result.succeeded)).toEqual([1]);
    expect(indexes(result.skipped)).toEqual([2]);
    expect(indexes(result.notAttempted)).toEqual([3, 4]);
    expect(skippedSeen).toEqual(['2: skipped in step-through mode']);
    expect(w.audit.records.find((record) => record.type === 'step-skipped')).toMatchObject({
      step: 2,
      address: at.fastSsd,
      reason: 'skipped in step-through mode',
    });
    expect(w.kubernetes.get(at.fastSsd)?.spec).toEqual(specs.fastSsd(false));
  });

  it('stops at an abort: the step is not run, the run is recorded as aborted', async () => {
    const w = world(typicalEntries().slice(0, 3));

    const result = await applyPlan(w.input({ approve: answering({ 2: 'abort' }) }));

    expect(result.outcome).toBe('aborted');
    expect(result.stopped?.reason).toBe('declined');
    expect(result.stopped?.message).toBe('you stopped the apply at step 2 in step-through mode');
    expect(indexes(result.succeeded)).toEqual([1]);
    expect(indexes(result.notAttempted)).toEqual([2, 3]);
    expect(w.audit.trail).toEqual(['run-started', 'step-started:1', 'step-succeeded:1', 'run-finished']);
    expect(w.audit.records.at(-1)).toMatchObject({ outcome: 'aborted' });
  });

  it('does not start an approved step when Ctrl-C came while the question was open', async () => {
    const w = world(typicalEntries().slice(0, 2));
    const controller = new AbortController();

    const result = await applyPlan(
      w.input({
        signal: controller.signal,
        approve: async (step) => {
          if (step.index === 2) controller.abort();
          return 'apply';
        },
      }),
    );

    expect(result.outcome).toBe('aborted');
    expect(indexes(result.notAttempted)).toEqual([2]);
    expect(w.kubernetes.applied.map((change) => change.address.name)).toEqual(['codequal-prod']);
  });
});
