/** What the applier and promotion need to know from past events. */
import type { AuditEvent, RunOutcome } from '../../model/audit.js';

/** The steps of this plan whose latest step event is a success: a resume skips them. */
export function stepsSucceeded(events: readonly AuditEvent[], planHash: string): Set<number> {
  const latest = new Map<number, AuditEvent['type']>();
  for (const event of events) {
    if (event.planHash === planHash && event.step !== undefined && event.type.startsWith('step-')) {
      latest.set(event.step, event.type);
    }
  }
  return new Set([...latest].filter(([, type]) => type === 'step-succeeded').map(([step]) => step));
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

/** Desired-state digests that some run applied successfully to the end: promotion only promotes those. */
export function appliedDigests(events: readonly AuditEvent[]): Set<string> {
  const digestOfRun = new Map<string, string>();
  const digests = new Set<string>();
  for (const event of events) {
    if (event.type === 'run-started' && event.runId && event.desiredDigest) digestOfRun.set(event.runId, event.desiredDigest);
    if (event.type === 'run-finished' && event.outcome === 'succeeded') {
      const digest = event.desiredDigest ?? (event.runId ? digestOfRun.get(event.runId) : undefined);
      if (digest) digests.add(digest);
    }
  }
  return digests;
}
