/**
 * The order steps start in: dependencies first, then plan order, never two steps of one key at once, never more than
 * the concurrency. Steps here are promises the test settles, so each start and finish is in the test's hands.
 */
import { describe, expect, it } from 'vitest';
import { schedule, type ScheduleOptions } from '../../../src/apply/applier/schedule.js';
import type { Step } from '../../../src/model/plan.js';

function step(index: number, dependsOn: number[] = [], bucket = `bucket-${index}`): Step {
  return { index, address: { system: 's3', kind: 'Bucket', name: bucket }, action: 'create', dependsOn };
}

/** Runs the steps; each start is recorded and waits until the test finishes it with `finish(index, ok)`. */
function scheduled(steps: Step[], options: Partial<ScheduleOptions> = {}) {
  const started: number[] = [];
  const finishers = new Map<number, (ok: boolean) => void>();
  const done = schedule({
    steps,
    satisfied: new Set(),
    concurrency: 1,
    mayStart: () => true,
    run: (next) =>
      new Promise<boolean>((resolve) => {
        started.push(next.index);
        finishers.set(next.index, resolve);
      }),
    ...options,
  });
  const finish = async (index: number, ok = true) => {
    finishers.get(index)!(ok);
    // The scheduler starts the next steps once the finished step's promise has settled.
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { started, finish, done };
}

describe('scheduling steps', () => {
  it('starts the first ready steps in plan order, no more at once than the concurrency', async () => {
    const run = scheduled([step(1), step(2), step(3)], { concurrency: 2 });
    expect(run.started).toEqual([1, 2]);
    await run.finish(2);
    expect(run.started).toEqual([1, 2, 3]);
    await run.finish(1);
    await run.finish(3);
    await run.done;
  });

  it('starts a step once every step it depends on has succeeded, before later ready steps', async () => {
    const run = scheduled([step(1), step(2), step(3, [1, 2]), step(4)]);
    await run.finish(1);
    await run.finish(2);
    expect(run.started).toEqual([1, 2, 3]);
    await run.finish(3);
    await run.finish(4);
    await run.done;
    expect(run.started).toEqual([1, 2, 3, 4]);
  });

  it('never starts the dependents of a step that failed, and still finishes', async () => {
    const run = scheduled([step(1), step(2, [1]), step(3, [2]), step(4)]);
    await run.finish(1, false);
    await run.finish(4);
    await run.done;
    expect(run.started).toEqual([1, 4]);
  });

  it('counts steps done by an earlier run as succeeded', async () => {
    const run = scheduled([step(2, [1]), step(3, [2])], { satisfied: new Set([1]) });
    await run.finish(2);
    await run.finish(3);
    await run.done;
    expect(run.started).toEqual([2, 3]);
  });

  it('runs steps of one key one at a time, in plan order, while others go ahead', async () => {
    const steps = [step(1, [], 'shared'), step(2, [], 'shared'), step(3, [], 'shared'), step(4)];
    const run = scheduled(steps, { concurrency: 4, exclusiveKey: (s) => s.address.name });
    expect(run.started).toEqual([1, 4]);
    await run.finish(1);
    expect(run.started).toEqual([1, 4, 2]);
    await run.finish(2);
    await run.finish(3);
    await run.finish(4);
    await run.done;
    expect(run.started).toEqual([1, 4, 2, 3]);
  });

  it('starts nothing more once mayStart says no, and lets running steps finish', async () => {
    let allowed = 1;
    const run = scheduled([step(1), step(2)], { mayStart: () => allowed-- > 0 });
    await run.finish(1);
    await run.done;
    expect(run.started).toEqual([1]);
  });
});
