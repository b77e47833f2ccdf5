/** Reading a whole audit log: verified (for `strata audit verify`), strict (for resume) or lenient (for showing). */
import { readFile } from 'node:fs/promises';
import type { AuditEvent } from '../../model/audit.js';
import { AuditError } from '../../errors/audit-error.js';
import { formatProblem, KEY_MISMATCH, scanChain, type AuditProblem, type ChainScan, type Keying } from './chain.js';
import { findRunProblems, type UnfinishedRun } from './runs.js';

/** `key`: STRATA_AUDIT_KEY, to check keyed events with; without it only their order is checked. */
export interface AuditReadOptions {
  key?: string | undefined;
}

export interface AuditVerification {
  /** No problems: the chain is intact and every run event lies within its run. Unfinished runs do not count. */
  ok: boolean;
  events: number;
  /** By line: broken links, and, in an intact chain, events outside the run they name. */
  problems: AuditProblem[];
  keying: Keying;
  /** Runs that started and never finished: killed, or still running. */
  unfinished: UnfinishedRun[];
}

/** Every event that parses and every problem, or undefined when there is no log yet. */
export async function scanAuditLog(path: string, options: AuditReadOptions = {}): Promise<ChainScan | undefined> {
  const text = await readText(path);
  return text === undefined ? undefined : scanChain(text, undefined, options.key);
}

/** Checks the chain and the runs in it; a missing file is an empty, intact log. */
export async function verifyAuditLog(path: string, options: AuditReadOptions = {}): Promise<AuditVerification> {
  const scan = (await scanAuditLog(path, options)) ?? scanChain('', undefined, options.key);
  const runs = findRunProblems(scan.events, scan.lines);
  // A broken chain already explains events that seem to be outside their run (a removed run-started, say).
  const problems = scan.problems.length > 0 ? scan.problems : runs.strays;
  return {
    ok: problems.length === 0,
    events: scan.events.length,
    problems,
    keying: scan.keying,
    unfinished: runs.unfinished,
  };
}

/** The events of an intact log (none when there is no log); a broken chain is an AuditError, never trusted. */
export async function readAuditLog(path: string, options: AuditReadOptions = {}): Promise<AuditEvent[]> {
  return (await readCheckedAuditLog(path, options)).events;
}

/** As readAuditLog, with how the events were sealed: what a reader can say about who wrote them. */
export async function readCheckedAuditLog(
  path: string,
  options: AuditReadOptions = {},
): Promise<{ events: AuditEvent[]; keying: Keying }> {
  const scan = (await scanAuditLog(path, options)) ?? scanChain('', undefined, options.key);
  throwIfBroken(path, scan.problems);
  return { events: scan.events, keying: scan.keying };
}

export function throwIfBroken(path: string, problems: AuditProblem[]): void {
  const [first, ...more] = problems;
  if (!first) return;
  const others = more.length > 0 ? ` (and ${more.length} more: ${more.map(formatProblem).join('; ')})` : '';
  throw new AuditError(path, `${first.message}${others}`, { line: first.line, hint: hintFor(path, first.message) });
}

function hintFor(path: string, message: string): string {
  const restore = `run \`strata audit verify ${path}\`, then restore the log from version control or a backup`;
  if (message.startsWith('the last line is incomplete')) {
    return 'an earlier run was cut off while writing: check that line, remove it, and run `strata audit verify` before applying again';
  }
  if (message === KEY_MISMATCH)
    return `check that STRATA_AUDIT_KEY is the key this log is written with; if it is, the log was altered: ${restore}`;
  return `the audit log has been altered, so strata will not extend or trust it; ${restore}`;
}

async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AuditError(path, `cannot read the audit log: ${(error as Error).message}`, { cause: error });
  }
}
