/** Lifecycle size filters as a plan shows them: quantities with their unit, and widened sizes as a risk in words. */
import { describe, expect, it } from 'vitest';
import { createPlan } from '../../src/plan/index.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { NOW, desired, desiredState, lifecycleRule, observed, observedState } from '../fixtures/plan/builders.js';

const BUCKET = 'akosha-code-analysis-prod';
const archive = lifecycleRule({
  id: 'archive-large',
  prefix: 'repos/',
  largerThan: '1Gi',
  transitions: [{ days: 30, storageClass: 'GLACIER' }],
});
const expire = (smallerThan: string) =>
  lifecycleRule({ id: 'expire-small', prefix: 'repos/', smallerThan, expirationDays: 90 });

const text = (plan: ReturnType<typeof createPlan>) => renderPlanText(plan, { color: false, width: 120 });

describe('lifecycle size filters in a plan', () => {
  it('shows each size as the quantity written, with its unit', () => {
    const plan = createPlan({
      desired: desiredState([desired('BucketLifecycle', BUCKET, { rules: [archive, expire('500M')] })]),
      observed: observedState([]),
      now: NOW,
    });
    const shown = text(plan);
    expect(shown).toMatch(/\[archive-large\]:\n(.*\n)*? +largerThan: +1Gi\n/);
    expect(shown).toMatch(/\[expire-small\]:\n(.*\n)*? +smallerThan: +500M\n/);
  });

  it('shows a size changed on the server against the declared one, in the units read back, and the risk in words', () => {
    const plan = createPlan({
      desired: desiredState([desired('BucketLifecycle', BUCKET, { rules: [archive, expire('2Gi')] })]),
      observed: observedState([
        observed('BucketLifecycle', BUCKET, { rules: [{ ...archive, largerThan: '1073741824' }, expire('1Gi')] }),
      ]),
      now: NOW,
    });
    const shown = text(plan);
    expect(shown).toContain('rules:\n          [expire-small]:\n              smallerThan:  1Gi → 2Gi\n');
    expect(shown).not.toContain('archive-large].largerThan');
    expect(shown.replace(/\n +/g, ' ')).toContain(
      'akosha-code-analysis-prod · lifecycle: lifecycle rule "expire-small" now expires objects smaller than 2Gi (was smaller than 1Gi)',
    );
  });
});
