import { readFileSync } from 'node:fs';
import Ajv2020 from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { approvalOf } from '../../src/apply/applier/approval.js';
import { UserError } from '../../src/errors/user-error.js';
import { addressKey } from '../../src/model/address.js';
import type { Plan } from '../../src/model/plan.js';
import { createPlan } from '../../src/plan/index.js';
import { parsePlanFile, planHash, serializePlanFile } from '../../src/plan/planfile.js';
import { renderPlanJson } from '../../src/render/plan-json.js';
import { renderPlanMarkdown } from '../../src/render/plan-markdown.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { NOW } from '../fixtures/plan/builders.js';
import { prodDesired } from '../fixtures/plan/prod.desired.js';
import { prodObserved } from '../fixtures/plan/prod.observed.js';
import { damageText, fuzzRuns, fuzzSeed, mutateJson, seededRandom } from '../support/fuzz.js';

const SOURCE = 'plans/prod.plan.json';
const plan = createPlan({ desired: prodDesired, observed: prodObserved(), now: NOW });
const saved = serializePlanFile(plan);
const RUNS = fuzzRuns(300);

/** The plan as an editor with the means to re-hash it would leave it: only its shape and coherence can refuse it. */
function rehashed(edited: unknown): string {
  return JSON.stringify({ ...(edited as object), planHash: planHash(edited as Plan) });
}

/** Fields of a JSON object, each of which an editor can set to anything. */
type Fields = Record<string, unknown>;

/** A copy of the plan's JSON to damage: any field of a change (or of its `after`) or of a step. */
interface EditablePlan extends Fields {
  changes: (Fields & { after: Fields })[];
  steps: Fields[];
}

function edit(change: (copy: EditablePlan) => void): string {
  const copy = JSON.parse(JSON.stringify(plan)) as EditablePlan;
  change(copy);
  return rehashed(copy);
}

function refusal(text: string): UserError {
  try {
    parsePlanFile(text, SOURCE);
  } catch (error) {
    if (error instanceof UserError) return error;
    throw error;
  }
  throw new Error('the plan file was accepted');
}

describe('reading a damaged plan file', () => {
  it('locates a file cut short', () => {
    const cut = saved.slice(0, saved.indexOf('"changes": [') + '"changes": ['.length);
    expect(refusal(cut).message).toMatch(
      /^plans\/prod\.plan\.json is not a strata plan file: line \d+, column \d+: the JSON ends where a value should be \(was the file cut short\?\)$/,
    );
  });

  it('refuses a key given twice, which readers of the file and strata could read differently', () => {
    const doubled = saved.replace('"action": "update"', '"action": "no-op", "action": "update"');
    expect(refusal(doubled).message).toMatch(
      /key "action" appears twice in one object; JSON readers disagree on which one counts$/,
    );
  });

  it('refuses a wrong type by its path, even when the file was re-hashed', () => {
    expect(refusal(edit((copy) => (copy.changes[0]!.risks = 'none'))).message).toBe(
      'plans/prod.plan.json is not a plan strata wrote: changes[0].risks: expected a list, found the string "none"; run strata plan again',
    );
  });

  it('refuses an action that does not exist', () => {
    expect(refusal(edit((copy) => (copy.changes[0]!.action = 'obliterate'))).message).toContain(
      'changes[0].action: expected one of "create", "update", "replace", "delete", "adopt", "blocked", "no-op", found the string "obliterate"',
    );
  });

  it("refuses a change's after that is not the spec of its kind", () => {
    const claim = plan.changes.findIndex(
      (change) => change.address.kind === 'PersistentVolumeClaim' && change.after !== undefined,
    );
    const error = refusal(edit((copy) => (copy.changes[claim]!.after.size = 42)));
    expect(error.message).toContain(`changes[${claim}].after.size: expected a string, found the number 42`);
  });

  it('refuses a step that carries out no change of the plan', () => {
    const error = refusal(
      edit((copy) => (copy.steps[0]!.address = { system: 'kubernetes', kind: 'Namespace', name: 'kube-system' })),
    );
    expect(error.message).toContain(
      `steps[0]: ${plan.steps[0]?.action} kubernetes/Namespace/kube-system is not a change of the plan`,
    );
  });

  it('refuses steps that wait on each other in a circle', () => {
    const error = refusal(
      edit((copy) => {
        copy.steps[0]!.dependsOn = [2];
        copy.steps[1]!.dependsOn = [1];
      }),
    );
    expect(error.message).toContain('the steps wait on each other in a circle');
  });

  it('refuses a formatVersion written as a string, and one from before', () => {
    expect(refusal(saved.replace('"formatVersion": 2', '"formatVersion": "2"')).message).toBe(
      'plans/prod.plan.json is not a strata plan file: it has no formatVersion',
    );
    expect(refusal(saved.replace('"formatVersion": 2', '"formatVersion": 0')).message).toBe(
      'plans/prod.plan.json has plan file format 0, which this strata does not read; run strata plan again',
    );
  });

  it('refuses nesting deeper than any plan has, before anything recurses into it', () => {
    expect(refusal(`{"formatVersion": 2, "changes": ${'['.repeat(100_000)}`).message).toContain(
      'nests more than 64 levels deep',
    );
  });
});

describe(`reading ${RUNS} damaged plan files (seed ${fuzzSeed()})`, () => {
  const schema = JSON.parse(readFileSync(new URL('../../schemas/plan.schema.json', import.meta.url), 'utf8')) as object;
  const ajv = new Ajv2020.default({ strict: true });
  addFormats.default(ajv);
  const matchesSchema = ajv.compile(schema);
  const original = new Map(plan.changes.map((change) => [addressKey(change.address), change]));

  it(
    'refuses what the schema refuses, as a bounded user error; renders and approves against what it accepts',
    { timeout: 30_000 + RUNS * 50 },
    () => {
      const random = seededRandom(fuzzSeed());
      const base = JSON.parse(JSON.stringify(plan)) as unknown;
      for (let run = 0; run < RUNS; run += 1) {
        let text: string;
        let change: string;
        if (random.chance(0.25)) {
          ({ text, change } = damageText(saved, random));
        } else {
          const mutated = mutateJson(base, random);
          text = rehashed(mutated.value);
          change = mutated.change;
        }
        const replay = `run ${run} of seed ${fuzzSeed()} (${change})`;
        let read: ReturnType<typeof parsePlanFile>;
        try {
          read = parsePlanFile(text, SOURCE);
        } catch (error) {
          if (!(error instanceof UserError)) throw new Error(`reading threw ${String(error)} on ${replay}`);
          expect(error.message.length, replay).toBeLessThan(600);
          expect(error.message, replay).not.toMatch(/Maximum call stack|TypeError|Cannot read prop|\[object Object\]/);
          continue;
        }
        expect(
          matchesSchema(JSON.parse(text)),
          `${replay}: accepted a plan the schema refuses: ${ajv.errorsText(matchesSchema.errors)}`,
        ).toBe(true);
        try {
          renderPlanText(read.plan, { color: false });
          renderPlanMarkdown(read.plan, {});
          renderPlanJson(read.plan, read.planHash);
          for (const planned of read.plan.changes) {
            approvalOf(planned, original.get(addressKey(planned.address)), {
              sentEarlier: false,
              parentSentEarlier: false,
            });
          }
        } catch (error) {
          throw new Error(`using an accepted plan file threw on ${replay}: ${(error as Error).stack}`);
        }
      }
    },
  );
});
