/** The applier's public shapes: what the CLI passes in, what it is told while running, and what it gets back. */
import type { Actor } from '../../model/actor.js';
import type { System } from '../../model/address.js';
import type { AuditRecord, RunOutcome } from '../../model/audit.js';
import type { Change, Plan, SavedPlan, Step } from '../../model/plan.js';
import type { ObservedResource } from '../../model/resources.js';
import type { ApplyAbortedError } from '../../errors/apply-aborted-error.js';
import type { EnvironmentLock, HeldLock, Provider } from '../../providers/provider.js';
import type { StepHistory } from '../audit/history.js';

/** A person's answer to one step in step-through mode. */
export type ApprovalDecision = 'apply' | 'skip' | 'abort';

/** Where events go; the audit log module's `openAuditLog(path)` satisfies it. */
export interface AuditSink {
  append(record: AuditRecord): Promise<unknown>;
}

export interface ApplyInput {
  /** Already hash-verified by the planfile parser. */
  saved: SavedPlan;
  /**
   * The plan made now from the same desired files and the live state, asked for once the steps to run are known. A
   * step runs only when this plan derives the same change for its address; its risks are the ones the guards check.
   * For a plan made a moment ago in the same process, the plan itself.
   */
  rederive: () => Promise<Plan>;
  /** Digest of the desired files now; a different one than the plan's means the plan is stale. */
  currentDesiredDigest: string;
  providers: Partial<Record<System, Provider>>;
  /**
   * The environment lock, taken once the steps are approved and released when the run ends; or the lock itself when
   * the caller took it earlier (`strata apply <env>` does, before it saves the plan it made), for the caller to release.
   */
  lock: EnvironmentLock | HeldLock;
  actor: Actor;
  audit: AuditSink;
  observer?: ApplyObserver;
  /** How many independent steps may run at once (default 4); a step waits for the steps it depends on. */
  concurrency?: number;
  /** How long one step may run, its retries and waits included (default 5 min); past it the step fails. */
  stepTimeoutMs?: number;
  /** Required when any step to run carries a data-loss risk. */
  allowDestroy?: boolean;
  /** Must equal the plan's environment when any step to run carries an irreversible risk. */
  confirmIrreversible?: string;
  /** Step-through mode: asked before each step, one step at a time. */
  approve?: (step: Step, change: Change) => Promise<ApprovalDecision>;
  /**
   * What earlier runs of the same plan did (from the audit log): succeeded steps are not run again, steps skipped in
   * step-through mode are left skipped unless `includeSkipped`.
   */
  resume?: { history: StepHistory; includeSkipped?: boolean };
  /** Ctrl-C: stop scheduling, let running steps finish, record them, return `aborted`. */
  signal?: AbortSignal;
  now?: () => Date;
}

/** How an apply ended: how its run ended, as the audit log records it, or with no step left to run (nothing recorded). */
export type ApplyOutcome = RunOutcome | 'nothing-to-do';

export interface FailedStep {
  step: Step;
  error: Error;
}

export interface ApplyResult {
  outcome: ApplyOutcome;
  /** Steps this run completed, including those found already converged (see `converged`). */
  succeeded: Step[];
  /** Failed steps, and steps refused because the re-derived plan no longer agrees (a StalePlanError: the run went on). */
  failed: FailedStep[];
  /** Declined in step-through mode. */
  skipped: Step[];
  /** Never started: scheduling stopped, or a step they depend on failed, was skipped or was left skipped. */
  notAttempted: Step[];
  /** Indexes of succeeded steps that needed no write: the live resource already matched the plan. */
  converged: number[];
  /** Succeeded steps whose system has yet to finish (a resize waiting on the file system), with what it waits for. */
  pending: { step: Step; note: string }[];
  /** Steps an earlier run of this plan completed, not run again. */
  resumed: Step[];
  /** Steps skipped in step-through mode by an earlier run, left skipped by this resume, with when they were skipped. */
  leftSkipped: { step: Step; skippedAt: string }[];
  /** Why scheduling stopped early without a failed step (Ctrl-C, lock lost, abort in step-through, audit log). */
  stopped?: ApplyAbortedError;
  runId: string;
}

export interface RunStartedInfo {
  runId: string;
  environment: string;
  planHash: string;
  /** The steps this run will try, in order. */
  steps: Step[];
  resumed: Step[];
}

/** Told after each event is in the audit log; the ink UI and the plain-text printer both consume it. Must not throw. */
export interface ApplyObserver {
  onRunStarted?(info: RunStartedInfo): void;
  onStepStarted?(step: Step, change: Change): void;
  onStepSucceeded?(
    step: Step,
    change: Change,
    ms: number,
    detail: { alreadyConverged: boolean; pending?: string; observed?: ObservedResource },
  ): void;
  onStepFailed?(step: Step, change: Change, error: Error, ms: number): void;
  onStepSkipped?(step: Step, change: Change, reason: string): void;
  onRunFinished?(result: ApplyResult): void;
}
