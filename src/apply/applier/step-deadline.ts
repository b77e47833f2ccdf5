/** How long one step may run: the applier's only time limit, which providers honour through the step's signal. */
import { UserError } from '../../errors/user-error.js';

/**
 * 5 min: well past the longest wait a provider has of its own (60 s for a resize to show) and a few slow requests,
 * yet a server that stops answering holds the environment lock for minutes, not for as long as it stays stuck.
 */
export const DEFAULT_STEP_TIMEOUT_MS = 5 * 60_000;

/**
 * Runs a step under a signal that aborts once it has run `ms`: the provider then aborts the request in flight and
 * stops waiting (Retry-After, controllers), so the step fails naming what it waited for, and the run ends as after any
 * failed step. Nothing else aborts it: Ctrl-C and a lost lock let a running step finish, so its outcome is recorded.
 */
export async function withinStepDeadline<T>(ms: number, step: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const deadline = new AbortController();
  const timer = setTimeout(() => deadline.abort(new UserError(`the step ran past its deadline of ${ms / 1000} s`)), ms);
  try {
    return await step(deadline.signal);
  } finally {
    clearTimeout(timer);
  }
}
