/**
 * The hash chain: how an event is sealed onto the one before it, and how a run of lines is checked so that an
 * edited, removed or reordered line is named by its line number. Anyone can recompute a sha256, so with a key each
 * link is an HMAC-SHA256 instead (the event says `keyed`), which only a holder of the key can make. A log may start
 * unkeyed (written before it had a key); once an event is keyed, every later one must be.
 */
import { createHash, createHmac } from 'node:crypto';
import type { AuditEvent, AuditEventType, AuditRecord } from '../../model/audit.js';
import { canonicalJson } from '../../model/canonical.js';

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

/** How the scanned events were sealed, and how many of the keyed ones could be checked. */
export interface Keying {
  /** Events sealed with a key (`keyed`). */
  keyed: number;
  /** Events sealed with a plain sha256. */
  unkeyed: number;
  /** A key was given, so keyed events were checked against it; without one only their order is. */
  checked: boolean;
  /** Keyed events whose link matches the key given. */
  matching: number;
}

export interface ChainScan {
  events: AuditEvent[];
  /** The line of each of `events`, in the same order. */
  lines: number[];
  problems: AuditProblem[];
  end: ChainState;
  keying: Keying;
}

export const KEY_MISMATCH =
  'event does not match STRATA_AUDIT_KEY (edited or forged after it was written, or written with another key)';

/** sha256 of the event's canonical JSON without `hash`; with a key, an HMAC-SHA256 of the same. */
export function hashOf(event: Omit<AuditEvent, 'hash'>, key?: string): string {
  const content = canonicalJson(event);
  return (key === undefined ? createHash('sha256') : createHmac('sha256', key)).update(content).digest('hex');
}

/** Turns a record into the next event of the chain, keyed when a key is given. */
export function sealEvent(record: AuditRecord, previous: AuditEvent | undefined, key?: string): AuditEvent {
  // A stray seq/hash/keyed on the record must never override the chain's own.
  const {
    seq: _seq,
    previousHash: _previousHash,
    hash: _hash,
    keyed: _keyed,
    ...fields
  } = record as Partial<AuditEvent>;
  const unsealed = {
    ...(fields as AuditRecord),
    ...(key === undefined ? {} : { keyed: true as const }),
    seq: (previous?.seq ?? 0) + 1,
    previousHash: previous?.hash ?? GENESIS_HASH,
  };
  return { ...unsealed, hash: hashOf(unsealed, key) };
}

export function formatProblem(problem: AuditProblem): string {
  return `line ${problem.line}: ${problem.message}`;
}

/**
 * Checks lines of a log. `text` starts at a line boundary; `from` is the chain state before it (an empty file when
 * omitted). Every problem is reported; the chain continues from each event so one tampered line is named once.
 * Keyed events are checked with `key`; without one, only their place in the chain is.
 */
export function scanChain(text: string, from: ChainState = { lines: 0 }, key?: string): ChainScan {
  const problems: AuditProblem[] = [];
  const events: AuditEvent[] = [];
  const eventLines: number[] = [];
  const keying: Keying = { keyed: 0, unkeyed: 0, checked: key !== undefined, matching: 0 };
  let keyedBefore = from.last?.event.keyed === true;
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
    const edited = !sealMatches(event, key);
    if (edited)
      problems.push({
        line,
        message: event.keyed ? KEY_MISMATCH : 'event was edited (hash does not match its content)',
      });
    if (event.keyed) {
      keying.keyed += 1;
      if (key !== undefined && !edited) keying.matching += 1;
    } else {
      keying.unkeyed += 1;
      if (keyedBefore) {
        problems.push({
          line,
          message: 'event is not keyed, but events before it are (added without STRATA_AUDIT_KEY, or forged)',
        });
      }
    }
    keyedBefore ||= event.keyed === true;
    events.push(event);
    eventLines.push(line);

    if (event.seq <= lastSeq) {
      problems.push({ line, message: `event is out of order (seq ${event.seq} comes after seq ${lastSeq})` });
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
  }

  if (partial !== undefined && partial !== '') {
    problems.push({
      line: from.lines + lines.length + 1,
      message: 'the last line is incomplete (a write was cut off, probably by a crash)',
    });
  }
  return {
    events,
    lines: eventLines,
    problems,
    end: { lines: from.lines + lines.length, ...(last ? { last } : {}) },
    keying,
  };
}

/** Whether the event's link is what its content seals to; a keyed event without a key cannot be told, so it passes. */
function sealMatches(event: AuditEvent, key: string | undefined): boolean {
  if (!event.keyed) return hashOf(withoutHash(event)) === event.hash;
  return key === undefined || hashOf(withoutHash(event), key) === event.hash;
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
  if (typeof event.previousHash !== 'string' || !HASH.test(event.previousHash))
    return 'previousHash must be 64 hex digits';
  if (typeof event.type !== 'string' || !Object.hasOwn(EVENT_TYPES, event.type))
    return `unknown type ${JSON.stringify(event.type)}`;
  if (typeof event.time !== 'string' || Number.isNaN(Date.parse(event.time))) return 'time must be an ISO 8601 date';
  if (typeof event.environment !== 'string') return 'environment must be a string';
  const actor = event.actor as Record<string, unknown> | undefined;
  if (typeof actor !== 'object' || actor === null || typeof actor.user !== 'string' || typeof actor.host !== 'string') {
    return 'actor must have user and host';
  }
  if (event.step !== undefined && !Number.isInteger(event.step)) return 'step must be a whole number';
  if (event.runId !== undefined && typeof event.runId !== 'string') return 'runId must be a string';
  if (event.keyed !== undefined && event.keyed !== true) return 'keyed must be true when present';
  return undefined;
}

function withoutHash(event: AuditEvent): Omit<AuditEvent, 'hash'> {
  const { hash: _hash, ...rest } = event;
  return rest;
}
