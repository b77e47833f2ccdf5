import { Option, type Command } from 'commander';
import { loadEnvironment } from '../../config/index.js';
import { readFile } from 'node:fs/promises';
import { describeHolder } from '../../errors/lock-held-error.js';
import { UserError } from '../../errors/user-error.js';
import type { LockHolder } from '../../model/actor.js';
import type { DesiredState } from '../../model/desired.js';
import { createPlan, hasChanges, parsePlanFile } from '../../plan/index.js';
import type { CommandContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { observedState } from '../observed-state.js';
import { isInteractive } from '../interactive.js';
import { savedLine } from '../../render/plan-text.js';
import { planFilePath, savePlanFile } from '../plan-file.js';
import type { TargetFlags } from '../targets.js';
import { planKeyFrom } from '../plan-key.js';
import { renderPlan, PLAN_FORMATS, type PlanFormat } from '../render-plan.js';
import { addTargetOptions, targetFlags } from '../target-options.js';
import { addForceConflictsOption } from '../force-conflicts-option.js';

interface PlanOptions {
  observed?: string;
  tty: boolean;
  out: string | false | undefined;
  format: PlanFormat;
  json?: boolean;
  detailedExitcode?: boolean;
  forceConflicts: boolean;
  kubeconfig?: string;
  context?: string;
  s3Endpoint?: string;
}

export function registerPlan(program: Command, context: CommandContext): void {
  const command = program
    .command('plan')
    .description('compare an environment file with the live state and save a reviewable plan')
    .argument('<environment>', 'environment name (environments/<name>.yaml) or path to an environment file')
    .option(
      '--observed <snapshot>',
      'plan offline against a snapshot written by `strata observe` (no cluster or cloud access)',
    )
    .option('--out <file>', 'where to save the plan (default: plans/<environment>.plan.json)')
    .option('--no-out', 'do not save the plan')
    .addOption(new Option('--format <format>', 'output format').choices(PLAN_FORMATS).default('text'))
    .option('--json', 'same as --format json')
    .option('--detailed-exitcode', 'exit 2 when the plan has changes (0: none, 1: error), as terraform plan does')
    .option('--no-tty', 'print plain text even in a terminal (the default in CI)');
  addTargetOptions(addForceConflictsOption(command))
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  strata plan prod',
        '  strata plan dev --observed examples/snapshots/dev.observed.json --format markdown',
        '  strata plan staging --context staging-eks --detailed-exitcode --json',
        '',
        'Environment:',
        '  STRATA_PLAN_KEY  sign the saved plan (HMAC-SHA256), so an apply with the same key refuses it edited',
      ].join('\n'),
    )
    .action(async (environment: string, options: PlanOptions) => {
      const desired = await loadEnvironment(environment, { cwd: context.cwd });
      const observed = await observedState(desired, options.observed, targetFlags(options), context);
      const plan = createPlan({ desired, observed, now: new Date(), forceConflicts: options.forceConflicts });
      if (options.out !== false && !options.observed) {
        await refuseToSaveOverRunningApply(desired, targetFlags(options), context, options.out);
      }
      const saved =
        options.out === false
          ? undefined
          : await savePlanFile(plan, context.cwd, { out: options.out, key: planKeyFrom(context.env) });
      const format = options.json ? 'json' : options.format;
      if (format === 'text' && isInteractive(context, options.tty)) {
        // ink and React are loaded for a terminal session only: a plan in CI does not pay for starting them.
        const { reviewPlanInTerminal } = await import('../../render/ink/render.js');
        await reviewPlanInTerminal(plan, { color: context.output.color });
        if (saved) context.output.out(savedLine(saved.path, saved.planHash, hasChanges(plan)));
      } else {
        context.output.out(
          renderPlan(plan, format, { color: context.output.color, planHash: saved?.planHash, savedTo: saved?.path }),
        );
      }
      context.exitCode = options.detailedExitcode && hasChanges(plan) ? ExitCode.Changes : ExitCode.Success;
    });
}

/**
 * A running apply resumes from its plan file, and its failure hint names it; a plan saved over that file would make
 * the resume carry out another plan. Reading the lock needs only `get` on its Lease: where even that is not allowed
 * (a read-only CI role), or there is no cluster to hold a lock, the plan is saved as before.
 */
async function refuseToSaveOverRunningApply(
  desired: DesiredState,
  flags: TargetFlags,
  context: CommandContext,
  out: string | undefined,
): Promise<void> {
  const target = planFilePath(desired.environment, context.cwd, out);
  let holder: LockHolder | undefined;
  const { createLock } = await import('../targets.js');
  try {
    holder = await createLock(desired, flags, context.env).inspect(new AbortController().signal);
  } catch {
    return;
  }
  if (holder?.planHash === undefined || Date.parse(holder.expiresAt) <= Date.now()) return;
  const existing = await savedPlanHash(target.absolute);
  if (existing !== holder.planHash) return;
  throw new UserError(
    `${target.shown} is the plan of the apply running now (${describeHolder(holder)}), which resumes from it; strata plan does not save over it`,
    {
      hint: 'wait for that apply to finish, or save this plan elsewhere with --out <file> (or print it only with --no-out)',
    },
  );
}

async function savedPlanHash(path: string): Promise<string | undefined> {
  try {
    return parsePlanFile(await readFile(path, 'utf8'), path).planHash;
  } catch {
    return undefined;
  }
}
