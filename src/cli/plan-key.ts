/** The key plans are signed and checked with: `STRATA_PLAN_KEY`, a CI secret shared by the plan and apply jobs. */
import { secretKeyFrom } from './secret-key.js';

export const PLAN_KEY_VARIABLE = 'STRATA_PLAN_KEY';

/** The key, or undefined when the variable is not set; set but empty or too short is an error. Never printed. */
export function planKeyFrom(env: NodeJS.ProcessEnv): string | undefined {
  return secretKeyFrom(env, {
    variable: PLAN_KEY_VARIABLE,
    noun: 'a plan key',
    unset: 'unset it to work without signed plans',
    storedAs: 'a secret of both the plan and the apply job',
  });
}
