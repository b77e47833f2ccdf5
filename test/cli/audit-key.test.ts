import { describe, expect, it } from 'vitest';
import { auditKeyFrom } from '../../src/cli/audit-key.js';

describe('the audit key from STRATA_AUDIT_KEY', () => {
  it('is absent when the variable is not set', () => {
    expect(auditKeyFrom({})).toBeUndefined();
  });

  it('is the variable when it is long enough', () => {
    const key = 'a1'.repeat(32);
    expect(auditKeyFrom({ STRATA_AUDIT_KEY: key })).toBe(key);
  });

  it('refuses a variable that is set but empty, as a missing CI secret expands, saying how to go on', () => {
    let failure: { message?: string; hint?: string } = {};
    try {
      auditKeyFrom({ STRATA_AUDIT_KEY: '  ' });
    } catch (error) {
      failure = error as typeof failure;
    }
    expect(failure.message).toBe(
      'STRATA_AUDIT_KEY is set but empty (a CI secret that does not exist expands to nothing)',
    );
    expect(failure.hint).toBe(
      'unset it to write and check the audit log unkeyed, or make one with `openssl rand -hex 32` and store it as a secret of every job that applies to, promotes from or verifies the environment',
    );
  });

  it('refuses a short key, saying how long it is but never what it is', () => {
    let message = '';
    try {
      auditKeyFrom({ STRATA_AUDIT_KEY: 'hunter2' });
    } catch (error) {
      message = `${(error as Error).message} ${(error as { hint?: string }).hint}`;
    }
    expect(message).toContain('STRATA_AUDIT_KEY is 7 characters long; an audit key needs at least 32');
    expect(message).not.toContain('hunter2');
  });
});
