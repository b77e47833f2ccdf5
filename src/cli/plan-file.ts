/** Where `strata plan` and `strata apply <env>` save a plan, so a failed apply can be resumed from the file. */
import { relative, resolve } from 'node:path';
import type { Plan } from '../model/plan.js';
import { planHash, serializePlanFile } from '../plan/index.js';
import { writeFileAtomic } from './files.js';

export interface SavedPlanFile {
  /** As the user should type it: relative to the working directory. */
  path: string;
  planHash: string;
}

/** Signed when there is a plan key (`planKeyFrom`). */
export async function savePlanFile(plan: Plan, cwd: string, options: { out?: string; key?: string } = {}): Promise<SavedPlanFile> {
  const target = resolve(cwd, options.out ?? `plans/${plan.environment}.plan.json`);
  await writeFileAtomic(target, serializePlanFile(plan, options.key));
  return { path: relative(cwd, target) || target, planHash: planHash(plan) };
}
