/** Writes a run's events to the audit log, and remembers when the log could not be written. */
import type { AuditRecord } from '../../model/audit.js';
import type { Change, Step } from '../../model/plan.js';
import { ApplyAbortedError } from '../../errors/apply-aborted-error.js';
import type { Actor } from '../../model/actor.js';
import type { AuditSink } from './types.js';

type EventFields = Omit<AuditRecord, 'time' | 'environment' | 'actor' | 'runId' | 'planHash'>;

export interface RunRecorder {
  /** Appends one event; false when it is not in the log (this append or an earlier one failed). */
  record(fields: EventFields): Promise<boolean>;
  /** Set once an append failed: the run stops, since what follows could not be accounted for. */
  readonly broken: ApplyAbortedError | undefined;
}

export function createRunRecorder(options: {
  audit: AuditSink;
  environment: string;
  actor: Actor;
  runId: string;
  planHash: string;
  now: () => Date;
}): RunRecorder {
  let broken: ApplyAbortedError | undefined;
  return {
    get broken() {
      return broken;
    },
    async record(fields) {
      // After one failed append the chain may be torn; later events go to the observer and the result only.
      if (broken) return false;
      const record: AuditRecord = {
        ...fields,
        time: options.now().toISOString(),
        environment: options.environment,
        actor: options.actor,
        runId: options.runId,
        planHash: options.planHash,
      };
      try {
        await options.audit.append(record);
        return true;
      } catch (error) {
        const what = record.step === undefined ? record.type : `${record.type} of step ${record.step}`;
        broken = new ApplyAbortedError(
          'audit-failed',
          `the audit log could not be written (${error instanceof Error ? error.message : String(error)}), so the apply stopped; the ${what} event is missing from it`,
          { cause: error },
        );
        return false;
      }
    },
  };
}

/** The fields every step event carries: which step, what it does, and the specs. */
export function stepFields(
  step: Step,
  change: Change,
): Pick<AuditRecord, 'step' | 'address' | 'action' | 'before' | 'after'> {
  return {
    step: step.index,
    address: change.address,
    action: change.action,
    before: change.before,
    after: change.after,
  };
}
