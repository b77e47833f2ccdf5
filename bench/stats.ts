/** Timing helpers: figures are printed for people, never asserted on. */
export interface Timing {
  median: number;
  min: number;
  max: number;
}

export function summarize(samples: number[]): Timing {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)! };
}

/** Runs `work` once to warm up (JIT, connection pools, API discovery), then `runs` times, timing each. */
export async function timeRuns<T>(
  runs: number,
  work: () => Promise<T> | T,
  after?: (result: T) => void,
): Promise<Timing> {
  await work();
  const samples: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    const started = performance.now();
    const result = await work();
    samples.push(performance.now() - started);
    after?.(result);
  }
  return summarize(samples);
}

export const ms = (value: number) => `${value < 10 ? value.toFixed(1) : Math.round(value)} ms`;
export const count = (value: number) => value.toLocaleString('en-US');
export const timing = (t: Timing) => `${ms(t.median)} median (min ${ms(t.min)}, max ${ms(t.max)})`;
