/**
 * Appending to the audit log. Each event is one complete line written by a single O_APPEND write and fsynced, so a
 * crash leaves either the whole line or none of it. Appends are serialised in the process (a queue) and between
 * processes (a lock file), and each continues the chain from whatever the file holds at that moment.
 */
import { mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditEvent, AuditRecord } from '../../model/audit.js';
import { AuditError } from '../../errors/audit-error.js';
import { scanChain, sealEvent, describeShapeProblem, type ChainState } from './chain.js';
import { withFileLock } from './file-lock.js';
import { throwIfBroken } from './read.js';

export interface AuditLog {
  readonly path: string;
  /** Seals the record onto the chain and writes it; resolves once it is on disk. */
  append(record: AuditRecord): Promise<AuditEvent>;
}

/** Opens (and creates the directory of) a log; refuses one whose chain is broken. */
export async function openAuditLog(path: string): Promise<AuditLog> {
  await mkdir(dirname(path), { recursive: true });
  // What this process has already checked: the file up to `size` bytes, ending in `state`.
  let known: { size: number; state: ChainState } = { size: 0, state: { lines: 0 } };
  known = await catchUp(path, known);

  let queue: Promise<unknown> = Promise.resolve();
  const append = (record: AuditRecord): Promise<AuditEvent> => {
    const appended = queue.then(() =>
      withFileLock(`${path}.lock`, async () => {
        known = await catchUp(path, known);
        const event = sealEvent(record, known.state.last?.event);
        const shapeProblem = describeShapeProblem(event);
        if (shapeProblem) throw new Error(`audit record is malformed: ${shapeProblem}`);
        const bytes = await writeLine(path, `${JSON.stringify(event)}\n`);
        known = {
          size: known.size + bytes,
          state: { lines: known.state.lines + 1, last: { event, line: known.state.lines + 1 } },
        };
        return event;
      }),
    );
    queue = appended.catch(() => undefined);
    return appended;
  };
  return { path, append };
}

/** Reads and checks what other processes appended since `known`. */
async function catchUp(path: string, known: { size: number; state: ChainState }): Promise<{ size: number; state: ChainState }> {
  const size = await sizeOf(path);
  if (size === known.size) return known;
  if (size < known.size) {
    throw new AuditError(path, `the log shrank from ${known.size} to ${size} bytes while strata was using it: events were removed`, {
      hint: `run \`strata audit verify ${path}\` and restore the log from version control or a backup`,
    });
  }
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(size - known.size);
    await handle.read(buffer, 0, buffer.length, known.size);
    const scan = scanChain(buffer.toString('utf8'), known.state);
    throwIfBroken(path, scan.problems);
    return { size, state: scan.end };
  } finally {
    await handle.close();
  }
}

async function writeLine(path: string, line: string): Promise<number> {
  const data = Buffer.from(line, 'utf8');
  const handle = await open(path, 'a');
  try {
    const { bytesWritten } = await handle.write(data, 0, data.length);
    if (bytesWritten !== data.length) {
      throw new AuditError(path, `only ${bytesWritten} of ${data.length} bytes of an event were written (is the disk full?)`);
    }
    await handle.sync();
    return data.length;
  } finally {
    await handle.close();
  }
}

async function sizeOf(path: string): Promise<number> {
  try {
    return (await stat(path)).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}
