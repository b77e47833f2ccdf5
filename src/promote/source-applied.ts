/**
 * The third guardrail: only what has been applied successfully in the source environment is promoted, so prod never
 * receives a policy staging has not run. The source's audit log must show a completed, successful apply of exactly
 * the desired state being promoted (its digest, as `strata plan` records it). How much that record proves
 * depends on the log: keyed and checked with STRATA_AUDIT_KEY, only a holder of the key can have written it; otherwise
 * it proves the order of events, not who wrote them, and the check says so.
 */
import type { AuditEvent } from '../model/audit.js';
import { successfulApplyOf, type Keying } from '../apply/audit/index.js';

/** `note`: what the record does not prove, when it proves less than a keyed, checked one. */
export type AppliedCheck = { applied: true; note?: string } | { applied: false; why: string };

export interface SourceRecord {
  events: readonly AuditEvent[];
  keying: Keying;
}

export function checkSourceApplied(
  record: SourceRecord,
  digest: string,
  names: { environment: string; log: string },
): AppliedCheck {
  const { events } = record;
  const applied = successfulApplyOf(events, digest);
  if (applied) {
    const note = whatItDoesNotProve(applied, record.keying, names.environment);
    return { applied: true, ...(note ? { note } : {}) };
  }
  const { environment, log } = names;
  if (events.length === 0) return { applied: false, why: `${log} records no apply to ${environment}` };
  const last = lastSuccessfulApply(events);
  if (!last) return { applied: false, why: `${log} records no successful apply to ${environment}` };
  const what = last.digest
    ? `a different version of ${environment}.yaml (sha256 ${short(last.digest)})`
    : 'a plan that recorded no desired digest';
  return {
    applied: false,
    why: `${environment}.yaml (sha256 ${short(digest)}) has changed since its last successful apply (${last.time} by ${last.user}), which applied ${what}`,
  };
}

function whatItDoesNotProve(applied: AuditEvent, keying: Keying, environment: string): string | undefined {
  const log = `${environment}'s audit log`;
  if (keying.keyed === 0) {
    const advice = keying.checked
      ? `STRATA_AUDIT_KEY is set here, but ${environment}'s applies do not use it`
      : `set STRATA_AUDIT_KEY where ${environment} is applied to key it`;
    return `${log} is not keyed, so its record of the apply proves order, not who wrote it (${advice})`;
  }
  if (!keying.checked)
    return `${log} is keyed, but STRATA_AUDIT_KEY is not set here, so who wrote its record of the apply is not checked`;
  if (!applied.keyed)
    return `${log} recorded the apply before it was keyed, so that record proves order, not who wrote it`;
  return undefined;
}

function lastSuccessfulApply(
  events: readonly AuditEvent[],
): { time: string; user: string; digest: string | undefined } | undefined {
  const finished = events.findLast((event) => event.type === 'run-finished' && event.outcome === 'succeeded');
  if (!finished) return undefined;
  const started = events.find(
    (event) => event.type === 'run-started' && event.runId !== undefined && event.runId === finished.runId,
  );
  return { time: finished.time, user: finished.actor.user, digest: started?.desiredDigest };
}

function short(digest: string): string {
  return `${digest.slice(0, 12)}…`;
}
