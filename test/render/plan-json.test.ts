import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Plan } from '../../src/model/plan.js';
import { parsePlanFile } from '../../src/plan/planfile.js';
import { renderPlanJson } from '../../src/render/plan-json.js';
import { prodPlan } from '../fixtures/render/plans.js';
import { expectGolden, PLAN_HASH } from './golden.js';

/** The same plan with every object's keys in reverse order, as another writer might produce it. */
function reversedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversedKeys);
  if (typeof value !== 'object' || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([key, item]) => [key, reversedKeys(item)]),
  );
}

describe('renderPlanJson', () => {
  it('renders the prod plan as reviewed', () => {
    expectGolden('prod.plan.json', renderPlanJson(prodPlan, PLAN_HASH));
  });

  it('writes the plan fields and planHash with sorted keys, a 2-space indent and a trailing newline', () => {
    const text = renderPlanJson(prodPlan, PLAN_HASH);
    const keys = Object.keys(JSON.parse(text) as object);
    expect(keys).toEqual([...keys].sort());
    expect(keys).toContain('planHash');
    expect(text).toContain('\n  "formatVersion": 2,\n');
    expect(text.endsWith('\n}\n')).toBe(true);
  });

  it('round-trips: parsing the output gives back the plan and its hash', () => {
    expect(JSON.parse(renderPlanJson(prodPlan, PLAN_HASH))).toEqual({ ...prodPlan, planHash: PLAN_HASH });
    expect(JSON.parse(renderPlanJson(prodPlan))).toEqual(prodPlan);
  });

  it('prints the same bytes whatever order the plan was built in', () => {
    expect(renderPlanJson(reversedKeys(prodPlan) as Plan, PLAN_HASH)).toBe(renderPlanJson(prodPlan, PLAN_HASH));
  });

  it('prints a saved plan file byte for byte, so --json and --out are one document', () => {
    const file = readFileSync(new URL('../fixtures/plan/prod.plan.json', import.meta.url), 'utf8');
    const saved = parsePlanFile(file, 'prod.plan.json');
    expect(renderPlanJson(saved.plan, saved.planHash)).toBe(file);
  });
});
