/**
 * An exclusive lock between processes appending to the same log: a `<log>.lock` file created with O_EXCL. A lock
 * file older than `staleMs` was left by a process that died mid-append and is removed.
 */
import { open, rm, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { AuditError } from '../../errors/audit-error.js';

export const STALE_LOCK_MS = 30_000;

export async function withFileLock<T>(lockPath: string, work: () => Promise<T>, staleMs = STALE_LOCK_MS): Promise<T> {
  // Waiting a little past staleness lets a waiter outlive a lock whose owner died.
  const deadline = Date.now() + staleMs + 5_000;
  for (;;) {
    try {
      const handle = await open(lockPath, 'wx');
      await handle.writeFile(`${process.pid} ${new Date().toISOString()}\n`);
      await handle.close();
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const age = await ageOf(lockPath);
    if (age === undefined) continue;
    if (age > staleMs) {
      await rm(lockPath, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new AuditError(lockPath, `another process has held this lock for ${Math.round(age / 1000)} s`, {
        hint: 'another strata is writing the same audit log; if none is running, delete the lock file',
      });
    }
    await sleep(5 + Math.random() * 20);
  }
  try {
    return await work();
  } finally {
    await rm(lockPath, { force: true });
  }
}

/** Milliseconds since the lock file was written, or undefined when it is already gone. */
async function ageOf(lockPath: string): Promise<number | undefined> {
  try {
    return Date.now() - (await stat(lockPath)).mtimeMs;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}
