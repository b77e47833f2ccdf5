/**
 * One line of the append-only audit log (`audit/<env>.jsonl`). Each event carries the hash of the one before, so an
 * edited, removed or reordered line breaks the chain and `strata audit verify` can name it; keyed, only a holder of
 * the key can extend it.
 */
import type { Actor } from './actor.js';
import type { ResourceAddress } from './address.js';
import type { Action } from './plan.js';

export type AuditEventType =
  | 'run-started'
  | 'step-started'
  | 'step-succeeded'
  | 'step-failed'
  | 'step-skipped'
  | 'run-finished'
  | 'lock-broken'
  /** `strata promote --force`: the source's desired state was promoted without a successful apply of it; `reason` says why. */
  | 'promotion-forced';

export type RunOutcome = 'succeeded' | 'failed' | 'aborted';

/** What the applier reports; the audit log adds `seq`, `previousHash` and `hash` when it appends. */
export interface AuditRecord {
  type: AuditEventType;
  /** ISO 8601. */
  time: string;
  environment: string;
  actor: Actor;
  /** Identifies one apply run (resumes start a new run of the same plan). */
  runId?: string;
  planHash?: string;
  /** The desired files' digest the plan was made from (promotion checks it). */
  desiredDigest?: string;
  step?: number;
  address?: ResourceAddress;
  action?: Action;
  /** Normalized specs, never secrets. */
  before?: unknown;
  after?: unknown;
  outcome?: RunOutcome;
  error?: string;
  /** Why a step was skipped, why a lock was broken, or why a promotion was forced. */
  reason?: string;
  /**
   * On step-succeeded and step-failed: whether strata sent the step's write. False when the resource was found already
   * as planned, or the step was refused before writing; a resume relies on it, never on `reason`.
   */
  wrote?: boolean;
  /** Step counts on run-finished. */
  counts?: { succeeded: number; failed: number; skipped: number; notAttempted: number };
}

export interface AuditEvent extends AuditRecord {
  /** 1-based position in the file. */
  seq: number;
  /** `hash` of the previous event; 64 zeros for the first. */
  previousHash: string;
  /**
   * Set when the log is keyed (`STRATA_AUDIT_KEY`): `hash` is then an HMAC-SHA256 with the key, so only a holder of
   * the key can make it. Once one event is keyed, every later one is.
   */
  keyed?: true;
  /** sha256 (HMAC-SHA256 when `keyed`) over the canonical JSON of this event without `hash`. */
  hash: string;
}
