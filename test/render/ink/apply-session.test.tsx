import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import type { Plan, Step } from '../../../src/model/plan.js';
import type { ApplyOutcome, ApprovalDecision } from '../../../src/apply/index.js';
import { ApplySession, type ApplyControls } from '../../../src/render/ink/ApplySession.js';
import { prodPlan } from '../../fixtures/render/plans.js';
import { frameShowing, press } from '../../support/ink.js';
import { KEYS } from './keys.js';

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

/** The safe plan and one change that cannot be undone, which asks for the environment's name typed back. */
const irreversiblePlan: Plan = withSteps({
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
/** Only the changes that can lose data: stepping through asks twice before each. */
const dataLossPlan: Plan = withSteps({
  ...prodPlan,
  changes: prodPlan.changes.filter((change) => change.risks.some((risk) => risk.kind === 'data-loss')),
});

/**
 * An apply run that reports each step through the controls, asking first when stepping through. A step takes a turn
 * of the event loop, or with `stepsRunUntilStopped` lasts until the run is stopped (Ctrl-C).
 */
function fakeRun(options: { failAt?: number; stepsRunUntilStopped?: boolean } = {}) {
  const calls: { controls?: ApplyControls; answers: ApprovalDecision[] } = { answers: [] };
  const run = vi.fn(async (controls: ApplyControls): Promise<ApplyOutcome> => {
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
      await (options.stepsRunUntilStopped ? stopped(controls.signal) : nextTurn());
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

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));
const stopped = (signal: AbortSignal) =>
  new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));

let current: Plan = plan;
const planOf = (_: ApplyControls) => current;

function session(
  target: Plan,
  options: {
    failAt?: number;
    stepsRunUntilStopped?: boolean;
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
    const view = session(safePlan);
    await press(view, 'a');
    await vi.waitFor(() => expect(view.onEnd).toHaveBeenCalledWith('succeeded'), { timeout: 3000 });
    const screen = view.frames.join('\n');
    for (const step of safePlan.steps) expect(screen).toContain(`✔ ${String(step.index).padStart(3)}.`);
    expect(view.lastFrame()).not.toContain('steps ·');
  });

  it('asks again before changes that can lose data', async () => {
    const view = session(plan);
    await press(view, 'a');
    await frameShowing(view, 'can lose data');
    expect(view.run).not.toHaveBeenCalled();
    // Declining ends the session: the screen is not drawn again.
    view.stdin.write('n');
    await vi.waitFor(() => expect(view.onEnd).toHaveBeenCalledWith('declined'), { timeout: 3000 });
    expect(view.run).not.toHaveBeenCalled();
  });

  it('needs the environment name typed before an irreversible change, also when keys arrive together', async () => {
    const view = session(irreversiblePlan);
    await press(view, 'a');
    const frame = await frameShowing(view, 'Type the environment name (prod)');
    expect(frame).toContain(
      's3 bucket akosha-backups-prod · object lock: COMPLIANCE retention cannot be shortened or removed',
    );
    await press(view, 'pr', 'od\r');
    await vi.waitFor(() => expect(view.run).toHaveBeenCalled(), { timeout: 3000 });
    expect(view.calls.controls?.confirmIrreversible).toBe('prod');
  });

  it('takes the environment name and its Enter written in one go', async () => {
    const view = session(irreversiblePlan);
    await press(view, 'a');
    await frameShowing(view, 'Type the environment name (prod)');
    view.stdin.write('prod\r');
    await vi.waitFor(() => expect(view.run).toHaveBeenCalled(), { timeout: 3000 });
    expect(view.calls.controls?.confirmIrreversible).toBe('prod');
  });

  it('takes an Enter written right after the name, before the screen shows the name', async () => {
    const view = session(irreversiblePlan);
    await press(view, 'a');
    await frameShowing(view, 'Type the environment name (prod)');
    view.stdin.write('prod');
    view.stdin.write('\r');
    await vi.waitFor(() => expect(view.run).toHaveBeenCalled(), { timeout: 3000 });
    expect(view.onEnd).not.toHaveBeenCalledWith('declined');
  });

  it('still cancels when the name typed back is not the environment', async () => {
    const view = session(irreversiblePlan);
    await press(view, 'a');
    await frameShowing(view, 'Type the environment name (prod)');
    view.stdin.write('pro\r');
    await vi.waitFor(() => expect(view.onEnd).toHaveBeenCalledWith('declined'), { timeout: 3000 });
    expect(view.run).not.toHaveBeenCalled();
  });

  it('answers only the question on screen: keys written with an answer wait for no later question', async () => {
    const view = session(safePlan);
    await press(view, 's');
    await frameShowing(view, 'Step 1 of the plan');
    view.stdin.write('yn');
    await frameShowing(view, 'Step 2 of the plan');
    expect(view.calls.answers).toEqual(['apply']);
    await press(view, 'n');
    await vi.waitFor(() => expect(view.calls.answers).toEqual(['apply', 'skip']), { timeout: 3000 });
  });

  it('asks again before a change that can lose data even when y is written twice in one go', async () => {
    const view = session(dataLossPlan);
    await press(view, 's');
    await frameShowing(view, 'Apply this change?');
    view.stdin.write('yy');
    await frameShowing(view, 'This change can lose data. Press y again');
    expect(view.calls.answers).toEqual([]);
    await press(view, 'y');
    await vi.waitFor(() => expect(view.calls.answers[0]).toBe('apply'), { timeout: 3000 });
  });

  it('steps through, applying or skipping each change as answered', async () => {
    const view = session(safePlan);
    await press(view, 's');
    for (const answer of ['y', 'n', ...safePlan.steps.slice(2).map(() => 'y')]) {
      await frameShowing(view, 'Apply this change? y yes · n skip');
      await press(view, answer);
    }
    await vi.waitFor(() => expect(view.calls.answers).toHaveLength(safePlan.steps.length), { timeout: 3000 });
    expect(view.calls.answers.slice(0, 2)).toEqual(['apply', 'skip']);
    expect(view.frames.join('\n')).toContain('↷   2.');
  });

  it('stops after the current step when q is answered', async () => {
    const view = session(safePlan);
    await press(view, 's');
    for (const answer of ['y', 'q']) {
      await frameShowing(view, 'Apply this change?');
      await press(view, answer);
    }
    await vi.waitFor(() => expect(view.onEnd).toHaveBeenCalledWith('aborted'), { timeout: 3000 });
    expect(view.calls.answers).toEqual(['apply', 'abort']);
  });

  it('shows the error of a failed step', async () => {
    const view = session(safePlan, { failAt: 2 });
    await press(view, 'a');
    await vi.waitFor(() => expect(view.onEnd).toHaveBeenCalledWith('failed'), { timeout: 3000 });
    expect(view.frames.join('\n')).toContain('InternalError: the server answered 500');
  });

  it('stops scheduling on Ctrl-C and lets the run end itself', async () => {
    const view = session(safePlan, { stepsRunUntilStopped: true });
    await press(view, 'a');
    await frameShowing(view, 'steps');
    await press(view, KEYS.ctrlC);
    expect(view.calls.controls?.signal.aborted).toBe(true);
    await vi.waitFor(() => expect(view.onEnd).toHaveBeenCalledWith('aborted'), { timeout: 3000 });
  });

  it('ends without applying when the review is closed', async () => {
    const { stdin, run, onEnd } = session(plan);
    // Closing the review ends the session: the screen is not drawn again.
    stdin.write('q');
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
    await frameShowing(asking, 'can lose data');
    expect(asking.run).not.toHaveBeenCalled();
    cleanup();

    const allowed = session(plan, { reviewFirst: false, confirmed: { destroy: true, irreversible: false } });
    await vi.waitFor(() => expect(allowed.run).toHaveBeenCalled(), { timeout: 3000 });
  });
});
