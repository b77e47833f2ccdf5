import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ResourceAddress } from '../../src/model/address.js';
import type { Change, Step } from '../../src/model/plan.js';
import type { EventRecorder, ObjectEvent } from '../../src/providers/kubernetes/events.js';
import { stepEvent, stepEvents } from '../../src/cli/step-events.js';
import { address } from '../fixtures/plan/builders.js';

const claim = address('PersistentVolumeClaim', 'deepwiki-data', 'codequal-prod');
const run = { planHash: '4be1c0ffee12aa55', runId: 'run-1', actor: { user: 'alice', host: 'laptop' } };
const ORIGIN = 'strata apply by alice@laptop, plan 4be1c0ffee12 step 3, run run-1';

function stepFor(change: Change): Step {
  return { index: 3, address: change.address, action: change.action as Step['action'], dependsOn: [] };
}

function changeOf(
  action: Change['action'],
  attributes: Change['attributes'] = [],
  at: ResourceAddress = claim,
): Change {
  return { address: at, action, attributes, risks: [] };
}

const resize = changeOf('update', [{ path: 'size', before: '50Gi', after: '200Gi' }]);

describe('the event a finished step leaves on its object', () => {
  it('names who applied which plan and step, and the values it set', () => {
    expect(stepEvent(stepFor(resize), resize, { succeeded: true, alreadyConverged: false }, run)).toEqual({
      address: claim,
      type: 'Normal',
      reason: 'Updated',
      message: `${ORIGIN}: set size 50Gi → 200Gi`,
    });
  });

  it('names a long value (a policy) by its path only', () => {
    const policy = changeOf('update', [
      {
        path: 'document',
        before: { Statement: [] },
        after: { Version: '2012-10-17', Statement: [{ Effect: 'Deny', Action: 's3:*', Principal: '*' }] },
      },
    ]);
    expect(stepEvent(stepFor(policy), policy, { succeeded: true, alreadyConverged: false }, run).message).toBe(
      `${ORIGIN}: set document`,
    );
  });

  it('says a create or a delete in words, and a step found already done as such', () => {
    const create = changeOf('create');
    const remove = changeOf('delete');
    expect(stepEvent(stepFor(create), create, { succeeded: true, alreadyConverged: false }, run)).toMatchObject({
      reason: 'Created',
      message: `${ORIGIN}: created as declared`,
    });
    expect(stepEvent(stepFor(remove), remove, { succeeded: true, alreadyConverged: false }, run).message).toBe(
      `${ORIGIN}: deleted: owned by strata and no longer declared`,
    );
    expect(stepEvent(stepFor(resize), resize, { succeeded: true, alreadyConverged: true }, run).message).toBe(
      `${ORIGIN}: already as planned`,
    );
  });

  it('is a warning with the error when the step failed', () => {
    const event = stepEvent(
      stepFor(resize),
      resize,
      { succeeded: false, error: new Error('admission webhook denied the request') },
      run,
    );
    expect(event).toMatchObject({
      type: 'Warning',
      reason: 'ApplyFailed',
      message: `${ORIGIN}: update failed: admission webhook denied the request`,
    });
  });

  it('names the CI run when there is one', () => {
    const inCi = { ...run, actor: { ...run.actor, ciRun: 'https://github.com/acme/storage/actions/runs/42' } };
    expect(stepEvent(stepFor(resize), resize, { succeeded: true, alreadyConverged: false }, inCi).message).toMatch(
      /^strata apply by alice@laptop \(https:\/\/github\.com\/acme\/storage\/actions\/runs\/42\), plan/,
    );
  });
});

describe('stepEvents', () => {
  function recorder(fail?: Error): EventRecorder & { events: ObjectEvent[] } {
    const events: ObjectEvent[] = [];
    return {
      events,
      async record(event) {
        if (fail) throw fail;
        events.push(event);
      },
    };
  }

  it('records Kubernetes steps only: S3 buckets have no object to carry an event', async () => {
    const target = recorder();
    const events = stepEvents(target, run);
    const bucket = changeOf('create', [], address('Bucket', 'akosha-backups-prod'));
    events.observer.onRunStarted?.({
      runId: 'run-1',
      environment: 'prod',
      planHash: run.planHash,
      steps: [],
      resumed: [],
    });
    events.observer.onStepSucceeded?.(stepFor(resize), resize, 12, { alreadyConverged: false });
    events.observer.onStepSucceeded?.(stepFor(bucket), bucket, 12, { alreadyConverged: false });
    expect(await events.settled()).toEqual([]);
    expect(target.events.map((event) => event.address.kind)).toEqual(['PersistentVolumeClaim']);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('stops waiting for an API server that does not answer after 10 s, counting each unanswered write', async () => {
    vi.useFakeTimers();
    const events = stepEvents({ record: () => new Promise<void>(() => {}) }, run);
    events.observer.onStepSucceeded?.(stepFor(resize), resize, 12, { alreadyConverged: false });
    events.observer.onStepFailed?.(stepFor(resize), resize, new Error('boom'), 12);
    const settled = events.settled();
    await vi.advanceTimersByTimeAsync(10_000);
    expect((await settled).map((error) => error.message)).toEqual([
      'the API server did not answer within 10 s',
      'the API server did not answer within 10 s',
    ]);
  });

  it('collects the writes that failed instead of failing the apply', async () => {
    const events = stepEvents(recorder(new Error('events is forbidden')), run);
    events.observer.onStepFailed?.(stepFor(resize), resize, new Error('boom'), 12);
    expect((await events.settled()).map((error) => error.message)).toEqual(['events is forbidden']);
  });
});
