import type { LockHolder } from '../model/actor.js';
import { nextCommand } from './next-command.js';
import { UserError } from './user-error.js';

/** Someone else holds the environment lock: says who, since when, until when, and how to get past it. */
export class LockHeldError extends UserError {
  override name = 'LockHeldError';
  readonly environment: string;
  readonly holder: LockHolder;

  /** `hint` replaces the default "wait, or unlock" (unlock itself asks for --force instead). */
  constructor(environment: string, holder: LockHolder, hint?: string) {
    super(`environment ${environment} is locked by ${describeHolder(holder)}`, {
      hint:
        hint ??
        `wait for that run to finish; if it was abandoned, break the lock with: ${nextCommand({ kind: 'lock-held', environment })}`,
    });
    this.environment = environment;
    this.holder = holder;
  }
}

/** `alice@ci-runner-7 (CI run https://…) since 2026-11-23T10:00:00Z (expires 10:05:00Z)` */
export function describeHolder(holder: LockHolder): string {
  const since = toSeconds(holder.since);
  const expires = toSeconds(holder.expiresAt);
  // The expiry is usually the same day, so its date would only repeat the one before it.
  const expiresShown = expires.slice(0, 10) === since.slice(0, 10) ? expires.slice(11) : expires;
  const ciRun = holder.ciRun ? ` (CI run ${holder.ciRun})` : '';
  return `${holder.user}@${holder.host}${ciRun} since ${since} (expires ${expiresShown})`;
}

/** Leases carry microseconds; people need seconds. */
function toSeconds(iso: string): string {
  return iso.replace(/\.\d+Z$/, 'Z');
}
