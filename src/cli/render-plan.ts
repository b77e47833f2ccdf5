/** Chooses the renderer for a plan; every format reads the same plan data. */
import type { Plan } from '../model/plan.js';
import { renderPlanJson } from '../render/plan-json.js';
import { renderPlanMarkdown } from '../render/plan-markdown.js';
import { renderPlanText } from '../render/plan-text.js';

export const PLAN_FORMATS = ['text', 'markdown', 'json'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

export function renderPlan(
  plan: Plan,
  format: PlanFormat,
  options: { color: boolean; planHash?: string; savedTo?: string },
): string {
  switch (format) {
    case 'json':
      return renderPlanJson(plan, options.planHash);
    case 'markdown':
      return renderPlanMarkdown(plan, { planHash: options.planHash, savedTo: options.savedTo });
    case 'text':
      return renderPlanText(plan, options);
  }
}
