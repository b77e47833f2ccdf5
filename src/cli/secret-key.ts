/** A secret key from an environment variable, as a CI job gets it: `STRATA_PLAN_KEY`, `STRATA_AUDIT_KEY`. */
import { UserError } from '../errors/user-error.js';

const MINIMUM_LENGTH = 32;

export interface SecretKeyUse {
  variable: string;
  /** `a plan key`: what the key is, in the error about its length. */
  noun: string;
  /** What unsetting the variable means: `unset it to work without signed plans`. */
  unset: string;
  /** Where a new key must be stored: `a secret of both the plan and the apply job`. */
  storedAs: string;
}

/**
 * The key, or undefined when the variable is not set. Set but empty is an error, not "no key": a CI secret that does
 * not exist expands to an empty string, and working without the key would fail only later, or not at all. Never
 * printed, not even in part.
 */
export function secretKeyFrom(env: NodeJS.ProcessEnv, use: SecretKeyUse): string | undefined {
  const key = env[use.variable];
  if (key === undefined) return undefined;
  const makeOne = `make one with \`openssl rand -hex 32\` and store it as ${use.storedAs}`;
  if (key.trim() === '') {
    throw new UserError(`${use.variable} is set but empty (a CI secret that does not exist expands to nothing)`, {
      hint: `${use.unset}, or ${makeOne}`,
    });
  }
  if (key.length < MINIMUM_LENGTH) {
    throw new UserError(
      `${use.variable} is ${key.length} characters long; ${use.noun} needs at least ${MINIMUM_LENGTH}`,
      { hint: makeOne },
    );
  }
  return key;
}
