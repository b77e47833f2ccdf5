/**
 * The saved plan: the plan's JSON with keys in a stable (sorted) order plus `planHash`, the sha256 of the plan's
 * canonical JSON, so an edited file is refused before anything is applied from it.
 */
import { createHash } from 'node:crypto';
import { UserError } from '../errors/user-error.js';
import { PLAN_FORMAT_VERSION, type Plan, type SavedPlan } from '../model/plan.js';
import { canonicalJson, canonicalize, isPlainObject } from './canonical.js';

const REPLAN = 'run strata plan again';

export function planHash(plan: Plan): string {
  return createHash('sha256').update(canonicalJson(plan)).digest('hex');
}

export function serializePlanFile(plan: Plan): string {
  return `${JSON.stringify(canonicalize({ ...plan, planHash: planHash(plan) }), null, 2)}\n`;
}

export function parsePlanFile(text: string, source: string): SavedPlan {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${source} is not a plan file: ${(error as Error).message}`, { hint: `${REPLAN} and save it with --out` });
  }
  if (!isPlainObject(data) || typeof data.formatVersion !== 'number') {
    throw new UserError(`${source} is not a strata plan file (no formatVersion)`, { hint: `${REPLAN} and save it with --out` });
  }
  if (data.formatVersion > PLAN_FORMAT_VERSION) {
    throw new UserError(`plan file format ${data.formatVersion} is newer than this strata understands; upgrade strata`);
  }
  if (data.formatVersion !== PLAN_FORMAT_VERSION) {
    throw new UserError(`${source} has plan file format ${data.formatVersion}, which this strata no longer reads; ${REPLAN}`);
  }
  const { planHash: recorded, ...plan } = data;
  if (typeof recorded !== 'string' || !Array.isArray(plan.changes) || !Array.isArray(plan.steps) || typeof plan.environment !== 'string') {
    throw new UserError(`${source} is not a complete strata plan file (planHash, environment, changes or steps missing); ${REPLAN}`);
  }
  if (planHash(plan as unknown as Plan) !== recorded) {
    throw new UserError(`${source} was edited after it was saved (hash mismatch); ${REPLAN}`);
  }
  return { plan: plan as unknown as Plan, planHash: recorded };
}
