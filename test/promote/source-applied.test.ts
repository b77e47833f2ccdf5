/** How much staging's audit record proves to `strata promote`: keyed and checked, or only the order of events. */
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { preparePromotion, type PromotionRequest } from '../../src/promote/index.js';
import { appendForged } from '../apply/audit/forge.js';
import { AUDIT_KEY } from '../apply/audit/records.js';
import { keepMonthlyBackupsTwoYears, promotionWorld, type PromotionWorld } from './world.js';

let world: PromotionWorld;
beforeEach(async () => {
  world = await promotionWorld();
  await world.edit('staging', keepMonthlyBackupsTwoYears);
});
afterEach(async () => {
  await world.remove();
});

const prepare = (request: Partial<PromotionRequest> = {}) =>
  preparePromotion({ cwd: world.dir, env: {}, from: 'staging', to: 'prod', ...request });
const stagingLog = () => join(world.dir, 'audit', 'staging.jsonl');

describe("promotion's check that staging ran this, by how staging's log is sealed", () => {
  it('says an unkeyed record proves order, not who wrote it', async () => {
    await world.recordApply('staging', await world.digest('staging'));
    const promotion = await prepare();
    expect(promotion.refusals).toEqual([]);
    expect(promotion.auditNote).toBe(
      "staging's audit log is not keyed, so its record of the apply proves order, not who wrote it (set STRATA_AUDIT_KEY where staging is applied to key it)",
    );
  });

  it('says so when the key is set here but staging applies without it', async () => {
    await world.recordApply('staging', await world.digest('staging'));
    expect((await prepare({ auditKey: AUDIT_KEY })).auditNote).toBe(
      "staging's audit log is not keyed, so its record of the apply proves order, not who wrote it (STRATA_AUDIT_KEY is set here, but staging's applies do not use it)",
    );
  });

  it('trusts a keyed record checked with the key, with nothing to add', async () => {
    await world.recordApply('staging', await world.digest('staging'), 'succeeded', AUDIT_KEY);
    const promotion = await prepare({ auditKey: AUDIT_KEY });
    expect(promotion.refusals).toEqual([]);
    expect(promotion.auditNote).toBeUndefined();
  });

  it('says a keyed record is not checked when the key is not set here', async () => {
    await world.recordApply('staging', await world.digest('staging'), 'succeeded', AUDIT_KEY);
    expect((await prepare()).auditNote).toBe(
      "staging's audit log is keyed, but STRATA_AUDIT_KEY is not set here, so who wrote its record of the apply is not checked",
    );
  });

  it('says when the apply it relies on was recorded before the log was keyed', async () => {
    await world.recordApply('staging', await world.digest('staging'));
    await world.recordApply('staging', 'an-older-digest', 'succeeded', AUDIT_KEY);
    expect((await prepare({ auditKey: AUDIT_KEY })).auditNote).toBe(
      "staging's audit log recorded the apply before it was keyed, so that record proves order, not who wrote it",
    );
  });

  it('refuses a keyed log with a successful apply forged in by someone without the key', async () => {
    await world.recordApply('staging', 'an-older-digest', 'succeeded', AUDIT_KEY);
    const forged = {
      environment: 'staging',
      time: '2026-11-23T12:00:00.000Z',
      actor: { user: 'mallory', host: 'laptop' },
      runId: 'forged',
    };
    await appendForged(
      stagingLog(),
      { ...forged, type: 'run-started', desiredDigest: await world.digest('staging') },
      { keyed: true },
    );
    await appendForged(stagingLog(), { ...forged, type: 'run-finished', outcome: 'succeeded' }, { keyed: true });
    await expect(prepare({ auditKey: AUDIT_KEY })).rejects.toThrow(
      'staging.jsonl:3: event does not match STRATA_AUDIT_KEY',
    );
  });
});
