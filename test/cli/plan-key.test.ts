import { describe, expect, it } from 'vitest';
import { planKeyFrom } from '../../src/cli/plan-key.js';

describe('the plan key from STRATA_PLAN_KEY', () => {
  it('is absent when the variable is not set', () => {
    expect(planKeyFrom({})).toBeUndefined();
  });

  it('is the variable when it is long enough', () => {
    const key = 'a1'.repeat(32);
    expect(planKeyFrom({ STRATA_PLAN_KEY: key })).toBe(key);
  });

  it('refuses a variable that is set but empty, as a missing CI secret expands', () => {
    expect(() => planKeyFrom({ STRATA_PLAN_KEY: '' })).toThrow(
      'STRATA_PLAN_KEY is set but empty (a CI secret that does not exist expands to nothing)',
    );
  });

  it('refuses a short key, saying how long it is but never what it is', () => {
    let message = '';
    try {
      planKeyFrom({ STRATA_PLAN_KEY: 'hunter2' });
    } catch (error) {
      message = `${(error as Error).message} ${(error as { hint?: string }).hint}`;
    }
    expect(message).toContain('STRATA_PLAN_KEY is 7 characters long; a plan key needs at least 32');
    expect(message).toContain('openssl rand -hex 32');
    expect(message).not.toContain('hunter2');
  });
});
