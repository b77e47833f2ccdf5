import { describe, expect, it } from 'vitest';
import { applyPlan, summarizeResult } from '../../../src/apply/index.js';
import { applyHeadline } from '../../../src/render/apply-text.js';
import { doneBefore, typicalEntries, world } from './world.js';

describe('summarizeResult', () => {
  it('sums up a complete apply, counting the steps found already in place', async () => {
    const w = world(typicalEntries().slice(0, 3));
    w.kubernetes.writeConcurrently(w.saved.plan.changes[0]!.address, w.saved.plan.changes[0]!.after);

    const summary = summarizeResult(await applyPlan(w.input()));

    expect(applyHeadline(summary)).toBe('Apply complete: 3 steps succeeded (1 already in place).');
    expect(summary.counts).toMatchObject({ succeeded: 3, converged: 1, failed: 0 });
  });

  it('sums up a failed apply with what failed and what was not attempted', async () => {
    const w = world(typicalEntries().slice(0, 4));
    w.kubernetes.failApply(2);

    const summary = summarizeResult(await applyPlan(w.input({ concurrency: 1 })));

    expect(applyHeadline(summary)).toBe('Apply failed: 1 step succeeded, 1 failed, 2 not attempted.');
  });

  it('says an apply stopped early, leaving the reason to the stop error', async () => {
    const w = world(typicalEntries().slice(0, 2));
    const summary = summarizeResult(
      await applyPlan(w.input({ approve: async (step) => (step.index === 2 ? 'abort' : 'apply') })),
    );

    expect(applyHeadline(summary)).toBe('Apply stopped early: 1 step succeeded, 1 not attempted.');
  });

  it('says a resumed apply had nothing left to do', async () => {
    const w = world(typicalEntries().slice(0, 2));
    const summary = summarizeResult(await applyPlan(w.input({ resume: { history: doneBefore(1, 2) } })));

    expect(applyHeadline(summary)).toBe('Nothing to do: all 2 steps were applied by an earlier run.');
  });
});
