import { describe, expect, it } from 'vitest';
import { createPlan } from '../../src/plan/index.js';
import { pairResources } from '../../src/plan/pair.js';
import { NOW, desired, desiredState, observed, observedState } from '../fixtures/plan/builders.js';

const labels = { labels: {} };

describe('pairResources', () => {
  it('pairs desired and observed resources by address, sorted', () => {
    const pairs = pairResources(
      [desired('Namespace', 'b', labels), desired('Namespace', 'a', labels)],
      [observed('Namespace', 'b', labels), observed('Namespace', 'c', labels)],
    );
    expect(pairs.map((pair) => [pair.key, Boolean(pair.desired), Boolean(pair.observed)])).toEqual([
      ['kubernetes/Namespace/a', true, false],
      ['kubernetes/Namespace/b', true, true],
      ['kubernetes/Namespace/c', false, true],
    ]);
  });
});

describe('createPlan', () => {
  const capabilities = [{ capability: 'encryption' as const, supported: false, detail: 'NotImplemented' }];
  const plan = createPlan({
    desired: desiredState([desired('Namespace', 'b', labels), desired('Namespace', 'a', labels)]),
    observed: observedState([observed('Namespace', 'b', labels), observed('Namespace', 'old', labels)], capabilities),
    now: NOW,
  });

  it('records the environment, the time passed in and the desired files digest', () => {
    expect(plan).toMatchObject({
      formatVersion: 1,
      environment: 'prod',
      createdAt: '2026-11-23T18:00:00.000Z',
      desiredFiles: ['environments/prod.yaml'],
      desiredDigest: desiredState([]).digest,
    });
  });

  it('copies where the observed state came from and what the servers support', () => {
    expect(plan.sources).toEqual({ kubernetes: 'context prod-eks', s3: 's3 us-west-2' });
    expect(plan.capabilities).toEqual(capabilities);
  });

  it('records how long a live observation took, and nothing for a snapshot', () => {
    const live = createPlan({
      desired: desiredState([]),
      observed: { ...observedState([]), observedInMs: 812 },
      now: NOW,
    });
    expect(live.observedInMs).toBe(812);
    expect(plan).not.toHaveProperty('observedInMs');
  });

  it('lists changes sorted by address, unchanged ones included', () => {
    expect(plan.changes.map((change) => `${change.action} ${change.address.name}`)).toEqual([
      'create a',
      'no-op b',
      'delete old',
    ]);
  });

  it('counts actions and risks', () => {
    expect(plan.summary).toEqual({
      create: 1,
      update: 0,
      replace: 0,
      delete: 1,
      adopt: 0,
      blocked: 0,
      noOp: 1,
      risks: 1,
    });
  });
});
