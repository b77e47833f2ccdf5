/** Promise-returning wrappers, so the CLI stays linear: each draws one ink view and resolves when it closes. */
import { createElement } from 'react';
import { render } from 'ink';
import type { Plan } from '../../model/plan.js';
import { ApplySession, type ApplyControls, type ApplySessionProps } from './ApplySession.js';
import { PlanReview } from './PlanReview.js';
import type { ApplyOutcome } from '../../apply/applier/types.js';

export type { ApplyControls } from './ApplySession.js';
export type { ProgressEvent } from './progress-state.js';

/** `strata plan` in a terminal: browse the plan until q. */
export async function reviewPlanInTerminal(plan: Plan, options: { color: boolean }): Promise<void> {
  const instance = render(
    createElement(PlanReview, { plan, color: options.color, canApply: false, onChoice: () => instance.unmount() }),
  );
  await instance.waitUntilExit();
}

/** `strata apply` in a terminal: review and choose (unless the plan was reviewed already), confirm, watch. */
export async function applyInTerminal(
  plan: Plan,
  options: Pick<ApplySessionProps, 'color' | 'reviewFirst' | 'confirmed'>,
  run: (controls: ApplyControls) => Promise<ApplyOutcome>,
): Promise<ApplyOutcome | 'declined'> {
  let ended: ApplyOutcome | 'declined' = 'declined';
  // Ctrl-C must reach the session: during an apply it stops scheduling instead of killing the process mid-step.
  const instance = render(
    createElement(ApplySession, { plan, ...options, run, onEnd: (outcome) => (ended = outcome) }),
    {
      exitOnCtrlC: false,
    },
  );
  await instance.waitUntilExit();
  return ended;
}
