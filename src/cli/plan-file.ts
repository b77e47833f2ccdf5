/** Where `strata plan` and `strata apply <env>` save a plan, so a failed apply can be resumed from the file; and reading one back. */
import { readFile, stat } from 'node:fs/promises';
import { relative, resolve } from 'node:path';
import { UserError } from '../errors/user-error.js';
import type { Plan } from '../model/plan.js';
import { MAX_PLAN_FILE_BYTES, planHash, serializePlanFile } from '../plan/index.js';
import { writeFileAtomic } from './files.js';

export interface SavedPlanFile {
  /** As the user should type it: relative to the working directory. */
  path: string;
  planHash: string;
}

/** Signed when there is a plan key (`planKeyFrom`). */
export async function savePlanFile(
  plan: Plan,
  cwd: string,
  options: { out?: string; key?: string } = {},
): Promise<SavedPlanFile> {
  const { absolute, shown } = planFilePath(plan.environment, cwd, options.out);
  await writeFileAtomic(absolute, serializePlanFile(plan, options.key), shown);
  return { path: shown, planHash: planHash(plan) };
}

/** `--out`, or `plans/<environment>.plan.json`; `shown` as the user should type it. */
export function planFilePath(environment: string, cwd: string, out?: string): { absolute: string; shown: string } {
  const absolute = resolve(cwd, out ?? `plans/${environment}.plan.json`);
  return { absolute, shown: relative(cwd, absolute) || absolute };
}

const MAKE_ONE = 'make one with: strata plan <environment>';

/** The text of a saved plan; a file too large to be one, or not a regular file, is refused before it is read. */
export async function readPlanText(path: string, shown: string): Promise<string> {
  const cannotRead = (why: string) => new UserError(`cannot read plan ${shown}: ${why}`, { hint: MAKE_ONE });
  let bytes: Buffer;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw cannotRead('it is a directory');
    if (!info.isFile()) throw cannotRead('it is not a regular file');
    if (info.size > MAX_PLAN_FILE_BYTES)
      throw cannotRead(`it is larger than ${MAX_PLAN_FILE_BYTES / 1024 / 1024} MiB, so it is not a plan file`);
    bytes = await readFile(path);
  } catch (error) {
    if (error instanceof UserError) throw error;
    const code = (error as NodeJS.ErrnoException | undefined)?.code;
    throw cannotRead(
      code === 'ENOENT'
        ? 'no such file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : String(code ?? error),
    );
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw cannotRead('it is not UTF-8 text, so it is not a plan file');
  }
}
