import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/model/plan.js';
import { renderPlanJson } from '../../src/render/plan-json.js';
import { prodPlan } from '../fixtures/render/plans.js';
import { expectGolden, PLAN_HASH } from './golden.js';

/** The same plan with every object's keys in reverse order, as another writer might produce it. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(Object.entries(value).reverse().map(([key, item]) => [key, reversedKeys(item)]));
}

describe('renderPlanJson', () => {
  it('renders the prod plan as reviewed', () => {
    expectGolden('prod.plan.json', renderPlanJson(prodPlan, PLAN_HASH));
  });

  it('wraps the plan in the saved-plan envelope, with the version first', () => {
    const text = renderPlanJson(prodPlan, PLAN_HASH);
    expect(text.startsWith('{\n  "plan": {\n    "formatVersion": 1,\n    "environment": "prod",\n')).toBe(true);
    expect(text.endsWith(`  "planHash": "${PLAN_HASH}"\n}\n`)).toBe(true);
  });

  it('round-trips: parsing the output gives back the plan and its hash', () => {
    expect(JSON.parse(renderPlanJson(prodPlan, PLAN_HASH))).toEqual({ plan: prodPlan, planHash: PLAN_HASH });
    expect(JSON.parse(renderPlanJson(prodPlan))).toEqual({ plan: prodPlan });
  });

  it('prints the same bytes whatever order the plan was built in', () => {
    expect(renderPlanJson(reversedKeys(prodPlan) as Plan, PLAN_HASH)).toBe(renderPlanJson(prodPlan, PLAN_HASH));
  });
});
