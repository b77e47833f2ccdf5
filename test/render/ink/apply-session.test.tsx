import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import type { Plan, Step } from '../../../src/model/plan.js';
import { ApplySession, type ApplyControls, type Approval } from '../../../src/render/ink/ApplySession.js';
import type { RunOutcome } from '../../../src/render/ink/progress-state.js';
import { prodPlan } from '../../fixtures/render/plans.js';
import { KEYS, press, settle, until } from './keys.js';

afterEach(cleanup);

/** The fixture plan with one step per change to carry out, in listed order. */
function withSteps(plan: Plan): Plan {
  const steps: Step[] = plan.changes
    .filter((change) => change.action !== 'no-op' && change.action !== 'blocked')
    .map((change, index) => ({
      index: index + 1,
      address: change.address,
      action: change.action as Step['action'],
      dependsOn: [],
    }));
  return { ...plan, steps };
}

const plan = withSteps(prodPlan);
const safePlan: Plan = withSteps({
  ...prodPlan,
  changes: prodPlan.changes.filter((change) =>
    change.risks.every((risk) => risk.kind !== 'data-loss' && risk.kind !== 'irreversible'),
  ),
});

/** An apply run that reports each step through the controls, asking first when stepping through. */
function fakeRun(options: { failAt?: number; stepMs?: number } = {}) {
  const calls: { controls?: ApplyControls; answers: Approval[] } = { answers: [] };
  const run = vi.fn(async (controls: ApplyControls): Promise<RunOutcome> => {
    calls.controls = controls;
    for (const step of controls === undefined ? [] : planOf(controls).steps) {
      if (controls.signal.aborted) return 'aborted';
      if (controls.approve) {
        const answer = await controls.approve(
          step,
          planOf(controls).changes.find((c) => c.address === step.address)!,
        );
        calls.answers.push(answer);
        if (answer === 'abort') return 'aborted';
        if (answer === 'skip') {
          controls.report({ type: 'step-skipped', index: step.index, reason: 'skipped by alice' });
          continue;
        }
      }
      controls.report({ type: 'step-started', index: step.index, at: Date.now() });
      await settle(options.stepMs ?? 5);
      if (step.index === options.failAt) {
        controls.report({
          type: 'step-failed',
          index: step.index,
          durationMs: 5,
          error: 'InternalError: the server answered 500',
        });
        return 'failed';
      }
      controls.report({ type: 'step-succeeded', index: step.index, durationMs: 5 });
    }
    return 'succeeded';
  });
  return { run, calls };
}

let current: Plan = plan;
const planOf = (_: ApplyControls) => current;

function session(
  target: Plan,
  options: {
    failAt?: number;
    stepMs?: number;
    reviewFirst?: boolean;
    confirmed?: { destroy: boolean; irreversible: boolean };
  } = {},
) {
  current = target;
  const { run, calls } = fakeRun(options);
  const onEnd = vi.fn();
  const view = render(
    <ApplySession
      plan={target}
      color={false}
      reviewFirst={options.reviewFirst ?? true}
      confirmed={options.confirmed ?? { destroy: false, irreversible: false }}
      run={run}
      onEnd={onEnd}
    />,
  );
  return { ...view, run, calls, onEnd };
}

describe('applying from the terminal', () => {
  it('applies every step after a and shows each finished step', async () => {
    const { stdin, lastFrame, onEnd, frames } = session(safePlan);
    await press(stdin, 'a');
    await vi.waitFor(() => expect(onEnd).toHaveBeenCalledWith('succeeded'), { timeout: 3000 });
    const screen = frames.join('\n');
    for (const step of safePlan.steps) expect(screen).toContain(`✔ ${String(step.index).padStart(3)}.`);
    expect(lastFrame()).not.toContain('steps ·');
  });

  it('asks again before changes that can lose data', async () => {
    const { stdin, lastFrame, run, onEnd } = session(plan);
    await press(stdin, 'a');
    await until(lastFrame, 'can lose data');
    expect(run).not.toHaveBeenCalled();
    await press(stdin, 'n');
    await vi.waitFor(() => expect(onEnd).toHaveBeenCalledWith('declined'), { timeout: 3000 });
    expect(run).not.toHaveBeenCalled();
  });

  it('needs the environment name typed before an irreversible change, also when keys arrive together', async () => {
    const irreversible: Plan = withSteps({
      ...safePlan,
      changes: [
        ...safePlan.changes,
        {
          address: { system: 's3', kind: 'BucketObjectLock', name: 'akosha-backups-prod' },
          action: 'update',
          attributes: [{ path: 'defaultRetention.mode', before: 'GOVERNANCE', after: 'COMPLIANCE' }],
          risks: [
            { kind: 'irreversible', severity: 'high', message: 'COMPLIANCE retention cannot be shortened or removed' },
          ],
        },
      ],
    });
    const { stdin, lastFrame, run, calls } = session(irreversible);
    await press(stdin, 'a');
    await until(lastFrame, 'Type the environment name (prod)');
    expect(lastFrame()).toContain(
      's3 bucket akosha-backups-prod · object lock: COMPLIANCE retention cannot be shortened or removed',
    );
    await press(stdin, 'pr', 'od\r');
    await vi.waitFor(() => expect(run).toHaveBeenCalled(), { timeout: 3000 });
    expect(calls.controls?.confirmIrreversible).toBe('prod');
  });

  it('steps through, applying or skipping each change as answered', async () => {
    const { stdin, lastFrame, calls, frames } = session(safePlan);
    await press(stdin, 's');
    for (const answer of ['y', 'n', ...safePlan.steps.slice(2).map(() => 'y')]) {
      await until(lastFrame, 'Apply this change? y yes · n skip');
      await press(stdin, answer);
    }
    await vi.waitFor(() => expect(calls.answers).toHaveLength(safePlan.steps.length), { timeout: 3000 });
    expect(calls.answers.slice(0, 2)).toEqual(['apply', 'skip']);
    expect(frames.join('\n')).toContain('↷   2.');
  });

  it('stops after the current step when q is answered', async () => {
    const { stdin, lastFrame, calls, onEnd } = session(safePlan);
    await press(stdin, 's');
    for (const answer of ['y', 'q']) {
      await until(lastFrame, 'Apply this change?');
      await press(stdin, answer);
    }
    await vi.waitFor(() => expect(onEnd).toHaveBeenCalledWith('aborted'), { timeout: 3000 });
    expect(calls.answers).toEqual(['apply', 'abort']);
  });

  it('shows the error of a failed step', async () => {
    const { stdin, frames, onEnd } = session(safePlan, { failAt: 2 });
    await press(stdin, 'a');
    await vi.waitFor(() => expect(onEnd).toHaveBeenCalledWith('failed'), { timeout: 3000 });
    expect(frames.join('\n')).toContain('InternalError: the server answered 500');
  });

  it('stops scheduling on Ctrl-C and lets the run end itself', async () => {
    const { stdin, lastFrame, calls, onEnd } = session(safePlan, { stepMs: 200 });
    await press(stdin, 'a');
    await until(lastFrame, 'steps');
    await press(stdin, KEYS.ctrlC);
    expect(calls.controls?.signal.aborted).toBe(true);
    await vi.waitFor(() => expect(onEnd).toHaveBeenCalledWith('aborted'), { timeout: 3000 });
  });

  it('ends without applying when the review is closed', async () => {
    const { stdin, run, onEnd } = session(plan);
    await press(stdin, 'q');
    await vi.waitFor(() => expect(onEnd).toHaveBeenCalled(), { timeout: 3000 });
    expect(onEnd).toHaveBeenCalledWith('declined');
    expect(run).not.toHaveBeenCalled();
  });

  it('applies a reviewed plan file without showing the review again', async () => {
    const { lastFrame, run, onEnd } = session(safePlan, { reviewFirst: false });
    await vi.waitFor(() => expect(onEnd).toHaveBeenCalledWith('succeeded'), { timeout: 3000 });
    expect(run).toHaveBeenCalled();
    expect(lastFrame()).not.toContain('a apply all');
  });

  it('still asks before data loss in a reviewed plan file, unless --allow-destroy said yes', async () => {
    const asking = session(plan, { reviewFirst: false });
    await until(asking.lastFrame, 'can lose data');
    expect(asking.run).not.toHaveBeenCalled();
    cleanup();

    const allowed = session(plan, { reviewFirst: false, confirmed: { destroy: true, irreversible: false } });
    await vi.waitFor(() => expect(allowed.run).toHaveBeenCalled(), { timeout: 3000 });
  });
});
