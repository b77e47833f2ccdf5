import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  applyPlan,
  DEFAULT_STEP_TIMEOUT_MS,
  summarizeResult,
  type ApplyInput,
  type ApplyResult,
} from '../../apply/index.js';
import { auditLogPath, openAuditLog, readAuditLog, stepHistory } from '../../apply/audit/index.js';
import { loadEnvironment } from '../../config/index.js';
import type { DesiredState } from '../../model/desired.js';
import type { Plan, SavedPlan } from '../../model/plan.js';
import { plural } from '../../model/words.js';
import { checkPlanSignature, confirmedBy, createPlan, parsePlanFile, planHash, withAnswers } from '../../plan/index.js';
import { UserError } from '../../errors/user-error.js';
import type { HeldLock } from '../../providers/provider.js';
import { applyHeadline, renderApplyResult } from '../../render/apply-text.js';
import { renderPlanText } from '../../render/plan-text.js';
import { currentActor } from '../actor.js';
import { auditKeyFrom } from '../audit-key.js';
import { progressObserver, textObserver } from '../apply-reporters.js';
import type { CommandContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { isInteractive } from '../interactive.js';
import { readPlanText, savePlanFile } from '../plan-file.js';
import { planKeyFrom } from '../plan-key.js';
import { addTargetOptions, targetFlags } from '../target-options.js';
import { addForceConflictsOption } from '../force-conflicts-option.js';
import { allObservers, stepEvents, type StepEvents } from '../step-events.js';
import { stepTimeoutFrom } from '../time-limits.js';

interface ApplyOptions {
  autoApprove?: boolean;
  allowDestroy?: boolean;
  confirmIrreversible?: string;
  resume?: boolean;
  includeSkipped?: boolean;
  concurrency: string;
  stepTimeout?: string;
  auditDir?: string;
  tty: boolean;
  forceConflicts: boolean;
  kubeconfig?: string;
  context?: string;
  s3Endpoint?: string;
}

export function registerApply(program: Command, context: CommandContext): void {
  const command = program
    .command('apply')
    .description('carry out a saved plan (or plan an environment and ask), locked, audited and resumable')
    .argument(
      '<plan-or-environment>',
      'a plan file saved by `strata plan`, or an environment name to plan and apply now',
    )
    .option('--auto-approve', 'with an environment name: apply without asking (needed in CI)')
    .option('--allow-destroy', 'allow changes that can lose data (deleting a volume or bucket, shortening retention)')
    .option(
      '--confirm-irreversible <environment>',
      'allow irreversible changes (COMPLIANCE object lock) by naming the environment',
    )
    .option(
      '--resume',
      'continue a failed or interrupted apply of this plan after its last successful step (what step-through mode skipped stays skipped)',
    )
    .option('--include-skipped', 'with --resume: also apply the steps skipped in step-through mode in an earlier run')
    .option('--concurrency <n>', 'independent steps run at once', '4')
    .option(
      '--step-timeout <duration>',
      `longest one step may run, retries and waits included; past it the step fails (default: STRATA_STEP_TIMEOUT, then ${DEFAULT_STEP_TIMEOUT_MS / 60_000}m)`,
    )
    .option('--audit-dir <dir>', 'where audit logs are written (default: $STRATA_AUDIT_DIR or audit/)')
    .option('--no-tty', 'print plain text even in a terminal');
  addTargetOptions(addForceConflictsOption(command))
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  strata apply plans/prod.plan.json',
        '  strata apply --resume plans/prod.plan.json',
        '  strata apply --resume --include-skipped plans/prod.plan.json',
        '  strata apply dev --auto-approve --allow-destroy',
        '',
        'Environment:',
        '  STRATA_PLAN_KEY  the key the plan was signed with: an unsigned plan, or one edited since, is refused',
        '  STRATA_AUDIT_KEY the key the audit log is written with: each event is sealed with it (HMAC-SHA256)',
      ].join('\n'),
    )
    .action(async (target: string, options: ApplyOptions) => {
      const interactive = isInteractive(context, options.tty);
      // Read first: a mistyped value must not wait until a plan was made.
      const stepTimeoutMs = stepTimeoutFrom(options.stepTimeout, context.env);
      const { saved, desired, planfile, reviewed, madeNow, held } = await planToApply(
        target,
        options,
        context,
        interactive,
      );
      try {
        const input = { ...(await applyInput(saved, desired, madeNow, held, options, context)), stepTimeoutMs };
        const events = await stepEventsFor(input, desired, options, context);
        if (interactive) {
          await applyFromTerminal(input, events, planfile, context, { reviewFirst: !reviewed });
          return;
        }
        const stop = new AbortController();
        const interrupt = () => stop.abort();
        process.once('SIGINT', interrupt);
        try {
          const observer = allObservers(textObserver(context.output), events?.observer ?? {});
          const result = await applyPlan({ ...input, observer, signal: stop.signal });
          await report(result, events, { environment: saved.plan.environment, planfile }, context);
        } finally {
          process.off('SIGINT', interrupt);
        }
      } finally {
        await held?.release();
      }
    });
}

async function planToApply(
  target: string,
  options: ApplyOptions,
  context: CommandContext,
  interactive: boolean,
): Promise<{
  saved: SavedPlan;
  desired: DesiredState;
  planfile: string;
  reviewed: boolean;
  madeNow?: Plan;
  held?: HeldLock;
}> {
  if (options.includeSkipped && !options.resume) {
    throw new UserError('--include-skipped goes with --resume: it applies what an earlier run of the plan skipped', {
      hint: `strata apply --resume --include-skipped ${target}`,
    });
  }
  const key = planKeyFrom(context.env);
  // A saved plan file was reviewed already and asks nothing more; an environment is planned now and shown first.
  if (target.endsWith('.json') || (existsSync(resolve(context.cwd, target)) && !target.endsWith('.yaml'))) {
    const saved = parsePlanFile(await readPlanText(resolve(context.cwd, target), target), target);
    checkPlanSignature(saved, key, target);
    const desired = await loadEnvironment(saved.plan.desiredFiles[0] ?? saved.plan.environment, { cwd: context.cwd });
    return { saved, desired, planfile: target, reviewed: true };
  }
  if (options.resume) {
    throw new UserError('--resume continues a saved plan', {
      hint: `name the plan file: strata apply --resume plans/${target}.plan.json`,
    });
  }
  const desired = await loadEnvironment(target, { cwd: context.cwd });
  const [{ createLock }, { observeEnvironment }] = await Promise.all([
    import('../targets.js'),
    import('../observe-state.js'),
  ]);
  const lock = createLock(desired, targetFlags(options), context.env);
  const observed = await observeEnvironment(desired, targetFlags(options), context.env);
  const plan = createPlan({ desired, observed, now: new Date(), forceConflicts: options.forceConflicts });
  const saved = { plan, planHash: planHash(plan) };
  // Locked before the plan is saved: a second run must not overwrite the file a running apply would resume from.
  const held = await lock.acquire(
    { ...currentActor(context.env), planHash: saved.planHash },
    new AbortController().signal,
  );
  try {
    // Saved before applying, so a failed apply can be resumed from the same file.
    const { path: planfile } = await savePlanFile(plan, context.cwd, { key });
    if (!interactive) {
      context.output.out(
        renderPlanText(plan, { color: context.output.color, savedTo: planfile, planHash: saved.planHash }),
      );
      if (!options.autoApprove && plan.steps.length > 0) {
        throw new UserError(
          `strata apply ${target} asks before it changes anything, and there is no terminal to ask in`,
          {
            hint: `review the plan above, then run strata apply ${planfile} (or pass --auto-approve)`,
          },
        );
      }
    }
    return { saved, desired, planfile, reviewed: false, madeNow: plan, held };
  } catch (error) {
    await held.release();
    throw error;
  }
}

/**
 * `madeNow`: the plan was made in this process a moment ago, so it is its own re-derivation. `held`: the lock taken
 * before it was saved.
 */
async function applyInput(
  saved: SavedPlan,
  desired: DesiredState,
  madeNow: Plan | undefined,
  held: HeldLock | undefined,
  options: ApplyOptions,
  context: CommandContext,
): Promise<ApplyInput> {
  const flags = targetFlags(options);
  const auditPath = auditLogPath({
    cwd: context.cwd,
    environment: saved.plan.environment,
    env: context.env,
    auditDir: options.auditDir,
  });
  const auditKey = auditKeyFrom(context.env);
  const history = options.resume
    ? stepHistory(await readAuditLog(auditPath, { key: auditKey }), saved.planHash)
    : undefined;
  const [{ createLock, createProviders }, { observeThrough }] = await Promise.all([
    import('../targets.js'),
    import('../observe-state.js'),
  ]);
  const providers = createProviders(desired, flags, context.env);
  // The same desired state (its digest is checked) and the same scope and planner settings as the saved plan.
  const rederive = async () =>
    madeNow ??
    createPlan({
      desired,
      observed: await observeThrough(desired, providers),
      now: new Date(),
      forceConflicts: saved.plan.forceConflicts !== false,
    });
  return {
    saved,
    rederive,
    currentDesiredDigest: desired.digest,
    providers,
    lock: held ?? createLock(desired, flags, context.env),
    actor: currentActor(context.env),
    audit: await openAuditLog(auditPath, { key: auditKey }),
    concurrency: Number(options.concurrency),
    allowDestroy: options.allowDestroy ?? false,
    confirmIrreversible: options.confirmIrreversible,
    resume: history ? { history, includeSkipped: options.includeSkipped ?? false } : undefined,
  };
}

async function stepEventsFor(
  input: ApplyInput,
  desired: DesiredState,
  options: ApplyOptions,
  context: CommandContext,
): Promise<StepEvents | undefined> {
  const { createStepEventRecorder } = await import('../targets.js');
  const recorder = createStepEventRecorder(desired, targetFlags(options), context.env, input.actor.host);
  return recorder && stepEvents(recorder, { planHash: input.saved.planHash, actor: input.actor });
}

async function applyFromTerminal(
  input: ApplyInput,
  events: StepEvents | undefined,
  planfile: string,
  context: CommandContext,
  options: { reviewFirst: boolean },
): Promise<void> {
  let result: ApplyResult | undefined;
  let refusal: { error: unknown } | undefined;
  const { plan } = input.saved;
  const confirmed = confirmedBy(input, plan.environment);
  // ink and React are loaded for a terminal session only: an apply in CI does not pay for starting them.
  const { applyInTerminal } = await import('../../render/ink/render.js');
  const ended = await applyInTerminal(
    plan,
    { color: context.output.color, ...options, confirmed },
    async (controls) => {
      try {
        result = await applyPlan({
          ...input,
          ...withAnswers(input, controls, plan.environment),
          approve: controls.approve,
          signal: controls.signal,
          observer: allObservers(progressObserver(controls.report), events?.observer ?? {}),
        });
        return result.outcome;
      } catch (error) {
        refusal = { error };
        throw error;
      }
    },
  );
  // A refusal before any step (stale plan, lock held) is reported like any other error, after the UI has closed.
  if (refusal !== undefined) throw refusal.error;
  if (!result) {
    context.output.out(ended === 'declined' ? 'Apply cancelled: nothing was changed.' : 'Apply did not start.');
    context.exitCode = ExitCode.Error;
    return;
  }
  await report(result, events, { environment: plan.environment, planfile }, context);
}

async function report(
  result: ApplyResult,
  events: StepEvents | undefined,
  where: { environment: string; planfile: string },
  context: CommandContext,
): Promise<void> {
  const unwritten = (await events?.settled()) ?? [];
  const headline = applyHeadline(summarizeResult(result));
  context.output.out(renderApplyResult(result, { headline, ...where, color: context.output.color }));
  if (unwritten.length > 0) {
    const count = `${plural(unwritten.length, 'Kubernetes event')} ${unwritten.length === 1 ? 'was' : 'were'}`;
    context.output.err(`note: ${count} not written (${unwritten[0]!.message}); the audit log records every step`);
  }
  context.exitCode =
    result.outcome === 'succeeded' || result.outcome === 'nothing-to-do' ? ExitCode.Success : ExitCode.Error;
}
