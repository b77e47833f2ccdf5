import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { createPlan } from '../../src/plan/index.js';
import {
  checkPlanSignature,
  parsePlanFile,
  planHash,
  serializePlanFile,
  signatureStatus,
} from '../../src/plan/planfile.js';
import { NOW } from '../fixtures/plan/builders.js';
import { prodDesired } from '../fixtures/plan/prod.desired.js';
import { prodObserved } from '../fixtures/plan/prod.observed.js';

const plan = createPlan({ desired: prodDesired, observed: prodObserved(), now: NOW });
const SOURCE = 'plans/prod.plan.json';
const KEY = 'k'.repeat(24) + '-plan-key-of-the-ci-jobs';
const OTHER_KEY = 'o'.repeat(24) + '-key-of-another-pipeline';

/** What someone with write access to the CI artifact can do: change the plan and put a matching sha256 in. */
function editAndRehash(text: string, edit: (data: Record<string, unknown>) => void): string {
  const data = JSON.parse(text) as Record<string, unknown>;
  edit(data);
  const { planHash: _hash, planSignature: _signature, ...rest } = data;
  return JSON.stringify({ ...data, planHash: planHash(rest as never) });
}

describe('the signed plan file', () => {
  it('carries an HMAC-SHA256 of the plan when saved with a key, and reads it back', () => {
    const saved = parsePlanFile(serializePlanFile(plan, KEY), SOURCE);
    expect(saved.planSignature).toMatch(/^[0-9a-f]{64}$/);
    expect(saved.planHash).toBe(planHash(plan));
    expect(signatureStatus(saved, KEY)).toBe('valid');
  });

  it('is not signed when saved without a key', () => {
    expect(parsePlanFile(serializePlanFile(plan), SOURCE).planSignature).toBeUndefined();
  });

  it('refuses a plan edited and re-hashed after it was signed, naming the file and the fix', () => {
    const edited = editAndRehash(serializePlanFile(plan, KEY), (data) => {
      (data.changes as { risks: unknown[] }[]).forEach((change) => (change.risks = []));
    });
    const saved = parsePlanFile(edited, SOURCE);

    expect(() => checkPlanSignature(saved, KEY, SOURCE)).toThrow(
      'plans/prod.plan.json has a signature that does not match STRATA_PLAN_KEY: it was changed after it was signed, or signed with another key',
    );
    expect(() => checkPlanSignature(saved, KEY, SOURCE)).toThrow(
      expect.objectContaining({ hint: expect.stringContaining('same STRATA_PLAN_KEY') as string }),
    );
  });

  it('refuses a plan signed with another key', () => {
    const saved = parsePlanFile(serializePlanFile(plan, OTHER_KEY), SOURCE);
    expect(signatureStatus(saved, KEY)).toBe('invalid');
  });

  it('refuses an unsigned plan where a key is set: the signature may have been stripped along with an edit', () => {
    const saved = parsePlanFile(serializePlanFile(plan), SOURCE);
    expect(() => checkPlanSignature(saved, KEY, SOURCE)).toThrow(
      'plans/prod.plan.json is not signed, and STRATA_PLAN_KEY is set here: strata applies only plans signed with that key',
    );
  });

  it('refuses a signed plan where no key is set, rather than stop checking quietly', () => {
    const saved = parsePlanFile(serializePlanFile(plan, KEY), SOURCE);
    expect(() => checkPlanSignature(saved, undefined, SOURCE)).toThrow(
      expect.objectContaining({
        message:
          'plans/prod.plan.json is signed, but STRATA_PLAN_KEY is not set here, so its signature cannot be checked',
        hint: 'set STRATA_PLAN_KEY to the key the plan was signed with (the same CI secret in the plan and apply jobs)',
      }),
    );
  });

  it('accepts an unsigned plan where no key is set', () => {
    expect(() => checkPlanSignature(parsePlanFile(serializePlanFile(plan), SOURCE), undefined, SOURCE)).not.toThrow();
  });

  it('treats a signature that is not 64 hex digits as one that does not match', () => {
    const saved = { ...parsePlanFile(serializePlanFile(plan, KEY), SOURCE), planSignature: 'abc' };
    expect(signatureStatus(saved, KEY)).toBe('invalid');
  });

  it('refuses a planSignature that is not a string', () => {
    const text = serializePlanFile(plan).replace('"planHash"', '"planSignature": 7,\n  "planHash"');
    expect(() => parsePlanFile(text, SOURCE)).toThrow(
      'plans/prod.plan.json is not a plan strata wrote: planSignature: expected a string, found the number 7; run strata plan again',
    );
  });

  it('matches schemas/plan.schema.json when signed', () => {
    const schema = JSON.parse(
      readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8'),
    ) as object;
    const ajv = new Ajv2020.default({ allErrors: true, strict: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    validate(JSON.parse(serializePlanFile(plan, KEY)));
    expect(validate.errors ?? []).toEqual([]);
  });
});
