/** What the applier and promotion need to know from past events. */
import type { AuditEvent, AuditRecord, RunOutcome } from '../../model/audit.js';

/** The reason of a step-succeeded event whose resource already was as planned, for people. */
export const NOTHING_WRITTEN = 'already as planned; nothing written';

/** What earlier runs of one plan did to each step, judged by the step's latest event: what a resume starts from. */
export interface StepHistory {
  /** Latest event a success: a resume does not run the step again. */
  succeeded: Set<number>;
  /**
   * Steps whose write was sent: they succeeded by writing, or failed or stopped after the write went out (so part of
   * it may have landed). Not those found already as planned or refused before writing.
   */
  sent: Set<number>;
  /** Latest event a skip in step-through mode, with its time: a resume leaves them unless told otherwise. */
  skipped: Map<number, string>;
}

export function stepHistory(events: readonly AuditRecord[], planHash: string): StepHistory {
  const latest = new Map<number, AuditRecord>();
  for (const event of events) {
    if (event.planHash === planHash && event.step !== undefined && event.type.startsWith('step-'))
      latest.set(event.step, event);
  }
  const history: StepHistory = { succeeded: new Set(), sent: new Set(), skipped: new Map() };
  for (const [step, event] of latest) {
    if (event.type === 'step-succeeded') history.succeeded.add(step);
    // A run that died mid-step left only its start: whether the write went out is unknown, so it may have.
    if (event.wrote === true || event.type === 'step-started') history.sent.add(step);
    if (event.type === 'step-skipped') history.skipped.set(step, event.time);
  }
  return history;
}

export interface RunRecord {
  runId: string | undefined;
  started: AuditEvent;
  /** Absent when the run never finished (killed, crashed). */
  finished?: AuditEvent;
  outcome?: RunOutcome;
}

/** The most recent run of this plan, if it was ever applied. */
export function lastRun(events: readonly AuditEvent[], planHash: string): RunRecord | undefined {
  const startIndex = events.findLastIndex((event) => event.type === 'run-started' && event.planHash === planHash);
  const started = events[startIndex];
  if (!started) return undefined;
  const finished = events
    .slice(startIndex + 1)
    .find((event) => event.type === 'run-finished' && event.planHash === planHash && event.runId === started.runId);
  return {
    runId: started.runId,
    started,
    ...(finished ? { finished } : {}),
    ...(finished?.outcome ? { outcome: finished.outcome } : {}),
  };
}

/**
 * The run-finished event of the latest run that applied this desired-state digest successfully to the end: what
 * promotion requires. The digest is the one its run-started recorded; a run-finished without its run-started is
 * never written by strata, so it vouches for nothing.
 */
export function successfulApplyOf(events: readonly AuditEvent[], digest: string): AuditEvent | undefined {
  const digestOfRun = new Map<string, string>();
  let found: AuditEvent | undefined;
  for (const event of events) {
    if (event.type === 'run-started' && event.runId && event.desiredDigest)
      digestOfRun.set(event.runId, event.desiredDigest);
    if (
      event.type === 'run-finished' &&
      event.outcome === 'succeeded' &&
      event.runId &&
      digestOfRun.get(event.runId) === digest
    )
      found = event;
  }
  return found;
}
