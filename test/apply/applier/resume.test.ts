import { describe, expect, it } from 'vitest';
import { applyPlan, summarizeResult, type ApprovalDecision } from '../../../src/apply/index.js';
import { applyHeadline } from '../../../src/render/apply-text.js';
import type { Step } from '../../../src/model/plan.js';
import { at, indexes, risks, specs, typicalEntries, world } from './world.js';

describe('applyPlan: resume and re-run', () => {
  it('resumes after a failed step: steps done earlier are not run again, the rest converge', async () => {
    const w = world();
    w.kubernetes.failApply(3);
    const first = await applyPlan(w.input({ concurrency: 1 }));
    expect(indexes(first.succeeded)).toEqual([1, 2]);
    const writesBefore = w.kubernetes.applied.length;

    const second = await applyPlan(w.input({ concurrency: 1, resume: { history: w.audit.history() } }));

    expect(second.outcome).toBe('succeeded');
    expect(indexes(second.resumed)).toEqual([1, 2]);
    expect(indexes(second.succeeded)).toEqual([3, 4, 5, 6, 7]);
    expect(w.kubernetes.applied.slice(writesBefore).map((change) => change.address.name)).toEqual([
      'deepwiki-data',
      'deepwiki-nightly',
    ]);
    expect(w.kubernetes.get(at.deepwikiData)?.spec).toMatchObject({ size: '200Gi' });
  });

  it('starts a resumed run as a new run of the same plan in the audit log', async () => {
    const w = world(typicalEntries().slice(0, 2));
    w.kubernetes.failApply(2);
    const first = await applyPlan(w.input({ concurrency: 1 }));
    const second = await applyPlan(w.input({ resume: { history: w.audit.history() } }));

    expect(second.runId).not.toBe(first.runId);
    const secondRun = w.audit.records.filter((record) => record.runId === second.runId);
    expect(secondRun.map((record) => record.type)).toEqual([
      'run-started',
      'step-started',
      'step-succeeded',
      'run-finished',
    ]);
    expect(secondRun.every((record) => record.planHash === w.saved.planHash)).toBe(true);
  });

  it('treats a step written by a run that stopped before recording it as done, without writing again', async () => {
    const w = world(typicalEntries().slice(0, 3));
    // The claim's write reached the server, then the connection was reset: the step failed, the server has it.
    w.kubernetes.failAfterWrite(3);
    const first = await applyPlan(w.input({ concurrency: 1 }));
    expect(indexes(first.failed.map((f) => f.step))).toEqual([3]);
    const writesBefore = w.kubernetes.applied.length;

    const second = await applyPlan(w.input({ resume: { history: w.audit.history() } }));

    expect(second.outcome).toBe('succeeded');
    expect(indexes(second.succeeded)).toEqual([3]);
    expect(second.converged).toEqual([3]);
    expect(w.kubernetes.applied.length).toBe(writesBefore);
    expect(w.audit.records.at(-2)).toMatchObject({
      type: 'step-succeeded',
      step: 3,
      reason: 'already as planned; nothing written',
    });
  });

  it('treats a step whose success never reached the audit log as done on resume', async () => {
    const w = world(typicalEntries().slice(0, 3));
    w.audit.failOn((record) => record.type === 'step-succeeded' && record.step === 2);
    const first = await applyPlan(w.input({ concurrency: 1 }));
    expect(first.outcome).toBe('aborted');
    w.audit.failOn(() => false);

    const second = await applyPlan(w.input({ concurrency: 1, resume: { history: w.audit.history() } }));

    expect(second.outcome).toBe('succeeded');
    expect(indexes(second.resumed)).toEqual([1]);
    expect(second.converged).toEqual([2]);
    expect(w.kubernetes.applied.map((change) => change.address.name)).toEqual([
      'codequal-prod',
      'fast-ssd',
      'deepwiki-data',
    ]);
  });

  it('fails a remaining step on resume when someone else changed it since the plan', async () => {
    const w = world(typicalEntries().slice(0, 3));
    w.kubernetes.failApply(2);
    await applyPlan(w.input({ concurrency: 1 }));
    w.kubernetes.writeConcurrently(at.deepwikiData, specs.deepwikiData('100Gi'));

    const second = await applyPlan(w.input({ concurrency: 1, resume: { history: w.audit.history() } }));

    expect(second.outcome).toBe('failed');
    expect(indexes(second.succeeded)).toEqual([2]);
    expect(second.failed[0]?.error.message).toContain(
      'deepwiki-data changed since the plan was made (someone else wrote it)',
    );
  });

  it('finishes a replacement whose delete happened but whose create did not', async () => {
    const after = { ...specs.fastSsd(true), parameters: { type: 'gp3', iops: '6000' } };
    const w = world([{ address: at.fastSsd, action: 'replace', before: specs.fastSsd(true), after }]);
    w.kubernetes.deleteConcurrently(at.fastSsd);

    const result = await applyPlan(w.input());

    expect(result.outcome).toBe('succeeded');
    expect(result.converged).toEqual([]);
    expect(w.kubernetes.get(at.fastSsd)?.spec).toEqual(after);
  });

  it('changes nothing when a finished apply is run again', async () => {
    const w = world([
      ...typicalEntries(),
      {
        address: at.oldCache,
        action: 'delete',
        before: specs.oldCache(),
        risks: [risks.dataLoss('deletes old-cache (20Gi)')],
      },
    ]);
    await applyPlan(w.input({ allowDestroy: true }));
    const writes = w.kubernetes.applied.length + w.s3.applied.length;

    const again = await applyPlan(w.input({ allowDestroy: true }));

    expect(again.outcome).toBe('succeeded');
    expect(again.converged).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(w.kubernetes.applied.length + w.s3.applied.length).toBe(writes);
  });

  it('has nothing to do when resuming a finished apply, and takes no lock', async () => {
    const w = world();
    await applyPlan(w.input());
    const events = w.audit.records.length;

    const again = await applyPlan(w.input({ resume: { history: w.audit.history() } }));

    expect(again.outcome).toBe('nothing-to-do');
    expect(indexes(again.resumed)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(w.lock.acquired).toBe(1);
    expect(w.audit.records.length).toBe(events);
  });
});

describe('applyPlan: resume after steps were skipped in step-through mode', () => {
  const skipStep3 = async (step: Step): Promise<ApprovalDecision> => (step.index === 3 ? 'skip' : 'apply');

  it('leaves a step skipped in an earlier run, and the steps that depend on it, and says when it was skipped', async () => {
    const w = world();
    await applyPlan(w.input({ approve: skipStep3 }));

    const resumed = await applyPlan(w.input({ resume: { history: w.audit.history() } }));

    expect(resumed.outcome).toBe('succeeded');
    expect(resumed.leftSkipped).toEqual([{ step: w.saved.plan.steps[2], skippedAt: '2026-11-23T10:00:00.000Z' }]);
    expect(indexes(resumed.notAttempted)).toEqual([4]);
    expect(w.kubernetes.get(at.deepwikiData)?.spec).toMatchObject({ size: '50Gi' });
  });

  it('applies the skipped step and the steps that depend on it when told to include them', async () => {
    const w = world();
    await applyPlan(w.input({ approve: skipStep3 }));

    const resumed = await applyPlan(w.input({ resume: { history: w.audit.history(), includeSkipped: true } }));

    expect(resumed.leftSkipped).toEqual([]);
    expect(indexes(resumed.succeeded)).toEqual([3, 4]);
    expect(w.kubernetes.get(at.deepwikiData)?.spec).toMatchObject({ size: '200Gi' });
  });

  it('has nothing to do when only skipped steps are left, takes no lock, and says what it left', async () => {
    const w = world(typicalEntries().slice(0, 3));
    await applyPlan(w.input({ approve: skipStep3 }));

    const resumed = await applyPlan(w.input({ resume: { history: w.audit.history() } }));

    expect(resumed.outcome).toBe('nothing-to-do');
    expect(indexes(resumed.leftSkipped.map(({ step }) => step))).toEqual([3]);
    expect(w.lock.acquired).toBe(1);
    expect(applyHeadline(summarizeResult(resumed))).toBe(
      'Nothing to do: 2 steps done by an earlier run, 1 left skipped.',
    );
  });
});
