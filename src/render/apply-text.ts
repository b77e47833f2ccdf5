/**
 * An apply run as plain text, for CI logs and terminals without the ink UI: one line per step event as it happens,
 * then what succeeded, what failed and why, what was not attempted, and how to continue.
 */
import type { ApplyResult } from '../apply/applier/types.js';
import type { Step } from '../model/plan.js';
import { terminalText } from './escape/terminal.js';
import { ACTION_SYMBOLS, displayName, plural } from './names.js';
import { formatSeconds } from './seconds.js';
import { createStyle } from './style.js';

export type StepEvent = 'started' | 'succeeded' | 'already' | 'failed' | 'skipped';

const MARKS: Record<StepEvent, string> = { started: '…', succeeded: '✔', already: '✔', failed: '✖', skipped: '↷' };

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
  options: { headline: string; planfile?: string; color: boolean },
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
  if (unfinished && result.outcome !== 'succeeded' && options.planfile) {
    lines.push('', terminalText(`Continue after fixing the cause with: strata apply --resume ${options.planfile}`));
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

/** `2026-11-23 10:00:02 UTC`, from an audit event's time. */
function dateOf(iso: string): string {
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
}

function listOf(label: string, steps: Step[]): string[] {
  return steps.map((step) => terminalText(`  ${label.padEnd(12)} step ${step.index} ${displayName(step.address)}`));
}
