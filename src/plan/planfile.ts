/**
 * The saved plan: the plan's JSON with keys in a stable (sorted) order plus `planHash`, the sha256 of the plan's
 * canonical JSON, so an edited file is refused before anything is applied from it. Anyone can recompute a hash after
 * an edit, so with a key (`STRATA_PLAN_KEY`) the file also carries `planSignature`, an HMAC-SHA256 of the same bytes
 * that only a holder of the key can make.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { UserError } from '../errors/user-error.js';
import { clip } from '../model/clip.js';
import { readJsonText } from '../model/json-text.js';
import { PLAN_FORMAT_VERSION, type Plan, type SavedPlan } from '../model/plan.js';
import { canonicalJson, canonicalize, isPlainObject } from '../model/canonical.js';
import { planCoherenceProblem, PLAN_FILE_SHAPE } from './planfile-shape.js';

const REPLAN = 'run strata plan again';
const HEX_SHA256 = /^[0-9a-f]{64}$/;

export function planHash(plan: Plan): string {
  return createHash('sha256').update(canonicalJson(plan)).digest('hex');
}

export function planSignature(plan: Plan, key: string): string {
  return createHmac('sha256', key).update(canonicalJson(plan)).digest('hex');
}

/** Signed when a key is given. */
export function serializePlanFile(plan: Plan, key?: string): string {
  const signature = key === undefined ? {} : { planSignature: planSignature(plan, key) };
  return `${JSON.stringify(canonicalize({ ...plan, planHash: planHash(plan), ...signature }), null, 2)}\n`;
}

/** A plan of thousands of changes is a few megabytes; a file this large is not one strata wrote, and is not read. */
export const MAX_PLAN_FILE_BYTES = 64 * 1024 * 1024;

/** The plan in a saved file, refused as a UserError naming the file when it is not one strata wrote or was edited. */
export function parsePlanFile(text: string, source: string): SavedPlan {
  const notAPlan = (problem: string) =>
    new UserError(`${source} is not a strata plan file: ${problem}`, { hint: `${REPLAN} and save it with --out` });
  if (text.length > MAX_PLAN_FILE_BYTES) throw notAPlan(`it is larger than ${MAX_PLAN_FILE_BYTES / 1024 / 1024} MiB`);
  const read = readJsonText(text);
  if (!read.ok) throw notAPlan(`line ${read.line}, column ${read.column}: ${read.message}`);
  const data = read.value;
  if (!isPlainObject(data) || typeof data.formatVersion !== 'number') throw notAPlan('it has no formatVersion');
  if (data.formatVersion > PLAN_FORMAT_VERSION) {
    throw new UserError(
      `${source}: plan file format ${clip(String(data.formatVersion))} is newer than this strata understands; upgrade strata`,
      {
        hint: 'or make the plan again with this strata: strata plan <environment>',
      },
    );
  }
  if (data.formatVersion !== PLAN_FORMAT_VERSION) {
    throw new UserError(
      `${source} has plan file format ${clip(String(data.formatVersion))}, which this strata does not read; ${REPLAN}`,
      {
        hint: 'strata plan <environment> writes the current format',
      },
    );
  }
  const shapeProblem = PLAN_FILE_SHAPE(data, '');
  if (shapeProblem) throw edited(source, shapeProblem.path, shapeProblem.message);
  const {
    planHash: recorded,
    planSignature: signature,
    ...plan
  } = data as unknown as Plan & { planHash: string; planSignature?: string };
  const coherenceProblem = planCoherenceProblem(plan);
  if (coherenceProblem) throw edited(source, coherenceProblem.path, coherenceProblem.message);
  if (planHash(plan) !== recorded) {
    throw new UserError(`${source} was edited after it was saved (hash mismatch); ${REPLAN}`, {
      hint: `strata plan ${clip(plan.environment)} writes a new one; change the environment file, never the plan`,
    });
  }
  return { plan, planHash: recorded, ...(signature === undefined ? {} : { planSignature: signature }) };
}

function edited(source: string, path: string, message: string): UserError {
  return new UserError(`${source} is not a plan strata wrote: ${path === '' ? '' : `${path}: `}${message}; ${REPLAN}`, {
    hint: 'strata plan <environment> writes a new one; change the environment file, never the plan',
  });
}

/** `unchecked`: signed, but there is no key here to check it with. */
export type SignatureStatus = 'valid' | 'invalid' | 'unsigned' | 'unchecked';

export function signatureStatus(saved: SavedPlan, key: string | undefined): SignatureStatus {
  if (saved.planSignature === undefined) return 'unsigned';
  if (key === undefined) return 'unchecked';
  const given = saved.planSignature;
  const expected = Buffer.from(planSignature(saved.plan, key), 'hex');
  return HEX_SHA256.test(given) && timingSafeEqual(Buffer.from(given, 'hex'), expected) ? 'valid' : 'invalid';
}

/**
 * What apply requires. With a key, only a plan signed with it: a plan edited and re-hashed, or made where the key was
 * missing, is refused. Without a key, a signed plan is refused too: it says the pipeline meant it to be checked, and
 * an apply job that lost its key must not quietly stop checking.
 */
export function checkPlanSignature(saved: SavedPlan, key: string | undefined, source: string): void {
  const replan = `strata plan ${saved.plan.environment}`;
  switch (signatureStatus(saved, key)) {
    case 'valid':
      return;
    case 'unsigned':
      if (key === undefined) return;
      throw new UserError(
        `${source} is not signed, and STRATA_PLAN_KEY is set here: strata applies only plans signed with that key`,
        {
          hint: `make the plan again in a job that has STRATA_PLAN_KEY (${replan} signs it), and apply that file`,
        },
      );
    case 'invalid':
      throw new UserError(
        `${source} has a signature that does not match STRATA_PLAN_KEY: it was changed after it was signed, or signed with another key`,
        {
          hint: `make the plan again (${replan}) in the job that has the key; the plan and apply jobs must use the same STRATA_PLAN_KEY`,
        },
      );
    case 'unchecked':
      throw new UserError(
        `${source} is signed, but STRATA_PLAN_KEY is not set here, so its signature cannot be checked`,
        {
          hint: 'set STRATA_PLAN_KEY to the key the plan was signed with (the same CI secret in the plan and apply jobs)',
        },
      );
  }
}
