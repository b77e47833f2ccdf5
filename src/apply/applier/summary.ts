/** One line that tells a person how an apply ended, and the counts behind it, for the CLI's last word. */
import type { ApplyResult } from './types.js';

export interface ApplySummary {
  headline: string;
  counts: {
    succeeded: number;
    converged: number;
    failed: number;
    skipped: number;
    notAttempted: number;
    resumed: number;
    leftSkipped: number;
  };
}

export function summarizeResult(result: ApplyResult): ApplySummary {
  const counts = {
    succeeded: result.succeeded.length,
    converged: result.converged.length,
    failed: result.failed.length,
    skipped: result.skipped.length,
    notAttempted: result.notAttempted.length,
    resumed: result.resumed.length,
    leftSkipped: result.leftSkipped.length,
  };
  return { headline: headline(result, counts), counts };
}

function headline(result: ApplyResult, counts: ApplySummary['counts']): string {
  switch (result.outcome) {
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

function plural(n: number, noun: string): string {
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}
