/** Checks made before the lock is taken and before anything is written: each refusal leaves the systems untouched. */
import { addressKey, type System } from '../../model/address.js';
import type { Plan, Step } from '../../model/plan.js';
import { plural } from '../../model/words.js';
import { nextCommand } from '../../errors/next-command.js';
import { StalePlanError } from '../../errors/stale-plan-error.js';
import { UserError } from '../../errors/user-error.js';
import {
  confirmationsNeeded,
  confirmedBy,
  unconfirmed,
  type ConfirmationFlags,
  type NeedsConfirmation,
  type PlannedStep,
} from '../../plan/confirmations.js';
import type { Provider } from '../../providers/provider.js';

export type { PlannedStep };

export function checkDesiredDigest(plan: Plan, currentDesiredDigest: string): void {
  if (plan.desiredDigest === currentDesiredDigest) return;
  const files = plan.desiredFiles.length > 0 ? plan.desiredFiles.join(', ') : 'the desired files';
  const replan = nextCommand({ kind: 'stale-plan', environment: plan.environment });
  throw new StalePlanError(`${files} changed since the plan was made; run ${replan} again`);
}

/**
 * Pairs every step with the change it carries out. Blocked and no-op changes have no step and are never executed.
 * A step without its change, or steps that wait on each other, mean the planner wrote a broken plan: a bug, not a
 * user error, since the plan file reader already refuses an incoherent file (planfile-shape.ts).
 */
export function pairStepsWithChanges(plan: Plan): PlannedStep[] {
  const changes = new Map(plan.changes.map((change) => [addressKey(change.address), change]));
  const indexes = new Set(plan.steps.map((step) => step.index));
  const planned = plan.steps.map((step) => {
    const change = changes.get(addressKey(step.address));
    if (!change || change.action !== step.action) {
      throw new Error(`plan step ${step.index} (${step.action} ${addressKey(step.address)}) has no matching change`);
    }
    const unknown = step.dependsOn.find((index) => !indexes.has(index));
    if (unknown !== undefined)
      throw new Error(`plan step ${step.index} depends on step ${unknown}, which the plan does not have`);
    return { step, change };
  });
  assertAcyclic(plan.steps);
  return planned.sort((a, b) => a.step.index - b.step.index);
}

function assertAcyclic(steps: Step[]): void {
  const byIndex = new Map(steps.map((step) => [step.index, step]));
  const state = new Map<number, 'visiting' | 'done'>();
  const visit = (step: Step): void => {
    if (state.get(step.index) === 'done') return;
    if (state.get(step.index) === 'visiting')
      throw new Error(`plan steps depend on each other in a cycle through step ${step.index}`);
    state.set(step.index, 'visiting');
    for (const index of step.dependsOn) visit(byIndex.get(index)!);
    state.set(step.index, 'done');
  };
  steps.forEach(visit);
}

export function checkProviders(steps: PlannedStep[], providers: Partial<Record<System, Provider>>): void {
  const missing = [...new Set(steps.map(({ step }) => step.address.system))].filter((system) => !providers[system]);
  if (missing.length === 0) return;
  throw new UserError(
    `the plan changes ${missing.join(' and ')} resources, but no ${missing.join(' or ')} connection was given`,
    {
      hint: 'check the targets in the environment file and the credentials in this shell',
    },
  );
}

/**
 * A plan was checked against what one cluster and one S3 endpoint held: applying it anywhere else would write changes
 * nobody reviewed for that place (a dev plan to prod through the current kubeconfig context).
 */
export function checkTargets(plan: Plan, steps: PlannedStep[], providers: Partial<Record<System, Provider>>): void {
  for (const system of new Set(steps.map(({ step }) => step.address.system))) {
    const planned = plan.sources[system];
    const now = providers[system]!.source;
    if (planned === now) continue;
    const name = system === 'kubernetes' ? 'Kubernetes' : 'S3';
    throw new StalePlanError(
      planned === undefined
        ? `the plan records no ${name} target, and would be applied to ${now}`
        : `the plan was made against ${name} ${planned}, and would be applied to ${now}`,
      {
        hint: `plan again against the target you mean to change: ${nextCommand({ kind: 'stale-plan', environment: plan.environment })} (with the same --context, --kubeconfig or --s3-endpoint as the apply)`,
      },
    );
  }
}

/** What needs a confirmation is plan/confirmations.ts's rule; data loss is refused before irreversibility. */
export function checkConfirmations(steps: PlannedStep[], environment: string, flags: ConfirmationFlags): void {
  const missing = unconfirmed(confirmationsNeeded(environment, steps), confirmedBy(flags, environment));
  if (missing.destroy.length > 0) {
    throw new UserError(`${plural(missing.destroy.length, 'change')} can lose data:\n${riskLines(missing.destroy)}`, {
      hint: 'review them and re-run with --allow-destroy',
    });
  }
  if (missing.irreversible.length === 0) return;
  const confirmation = flags.confirmIrreversible;
  const given = confirmation === undefined ? '' : ` (--confirm-irreversible=${confirmation} names another environment)`;
  throw new UserError(
    `${plural(missing.irreversible.length, 'change')} cannot be undone${given}:\n${riskLines(missing.irreversible)}`,
    { hint: `confirm by naming the environment: --confirm-irreversible=${environment}` },
  );
}

/** One line per change carrying the risk: its address and what could hurt. */
function riskLines(entries: NeedsConfirmation[]): string {
  return entries
    .map(({ change, risks }) => `  ${addressKey(change.address)}: ${risks.map((risk) => risk.message).join('; ')}`)
    .join('\n');
}
