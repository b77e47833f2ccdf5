/**
 * Files as the commands share them: writes that never leave a half-written file behind (write beside, then rename
 * over), and paths as people read them.
 */
import { readFileSync, statSync } from 'node:fs';
import { mkdir, rename, writeFile, rm } from 'node:fs/promises';
import { dirname, isAbsolute, join, basename, relative } from 'node:path';
import { MAX_FILE_BYTES } from '../config/index.js';
import { UserError } from '../errors/user-error.js';

/** Relative to the working directory when inside it, as people type it; absolute otherwise. */
export function shownPath(cwd: string, path: string): string {
  const fromCwd = relative(cwd, path);
  return fromCwd.startsWith('..') || isAbsolute(fromCwd) ? path : fromCwd;
}

/** An environment file's text for the excerpts under diagnostics; files too large to be one are not read again. */
export function readExcerptSource(file: string): string | undefined {
  try {
    return statSync(file).size <= MAX_FILE_BYTES ? readFileSync(file, 'utf8') : undefined;
  } catch {
    return undefined;
  }
}

/** Creates missing directories. A write the system refuses is a UserError naming `shown` (the path as the user gave it). */
export async function writeFileAtomic(path: string, text: string, shown = path): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(temporary, text, { flush: true });
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    throw writeRefusal(error, shown);
  }
}

/** What the system refused, for people: `cannot write plans/x.json: permission denied`. Anything else is rethrown as is. */
function writeRefusal(error: unknown, shown: string): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (typeof code !== 'string') return error;
  const problem = WRITE_PROBLEMS[code] ?? {
    what: code,
    fix: 'check the path and the file system, then run the command again',
  };
  return new UserError(`cannot write ${shown}: ${problem.what}`, {
    hint: problem.fix.replace('<path>', shown),
    cause: error,
  });
}

const ELSEWHERE = 'or write it somewhere else';

/** By error code; `<path>` in a fix stands for the path written to. */
const WRITE_PROBLEMS: Record<string, { what: string; fix: string }> = {
  EACCES: { what: 'permission denied', fix: `make its directory writable (ls -ld; chmod u+w), ${ELSEWHERE}` },
  EPERM: { what: 'the operation is not permitted', fix: `check the directory's owner and mode (ls -ld), ${ELSEWHERE}` },
  EROFS: { what: 'the file system is read-only', fix: `write it to a writable file system` },
  EISDIR: { what: 'it is a directory', fix: 'name a file inside it: <path>/<file name>' },
  ENOTDIR: {
    what: 'a part of the path is a file, not a directory',
    fix: 'check the path: every part but the last must be a directory',
  },
  EEXIST: {
    what: 'a part of the path is a file, not a directory',
    fix: 'check the path: every part but the last must be a directory',
  },
  ENOENT: { what: 'its directory could not be created', fix: `check the path, ${ELSEWHERE}` },
  ENAMETOOLONG: { what: 'the name is too long', fix: 'choose a shorter path' },
  ENOSPC: {
    what: 'no space left on the device',
    fix: 'free some space and run the command again; nothing was written',
  },
  EDQUOT: { what: 'the disk quota is exceeded', fix: 'free some space and run the command again; nothing was written' },
};
