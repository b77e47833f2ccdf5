/** Reading a whole audit log: verified (for `strata audit verify`), strict (for resume) or lenient (for showing). */
import { readFile } from 'node:fs/promises';
import type { AuditEvent } from '../../model/audit.js';
import { AuditError } from '../../errors/audit-error.js';
import { formatProblem, scanChain, type AuditProblem, type ChainScan } from './chain.js';

export interface AuditVerification {
  ok: boolean;
  events: number;
  problems: AuditProblem[];
}

/** Every event that parses and every problem, or undefined when there is no log yet. */
export async function scanAuditLog(path: string): Promise<ChainScan | undefined> {
  const text = await readText(path);
  return text === undefined ? undefined : scanChain(text);
}

/** Checks the chain; a missing file is an empty, intact log. */
export async function verifyAuditLog(path: string): Promise<AuditVerification> {
  const scan = await scanAuditLog(path);
  if (!scan) return { ok: true, events: 0, problems: [] };
  return { ok: scan.problems.length === 0, events: scan.events.length, problems: scan.problems };
}

/** The events of an intact log (none when there is no log); a broken chain is an AuditError, never trusted. */
export async function readAuditLog(path: string): Promise<AuditEvent[]> {
  const scan = await scanAuditLog(path);
  if (!scan) return [];
  throwIfBroken(path, scan.problems);
  return scan.events;
}

export function throwIfBroken(path: string, problems: AuditProblem[]): void {
  const [first, ...more] = problems;
  if (!first) return;
  const others = more.length > 0 ? ` (and ${more.length} more: ${more.map(formatProblem).join('; ')})` : '';
  throw new AuditError(path, `${first.message}${others}`, {
    line: first.line,
    hint: first.message.startsWith('the last line is incomplete')
      ? 'an earlier run was cut off while writing: check that line, remove it, and run `strata audit verify` before applying again'
      : `the audit log has been altered, so strata will not extend or trust it; run \`strata audit verify ${path}\`, then restore the log from version control or a backup`,
  });
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AuditError(path, `cannot read the audit log: ${(error as Error).message}`, { cause: error });
  }
}
