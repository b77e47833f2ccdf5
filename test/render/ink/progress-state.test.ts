import { describe, expect, it } from 'vitest';
import type { Change, Step } from '../../../src/model/plan.js';
import {
  finishedSteps,
  initialProgress,
  progressBar,
  progressReducer,
} from '../../../src/render/ink/progress-state.js';

function entry(index: number, name: string): { step: Step; change: Change } {
  const address = { system: 's3' as const, kind: 'BucketLifecycle' as const, name };
  return {
    step: { index, address, action: 'update', dependsOn: [] },
    change: { address, action: 'update', attributes: [], risks: [] },
  };
}

const start = initialProgress([
  entry(1, 'akosha-backups-prod'),
  entry(2, 'akosha-chat-archive-prod'),
  entry(3, 'akosha-projects-prod'),
]);

describe('apply progress state', () => {
  it('records finished steps in the order they finished', () => {
    let state = progressReducer(start, { type: 'step-started', index: 1, at: 0 });
    state = progressReducer(state, { type: 'step-started', index: 2, at: 0 });
    state = progressReducer(state, { type: 'step-succeeded', index: 2, durationMs: 40 });
    state = progressReducer(state, { type: 'step-succeeded', index: 1, durationMs: 90 });
    expect(finishedSteps(state.finished).map((entry) => entry.step.index)).toEqual([2, 1]);
    expect(state.counts).toMatchObject({ total: 3, done: 2, succeeded: 2 });
    expect(state.running).toEqual([]);
  });

  it('counts a running step until it finishes', () => {
    const running = progressReducer(start, { type: 'step-started', index: 3, at: 0 });
    expect(running.running.map((entry) => entry.step.index)).toEqual([3]);
    const failed = progressReducer(running, { type: 'step-failed', index: 3, durationMs: 5, error: 'boom' });
    expect(failed.running).toEqual([]);
    expect(failed.counts).toMatchObject({ done: 1, failed: 1 });
  });

  it('keeps the error of a failed step', () => {
    const state = progressReducer(start, { type: 'step-failed', index: 1, durationMs: 5, error: 'InternalError: 500' });
    expect(finishedSteps(state.finished)).toMatchObject([{ status: 'failed', detail: 'InternalError: 500' }]);
  });

  it('counts a skipped step as done without its having run', () => {
    const state = progressReducer(start, { type: 'step-skipped', index: 2, reason: 'its dependency failed' });
    expect(state.counts).toMatchObject({ done: 1, skipped: 1 });
    expect(finishedSteps(state.finished)).toMatchObject([{ status: 'skipped', detail: 'its dependency failed' }]);
  });

  it('keeps the order of finished steps across thousands of them', () => {
    const many = Array.from({ length: 1_000 }, (_, i) => entry(i + 1, `akosha-backups-${i}`));
    let state = initialProgress(many);
    for (const { step } of [...many].reverse())
      state = progressReducer(state, { type: 'step-succeeded', index: step.index, durationMs: 1 });
    expect(finishedSteps(state.finished).map((finished) => finished.step.index)).toEqual(
      many.map(({ step }) => step.index).reverse(),
    );
    expect(state.counts).toMatchObject({ total: 1_000, done: 1_000, succeeded: 1_000 });
  });

  it('draws a bar proportional to the finished steps', () => {
    expect(progressBar(1, 4, 8)).toBe('██░░░░░░');
    expect(progressBar(0, 0, 4)).toBe('████');
  });
});
