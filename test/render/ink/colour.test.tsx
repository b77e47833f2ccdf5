/**
 * The colour and bold codes of the plan review. ink decides by itself whether the terminal takes colour, and it
 * ignores NO_COLOR; here it is told the terminal does, so what strata asks for is all that decides.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';

vi.hoisted(() => {
  process.env.FORCE_COLOR = '1';
});

import { cleanup, render } from 'ink-testing-library';
import { PlanReview } from '../../../src/render/ink/PlanReview.js';
import { prodPlan } from '../../fixtures/render/plans.js';

afterEach(cleanup);

const ESCAPE = '\u001b[';
const BOLD = `${ESCAPE}1m`;
const NORMAL_INTENSITY = `${ESCAPE}22m`;

function reviewFrame(color: boolean): string {
  return render(<PlanReview plan={prodPlan} color={color} canApply onChoice={() => undefined} />).lastFrame()!;
}

describe('colour and bold in the plan review', () => {
  it('draws neither with colour off (NO_COLOR, --no-color), the header included', () => {
    expect(reviewFrame(false)).not.toContain(ESCAPE);
  });

  it('opens and closes the header bold on its own line with colour on', () => {
    const [header = ''] = reviewFrame(true).split('\n');
    expect(header.startsWith(`${BOLD}strata plan prod · `)).toBe(true);
    expect(header.endsWith(NORMAL_INTENSITY)).toBe(true);
    expect(header.slice(BOLD.length, -NORMAL_INTENSITY.length)).not.toContain(ESCAPE);
  });
});
