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
 *
 * Of the steps ready to start, the first in plan order goes first. Each step is looked at when it becomes ready and
 * when it starts, not again at every finish, so an apply of tens of thousands of steps schedules in linear time.
 */
export function schedule(options: ScheduleOptions): Promise<void> {
  const { steps } = options;
  const keyOf = (position: number) => options.exclusiveKey?.(steps[position]!);
  const succeeded = new Set(options.satisfied);
  // How many of its dependencies each step waits for, and who waits for each step.
  const unmet = steps.map((step) => step.dependsOn.filter((index) => !succeeded.has(index)).length);
  const dependents = new Map<number, number[]>();
  steps.forEach((step, position) => {
    for (const index of step.dependsOn) {
      if (succeeded.has(index)) continue;
      const waiting = dependents.get(index);
      if (waiting) waiting.push(position);
      else dependents.set(index, [position]);
    }
  });
  const ready = new PositionQueue();
  steps.forEach((_, position) => {
    if (unmet[position] === 0) ready.push(position);
  });
  // Ready steps whose key another running step holds, by key, until it is released.
  const parked = new Map<string, PositionQueue>();
  const busy = new Set<string>();
  let running = 0;

  const nextStartable = (): number | undefined => {
    for (let position = ready.pop(); position !== undefined; position = ready.pop()) {
      const key = keyOf(position);
      if (key === undefined || !busy.has(key)) return position;
      const queue = parked.get(key) ?? new PositionQueue();
      queue.push(position);
      parked.set(key, queue);
    }
    return undefined;
  };

  const finished = (position: number, ok: boolean, key: string | undefined): void => {
    if (key !== undefined) {
      busy.delete(key);
      const waiting = parked.get(key)?.pop();
      if (waiting !== undefined) ready.push(waiting);
    }
    if (!ok) return;
    const index = steps[position]!.index;
    succeeded.add(index);
    for (const dependent of dependents.get(index) ?? []) {
      unmet[dependent] = unmet[dependent]! - 1;
      if (unmet[dependent] === 0) ready.push(dependent);
    }
  };

  return new Promise((resolve, reject) => {
    const pump = (): void => {
      while (running < options.concurrency) {
        const position = nextStartable();
        if (position === undefined) break;
        if (!options.mayStart()) {
          ready.push(position);
          break;
        }
        running += 1;
        const key = keyOf(position);
        if (key !== undefined) busy.add(key);
        options.run(steps[position]!).then((ok) => {
          running -= 1;
          finished(position, ok, key);
          pump();
        }, reject);
      }
      if (running === 0) resolve();
    };
    pump();
  });
}

/** Plan positions, smallest first: a binary heap. */
class PositionQueue {
  private readonly heap: number[] = [];

  push(position: number): void {
    const heap = this.heap;
    heap.push(position);
    for (let child = heap.length - 1; child > 0;) {
      const parent = (child - 1) >> 1;
      if (heap[parent]! <= heap[child]!) break;
      [heap[parent], heap[child]] = [heap[child]!, heap[parent]!];
      child = parent;
    }
  }

  pop(): number | undefined {
    const heap = this.heap;
    const top = heap[0];
    const last = heap.pop();
    if (heap.length === 0 || last === undefined) return top;
    heap[0] = last;
    for (let parent = 0; ;) {
      const left = 2 * parent + 1;
      const right = left + 1;
      let smallest = parent;
      if (left < heap.length && heap[left]! < heap[smallest]!) smallest = left;
      if (right < heap.length && heap[right]! < heap[smallest]!) smallest = right;
      if (smallest === parent) break;
      [heap[parent], heap[smallest]] = [heap[smallest]!, heap[parent]!];
      parent = smallest;
    }
    return top;
  }
}
