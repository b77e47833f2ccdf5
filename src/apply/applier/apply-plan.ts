/**
 * Carries out a saved plan's steps through the Provider interface. Apply approves, it does not trust: the plan is made
 * again from the same desired files and the live state, and each step runs only if that re-derived plan agrees with it
 * (approval.ts); what needs a flag is judged by the re-derived risks. Then it takes the environment lock (unless the
 * caller holds it already) and runs each step (precondition, write, verify) in dependency order with bounded
 * concurrency, recording every event in the audit log before the observer hears of it. Blocked and no-op changes are
 * not steps, so a plan with blocked changes still applies the rest, as the plan said it would.
 */
import { randomUUID } from 'node:crypto';
import type { RunOutcome } from '../../model/audit.js';
import { addressKey, parentOf, type ResourceAddress } from '../../model/address.js';
import type { Plan, Step } from '../../model/plan.js';
import { ApplyAbortedError } from '../../errors/apply-aborted-error.js';
import { isStalePlanError } from '../../errors/stale-plan-error.js';
import { UserError } from '../../errors/user-error.js';
import type { EnvironmentLock, HeldLock } from '../../providers/provider.js';
import { NOTHING_WRITTEN, type StepHistory } from '../audit/history.js';
import { approvalOf, type RederivedApproval } from './approval.js';
import {
  checkConfirmations,
  checkDesiredDigest,
  checkTargets,
  checkProviders,
  pairStepsWithChanges,
  type PlannedStep,
} from './guards.js';
import { createRunRecorder, stepFields } from './run-recorder.js';
import { schedule } from './schedule.js';
import { executeStep, settleDifferingStep, type StepDone } from './step.js';
import { DEFAULT_STEP_TIMEOUT_MS, withinStepDeadline } from './step-deadline.js';
import type { ApplyInput, ApplyResult, FailedStep } from './types.js';

const DEFAULT_CONCURRENCY = 4;

/** A step to run: the change the plan approved, and whether the re-derived plan agrees with it. */
interface JudgedStep extends PlannedStep {
  approval: RederivedApproval;
}

export async function applyPlan(input: ApplyInput): Promise<ApplyResult> {
  const { plan } = input.saved;
  checkDesiredDigest(plan, input.currentDesiredDigest);
  const concurrency = concurrencyOf(input);
  const planned = pairStepsWithChanges(plan);
  const history = input.resume?.history;
  const done = history?.succeeded ?? new Set<number>();
  const leftSkipped = input.resume?.includeSkipped ? [] : planned.flatMap(({ step }) => skippedEarlier(step, history));
  const left = new Set(leftSkipped.map(({ step }) => step.index));
  const remaining = planned.filter(({ step }) => !done.has(step.index) && !left.has(step.index));
  const resumed = planned.filter(({ step }) => done.has(step.index)).map(({ step }) => step);
  checkProviders(remaining, input.providers);
  checkTargets(plan, remaining, input.providers);

  const runId = randomUUID();
  if (remaining.length === 0) return nothingToDo(input, runId, resumed, leftSkipped);

  const judged = judge(plan, remaining, await input.rederive(), history?.sent ?? new Set());
  const approved = judged.flatMap(({ step, approval }) =>
    approval.approved ? [{ step, change: approval.change }] : [],
  );
  checkConfirmations(approved, plan.environment, input);

  const callerHolds = isHeld(input.lock);
  const held = isHeld(input.lock)
    ? input.lock
    : await input.lock.acquire(
        { ...input.actor, planHash: input.saved.planHash },
        input.signal ?? new AbortController().signal,
      );
  try {
    return await runSteps(input, {
      runId,
      held,
      remaining: judged,
      resumed,
      leftSkipped,
      satisfied: done,
      concurrency,
    });
  } finally {
    if (!callerHolds) await held.release();
  }
}

function isHeld(lock: EnvironmentLock | HeldLock): lock is HeldLock {
  return 'release' in lock;
}

function skippedEarlier(step: Step, history: StepHistory | undefined): ApplyResult['leftSkipped'] {
  const skippedAt = history?.skipped.get(step.index);
  return skippedAt === undefined ? [] : [{ step, skippedAt }];
}

/**
 * Pairs each step with the re-derived change for its address. `sentEarlier`: steps whose write an earlier run of this
 * plan sent (a resume).
 */
function judge(plan: Plan, steps: PlannedStep[], rederived: Plan, sentEarlier: ReadonlySet<number>): JudgedStep[] {
  const now = new Map(rederived.changes.map((change) => [addressKey(change.address), change]));
  // Creating a bucket, or adopting one (which tags it as strata's), puts settings in it that the plan could not see.
  const parents = plan.steps.filter(
    (step) => (step.action === 'create' || step.action === 'adopt') && sentEarlier.has(step.index),
  );
  const parentsSent = new Set(parents.map((step) => addressKey(step.address)));
  return steps.map(({ step, change }) => ({
    step,
    change,
    approval: approvalOf(change, now.get(addressKey(change.address)), {
      sentEarlier: sentEarlier.has(step.index),
      parentSentEarlier: parentsSent.has(parentKey(change.address)),
    }),
  }));
}

/** The addressKey of the resource whose creation brings this one into existence, or '' when there is none. */
function parentKey(address: ResourceAddress): string {
  const parent = parentOf(address);
  return parent === undefined ? '' : addressKey(parent);
}

function concurrencyOf(input: ApplyInput): number {
  // Step-through mode asks one question at a time, so it runs one step at a time.
  if (input.approve) return 1;
  const concurrency = input.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new UserError(`concurrency must be a whole number of at least 1, not ${concurrency}`, {
      hint: 'use --concurrency 4',
    });
  }
  return concurrency;
}

function nothingToDo(
  input: ApplyInput,
  runId: string,
  resumed: Step[],
  leftSkipped: ApplyResult['leftSkipped'],
): ApplyResult {
  const { plan, planHash } = input.saved;
  const result: ApplyResult = {
    outcome: 'nothing-to-do',
    succeeded: [],
    failed: [],
    skipped: [],
    notAttempted: [],
    converged: [],
    pending: [],
    resumed,
    leftSkipped,
    runId,
  };
  input.observer?.onRunStarted?.({ runId, environment: plan.environment, planHash, steps: [], resumed });
  input.observer?.onRunFinished?.(result);
  return result;
}

interface RunContext {
  runId: string;
  held: HeldLock;
  remaining: JudgedStep[];
  resumed: Step[];
  leftSkipped: ApplyResult['leftSkipped'];
  satisfied: ReadonlySet<number>;
  concurrency: number;
}

async function runSteps(input: ApplyInput, context: RunContext): Promise<ApplyResult> {
  const { plan, planHash } = input.saved;
  const environment = plan.environment;
  const observer = input.observer ?? {};
  const recorder = createRunRecorder({
    audit: input.audit,
    environment,
    actor: input.actor,
    runId: context.runId,
    planHash,
    now: input.now ?? (() => new Date()),
  });
  const judgedOf = new Map(context.remaining.map((judged) => [judged.step.index, judged]));
  // Parents created or adopted by a step of this run: a setting the plan saw nothing of may find what came with them.
  const writtenThisRun = new Set<string>();
  const succeeded: Step[] = [];
  const failed: FailedStep[] = [];
  const skipped: Step[] = [];
  const converged: number[] = [];
  const pending: ApplyResult['pending'] = [];
  let stopped: ApplyAbortedError | undefined;
  let declined: ApplyAbortedError | undefined;
  // A failed step stops the run; a step refused because the plan no longer holds for it does not: it wrote nothing.
  let halted = false;
  const stepTimeoutMs = input.stepTimeoutMs ?? DEFAULT_STEP_TIMEOUT_MS;

  const mayStart = (): boolean => {
    if (halted) return false;
    stopped ??= recorder.broken ?? declined ?? lockLost(context.held, environment) ?? interrupted(input.signal);
    return stopped === undefined;
  };

  const run = async (step: Step): Promise<boolean> => {
    const { change: planned, approval } = judgedOf.get(step.index)!;
    // What is recorded and shown: the change that will be written, or the one the plan wanted.
    const change = approval.approved ? approval.change : planned;
    // A step the plan no longer holds for writes nothing, so there is nothing to ask about. The question shows the
    // change as reviewed, which an approved one equals.
    if (input.approve && approval.approved) {
      const decision = await input.approve(step, planned);
      if (decision === 'abort') {
        declined = new ApplyAbortedError(
          'declined',
          `you stopped the apply at step ${step.index} in step-through mode`,
        );
        return false;
      }
      if (decision === 'skip') {
        const reason = 'skipped in step-through mode';
        skipped.push(step);
        await recorder.record({ type: 'step-skipped', ...stepFields(step, change), reason });
        observer.onStepSkipped?.(step, change, reason);
        return false;
      }
      // Ctrl-C or a lost lock while the question was open.
      if (!mayStart()) return false;
    }
    if (!(await recorder.record({ type: 'step-started', ...stepFields(step, change) }))) return false;
    observer.onStepStarted?.(step, change);
    const started = performance.now();
    const provider = input.providers[step.address.system]!;
    let sent = false;
    let done: StepDone;
    try {
      done = await withinStepDeadline(stepTimeoutMs, (deadline) =>
        approval.approved
          ? executeStep(change, provider, environment, deadline, {
              parentWrittenThisRun: writtenThisRun.has(parentKey(step.address)),
              onWriteSent: () => (sent = true),
            })
          : settleDifferingStep(planned, approval.differs, provider, environment, deadline),
      );
    } catch (thrown) {
      const ms = performance.now() - started;
      const error = thrown instanceof Error ? thrown : new Error(String(thrown));
      const refused = !approval.approved && isStalePlanError(error);
      if (!refused) halted = true;
      failed.push({ step, error });
      await recorder.record({ type: 'step-failed', ...stepFields(step, change), error: error.message, wrote: sent });
      observer.onStepFailed?.(step, change, error, ms);
      return false;
    }
    const ms = performance.now() - started;
    succeeded.push(step);
    if (done.alreadyConverged) converged.push(step.index);
    else if (change.action === 'create' || change.action === 'adopt') writtenThisRun.add(addressKey(step.address));
    if (done.pending) pending.push({ step, note: done.pending });
    const reason = done.alreadyConverged ? NOTHING_WRITTEN : done.pending;
    await recorder.record({
      type: 'step-succeeded',
      ...stepFields(step, change),
      after: done.observed?.spec,
      ...(reason ? { reason } : {}),
      wrote: !done.alreadyConverged,
    });
    observer.onStepSucceeded?.(step, change, ms, {
      alreadyConverged: done.alreadyConverged,
      ...(done.pending ? { pending: done.pending } : {}),
      ...(done.observed ? { observed: done.observed } : {}),
    });
    return true;
  };

  const started = await recorder.record({ type: 'run-started', desiredDigest: plan.desiredDigest });
  observer.onRunStarted?.({
    runId: context.runId,
    environment,
    planHash,
    steps: context.remaining.map(({ step }) => step),
    resumed: context.resumed,
  });
  if (started) {
    await schedule({
      steps: context.remaining.map(({ step }) => step),
      satisfied: context.satisfied,
      concurrency: context.concurrency,
      mayStart,
      run,
      exclusiveKey: oneWritePerBucket,
    });
  }
  stopped ??= recorder.broken ?? declined;

  const result = resultOf({ context, succeeded, failed, skipped, converged, pending, stopped });
  const finished = await recorder.record({
    type: 'run-finished',
    outcome: runOutcome(result),
    counts: countsOf(result),
  });
  const final = finished ? result : withIncompleteLog(result, recorder.broken!);
  observer.onRunFinished?.(final);
  return final;
}

/**
 * A bucket's settings are one record on the server: Ceph RGW read-modifies-writes it, so two settings written at once
 * (versioning and the public access block) can lose one of them. One write per bucket at a time.
 */
function oneWritePerBucket(step: Step): string | undefined {
  return step.address.system === 's3' ? step.address.name : undefined;
}

function runOutcome(result: ApplyResult): RunOutcome {
  return result.outcome === 'nothing-to-do' ? 'succeeded' : result.outcome;
}

/** A run whose log is incomplete did not succeed, whatever the steps did. */
function withIncompleteLog(result: ApplyResult, broken: ApplyAbortedError): ApplyResult {
  return { ...result, outcome: result.outcome === 'failed' ? 'failed' : 'aborted', stopped: result.stopped ?? broken };
}

function lockLost(held: HeldLock, environment: string): ApplyAbortedError | undefined {
  if (!held.lost.aborted) return undefined;
  return new ApplyAbortedError(
    'lock-lost',
    `the lock on ${environment} was lost while applying (it could not be renewed or someone broke it)`,
  );
}

function interrupted(signal: AbortSignal | undefined): ApplyAbortedError | undefined {
  if (!signal?.aborted) return undefined;
  return new ApplyAbortedError('interrupted', 'apply interrupted; steps already running were let finish');
}

function resultOf(parts: {
  context: RunContext;
  succeeded: Step[];
  failed: FailedStep[];
  skipped: Step[];
  converged: number[];
  pending: ApplyResult['pending'];
  stopped: ApplyAbortedError | undefined;
}): ApplyResult {
  const { context, failed, stopped } = parts;
  const byIndex = (a: Step, b: Step) => a.index - b.index;
  const reached = new Set(
    [...parts.succeeded, ...failed.map((f) => f.step), ...parts.skipped].map((step) => step.index),
  );
  return {
    outcome: failed.length > 0 ? 'failed' : stopped ? 'aborted' : 'succeeded',
    succeeded: [...parts.succeeded].sort(byIndex),
    failed: [...failed].sort((a, b) => byIndex(a.step, b.step)),
    skipped: [...parts.skipped].sort(byIndex),
    notAttempted: context.remaining.map(({ step }) => step).filter((step) => !reached.has(step.index)),
    converged: [...parts.converged].sort((a, b) => a - b),
    pending: [...parts.pending].sort((a, b) => byIndex(a.step, b.step)),
    resumed: context.resumed,
    leftSkipped: context.leftSkipped,
    ...(stopped ? { stopped } : {}),
    runId: context.runId,
  };
}

function countsOf(result: ApplyResult) {
  return {
    succeeded: result.succeeded.length,
    failed: result.failed.length,
    skipped: result.skipped.length,
    notAttempted: result.notAttempted.length,
  };
}
