import { describe, expect, it } from 'vitest';
import { createLimiter } from '../../../src/providers/s3/limiter.js';

describe('the request limiter', () => {
  it('never runs more tasks at once than its limit, even when tasks finish and start in the same tick', async () => {
    const limit = createLimiter(3);
    let running = 0;
    let most = 0;
    const task = async (ms: number) => {
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, ms));
      running--;
    };
    await Promise.all(Array.from({ length: 30 }, (_, i) => limit(() => task(i % 4))));
    expect(most).toBe(3);
  });

  it('frees the slot of a task that fails', async () => {
    const limit = createLimiter(1);
    await expect(limit(() => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(limit(() => Promise.resolve('next'))).resolves.toBe('next');
  });
});
