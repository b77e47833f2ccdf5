import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { applyPlan, openAuditLog, readAuditLog, stepHistory, verifyAuditLog } from '../../../src/apply/index.js';
import { indexes, PLAN_HASH, typicalEntries, world } from './world.js';

describe('applyPlan with the hash-chained audit log on disk', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'strata-apply-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes events the log accepts and verifies, and resumes from what it reads back', async () => {
    const path = join(dir, 'audit', 'prod.jsonl');
    const w = world(typicalEntries());
    w.kubernetes.failApply(3);

    const first = await applyPlan(w.input({ concurrency: 1, audit: await openAuditLog(path) }));
    expect(first.outcome).toBe('failed');

    const done = stepHistory(await readAuditLog(path), PLAN_HASH);
    expect([...done.succeeded].sort()).toEqual([1, 2]);
    const second = await applyPlan(w.input({ audit: await openAuditLog(path), resume: { history: done } }));

    expect(second.outcome).toBe('succeeded');
    expect(indexes(second.succeeded)).toEqual([3, 4, 5, 6, 7]);
    expect((await verifyAuditLog(path)).ok).toBe(true);
    const again = stepHistory(await readAuditLog(path), PLAN_HASH);
    expect((await applyPlan(w.input({ audit: await openAuditLog(path), resume: { history: again } }))).outcome).toBe(
      'nothing-to-do',
    );
  });
});
