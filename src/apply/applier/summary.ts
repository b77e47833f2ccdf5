/** How an apply ended and the counts behind it, for the CLI's last word (render/apply-text.ts words it). */
import type { ApplyOutcome, ApplyResult } from './types.js';

export interface ApplySummary {
  outcome: ApplyOutcome;
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
  return {
    outcome: result.outcome,
    counts: {
      succeeded: result.succeeded.length,
      converged: result.converged.length,
      failed: result.failed.length,
      skipped: result.skipped.length,
      notAttempted: result.notAttempted.length,
      resumed: result.resumed.length,
      leftSkipped: result.leftSkipped.length,
    },
  };
}
