/** Adapts the applier's observer to what people see: plain lines in CI, progress events for the ink session. */
import type { ApplyObserver } from '../apply/applier/types.js';
import type { ProgressEvent } from '../render/ink/render.js';
import { runStartedLine, stepEventLine } from '../render/apply-text.js';
import type { Output } from './output.js';

export function textObserver(output: Output): ApplyObserver {
  return {
    onRunStarted: (info) => output.out(runStartedLine(info)),
    onStepStarted: (step) => output.out(stepEventLine('started', step, { color: output.color })),
    onStepSucceeded: (step, _change, ms, { alreadyConverged, pending }) =>
      output.out(
        stepEventLine(alreadyConverged ? 'already' : 'succeeded', step, { ms, text: pending, color: output.color }),
      ),
    onStepFailed: (step, _change, error, ms) =>
      output.out(stepEventLine('failed', step, { ms, text: error.message, color: output.color })),
    onStepSkipped: (step, _change, reason) =>
      output.out(stepEventLine('skipped', step, { text: reason, color: output.color })),
  };
}

export function progressObserver(report: (event: ProgressEvent) => void): ApplyObserver {
  return {
    onStepStarted: (step) => report({ type: 'step-started', index: step.index, at: Date.now() }),
    onStepSucceeded: (step, _change, ms, { pending }) =>
      report({ type: 'step-succeeded', index: step.index, durationMs: ms, ...(pending ? { note: pending } : {}) }),
    onStepFailed: (step, _change, error, ms) =>
      report({ type: 'step-failed', index: step.index, durationMs: ms, error: error.message }),
    onStepSkipped: (step, _change, reason) => report({ type: 'step-skipped', index: step.index, reason }),
  };
}
