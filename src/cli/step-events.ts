/**
 * Tells the cluster what an apply did: each finished step on a Kubernetes object becomes an event on it. Writes run
 * beside the apply and never fail it; the audit log stays the record, and `settled` says what could not be written.
 */
import type { ApplyObserver } from '../apply/applier/types.js';
import type { AttributeChange, Change, Step } from '../model/plan.js';
import type { Actor } from '../model/actor.js';
import type { ObservedResource } from '../model/resources.js';
import type { EventRecorder, ObjectEvent } from '../providers/kubernetes/events.js';
import { diffAttribute } from '../render/format-value.js';

const SETTLE_TIMEOUT_MS = 10_000;

const REASONS: Record<Step['action'], string> = {
  create: 'Created',
  update: 'Updated',
  replace: 'Replaced',
  delete: 'Deleted',
  adopt: 'Adopted',
};

export interface StepEventRun {
  planHash: string;
  runId: string;
  actor: Actor;
}

export type StepEnding =
  { succeeded: true; alreadyConverged: boolean; pending?: string } | { succeeded: false; error: Error };

/** The event a finished step leaves on its object. Pure, so what people read in `kubectl describe` is specified. */
export function stepEvent(step: Step, change: Change, outcome: StepEnding, run: StepEventRun): ObjectEvent {
  const who = `${run.actor.user}@${run.actor.host}${run.actor.ciRun ? ` (${run.actor.ciRun})` : ''}`;
  const origin = `strata apply by ${who}, plan ${run.planHash.slice(0, 12)} step ${step.index}, run ${run.runId}`;
  if (!outcome.succeeded) {
    return {
      address: change.address,
      type: 'Warning',
      reason: 'ApplyFailed',
      message: `${origin}: ${step.action} failed: ${outcome.error.message}`,
    };
  }
  const pending = outcome.pending ? `; ${outcome.pending}` : '';
  return {
    address: change.address,
    type: 'Normal',
    reason: REASONS[step.action],
    message: `${origin}: ${whatChanged(change, outcome.alreadyConverged)}${pending}`,
  };
}

function whatChanged(change: Change, alreadyConverged: boolean): string {
  if (alreadyConverged) return 'already as planned';
  switch (change.action) {
    case 'create':
      return 'created as declared';
    case 'delete':
      return 'deleted: owned by strata and no longer declared';
    default:
      return change.attributes.length > 0
        ? `set ${change.attributes.map(attributeText).join(', ')}`
        : 'applied as declared';
  }
}

/** `size 20Gi → 50Gi`; a value too long for one line (a policy) is named by its path only. */
function attributeText(attribute: AttributeChange): string {
  const diff = diffAttribute(attribute);
  if (diff.form === 'lines') return attribute.path;
  return `${attribute.path} ${diff.before ?? '(none)'} → ${diff.after ?? '(none)'}`;
}

export interface StepEvents {
  observer: ApplyObserver;
  /** Waits (bounded) for the writes; returns the errors of those that failed. */
  settled(): Promise<Error[]>;
}

export function stepEvents(recorder: EventRecorder, context: { planHash: string; actor: Actor }): StepEvents {
  const pending: Promise<Error | undefined>[] = [];
  let runId = '';
  const record = (step: Step, change: Change, outcome: StepEnding, object?: ObservedResource) => {
    if (change.address.system !== 'kubernetes') return;
    const event = { ...stepEvent(step, change, outcome, { ...context, runId }), ...(object ? { object } : {}) };
    pending.push(
      recorder.record(event).then(
        () => undefined,
        (error: unknown) => (error instanceof Error ? error : new Error(String(error))),
      ),
    );
  };
  return {
    observer: {
      onRunStarted: (info) => {
        runId = info.runId;
      },
      onStepSucceeded: (step, change, _ms, { alreadyConverged, pending, observed }) =>
        record(step, change, { succeeded: true, alreadyConverged, ...(pending ? { pending } : {}) }, observed),
      onStepFailed: (step, change, error) => record(step, change, { succeeded: false, error }),
    },
    async settled() {
      const timedOut = new Promise<Error>((resolve) =>
        setTimeout(
          () => resolve(new Error(`the API server did not answer within ${SETTLE_TIMEOUT_MS / 1000} s`)),
          SETTLE_TIMEOUT_MS,
        ).unref(),
      );
      const outcomes = await Promise.all(pending.map((write) => Promise.race([write, timedOut])));
      return outcomes.filter((error): error is Error => error !== undefined);
    },
  };
}

/** One observer that tells each of several, in order. */
export function allObservers(...observers: ApplyObserver[]): ApplyObserver {
  return {
    onRunStarted: (info) => observers.forEach((observer) => observer.onRunStarted?.(info)),
    onStepStarted: (step, change) => observers.forEach((observer) => observer.onStepStarted?.(step, change)),
    onStepSucceeded: (step, change, ms, detail) =>
      observers.forEach((observer) => observer.onStepSucceeded?.(step, change, ms, detail)),
    onStepFailed: (step, change, error, ms) =>
      observers.forEach((observer) => observer.onStepFailed?.(step, change, error, ms)),
    onStepSkipped: (step, change, reason) =>
      observers.forEach((observer) => observer.onStepSkipped?.(step, change, reason)),
    onRunFinished: (result) => observers.forEach((observer) => observer.onRunFinished?.(result)),
  };
}
