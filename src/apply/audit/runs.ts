/**
 * What the events say about apply runs: runs that started and never finished (killed, or still running), and events
 * outside the run they name, which the applier never writes: each run's events lie between its run-started and its
 * run-finished.
 */
import type { AuditEvent, AuditEventType } from '../../model/audit.js';
import type { AuditProblem } from './chain.js';

export interface LocatedEvent {
  event: AuditEvent;
  /** 1-based line in the file. */
  line: number;
}

export interface UnfinishedRun {
  runId: string;
  started: LocatedEvent;
  /** Steps the run started, and how many of those it saw succeed or fail. */
  stepsStarted: number;
  stepsEnded: number;
  last: LocatedEvent;
  /** `strata unlock` broke the lock of its plan after it started: someone judged the run gone. */
  lockBroken?: LocatedEvent;
  /** No run started after it: the environment was last changed by a run that never finished. */
  latest: boolean;
}

export interface RunFindings {
  unfinished: UnfinishedRun[];
  /** Events outside the run they name, by line. */
  strays: AuditProblem[];
}

const RUN_EVENTS: ReadonlySet<AuditEventType> = new Set<AuditEventType>([
  'run-started',
  'step-started',
  'step-succeeded',
  'step-failed',
  'step-skipped',
  'run-finished',
]);

interface Run {
  started: LocatedEvent;
  last: LocatedEvent;
  stepsStarted: Set<number>;
  stepsEnded: Set<number>;
  finished?: LocatedEvent;
  lockBroken?: LocatedEvent;
}

/** `lines`: the line of each event, as a chain scan gives them. */
export function findRunProblems(events: readonly AuditEvent[], lines: readonly number[]): RunFindings {
  const runs = new Map<string, Run>();
  const strays: AuditProblem[] = [];
  let latest: string | undefined;
  for (const [index, event] of events.entries()) {
    const located = { event, line: lines[index]! };
    if (event.type === 'lock-broken') {
      for (const run of runs.values())
        if (!run.finished && run.started.event.planHash === event.planHash) run.lockBroken ??= located;
    }
    if (!RUN_EVENTS.has(event.type)) continue;
    const outside = outsideItsRun(event, runs);
    if (outside) {
      strays.push({ line: located.line, message: outside });
      continue;
    }
    const runId = event.runId!;
    if (event.type === 'run-started') {
      runs.set(runId, { started: located, last: located, stepsStarted: new Set(), stepsEnded: new Set() });
      latest = runId;
      continue;
    }
    const run = runs.get(runId)!;
    run.last = located;
    if (event.step !== undefined && event.type === 'step-started') run.stepsStarted.add(event.step);
    if (event.step !== undefined && (event.type === 'step-succeeded' || event.type === 'step-failed'))
      run.stepsEnded.add(event.step);
    if (event.type === 'run-finished') run.finished = located;
  }
  const unfinished = [...runs].flatMap(([runId, run]) =>
    run.finished
      ? []
      : [
          {
            runId,
            started: run.started,
            stepsStarted: run.stepsStarted.size,
            stepsEnded: [...run.stepsEnded].filter((step) => run.stepsStarted.has(step)).length,
            last: run.last,
            ...(run.lockBroken ? { lockBroken: run.lockBroken } : {}),
            latest: runId === latest,
          },
        ],
  );
  return { unfinished, strays };
}

function outsideItsRun(event: AuditEvent, runs: ReadonlyMap<string, Run>): string | undefined {
  if (event.runId === undefined) return `${event.type} belongs to no run (it has no runId)`;
  const run = runs.get(event.runId);
  if (event.type === 'run-started')
    return run ? `run ${event.runId} starts a second time (it started at line ${run.started.line})` : undefined;
  if (!run)
    return `${event.type} names run ${event.runId}, which never started (no run-started for it before this line)`;
  if (run.finished)
    return `${event.type} names run ${event.runId}, which had already finished (at line ${run.finished.line})`;
  return undefined;
}
