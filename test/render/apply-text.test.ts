/**
 * The last words of an apply that did not finish: each way a run can end early ends with the one command that moves
 * it forward. The runs are real applier runs against the in-memory providers, printed as the CLI prints them.
 */
import { describe, expect, it } from 'vitest';
import { applyPlan, summarizeResult, type ApplyResult } from '../../src/apply/index.js';
import { applyHeadline, renderApplyResult } from '../../src/render/apply-text.js';
import { at, ENVIRONMENT, specs, typicalEntries, world } from '../apply/applier/world.js';

const PLANFILE = 'plans/prod.plan.json';

function printed(result: ApplyResult): string {
  const headline = applyHeadline(summarizeResult(result));
  return renderApplyResult(result, { headline, environment: ENVIRONMENT, planfile: PLANFILE, color: false });
}

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1);

describe('the way forward after an apply that did not finish', () => {
  it('after a step refused because someone changed its resource since the plan: plan again, not resume', async () => {
    const w = world(typicalEntries().slice(0, 3));
    w.kubernetes.writeConcurrently(at.deepwikiData, specs.deepwikiData('100Gi'));

    const text = printed(await applyPlan(w.input({ concurrency: 1 })));

    expect(text).not.toContain('--resume');
    expect(lastLine(text)).toBe('Plan again with: strata plan prod');
  });

  it('after a step the server failed: resume once the cause is fixed', async () => {
    const w = world(typicalEntries().slice(0, 3));
    w.kubernetes.failApply(2);

    const text = printed(await applyPlan(w.input({ concurrency: 1 })));

    expect(lastLine(text)).toBe('Continue after fixing the cause with: strata apply --resume plans/prod.plan.json');
  });

  it('after the person stopped it in step-through mode: says they stopped it, and resume, with nothing to fix', async () => {
    const w = world(typicalEntries().slice(0, 3));

    const text = printed(await applyPlan(w.input({ approve: async (step) => (step.index === 2 ? 'abort' : 'apply') })));

    expect(text).toContain('  stopped      you stopped the apply at step 2 in step-through mode');
    expect(text).not.toMatch(/fail|fixing/i);
    expect(lastLine(text)).toBe('Continue with: strata apply --resume plans/prod.plan.json');
  });

  it('after Ctrl-C: resume, with nothing to fix', async () => {
    const w = world(typicalEntries().slice(0, 3));
    const controller = new AbortController();
    w.kubernetes.beforeWrite = () => controller.abort();

    const text = printed(await applyPlan(w.input({ concurrency: 1, signal: controller.signal })));

    expect(text).toContain('  stopped      apply interrupted; steps already running were let finish');
    expect(lastLine(text)).toBe('Continue with: strata apply --resume plans/prod.plan.json');
  });

  it('after the lock was lost: resume once no one else is applying', async () => {
    const w = world(typicalEntries().slice(0, 3));
    w.kubernetes.beforeWrite = () => w.lock.loseLock();

    const text = printed(await applyPlan(w.input({ concurrency: 1 })));

    expect(lastLine(text)).toBe(
      'Continue, once no one else is applying to prod, with: strata apply --resume plans/prod.plan.json',
    );
  });

  it('after the audit log could not be written: resume once it can be', async () => {
    const w = world(typicalEntries().slice(0, 3));
    w.audit.failOn((record) => record.type === 'step-started' && record.step === 2);

    const text = printed(await applyPlan(w.input({ concurrency: 1 })));

    expect(lastLine(text)).toBe(
      'Continue, once the audit log can be written, with: strata apply --resume plans/prod.plan.json',
    );
  });
});
