import { describe, expect, it } from 'vitest';
import { applyPlan, type ApplyObserver } from '../../../src/apply/index.js';
import { addressKey } from '../../../src/model/address.js';
import { at, indexes, PLAN_HASH, specs, typicalEntries, world, DIGEST, ACTOR } from './world.js';

describe('applyPlan: a run that goes well', () => {
  it('applies every step and leaves each resource as the plan said', async () => {
    const w = world();
    const result = await applyPlan(w.input());

    expect(result.outcome).toBe('succeeded');
    expect(indexes(result.succeeded)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(result.failed).toEqual([]);
    expect(result.notAttempted).toEqual([]);
    expect(w.kubernetes.get(at.deepwikiData)?.spec).toMatchObject({ size: '200Gi' });
    expect(w.kubernetes.get(at.nightly)?.spec).toEqual(specs.nightly());
    expect(w.s3.get(at.lifecycle)?.spec).toEqual(specs.lifecycle(30));
  });

  it('starts a step only after every step it depends on has succeeded', async () => {
    const w = world();
    const finished: number[] = [];
    const startedAfter = new Map<number, number[]>();
    const observer: ApplyObserver = {
      onStepStarted: (step) => startedAfter.set(step.index, [...finished]),
      onStepSucceeded: (step) => finished.push(step.index),
    };
    w.kubernetes.delayWrites(5);
    w.s3.delayWrites(5);
    await applyPlan(w.input({ observer }));

    for (const step of w.saved.plan.steps) {
      expect(startedAfter.get(step.index)).toEqual(expect.arrayContaining(step.dependsOn));
    }
  });

  it('runs independent steps concurrently, never more at once than the bound', async () => {
    const entries = Array.from({ length: 8 }, (_, i) => ({
      address: {
        system: 'kubernetes' as const,
        kind: 'PersistentVolumeClaim' as const,
        namespace: 'codequal-prod',
        name: `shard-${i}`,
      },
      action: 'create' as const,
      after: { ...specs.deepwikiData('50Gi'), maxSize: undefined },
    }));
    const w = world(entries);
    w.kubernetes.delayWrites(10);

    const result = await applyPlan(w.input({ concurrency: 3 }));

    expect(result.outcome).toBe('succeeded');
    expect(w.kubernetes.maxInFlight).toBe(3);
  });

  it('runs four steps at once by default', async () => {
    const entries = Array.from({ length: 6 }, (_, i) => ({
      address: { system: 's3' as const, kind: 'Bucket' as const, name: `akosha-shard-${i}` },
      action: 'create' as const,
      after: specs.bucket(),
    }));
    const w = world(entries);
    w.s3.delayWrites(10);

    await applyPlan(w.input());

    expect(w.s3.maxInFlight).toBe(4);
  });

  it('refuses a concurrency below one', async () => {
    const w = world();
    await expect(applyPlan(w.input({ concurrency: 0 }))).rejects.toThrow(
      'concurrency must be a whole number of at least 1, not 0',
    );
    expect(w.lock.acquired).toBe(0);
  });

  it('records the run in the audit log: start, each step started and succeeded, finish with counts', async () => {
    const w = world(typicalEntries().slice(0, 3));
    const result = await applyPlan(w.input({ concurrency: 1 }));

    expect(w.audit.trail).toEqual([
      'run-started',
      'step-started:1',
      'step-succeeded:1',
      'step-started:2',
      'step-succeeded:2',
      'step-started:3',
      'step-succeeded:3',
      'run-finished',
    ]);
    const [started] = w.audit.records;
    expect(started).toMatchObject({
      environment: 'prod',
      actor: ACTOR,
      planHash: PLAN_HASH,
      desiredDigest: DIGEST,
      runId: result.runId,
      time: '2026-11-23T10:00:00.000Z',
    });
    expect(w.audit.records[2]).toMatchObject({
      step: 1,
      address: at.namespace,
      action: 'update',
      before: specs.namespace('platform'),
      after: specs.namespace('codequal'),
    });
    expect(w.audit.records.at(-1)).toMatchObject({
      type: 'run-finished',
      outcome: 'succeeded',
      counts: { succeeded: 3, failed: 0, skipped: 0, notAttempted: 0 },
    });
  });

  it('writes each event to the audit log before the observer hears of it', async () => {
    const w = world(typicalEntries().slice(0, 2));
    const seen: string[] = [];
    const logged = () => w.audit.trail.at(-1);
    const observer: ApplyObserver = {
      onRunStarted: () => seen.push(`run-started logged=${logged()}`),
      onStepStarted: (step) => seen.push(`step-started:${step.index} logged=${logged()}`),
      onStepSucceeded: (step) => seen.push(`step-succeeded:${step.index} logged=${logged()}`),
      onRunFinished: () => seen.push(`run-finished logged=${logged()}`),
    };
    await applyPlan(w.input({ observer, concurrency: 1 }));

    expect(seen).toEqual([
      'run-started logged=run-started',
      'step-started:1 logged=step-started:1',
      'step-succeeded:1 logged=step-succeeded:1',
      'step-started:2 logged=step-started:2',
      'step-succeeded:2 logged=step-succeeded:2',
      'run-finished logged=run-finished',
    ]);
  });

  it('holds the environment lock while writing and releases it afterwards', async () => {
    const w = world(typicalEntries().slice(0, 1));
    let holderDuringWrite: string | undefined;
    w.kubernetes.beforeWrite = async () => {
      holderDuringWrite = (await w.lock.inspect())?.user;
    };
    await applyPlan(w.input());

    expect(holderDuringWrite).toBe('alice');
    expect(w.lock.acquired).toBe(1);
    expect(w.lock.released).toBe(1);
    expect(await w.lock.inspect()).toBeUndefined();
  });

  it('applies under a lock its caller took already, and leaves releasing it to the caller', async () => {
    const w = world(typicalEntries().slice(0, 1));
    const held = await w.lock.acquire(ACTOR, new AbortController().signal);

    const result = await applyPlan(w.input({ lock: held }));

    expect(result.outcome).toBe('succeeded');
    expect(w.lock.acquired).toBe(1);
    expect(w.lock.released).toBe(0);
    expect((await w.lock.inspect())?.user).toBe(ACTOR.user);
  });

  it('fails at once, writing nothing, when someone else holds the lock', async () => {
    const w = world();
    w.lock.heldBy(
      { user: 'bob', host: 'ci-runner-7', ciRun: 'https://ci.example/runs/4411' },
      '2026-11-23T09:58:00.000Z',
    );

    await expect(applyPlan(w.input())).rejects.toThrow(
      'environment prod is locked by bob@ci-runner-7 (CI run https://ci.example/runs/4411) since 2026-11-23T09:58:00Z',
    );
    expect(w.kubernetes.applied).toEqual([]);
    expect(w.audit.records).toEqual([]);
  });

  it('never executes blocked or no-op changes, and applies the rest of the plan', async () => {
    const w = world([
      {
        address: at.oldCache,
        action: 'blocked',
        before: specs.oldCache(),
        after: { ...specs.oldCache(), size: '10Gi' },
      },
      {
        address: at.namespace,
        action: 'no-op',
        before: specs.namespace('codequal'),
        after: specs.namespace('codequal'),
      },
      { address: at.fastSsd, action: 'update', before: specs.fastSsd(false), after: specs.fastSsd(true) },
    ]);
    const result = await applyPlan(w.input());

    expect(result.outcome).toBe('succeeded');
    expect(w.kubernetes.applied.map((change) => addressKey(change.address))).toEqual([
      'kubernetes/StorageClass/fast-ssd',
    ]);
    expect(w.kubernetes.get(at.oldCache)?.spec).toMatchObject({ size: '20Gi' });
  });

  it('deletes a resource and verifies it is gone', async () => {
    const w = world([{ address: at.oldCache, action: 'delete', before: specs.oldCache(), risks: [] }]);
    const result = await applyPlan(w.input());

    expect(result.outcome).toBe('succeeded');
    expect(w.kubernetes.get(at.oldCache)).toBeUndefined();
  });

  it('replaces a resource: deleted and created again under the same name', async () => {
    const w = world([
      {
        address: at.fastSsd,
        action: 'replace',
        before: specs.fastSsd(true),
        after: { ...specs.fastSsd(true), parameters: { type: 'gp3', iops: '6000' } },
      },
    ]);
    const result = await applyPlan(w.input());

    expect(result.outcome).toBe('succeeded');
    expect(w.kubernetes.get(at.fastSsd)?.spec).toMatchObject({ parameters: { type: 'gp3', iops: '6000' } });
  });

  it('has nothing to do for a plan without steps, and takes no lock', async () => {
    const w = world([
      {
        address: at.namespace,
        action: 'no-op',
        before: specs.namespace('codequal'),
        after: specs.namespace('codequal'),
      },
    ]);
    const result = await applyPlan(w.input());

    expect(result.outcome).toBe('nothing-to-do');
    expect(w.lock.acquired).toBe(0);
    expect(w.audit.records).toEqual([]);
  });

  it('tells the observer how the run started and finished', async () => {
    const w = world(typicalEntries().slice(0, 2));
    const events: unknown[] = [];
    const result = await applyPlan(
      w.input({
        observer: {
          onRunStarted: (info) =>
            events.push({ started: indexes(info.steps), environment: info.environment, planHash: info.planHash }),
          onRunFinished: (finished) => events.push({ finished: finished.outcome }),
        },
      }),
    );

    expect(events).toEqual([{ started: [1, 2], environment: 'prod', planHash: PLAN_HASH }, { finished: 'succeeded' }]);
    expect(result.runId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
