import type { LockHolder } from '../model/actor.js';
import { UserError } from './user-error.js';

/** Someone else holds the environment lock: says who, since when, until when, and how to get past it. */
export class LockHeldError extends UserError {
  override name = 'LockHeldError';
  readonly environment: string;
  readonly holder: LockHolder;

  /** `advice` replaces the default "wait, or unlock" ending (unlock itself asks for --force instead). */
  constructor(environment: string, holder: LockHolder, advice?: string) {
    super(
      `environment ${environment} is locked by ${describeHolder(holder)}; ` +
        (advice ?? `wait for it to finish, or run \`strata unlock ${environment}\` if it was abandoned`),
    );
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
