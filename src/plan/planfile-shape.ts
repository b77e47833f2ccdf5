/**
 * What a saved plan must look like before `strata show` renders it or `strata apply` compares it with a fresh plan:
 * schemas/plan.schema.json as code (test/plan/planfile-corpus.test.ts checks it accepts nothing the schema refuses),
 * plus the spec of each change's before and after by kind. A plan file can be edited and re-hashed, so its hash says
 * nothing about its shape.
 */
import { addressKey, type ResourceAddress, type ResourceKind } from '../model/address.js';
import { clip } from '../model/clip.js';
import { PLAN_FORMAT_VERSION } from '../model/plan.js';
import {
  anything,
  arrayOf,
  boolean,
  integer,
  number,
  object,
  oneOf,
  refined,
  string,
  type Shape,
} from '../model/shape.js';
import { ADDRESS_SHAPE, SPEC_SHAPES } from '../model/spec-shapes.js';

const HEX_SHA256 = /^[0-9a-f]{64}$/;
/** RFC 3339, as `format: date-time` reads it. */
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

const hexSha256 = refined(string, (value: string) =>
  HEX_SHA256.test(value) ? undefined : 'expected 64 hexadecimal digits (a sha256)',
);
const dateTime = refined(string, (value: string) =>
  DATE_TIME.test(value) && !Number.isNaN(Date.parse(value))
    ? undefined
    : 'expected a date and time such as "2026-11-23T10:00:00Z"',
);

const attribute = object({
  required: { path: string },
  optional: { before: anything, after: anything, forcesReplacement: boolean, takesFrom: arrayOf(string) },
});

const risk = object({
  required: {
    kind: oneOf('data-loss', 'security-weakened', 'irreversible', 'replace', 'cost'),
    severity: oneOf('high', 'medium', 'low'),
    message: string,
  },
  optional: { path: string, storageDeltaBytes: number },
});

const changeFields = object({
  required: {
    address: ADDRESS_SHAPE,
    action: oneOf('create', 'update', 'replace', 'delete', 'adopt', 'blocked', 'no-op'),
    attributes: arrayOf(attribute),
    risks: arrayOf(risk),
  },
  optional: {
    logicalKey: string,
    before: anything,
    after: anything,
    reason: string,
    fingerprint: string,
    preserved: arrayOf(string),
    needsCapability: oneOf('encryption', 'velero.io/v1'),
  },
});

/** A change, and its before and after as the spec of its kind (the applier diffs them by kind). */
const change: Shape = (value, path) => {
  const problem = changeFields(value, path);
  if (problem) return problem;
  const {
    address: { kind },
    before,
    after,
  } = value as { address: { kind: ResourceKind }; before?: unknown; after?: unknown };
  const spec = SPEC_SHAPES[kind];
  return (
    (before === undefined ? undefined : spec(before, `${path}.before`)) ??
    (after === undefined ? undefined : spec(after, `${path}.after`))
  );
};

const step = object({
  required: {
    index: integer(1),
    address: ADDRESS_SHAPE,
    action: oneOf('create', 'update', 'replace', 'delete', 'adopt'),
    dependsOn: arrayOf(integer(1)),
  },
});

const count = integer(0);

export const PLAN_FILE_SHAPE: Shape = object({
  required: {
    formatVersion: oneOf(PLAN_FORMAT_VERSION),
    planHash: hexSha256,
    environment: refined(string, (value: string) =>
      value === '' ? 'expected an environment name, found an empty string' : undefined,
    ),
    createdAt: dateTime,
    desiredDigest: string,
    desiredFiles: arrayOf(string),
    sources: object({ optional: { kubernetes: string, s3: string } }),
    capabilities: arrayOf(
      object({ required: { capability: oneOf('encryption', 'velero.io/v1'), supported: boolean, detail: string } }),
    ),
    changes: arrayOf(change),
    steps: arrayOf(step),
    summary: object({
      required: {
        create: count,
        update: count,
        replace: count,
        delete: count,
        adopt: count,
        blocked: count,
        noOp: count,
        risks: count,
      },
    }),
  },
  optional: {
    planSignature: hexSha256,
    observedInMs: integer(0),
    forceConflicts: oneOf(false),
    acceptedUnsupported: arrayOf(oneOf('encryption')),
  },
});

interface CoherentParts {
  changes: readonly { address: ResourceAddress; action: string }[];
  steps: readonly { index: number; address: ResourceAddress; action: string; dependsOn: number[] }[];
}

/**
 * What the shape cannot say: each change once, steps numbered in order, each step carrying out a change of the plan
 * with the same action, and waiting only on other steps of the plan, never in a circle. The applier relies on all of
 * it. Iterative, since a file may hold any number of steps. The first problem, or undefined.
 */
export function planCoherenceProblem({ changes, steps }: CoherentParts): { path: string; message: string } | undefined {
  const actions = new Map<string, string>();
  for (const [position, change] of changes.entries()) {
    const key = addressKey(change.address);
    if (actions.has(key))
      return {
        path: `changes[${position}]`,
        message: `${clip(key, 200)} has a second change; a plan has one per resource`,
      };
    actions.set(key, change.action);
  }
  for (const [position, step] of steps.entries()) {
    const where = `steps[${position}]`;
    if (step.index !== position + 1)
      return {
        path: `${where}.index`,
        message: `expected ${position + 1} (steps are numbered in order from 1), found ${step.index}`,
      };
    const key = addressKey(step.address);
    if (actions.get(key) !== step.action)
      return { path: where, message: `${step.action} ${clip(key, 200)} is not a change of the plan` };
    const unknown = step.dependsOn.find((index) => index === step.index || index > steps.length);
    if (unknown !== undefined)
      return {
        path: `${where}.dependsOn`,
        message: `step ${unknown} is ${unknown === step.index ? 'the step itself' : 'not in the plan'}`,
      };
  }
  // Kahn's algorithm: whatever never becomes ready waits, through others, on itself.
  const waiting = steps.map((step) => new Set(step.dependsOn).size);
  const dependents = new Map<number, number[]>();
  for (const step of steps)
    for (const index of new Set(step.dependsOn)) dependents.set(index, [...(dependents.get(index) ?? []), step.index]);
  const ready = steps.filter((_, position) => waiting[position] === 0).map((step) => step.index);
  let finished = 0;
  while (ready.length > 0) {
    const index = ready.pop() as number;
    finished += 1;
    for (const dependent of dependents.get(index) ?? []) {
      waiting[dependent - 1] = (waiting[dependent - 1] ?? 0) - 1;
      if (waiting[dependent - 1] === 0) ready.push(dependent);
    }
  }
  if (finished < steps.length) {
    const stuck = waiting.findIndex((count) => count > 0);
    return { path: `steps[${stuck}].dependsOn`, message: 'the steps wait on each other in a circle' };
  }
  return undefined;
}
