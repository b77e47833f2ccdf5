/**
 * The machine form CI reads: the plan's fields plus `planHash`, keys sorted at every depth, 2-space indent and a
 * trailing newline. It is byte for byte the plan file `strata plan --out` saves (src/plan/planfile.ts), so `--json`
 * output and a saved plan are one document and one contract.
 */
import type { Plan } from '../model/plan.js';
import { canonicalize } from '../model/canonical.js';

export function renderPlanJson(plan: Plan, planHash?: string): string {
  return `${JSON.stringify(canonicalize({ ...plan, planHash }), null, 2)}\n`;
}
