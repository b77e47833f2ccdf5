/** The planner's own prod scenario (test/fixtures/plan/prod.plan.json), read back from the file as `strata show` does. */
import { readFileSync } from 'node:fs';
import { describe, it } from 'vitest';
import { parsePlanFile } from '../../src/plan/planfile.js';
import { renderPlanMarkdown } from '../../src/render/plan-markdown.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { expectGolden } from './golden.js';

const saved = parsePlanFile(
  readFileSync(new URL('../fixtures/plan/prod.plan.json', import.meta.url), 'utf8'),
  'test/fixtures/plan/prod.plan.json',
);

describe("the planner's prod plan", () => {
  it('renders as text as reviewed', () => {
    const text = renderPlanText(saved.plan, {
      color: false,
      savedTo: 'plans/prod.plan.json',
      planHash: saved.planHash,
    });
    expectGolden('planner-prod.plan.txt', text);
  });

  it('renders as a PR comment as reviewed', () => {
    expectGolden('planner-prod.plan.md', renderPlanMarkdown(saved.plan, { planHash: saved.planHash }));
  });
});
