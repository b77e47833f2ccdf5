/**
 * The third guardrail: only what has been applied successfully in the source environment is promoted, so prod never
 * receives a policy staging has not run. The source's audit log must show a completed, successful apply of exactly
 * the desired state being promoted (the sha256 of its file, as `strata plan` records it).
 */
import type { AuditEvent } from '../model/audit.js';
import { appliedDigests } from '../apply/audit/index.js';

export type AppliedCheck = { applied: true } | { applied: false; why: string };

export function checkSourceApplied(events: readonly AuditEvent[], digest: string, names: { environment: string; log: string }): AppliedCheck {
  if (appliedDigests(events).has(digest)) return { applied: true };
  const { environment, log } = names;
  if (events.length === 0) return { applied: false, why: `${log} records no apply to ${environment}` };
  const last = lastSuccessfulApply(events);
  if (!last) return { applied: false, why: `${log} records no successful apply to ${environment}` };
  const what = last.digest ? `a different version of ${environment}.yaml (sha256 ${short(last.digest)})` : 'a plan that recorded no desired digest';
  return {
    applied: false,
    why: `${environment}.yaml (sha256 ${short(digest)}) has changed since its last successful apply (${last.time} by ${last.user}), which applied ${what}`,
  };
}

function lastSuccessfulApply(events: readonly AuditEvent[]): { time: string; user: string; digest: string | undefined } | undefined {
  const finished = events.findLast((event) => event.type === 'run-finished' && event.outcome === 'succeeded');
  if (!finished) return undefined;
  const started = events.find((event) => event.type === 'run-started' && event.runId !== undefined && event.runId === finished.runId);
  return { time: finished.time, user: finished.actor.user, digest: finished.desiredDigest ?? started?.desiredDigest };
}

function short(digest: string): string {
  return `${digest.slice(0, 12)}…`;
}
