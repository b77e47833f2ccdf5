import { describe, expect, it } from 'vitest';
import { applyPlan } from '../../../src/apply/index.js';
import type { Provider } from '../../../src/providers/provider.js';
import type { MemoryProvider } from '../../support/memory-provider.js';
import { indexes, typicalEntries, world } from './world.js';

/** The provider of a server that stopped answering writes: each waits until its step's signal aborts, then fails. */
function unansweredWrites(provider: MemoryProvider): Provider {
  return {
    system: provider.system,
    source: provider.source,
    observe: (scope, signal) => provider.observe(scope, signal),
    read: (address, signal) => provider.read(address, signal),
    apply: (_change, { signal }) =>
      new Promise((_resolve, reject) =>
        signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }),
      ),
  };
}

describe('applyPlan: the step deadline', () => {
  it('fails a step still waiting at its deadline, attempts nothing after it, and still finishes the run', async () => {
    const w = world(typicalEntries());
    const started = performance.now();

    const result = await applyPlan(
      w.input({
        concurrency: 1,
        stepTimeoutMs: 100,
        providers: { kubernetes: w.kubernetes, s3: unansweredWrites(w.s3) },
      }),
    );

    expect(performance.now() - started).toBeLessThan(2_000);
    expect(result.outcome).toBe('failed');
    expect(indexes(result.succeeded)).toEqual([1, 2, 3, 4]);
    expect(result.failed.map(({ step, error }) => [step.index, error.message])).toEqual([
      [5, 'the step ran past its deadline of 0.1 s'],
    ]);
    expect(indexes(result.notAttempted)).toEqual([6, 7]);
    expect(w.audit.records.find((record) => record.type === 'step-failed')).toMatchObject({ step: 5, wrote: true });
    expect(w.audit.records.at(-1)).toMatchObject({ type: 'run-finished', outcome: 'failed' });
    expect(w.lock.released).toBe(1);
  });

  it('gives every step its own deadline, so a run may take longer than one', async () => {
    const w = world(typicalEntries());
    w.kubernetes.delayWrites(60);
    w.s3.delayWrites(60);

    const result = await applyPlan(w.input({ concurrency: 1, stepTimeoutMs: 300 }));

    expect(result.outcome).toBe('succeeded');
    expect(indexes(result.succeeded)).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });
});
