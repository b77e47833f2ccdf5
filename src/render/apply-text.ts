/**
 * An apply run as plain text, for CI logs and terminals without the ink UI: one line per step event as it happens,
 * then what succeeded, what failed and why, what was not attempted, and how to continue.
 */
import type { ApplySummary } from '../apply/applier/summary.js';
import type { ApplyResult, RunStartedInfo } from '../apply/applier/types.js';
import type { Step } from '../model/plan.js';
import { nextCommand } from '../errors/next-command.js';
import { isStalePlanError } from '../errors/stale-plan-error.js';
import { terminalText } from './escape/terminal.js';
import { plural } from '../model/words.js';
import { ACTION_SYMBOLS, displayName } from './names.js';
import { formatSeconds } from './seconds.js';
import { createStyle } from './style.js';

export type StepEvent = 'started' | 'succeeded' | 'already' | 'failed' | 'skipped';

const MARKS: Record<StepEvent, string> = { started: '…', succeeded: '✔', already: '✔', failed: '✖', skipped: '↷' };

/** The first line of a run: how many steps, of which plan, where. */
export function runStartedLine(info: RunStartedInfo): string {
  return `Applying ${plural(info.steps.length, 'step')} of plan ${info.planHash.slice(0, 12)} to ${info.environment} (run ${info.runId})`;
}

export function stepEventLine(
  event: StepEvent,
  step: Step,
  detail: { ms?: number; text?: string; color: boolean },
): string {
  const style = createStyle(detail.color);
  const time = detail.ms === undefined ? '' : ` (${formatSeconds(detail.ms)})`;
  const head = `${MARKS[event]} step ${step.index} ${ACTION_SYMBOLS[step.action]} ${displayName(step.address)}${time}`;
  const tail = event === 'already' ? ': already as planned, nothing written' : detail.text ? `: ${detail.text}` : '';
  const line = terminalText(`${head}${tail}`);
  return event === 'failed' ? style.red(line) : event === 'succeeded' || event === 'already' ? style.green(line) : line;
}

export function renderApplyResult(
  result: ApplyResult,
  options: { headline: string; environment: string; planfile?: string; color: boolean },
): string {
  const style = createStyle(options.color);
  const lines = [style.bold(terminalText(options.headline))];
  for (const { step, error } of result.failed) {
    lines.push(
      style.red(terminalText(`  failed       step ${step.index} ${displayName(step.address)}: ${error.message}`)),
    );
  }
  if (result.stopped) lines.push(terminalText(`  stopped      ${result.stopped.message}`));
  for (const { step, note } of result.pending)
    lines.push(terminalText(`  pending      step ${step.index} ${displayName(step.address)}: ${note}`));
  lines.push(...listOf('skipped', result.skipped), ...listOf('not tried', result.notAttempted));
  for (const { step, skippedAt } of result.leftSkipped) {
    lines.push(
      terminalText(
        `  left skipped step ${step.index} ${step.action} ${displayName(step.address)} (skipped in step-through mode on ${dateOf(skippedAt)})`,
      ),
    );
  }
  const unfinished =
    result.failed.length + result.notAttempted.length + result.skipped.length > 0 || result.stopped !== undefined;
  const forward = unfinished && result.outcome !== 'succeeded' ? wayForward(result, options) : undefined;
  if (forward) {
    lines.push('', terminalText(forward));
  } else if (unfinished && result.skipped.length > 0) {
    lines.push('', `${plural(result.skipped.length, 'skipped change')} will show up again in the next plan.`);
  }
  if (result.leftSkipped.length > 0) {
    const command = options.planfile ? `: strata apply --resume --include-skipped ${options.planfile}` : '';
    lines.push(
      '',
      terminalText(
        `A resume leaves what you skipped; pass --include-skipped to apply ${result.leftSkipped.length === 1 ? 'it' : 'them'}${command}`,
      ),
    );
  }
  return `${lines.join('\n')}\n`;
}

/** What to do after a run that did not finish, ending with the one command that moves it forward. */
function wayForward(result: ApplyResult, options: { environment: string; planfile?: string }): string | undefined {
  // A resume refuses a stale step again: only a new plan gets past it.
  if (result.failed.some(({ error }) => isStalePlanError(error)))
    return `Plan again with: ${nextCommand({ kind: 'stale-plan', environment: options.environment })}`;
  if (!options.planfile) return undefined;
  const resume = nextCommand({ kind: 'unfinished-run', planfile: options.planfile });
  if (result.failed.length > 0) return `Continue after fixing the cause with: ${resume}`;
  const reason = result.stopped?.reason;
  if (reason === 'lock-lost')
    return `Continue, once no one else is applying to ${options.environment}, with: ${resume}`;
  if (reason === 'audit-failed') return `Continue, once the audit log can be written, with: ${resume}`;
  // Ctrl-C, or `q` in step-through mode: a person stopped it, and there is nothing to fix.
  return `Continue with: ${resume}`;
}

/** One line that tells a person how an apply ended: the CLI's last word. */
export function applyHeadline({ outcome, counts }: ApplySummary): string {
  switch (outcome) {
    case 'nothing-to-do':
      if (counts.leftSkipped > 0)
        return `Nothing to do: ${plural(counts.resumed, 'step')} done by an earlier run, ${counts.leftSkipped} left skipped.`;
      return counts.resumed > 0
        ? `Nothing to do: all ${plural(counts.resumed, 'step')} were applied by an earlier run.`
        : 'Nothing to do: the plan has no steps.';
    case 'succeeded':
      return `Apply complete: ${tally(counts)}.`;
    case 'failed':
      return `Apply failed: ${tally(counts)}.`;
    case 'aborted':
      // The reason is `result.stopped`, printed on its own line with its hint.
      return `Apply stopped early: ${tally(counts)}.`;
  }
}

function tally(counts: ApplySummary['counts']): string {
  const parts = [
    `${plural(counts.succeeded, 'step')} succeeded${counts.converged > 0 ? ` (${counts.converged} already in place)` : ''}`,
  ];
  if (counts.failed > 0) parts.push(`${counts.failed} failed`);
  if (counts.skipped > 0) parts.push(`${counts.skipped} skipped`);
  if (counts.notAttempted > 0) parts.push(`${counts.notAttempted} not attempted`);
  if (counts.resumed > 0) parts.push(`${counts.resumed} done by an earlier run`);
  if (counts.leftSkipped > 0) parts.push(`${counts.leftSkipped} left skipped`);
  return parts.join(', ');
}

/** `2026-11-23 10:00:02 UTC`, from an audit event's time. */
function dateOf(iso: string): string {
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
}

function listOf(label: string, steps: Step[]): string[] {
  return steps.map((step) => terminalText(`  ${label.padEnd(12)} step ${step.index} ${displayName(step.address)}`));
}
