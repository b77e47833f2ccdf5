import { describe, expect, it } from 'vitest';
import type { Action, Change } from '../../src/model/plan.js';
import { hasChanges } from '../../src/plan/index.js';
import { address } from '../fixtures/plan/builders.js';

const change = (action: Action): Change => ({ address: address('Bucket', action), action, attributes: [], risks: [] });

describe('hasChanges (what --detailed-exitcode exits 2 on)', () => {
  it('is false for a plan of no-ops only, or of nothing', () => {
    expect(hasChanges({ changes: [] })).toBe(false);
    expect(hasChanges({ changes: [change('no-op'), change('no-op')] })).toBe(false);
  });

  it.each<Action>(['create', 'update', 'replace', 'delete', 'adopt', 'blocked'])('is true with a %s', (action) => {
    expect(hasChanges({ changes: [change('no-op'), change(action)] })).toBe(true);
  });

  describe('a change blocked because the server lacks a capability', () => {
    const waitsForEncryption: Change = { ...change('blocked'), needsCapability: 'encryption' };

    it('counts, as any blocked change does, while the environment file says nothing of it', () => {
      expect(hasChanges({ changes: [waitsForEncryption] })).toBe(true);
    });

    it('does not count once the environment file accepts that the server lacks it', () => {
      expect(hasChanges({ changes: [change('no-op'), waitsForEncryption], acceptedUnsupported: ['encryption'] })).toBe(
        false,
      );
    });

    it('leaves every other change counting beside it', () => {
      expect(
        hasChanges({ changes: [waitsForEncryption, change('blocked')], acceptedUnsupported: ['encryption'] }),
      ).toBe(true);
    });
  });
});
