/**
 * Appending to the audit log. Events are complete lines written by a single O_APPEND write and fsynced before their
 * append resolves, so a crash leaves whole lines and at most one cut-off last line, which reading reports. Appends are
 * serialised in the process and between processes (a lock file), and each write continues the chain from whatever the
 * file holds at that moment. The events asked for while a write is on its way go together in the next one (a group
 * commit, as databases do): an apply's steps at once share one lock, one write and one fsync instead of one each. With
 * a key, events are keyed; without one, a keyed log is refused, so a job that lost its key cannot quietly stop keying.
 */
import { mkdir, open, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { AuditEvent, AuditRecord } from '../../model/audit.js';
import { AuditError } from '../../errors/audit-error.js';
import { scanChain, sealEvent, describeShapeProblem, type ChainState } from './chain.js';
import { withFileLock } from './file-lock.js';
import { throwIfBroken, type AuditReadOptions } from './read.js';

export interface AuditLog {
  readonly path: string;
  /** Seals the record onto the chain and writes it; resolves once it is on disk. */
  append(record: AuditRecord): Promise<AuditEvent>;
}

/** Opens (and creates the directory of) a log; refuses one whose chain is broken, or that is keyed and `key` is not given. */
export async function openAuditLog(path: string, options: AuditReadOptions = {}): Promise<AuditLog> {
  const { key } = options;
  await mkdir(dirname(path), { recursive: true });
  // What this process has already checked: the file up to `size` bytes, ending in `state`.
  let known: { size: number; state: ChainState } = { size: 0, state: { lines: 0 } };
  known = await catchUp(path, known, key);

  let waiting: Waiting[] = [];
  let writing = false;

  /** Writes what is waiting, batch after batch, until nothing is. */
  async function drain(): Promise<void> {
    writing = true;
    while (waiting.length > 0) {
      const batch = waiting;
      waiting = [];
      try {
        const written = await withFileLock(`${path}.lock`, async () => {
          known = await catchUp(path, known, key);
          const sealed: { event: AuditEvent; waiter: Waiting }[] = [];
          let previous = known.state.last?.event;
          for (const waiter of batch) {
            const event = sealEvent(waiter.record, previous, key);
            const shapeProblem = describeShapeProblem(event);
            if (shapeProblem) {
              waiter.reject(new Error(`audit record is malformed: ${shapeProblem}`));
              continue;
            }
            sealed.push({ event, waiter });
            previous = event;
          }
          if (sealed.length === 0) return sealed;
          const bytes = await writeLines(path, sealed.map(({ event }) => `${JSON.stringify(event)}\n`).join(''));
          const lines = known.state.lines + sealed.length;
          known = { size: known.size + bytes, state: { lines, last: { event: previous!, line: lines } } };
          return sealed;
        });
        for (const { event, waiter } of written) waiter.resolve(event);
      } catch (error) {
        // A waiter already answered (a malformed record) ignores this.
        for (const waiter of batch) waiter.reject(error);
      }
    }
    writing = false;
  }

  const append = (record: AuditRecord): Promise<AuditEvent> =>
    new Promise((resolve, reject) => {
      waiting.push({ record, resolve, reject });
      if (!writing) void drain();
    });
  return { path, append };
}

interface Waiting {
  record: AuditRecord;
  resolve(event: AuditEvent): void;
  reject(error: unknown): void;
}

/** Reads and checks what other processes appended since `known`; refuses to go on without the key of a keyed log. */
async function catchUp(
  path: string,
  known: { size: number; state: ChainState },
  key: string | undefined,
): Promise<{ size: number; state: ChainState }> {
  const size = await sizeOf(path);
  if (size === known.size) return known;
  if (size < known.size) {
    throw new AuditError(
      path,
      `the log shrank from ${known.size} to ${size} bytes while strata was using it: events were removed`,
      {
        hint: `run \`strata audit verify ${path}\` and restore the log from version control or a backup`,
      },
    );
  }
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(size - known.size);
    await handle.read(buffer, 0, buffer.length, known.size);
    const scan = scanChain(buffer.toString('utf8'), known.state, key);
    throwIfBroken(path, scan.problems);
    if (key === undefined && scan.end.last?.event.keyed) {
      throw new AuditError(
        path,
        'the log is keyed (its events are sealed with STRATA_AUDIT_KEY), and STRATA_AUDIT_KEY is not set here',
        {
          hint: 'set STRATA_AUDIT_KEY to the key the log is written with (the same CI secret in every job that writes it); strata never adds an unkeyed event to a keyed log',
        },
      );
    }
    return { size, state: scan.end };
  } finally {
    await handle.close();
  }
}

async function writeLines(path: string, lines: string): Promise<number> {
  const data = Buffer.from(lines, 'utf8');
  const handle = await open(path, 'a');
  try {
    const { bytesWritten } = await handle.write(data, 0, data.length);
    if (bytesWritten !== data.length) {
      throw new AuditError(
        path,
        `only ${bytesWritten} of ${data.length} bytes of events were written (is the disk full?)`,
      );
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
