import { describe, expect, it } from 'vitest';
import type { Change, Plan } from '../../../src/model/plan.js';
import { viewPlan } from '../../../src/render/plan-view.js';
import { initialReviewState, reviewReducer, scrollTop, visibleChanges } from '../../../src/render/ink/review-state.js';
import { keyPresses, NO_KEY } from '../../../src/render/ink/key-presses.js';

function change(name: string, action: Change['action'], risky = false): Change {
  return {
    address: { system: 'kubernetes', kind: 'PersistentVolumeClaim', namespace: 'codequal-prod', name },
    action,
    attributes: [],
    risks: risky ? [{ kind: 'data-loss', severity: 'high', message: `deleting ${name} loses its data` }] : [],
  };
}

function planOf(changes: Change[]): Plan {
  return {
    formatVersion: 2,
    environment: 'prod',
    createdAt: '2026-11-23T00:00:00.000Z',
    desiredDigest: 'd',
    desiredFiles: ['environments/prod.yaml'],
    sources: {},
    capabilities: [],
    changes,
    steps: [],
    summary: { create: 0, update: 0, replace: 0, delete: 0, adopt: 0, blocked: 0, noOp: 0, risks: 0 },
  };
}

describe('plan review state', () => {
  const changes = viewPlan(
    planOf([
      change('analytics-cache', 'create'),
      change('deepwiki-data', 'update'),
      change('old-scratch', 'delete', true),
      change('unchanged', 'no-op'),
      change('warm-db', 'blocked'),
    ]),
  ).changes;

  it('lists changes in the order the text renderer uses and hides no-ops', () => {
    expect(visibleChanges(changes, initialReviewState).map((c) => c.change.address.name)).toEqual([
      'analytics-cache',
      'deepwiki-data',
      'old-scratch',
      'warm-db',
    ]);
  });

  it('filters by displayed name or address, case-insensitively', () => {
    expect(visibleChanges(changes, { filter: 'DEEPWIKI', riskyOnly: false }).map((c) => c.change.address.name)).toEqual(
      ['deepwiki-data'],
    );
  });

  it('shows only risky changes when asked', () => {
    expect(visibleChanges(changes, { filter: '', riskyOnly: true }).map((c) => c.change.address.name)).toEqual([
      'old-scratch',
    ]);
  });

  it('keeps the cursor inside the list', () => {
    const down = reviewReducer(initialReviewState, { type: 'move', by: 10, visible: 4 });
    expect(down.cursor).toBe(3);
    expect(reviewReducer(down, { type: 'move', by: -10, visible: 4 }).cursor).toBe(0);
  });

  it('expands and collapses a change', () => {
    const open = reviewReducer(initialReviewState, { type: 'toggle-expanded', key: 'k' });
    expect(open.expanded.has('k')).toBe(true);
    expect(reviewReducer(open, { type: 'toggle-expanded', key: 'k' }).expanded.has('k')).toBe(false);
  });

  it('returns the cursor to the top when the filter changes', () => {
    const moved = reviewReducer(initialReviewState, { type: 'move', by: 2, visible: 4 });
    expect(reviewReducer(moved, { type: 'filter-type', text: 'd' }).cursor).toBe(0);
  });

  describe('keys', () => {
    const keys = { changes, page: 10, canApply: true };
    const typing = (text: string, state = initialReviewState) =>
      keyPresses(text, NO_KEY).reduce((now, press) => reviewReducer(now, { type: 'key', press, keys }), state);

    it('reads each key against the state the keys before it left', () => {
      const filtered = typing('/warm\r');
      expect(filtered).toMatchObject({ filter: 'warm', editingFilter: false });
      expect(typing('jj').cursor).toBe(2);
    });

    it('closes the help on Esc before it clears the filter under it', () => {
      const helped = typing('?', { ...initialReviewState, filter: 'warm' });
      const escaped = reviewReducer(helped, {
        type: 'key',
        press: { input: '', key: { ...NO_KEY, escape: true } },
        keys,
      });
      expect(escaped).toMatchObject({ help: false, filter: 'warm' });
    });

    it('takes no key once one chose', () => {
      const chosen = typing('sj');
      expect(chosen).toMatchObject({ chosen: 'step-through', cursor: 0 });
      expect(typing('q', chosen).chosen).toBe('step-through');
    });
  });

  it('scrolls only as far as needed to keep the cursor row visible', () => {
    expect(scrollTop(0, 5, 1, 10)).toBe(0);
    expect(scrollTop(0, 12, 1, 10)).toBe(3);
    expect(scrollTop(8, 4, 1, 10)).toBe(4);
    expect(scrollTop(0, 8, 5, 10)).toBe(3);
  });
});
