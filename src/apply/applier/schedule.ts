/** Bounded, dependency-ordered scheduling: a step starts once every step it depends on has succeeded. */
import type { Step } from '../../model/plan.js';

export interface ScheduleOptions {
  /** Steps to run, in plan order. */
  steps: Step[];
  /** Step indexes already satisfied (done by an earlier run). */
  satisfied: ReadonlySet<number>;
  concurrency: number;
  /** Asked before each start; false stops scheduling (running steps are let finish). */
  mayStart(): boolean;
  /** Runs one step; resolves true when it succeeded, so its dependents may start. Rejects only on a bug. */
  run(step: Step): Promise<boolean>;
  /** Steps with the same key never run at the same time (they write one record on the server); none: no limit. */
  exclusiveKey?(step: Step): string | undefined;
}

/**
 * Resolves once nothing is running and nothing more may start. Steps never started (their dependencies failed or
 * were skipped, or scheduling stopped) are left to the caller to report as not attempted.
 */
export function schedule(options: ScheduleOptions): Promise<void> {
  const pending = [...options.steps];
  const succeeded = new Set(options.satisfied);
  const busy = new Set<string>();
  let running = 0;
  const keyOf = (step: Step) => options.exclusiveKey?.(step);

  return new Promise((resolve, reject) => {
    const pump = (): void => {
      while (running < options.concurrency) {
        const next = pending.find(
          (step) => step.dependsOn.every((index) => succeeded.has(index)) && !busy.has(keyOf(step) ?? ''),
        );
        if (!next || !options.mayStart()) break;
        pending.splice(pending.indexOf(next), 1);
        running += 1;
        const key = keyOf(next);
        if (key !== undefined) busy.add(key);
        options.run(next).then((ok) => {
          running -= 1;
          if (key !== undefined) busy.delete(key);
          if (ok) succeeded.add(next.index);
          pump();
        }, reject);
      }
      if (running === 0) resolve();
    };
    pump();
  });
}
