import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render } from 'ink-testing-library';
import { createPlan } from '../../../src/plan/index.js';
import { PlanReview } from '../../../src/render/ink/PlanReview.js';
import { NOW } from '../../fixtures/plan/builders.js';
import { devOnRgw } from '../../fixtures/render/rgw.js';

afterEach(cleanup);

describe('plan review of a plan against a server without default encryption', () => {
  it('says what the server lacks once, above one row per bucket', async () => {
    const plan = createPlan({ ...(await devOnRgw(fileURLToPath(new URL('../../..', import.meta.url)))), now: NOW });
    const frame = render(<PlanReview plan={plan} color={false} canApply={false} onChoice={vi.fn()} />).lastFrame()!;
    expect(frame.match(/note: /g)).toHaveLength(1);
    expect(frame).toContain(
      'note: default encryption: the server answered GET ?encryption on bucket akosha-backups-dev',
    );
    expect(frame.indexOf('note: ')).toBeLessThan(frame.indexOf('s3 bucket'));
    expect(frame.match(/^. !\s+s3 bucket \S+ · encryption$/gm)).toHaveLength(3);
  });
});
