/**
 * Live progress of an apply, folded from the applier's events. Pure: the ink view and its tests read this state, and
 * the order in which steps finished is kept so finished steps can be written once, above the live area.
 */
import type { ApplyOutcome } from '../../apply/applier/types.js';
import type { Change, Step } from '../../model/plan.js';

export type StepStatus = 'pending' | 'running' | 'succeeded' | 'failed' | 'skipped' | 'not-attempted';

export interface StepProgress {
  step: Step;
  change: Change;
  status: StepStatus;
  startedAt?: number;
  durationMs?: number;
  /** The error of a failed step, or why it was skipped. */
  detail?: string;
}

export interface ProgressState {
  steps: StepProgress[];
  /** Step indexes in the order they reached a final status. */
  finished: number[];
  /** Ctrl-C was pressed: no new steps start, running ones finish. */
  stopping: boolean;
  outcome?: ApplyOutcome;
}

export type ProgressEvent =
  | { type: 'step-started'; index: number; at: number }
  | { type: 'step-succeeded'; index: number; durationMs: number; note?: string }
  | { type: 'step-failed'; index: number; durationMs: number; error: string }
  | { type: 'step-skipped'; index: number; reason: string }
  | { type: 'stopping' }
  | { type: 'finished'; outcome: ApplyOutcome };

export function initialProgress(steps: { step: Step; change: Change }[]): ProgressState {
  return {
    steps: steps.map(({ step, change }) => ({ step, change, status: 'pending' })),
    finished: [],
    stopping: false,
  };
}

export function progressReducer(state: ProgressState, event: ProgressEvent): ProgressState {
  switch (event.type) {
    case 'step-started':
      return update(state, event.index, { status: 'running', startedAt: event.at });
    case 'step-succeeded':
      return finish(state, event.index, {
        status: 'succeeded',
        durationMs: event.durationMs,
        ...(event.note ? { detail: event.note } : {}),
      });
    case 'step-failed':
      return finish(state, event.index, { status: 'failed', durationMs: event.durationMs, detail: event.error });
    case 'step-skipped':
      return finish(state, event.index, { status: 'skipped', detail: event.reason });
    case 'stopping':
      return { ...state, stopping: true };
    case 'finished':
      return {
        ...state,
        outcome: event.outcome,
        steps: state.steps.map((entry) => (entry.status === 'pending' ? { ...entry, status: 'not-attempted' } : entry)),
      };
  }
}

function update(state: ProgressState, index: number, patch: Partial<StepProgress>): ProgressState {
  return { ...state, steps: state.steps.map((entry) => (entry.step.index === index ? { ...entry, ...patch } : entry)) };
}

function finish(state: ProgressState, index: number, patch: Partial<StepProgress>): ProgressState {
  return { ...update(state, index, patch), finished: [...state.finished, index] };
}

export interface ProgressCounts {
  total: number;
  done: number;
  succeeded: number;
  failed: number;
  skipped: number;
  running: number;
}

export function progressCounts(state: ProgressState): ProgressCounts {
  const count = (status: StepStatus) => state.steps.filter((entry) => entry.status === status).length;
  const succeeded = count('succeeded');
  const failed = count('failed');
  const skipped = count('skipped');
  return {
    total: state.steps.length,
    done: succeeded + failed + skipped,
    succeeded,
    failed,
    skipped,
    running: count('running'),
  };
}

/** A text progress bar of `width` cells. */
export function progressBar(done: number, total: number, width: number): string {
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}
