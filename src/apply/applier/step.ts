/** One step: check the precondition, write, read back and verify; or, for a step the plan no longer holds for, only check. */
import { addressKey } from '../../model/address.js';
import type { Change } from '../../model/plan.js';
import type { ObservedResource } from '../../model/resources.js';
import { nextCommand } from '../../errors/next-command.js';
import { StalePlanError } from '../../errors/stale-plan-error.js';
import type { Provider } from '../../providers/provider.js';
import { hasConverged, notConverged } from './convergence.js';

export interface StepDone {
  /** The live resource already matched the plan, so nothing was written (an earlier run wrote it). */
  alreadyConverged: boolean;
  /** The resource as it is now (absent after a delete). */
  observed: ObservedResource | undefined;
  /** What the system has yet to finish; the step is done as far as strata's write goes. */
  pending?: string;
}

/**
 * Runs an approved step to completion; `change` is the re-derived one, so its fingerprint is what this apply observed
 * before it started. `signal` is the step's deadline, not the user's Ctrl-C: a write already sent is let finish so its
 * outcome is known and recorded, unless the server leaves it unanswered past the deadline.
 */
export async function executeStep(
  change: Change,
  provider: Provider,
  environment: string,
  signal: AbortSignal,
  options: { parentWrittenThisRun: boolean; onWriteSent: () => void },
): Promise<StepDone> {
  const live = await provider.read(change.address, signal);
  if (!preconditionHolds(change, live)) {
    // The resource moved, but to exactly what the plan wanted: an earlier run wrote it and stopped before recording.
    if (hasConverged(change, live)) return { alreadyConverged: true, observed: live };
    // Nothing was there when this apply started, and an earlier step of it created the parent: what is there came with
    // the parent (a new bucket's versioning and owner tags).
    if (!(change.fingerprint === undefined && options.parentWrittenThisRun)) throw staleAt(change, live, environment);
  }
  options.onWriteSent();
  const { observed, pending } = await provider.apply(change, { dryRun: false, signal, readBefore: live });
  if (!hasConverged(change, observed)) throw notConverged(change, observed, environment);
  return { alreadyConverged: false, observed, ...(pending ? { pending } : {}) };
}

/**
 * A step whose re-derived change differs from the one approved: never written. Done when the resource already is what
 * the plan wanted (the plan was applied before), refused as stale otherwise.
 */
export async function settleDifferingStep(
  planned: Change,
  differs: string,
  provider: Provider,
  environment: string,
  signal: AbortSignal,
): Promise<StepDone> {
  const live = await provider.read(planned.address, signal);
  if (hasConverged(planned, live)) return { alreadyConverged: true, observed: live };
  throw stale(planned, differs, environment);
}

/**
 * The live resource is what this apply saw: same fingerprint, or still absent when nothing existed. A replace whose
 * delete half already happened (absent now) may go on to create.
 */
function preconditionHolds(change: Change, live: ObservedResource | undefined): boolean {
  if (change.fingerprint === undefined) return live === undefined;
  if (live === undefined) return change.action === 'replace';
  return live.fingerprint === change.fingerprint;
}

function staleAt(change: Change, live: ObservedResource | undefined, environment: string): StalePlanError {
  const what =
    live === undefined
      ? 'someone else deleted it'
      : change.fingerprint === undefined
        ? 'someone else created it'
        : 'someone else wrote it';
  return stale(change, what, environment);
}

function stale(change: Change, what: string, environment: string): StalePlanError {
  return new StalePlanError(
    `${addressKey(change.address)} changed since the plan was made (${what}); run ${nextCommand({ kind: 'stale-plan', environment })} again`,
    {
      address: change.address,
    },
  );
}
