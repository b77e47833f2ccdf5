import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { PlanReview } from '../../../src/render/ink/PlanReview.js';
import { emptyPlan, fleetPlan, prodPlan, stagingPlan } from '../../fixtures/render/plans.js';
import { frameShowing, press } from '../../support/ink.js';
import { KEYS } from './keys.js';

afterEach(cleanup);

function review(plan = prodPlan, canApply = false) {
  const onChoice = vi.fn();
  const view = render(<PlanReview plan={plan} color={false} canApply={canApply} onChoice={onChoice} />);
  return { ...view, onChoice };
}

describe('plan review in the terminal', () => {
  it('shows the summary and the risk banner before any change', () => {
    const frame = review().lastFrame()!;
    const lines = frame.split('\n');
    expect(lines[0]).toMatch(/^strata plan prod · 2 create · 3 update · 1 replace · 0 delete · 1 blocked/);
    expect(lines[1]).toMatch(/^! \d+ risks — review before applying/);
    expect(frame.indexOf('data loss')).toBeLessThan(frame.indexOf('›'));
  });

  it('draws each action with its symbol', () => {
    const frame = review().lastFrame()!;
    expect(frame).toMatch(/\+\s+kubernetes cronjob codequal-prod\/deepwiki-nightly/);
    expect(frame).toMatch(/~\s+kubernetes pvc codequal-prod\/deepwiki-data/);
    expect(frame).toMatch(/-\/\+ kubernetes storageclass fast-ssd/);
    expect(frame).toMatch(/!\s+kubernetes pvc codequal-prod\/warm-db/);
  });

  it('draws adoptions and deletions with their symbols', () => {
    const frame = review(stagingPlan).lastFrame()!;
    expect(frame).toMatch(/^. <=\s+\S/m);
    expect(frame).toMatch(/^. -\s{3}\S/m);
  });

  it('moves the cursor with j and the arrow keys', async () => {
    const view = review();
    const selected = () =>
      view
        .lastFrame()!
        .split('\n')
        .find((line) => line.startsWith('›'));
    const first = selected();
    await press(view, 'j');
    expect(selected()).not.toBe(first);
    await press(view, KEYS.up);
    expect(selected()).toBe(first);
  });

  it('moves once for each key of a write that carries several', async () => {
    const view = review();
    await frameShowing(view, '1/7');
    view.stdin.write('jj');
    await frameShowing(view, '3/7');
  });

  it('takes a filter written in one go with its / and its Enter', async () => {
    const view = review();
    view.stdin.write('/warm\r');
    const frame = await frameShowing(view, '1/1');
    expect(frame).toContain('filter "warm"');
  });

  it('takes filter text written right after /, before the screen shows the filter', async () => {
    const view = review();
    view.stdin.write('/');
    view.stdin.write('warm\r');
    await frameShowing(view, '1/1');
  });

  it('expands a change into its attribute diff on enter', async () => {
    const view = review();
    await press(view, '/', ...'lifecycle', KEYS.enter, KEYS.enter);
    const frame = await frameShowing(view, 'expirationDays:  2555d → 365d');
    expect(frame).toContain('kept as found (not managed by strata): rule "legal-hold-archive"');
  });

  it('filters by address', async () => {
    const view = review();
    await press(view, '/', ...'warm');
    await frameShowing(view, 'filter: warm');
    await press(view, KEYS.enter);
    await frameShowing(view, '1/1');
  });

  it('takes a filter pasted with its Enter in one chunk', async () => {
    const view = review();
    await press(view, '/', 'warm\r');
    const frame = await frameShowing(view, '1/1');
    expect(frame).toContain('warm-db');
    expect(frame).not.toContain('deepwiki-data');
  });

  it('shows only risky changes after r', async () => {
    const view = review();
    await press(view, 'r');
    const frame = await frameShowing(view, 'risky only');
    expect(frame).not.toMatch(/!\s+kubernetes pvc codequal-prod\/warm-db/);
  });

  it('lists the keys after ?', async () => {
    const view = review();
    await press(view, '?');
    await frameShowing(view, 'only changes with risks');
  });

  it('closes the help on Esc', async () => {
    const view = review();
    await press(view, '?');
    await frameShowing(view, 'only changes with risks');
    await press(view, KEYS.escape);
    const frame = view.lastFrame()!;
    expect(frame).not.toContain('only changes with risks');
    expect(frame).toMatch(/^› /m);
  });

  it('offers apply choices only when applying', async () => {
    expect(review(prodPlan, false).lastFrame()).toContain('q quit');
    const applying = review(prodPlan, true);
    expect(applying.lastFrame()).toContain('a apply all · s step through · q abort');
    // Choosing only calls back: the screen stays as it is.
    applying.stdin.write('s');
    await vi.waitFor(() => expect(applying.onChoice).toHaveBeenCalledWith('step-through'), { timeout: 3000 });
  });

  it('closes on q', async () => {
    const { stdin, onChoice } = review();
    stdin.write('q');
    await vi.waitFor(() => expect(onChoice).toHaveBeenCalledWith('abort'), { timeout: 3000 });
  });

  it('says so when there is nothing to change', () => {
    expect(review(emptyPlan).lastFrame()).toContain('No changes.');
  });

  it('fits every line into the terminal width, cutting long lines with an ellipsis', () => {
    const frame = review().lastFrame()!;
    for (const line of frame.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
    expect(frame).toMatch(/…$/m);
  });

  it('scrolls a 2,000-change plan to its last change', async () => {
    const view = review(fleetPlan(100, 20));
    // The whole plan is on screen before the key goes in.
    await frameShowing(view, '1/2001');
    await press(view, 'G');
    const frame = await frameShowing(view, '2001/2001');
    expect(frame.split('\n').find((line) => line.startsWith('›'))).toBeDefined();
  });
});
