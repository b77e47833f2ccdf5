/**
 * The key the audit log is sealed with: `STRATA_AUDIT_KEY`, a CI secret of every job that applies, unlocks, promotes
 * or verifies. With it each event's link is an HMAC-SHA256 that only a holder of the key can make.
 */
import { secretKeyFrom } from './secret-key.js';

export const AUDIT_KEY_VARIABLE = 'STRATA_AUDIT_KEY';

/** The key, or undefined when the variable is not set; set but empty or too short is an error. Never printed. */
export function auditKeyFrom(env: NodeJS.ProcessEnv): string | undefined {
  return secretKeyFrom(env, {
    variable: AUDIT_KEY_VARIABLE,
    noun: 'an audit key',
    unset: 'unset it to write and check the audit log unkeyed',
    storedAs: 'a secret of every job that applies to, promotes from or verifies the environment',
  });
}
