import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/errors/user-error.js';
import { createPlan } from '../../src/plan/index.js';
import { parsePlanFile, planHash, serializePlanFile } from '../../src/plan/planfile.js';
import { NOW } from '../fixtures/plan/builders.js';
import { prodDesired } from '../fixtures/plan/prod.desired.js';
import { prodObserved } from '../fixtures/plan/prod.observed.js';

const plan = createPlan({ desired: prodDesired, observed: prodObserved(), now: NOW });
const SOURCE = 'plans/prod.plan.json';

describe('the plan file', () => {
  it('reads back the plan it saved, with its hash', () => {
    const saved = parsePlanFile(serializePlanFile(plan), SOURCE);
    expect(saved.plan).toEqual(JSON.parse(JSON.stringify(plan)));
    expect(saved.planHash).toBe(planHash(plan));
  });

  it('writes the same bytes for the same plan (stable key order)', () => {
    const reordered = Object.fromEntries(Object.entries(plan).reverse()) as typeof plan;
    expect(serializePlanFile(reordered)).toBe(serializePlanFile(plan));
  });

  it('refuses a file edited after it was saved', () => {
    const edited = serializePlanFile(plan).replace('"200Gi"', '"300Gi"');
    expect(() => parsePlanFile(edited, SOURCE)).toThrow(
      new UserError('plans/prod.plan.json was edited after it was saved (hash mismatch); run strata plan again', {
        hint: 'strata plan prod writes a new one; change the environment file, never the plan',
      }),
    );
  });

  it('refuses a plan file written by a newer strata', () => {
    const newer = serializePlanFile(plan).replace('"formatVersion": 2', '"formatVersion": 3');
    expect(() => parsePlanFile(newer, SOURCE)).toThrow(
      'plan file format 3 is newer than this strata understands; upgrade strata',
    );
  });

  it("refuses a plan of format 1, whose digest named the file's bytes, and says to plan again", () => {
    const older = serializePlanFile(plan).replace('"formatVersion": 2', '"formatVersion": 1');
    expect(() => parsePlanFile(older, SOURCE)).toThrow(
      new UserError(
        'plans/prod.plan.json has plan file format 1, which this strata does not read; run strata plan again',
        {
          hint: 'strata plan <environment> writes the current format',
        },
      ),
    );
  });

  it('refuses text that is not JSON as a user error naming the file and where it stops', () => {
    expect(() => parsePlanFile('{"formatVersion": 2,', SOURCE)).toThrow(UserError);
    expect(() => parsePlanFile('{"formatVersion": 2,', SOURCE)).toThrow(
      'plans/prod.plan.json is not a strata plan file: line 1, column 21: the JSON ends where a key in double quotes should be (was the file cut short?)',
    );
  });

  it('refuses JSON that is not a plan file', () => {
    expect(() => parsePlanFile('{"kind": "ObservedSnapshot"}', SOURCE)).toThrow(
      'plans/prod.plan.json is not a strata plan file: it has no formatVersion',
    );
  });

  it('matches schemas/plan.schema.json, with and without the observation time', () => {
    const schema = JSON.parse(
      readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8'),
    ) as object;
    const ajv = new Ajv2020.default({ allErrors: true, strict: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    for (const saved of [plan, { ...plan, observedInMs: 812 }]) {
      const valid = validate(JSON.parse(serializePlanFile(saved)));
      expect(validate.errors ?? []).toEqual([]);
      expect(valid).toBe(true);
    }
  });
});
