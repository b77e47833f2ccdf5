import { describe, expect, it } from 'vitest';
import type { Change, Step } from '../../../src/model/plan.js';
import {
  initialProgress,
  progressBar,
  progressCounts,
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
    expect(state.finished).toEqual([2, 1]);
    expect(progressCounts(state)).toMatchObject({ total: 3, done: 2, succeeded: 2, running: 0 });
  });

  it('keeps the error of a failed step', () => {
    const state = progressReducer(start, { type: 'step-failed', index: 1, durationMs: 5, error: 'InternalError: 500' });
    expect(state.steps[0]).toMatchObject({ status: 'failed', detail: 'InternalError: 500' });
  });

  it('marks steps that never started as not attempted when the run ends', () => {
    let state = progressReducer(start, { type: 'step-failed', index: 1, durationMs: 5, error: 'boom' });
    state = progressReducer(state, { type: 'finished', outcome: 'failed' });
    expect(state.steps.map((s) => s.status)).toEqual(['failed', 'not-attempted', 'not-attempted']);
  });

  it('draws a bar proportional to the finished steps', () => {
    expect(progressBar(1, 4, 8)).toBe('██░░░░░░');
    expect(progressBar(0, 0, 4)).toBe('████');
  });
});
