/**
 * The hash chain: how an event is sealed onto the one before it, and how a run of lines is checked so that an
 * edited, removed or reordered line is named by its line number.
 */
import { createHash } from 'node:crypto';
import type { AuditEvent, AuditEventType, AuditRecord } from '../../model/audit.js';
import { canonicalJson } from '../../plan/canonical.js';

/** `previousHash` of the first event. */
export const GENESIS_HASH = '0'.repeat(64);

export interface AuditProblem {
  /** 1-based line in the file. */
  line: number;
  /** What is wrong, without the line number (`event was edited (hash does not match its content)`). */
  message: string;
}

/** Where a scan stopped, so the next scan can continue the chain from there. */
export interface ChainState {
  /** Complete lines read so far. */
  lines: number;
  /** The last event that extended the chain, and its line. */
  last?: { event: AuditEvent; line: number };
}

export interface ChainScan {
  events: AuditEvent[];
  problems: AuditProblem[];
  end: ChainState;
}

export function hashOf(event: Omit<AuditEvent, 'hash'>): string {
  return createHash('sha256').update(canonicalJson(event)).digest('hex');
}

/** Turns a record into the next event of the chain. */
export function sealEvent(record: AuditRecord, previous: AuditEvent | undefined): AuditEvent {
  // A stray seq/hash on the record must never override the chain's own.
  const { seq: _seq, previousHash: _previousHash, hash: _hash, ...fields } = record as Partial<AuditEvent>;
  const unsealed = { ...(fields as AuditRecord), seq: (previous?.seq ?? 0) + 1, previousHash: previous?.hash ?? GENESIS_HASH };
  return { ...unsealed, hash: hashOf(unsealed) };
}

export function formatProblem(problem: AuditProblem): string {
  return `line ${problem.line}: ${problem.message}`;
}

/**
 * Checks lines of a log. `text` starts at a line boundary; `from` is the chain state before it (an empty file when
 * omitted). Every problem is reported; the chain continues from each event so one tampered line is named once.
 */
export function scanChain(text: string, from: ChainState = { lines: 0 }): ChainScan {
  const problems: AuditProblem[] = [];
  const events: AuditEvent[] = [];
  const lines = text.split('\n');
  // Every event ends with a newline, so the final piece is empty unless a write was cut off.
  const partial = lines.pop();
  const parsed = lines.map((line, index) => parseLine(line, from.lines + index + 1));
  const seqsPresent = new Set(parsed.flatMap((entry) => ('event' in entry ? [entry.event.seq] : [])));

  let last = from.last;
  // An unreadable line stands for one event: the next readable one may skip its seq without a second report.
  let unreadable = 0;
  for (const entry of parsed) {
    if ('problem' in entry) {
      problems.push(entry.problem);
      unreadable += 1;
      continue;
    }
    const { event, line } = entry;
    const lastSeq = last?.event.seq ?? 0;
    const expected = lastSeq + 1 + unreadable;
    const edited = hashOf(withoutHash(event)) !== event.hash;
    if (edited) problems.push({ line, message: 'event was edited (hash does not match its content)' });

    if (event.seq <= lastSeq) {
      problems.push({ line, message: `event is out of order (seq ${event.seq} comes after seq ${lastSeq})` });
      events.push(event);
      continue;
    }
    if (event.seq > expected) {
      const skippedIsElsewhere = [...seqsPresent].some((seq) => seq >= expected && seq < event.seq);
      problems.push({
        line,
        message: skippedIsElsewhere
          ? `event is out of order (expected seq ${expected}, found ${event.seq})`
          : `an event is missing before this one (expected seq ${expected}, found ${event.seq})`,
      });
    } else if (!edited && unreadable === 0 && event.previousHash !== (last?.event.hash ?? GENESIS_HASH)) {
      problems.push({
        line,
        message: last
          ? `the event before it was changed or replaced (previousHash does not match line ${last.line})`
          : 'the first event does not start a chain (previousHash is not all zeros)',
      });
    }
    last = { event, line };
    unreadable = 0;
    events.push(event);
  }

  if (partial !== undefined && partial !== '') {
    problems.push({
      line: from.lines + lines.length + 1,
      message: 'the last line is incomplete (a write was cut off, probably by a crash)',
    });
  }
  return { events, problems, end: { lines: from.lines + lines.length, ...(last ? { last } : {}) } };
}

type ParsedLine = { event: AuditEvent; line: number } | { problem: AuditProblem };

function parseLine(text: string, line: number): ParsedLine {
  if (text.trim() === '') return { problem: { line, message: 'empty line (an event was removed or blanked)' } };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: { line, message: `not valid JSON (${(error as Error).message})` } };
  }
  const shapeProblem = describeShapeProblem(value);
  if (shapeProblem) return { problem: { line, message: `not an audit event: ${shapeProblem}` } };
  return { event: value as AuditEvent, line };
}

const EVENT_TYPES: Record<AuditEventType, true> = {
  'run-started': true,
  'step-started': true,
  'step-succeeded': true,
  'step-failed': true,
  'step-skipped': true,
  'run-finished': true,
  'lock-broken': true,
  'promotion-forced': true,
};

const HASH = /^[0-9a-f]{64}$/;

/** What makes a value not an AuditEvent, or undefined when it is one. */
export function describeShapeProblem(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'not a JSON object';
  const event = value as Record<string, unknown>;
  if (!Number.isInteger(event.seq) || (event.seq as number) < 1) return 'seq must be a whole number from 1';
  if (typeof event.hash !== 'string' || !HASH.test(event.hash)) return 'hash must be 64 hex digits';
  if (typeof event.previousHash !== 'string' || !HASH.test(event.previousHash)) return 'previousHash must be 64 hex digits';
  if (typeof event.type !== 'string' || !Object.hasOwn(EVENT_TYPES, event.type)) return `unknown type ${JSON.stringify(event.type)}`;
  if (typeof event.time !== 'string' || Number.isNaN(Date.parse(event.time))) return 'time must be an ISO 8601 date';
  if (typeof event.environment !== 'string') return 'environment must be a string';
  const actor = event.actor as Record<string, unknown> | undefined;
  if (typeof actor !== 'object' || actor === null || typeof actor.user !== 'string' || typeof actor.host !== 'string') {
    return 'actor must have user and host';
  }
  if (event.step !== undefined && !Number.isInteger(event.step)) return 'step must be a whole number';
  return undefined;
}

function withoutHash(event: AuditEvent): Omit<AuditEvent, 'hash'> {
  const { hash: _hash, ...rest } = event;
  return rest;
}
