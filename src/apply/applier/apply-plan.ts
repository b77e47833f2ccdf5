/**
 * Carries out a saved plan's steps through the Provider interface: refuses up front what needs a flag, takes the
 * environment lock, then runs each step (precondition, write, verify) in dependency order with bounded concurrency,
 * recording every event in the audit log before the observer hears of it. Blocked and no-op changes are not steps,
 * so a plan with blocked changes still applies the rest, as the plan said it would.
 */
import { randomUUID } from 'node:crypto';
import type { RunOutcome } from '../../model/audit.js';
import { parentOf, sameAddress } from '../../model/address.js';
import type { Change, Plan, Step } from '../../model/plan.js';
import { ApplyAbortedError } from '../../errors/apply-aborted-error.js';
import { UserError } from '../../errors/user-error.js';
import type { HeldLock } from '../../providers/provider.js';
import {
  checkAllowDestroy,
  checkConfirmIrreversible,
  checkDesiredDigest,
  checkTargets,
  checkProviders,
  pairStepsWithChanges,
  type PlannedStep,
} from './guards.js';
import { createRunRecorder, stepFields } from './run-recorder.js';
import { schedule } from './schedule.js';
import { executeStep, type StepDone } from './step.js';
import type { ApplyInput, ApplyResult, FailedStep } from './types.js';

const DEFAULT_CONCURRENCY = 4;
const RESUME_HINT = 'continue with strata apply --resume <planfile>';

export async function applyPlan(input: ApplyInput): Promise<ApplyResult> {
  const { plan } = input.saved;
  checkDesiredDigest(plan, input.currentDesiredDigest);
  const concurrency = concurrencyOf(input);
  const planned = pairStepsWithChanges(plan);
  const done = input.resume?.succeededSteps ?? new Set<number>();
  const remaining = planned.filter(({ step }) => !done.has(step.index));
  const resumed = planned.filter(({ step }) => done.has(step.index)).map(({ step }) => step);
  checkProviders(remaining, input.providers);
  checkTargets(plan, remaining, input.providers);
  checkAllowDestroy(remaining, input.allowDestroy ?? false);
  checkConfirmIrreversible(remaining, plan.environment, input.confirmIrreversible);

  const runId = randomUUID();
  if (remaining.length === 0) return nothingToDo(input, runId, resumed);

  const held = await input.lock.acquire({ ...input.actor, planHash: input.saved.planHash }, input.signal ?? new AbortController().signal);
  try {
    return await runSteps(input, { runId, held, remaining, resumed, satisfied: done, concurrency });
  } finally {
    await held.release();
  }
}

/** Creating a bucket, or adopting one (which tags it as strata's), puts settings in it that the plan could not see. */
function createsParent(plan: Plan, step: Step): boolean {
  const parent = parentOf(step.address);
  return (
    parent !== undefined &&
    plan.steps.some((other) => (other.action === 'create' || other.action === 'adopt') && sameAddress(other.address, parent))
  );
}

function concurrencyOf(input: ApplyInput): number {
  // Step-through mode asks one question at a time, so it runs one step at a time.
  if (input.approve) return 1;
  const concurrency = input.concurrency ?? DEFAULT_CONCURRENCY;
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new UserError(`concurrency must be a whole number of at least 1, not ${concurrency}`, { hint: 'use --concurrency 4' });
  }
  return concurrency;
}

function nothingToDo(input: ApplyInput, runId: string, resumed: Step[]): ApplyResult {
  const { plan, planHash } = input.saved;
  const result: ApplyResult = { outcome: 'nothing-to-do', succeeded: [], failed: [], skipped: [], notAttempted: [], converged: [], pending: [], resumed, runId };
  input.observer?.onRunStarted?.({ runId, environment: plan.environment, planHash, steps: [], resumed });
  input.observer?.onRunFinished?.(result);
  return result;
}

interface RunContext {
  runId: string;
  held: HeldLock;
  remaining: PlannedStep[];
  resumed: Step[];
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
  const changeOf = new Map<number, Change>(context.remaining.map(({ step, change }) => [step.index, change]));
  const succeeded: Step[] = [];
  const failed: FailedStep[] = [];
  const skipped: Step[] = [];
  const converged: number[] = [];
  const pending: ApplyResult['pending'] = [];
  let stopped: ApplyAbortedError | undefined;
  let declined: ApplyAbortedError | undefined;
  // Writes already sent are let finish, whatever stops the run, so their outcome is known and recorded.
  const letFinish = new AbortController().signal;

  const mayStart = (): boolean => {
    if (failed.length > 0) return false;
    stopped ??= recorder.broken ?? declined ?? lockLost(context.held, environment) ?? interrupted(input.signal);
    return stopped === undefined;
  };

  const run = async (step: Step): Promise<boolean> => {
    const change = changeOf.get(step.index)!;
    if (input.approve) {
      const decision = await input.approve(step, change);
      if (decision === 'abort') {
        declined = new ApplyAbortedError('declined', `apply stopped at step ${step.index} in step-through mode`, { hint: RESUME_HINT });
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
    let done: StepDone;
    try {
      done = await executeStep(change, input.providers[step.address.system]!, environment, letFinish, {
        parentCreatedByPlan: createsParent(plan, step),
      });
    } catch (thrown) {
      const ms = performance.now() - started;
      const error = thrown instanceof Error ? thrown : new Error(String(thrown));
      failed.push({ step, error });
      await recorder.record({ type: 'step-failed', ...stepFields(step, change), error: error.message });
      observer.onStepFailed?.(step, change, error, ms);
      return false;
    }
    const ms = performance.now() - started;
    succeeded.push(step);
    if (done.alreadyConverged) converged.push(step.index);
    if (done.pending) pending.push({ step, note: done.pending });
    const reason = done.alreadyConverged ? 'already as planned; nothing written' : done.pending;
    await recorder.record({ type: 'step-succeeded', ...stepFields(step, change), after: done.observed?.spec, ...(reason ? { reason } : {}) });
    observer.onStepSucceeded?.(step, change, ms, { alreadyConverged: done.alreadyConverged, ...(done.pending ? { pending: done.pending } : {}) });
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
  const finished = await recorder.record({ type: 'run-finished', outcome: runOutcome(result), counts: countsOf(result) });
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
  return new ApplyAbortedError('lock-lost', `the lock on ${environment} was lost while applying (it could not be renewed or someone broke it)`, {
    hint: `make sure no one else is applying to ${environment}, then ${RESUME_HINT}`,
  });
}

function interrupted(signal: AbortSignal | undefined): ApplyAbortedError | undefined {
  if (!signal?.aborted) return undefined;
  return new ApplyAbortedError('interrupted', 'apply interrupted; steps already running were let finish', { hint: RESUME_HINT });
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
  const reached = new Set([...parts.succeeded, ...failed.map((f) => f.step), ...parts.skipped].map((step) => step.index));
  return {
    outcome: failed.length > 0 ? 'failed' : stopped ? 'aborted' : 'succeeded',
    succeeded: [...parts.succeeded].sort(byIndex),
    failed: [...failed].sort((a, b) => byIndex(a.step, b.step)),
    skipped: [...parts.skipped].sort(byIndex),
    notAttempted: context.remaining.map(({ step }) => step).filter((step) => !reached.has(step.index)),
    converged: [...parts.converged].sort((a, b) => a - b),
    pending: [...parts.pending].sort((a, b) => byIndex(a.step, b.step)),
    resumed: context.resumed,
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
