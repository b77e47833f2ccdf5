/** The key plans are signed and checked with: `STRATA_PLAN_KEY`, a CI secret shared by the plan and apply jobs. */
import { UserError } from '../errors/user-error.js';

export const PLAN_KEY_VARIABLE = 'STRATA_PLAN_KEY';
const MINIMUM_LENGTH = 32;
const MAKE_ONE = 'make one with `openssl rand -hex 32` and store it as a secret of both the plan and the apply job';

/**
 * The key, or undefined when the variable is not set. Set but empty is an error, not "no key": a CI secret that does
 * not exist expands to an empty string, and signing nothing would fail only later, at apply. Never printed.
 */
export function planKeyFrom(env: NodeJS.ProcessEnv): string | undefined {
  const key = env[PLAN_KEY_VARIABLE];
  if (key === undefined) return undefined;
  if (key.trim() === '') {
    throw new UserError(`${PLAN_KEY_VARIABLE} is set but empty (a CI secret that does not exist expands to nothing)`, {
      hint: `unset it to work without signed plans, or ${MAKE_ONE}`,
    });
  }
  if (key.length < MINIMUM_LENGTH) {
    throw new UserError(`${PLAN_KEY_VARIABLE} is ${key.length} characters long; a plan key needs at least ${MINIMUM_LENGTH}`, { hint: MAKE_ONE });
  }
  return key;
}
