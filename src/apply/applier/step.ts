/** One step: check the precondition, write, read back and verify. */
import { addressKey } from '../../model/address.js';
import type { Change } from '../../model/plan.js';
import type { ObservedResource } from '../../model/resources.js';
import { StalePlanError } from '../../errors/stale-plan-error.js';
import type { Provider } from '../../providers/provider.js';
import { hasConverged, NotConvergedError } from './convergence.js';

export interface StepDone {
  /** The live resource already matched the plan, so nothing was written (an earlier run wrote it). */
  alreadyConverged: boolean;
  /** The resource as it is now (absent after a delete). */
  observed: ObservedResource | undefined;
  /** What the system has yet to finish; the step is done as far as strata's write goes. */
  pending?: string;
}

/**
 * Runs a step to completion. `signal` is not the user's Ctrl-C: a write already sent must be let finish so its outcome
 * is known and recorded.
 */
export async function executeStep(
  change: Change,
  provider: Provider,
  environment: string,
  signal: AbortSignal,
  options: { parentCreatedByPlan: boolean },
): Promise<StepDone> {
  const live = await provider.read(change.address, signal);
  if (!preconditionHolds(change, live)) {
    // The resource moved, but to exactly what the plan wanted: an earlier run wrote it and stopped before recording.
    if (hasConverged(change, live)) return { alreadyConverged: true, observed: live };
    // The plan saw nothing inside a parent it creates; what is there came with the parent (a new bucket's versioning).
    if (!(change.fingerprint === undefined && options.parentCreatedByPlan)) throw staleAt(change, live, environment);
  }
  const { observed, pending } = await provider.apply(change, { dryRun: false, signal, readBefore: live });
  if (!hasConverged(change, observed)) throw new NotConvergedError(change, observed, environment);
  return { alreadyConverged: false, observed, ...(pending ? { pending } : {}) };
}

/**
 * The live resource is what the plan saw: same fingerprint, or still absent when nothing existed. A replace whose
 * delete half already happened (absent now) may go on to create.
 */
function preconditionHolds(change: Change, live: ObservedResource | undefined): boolean {
  if (change.fingerprint === undefined) return live === undefined;
  if (live === undefined) return change.action === 'replace';
  return live.fingerprint === change.fingerprint;
}

function staleAt(change: Change, live: ObservedResource | undefined, environment: string): StalePlanError {
  const what =
    live === undefined ? 'someone else deleted it' : change.fingerprint === undefined ? 'someone else created it' : 'someone else wrote it';
  return new StalePlanError(
    `${addressKey(change.address)} changed since the plan was made (${what}); run strata plan ${environment} again`,
    { address: change.address },
  );
}
