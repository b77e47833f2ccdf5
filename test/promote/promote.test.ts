import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAuditLog } from '../../src/apply/audit/index.js';
import { validateEnvironmentSource } from '../../src/config/index.js';
import { preparePromotion, recordForcedPromotion, type PromotionRequest } from '../../src/promote/index.js';
import { keepMonthlyBackupsTwoYears, promotionWorld, type PromotionWorld } from './world.js';

let world: PromotionWorld;
beforeEach(async () => {
  world = await promotionWorld();
});
afterEach(async () => {
  await world.remove();
});

const prepare = (request: Partial<PromotionRequest> = {}) =>
  preparePromotion({ cwd: world.dir, env: {}, from: 'staging', to: 'prod', ...request });

/** Staging with the golden policy change, applied successfully there. */
async function appliedStagingChange(): Promise<void> {
  await world.edit('staging', keepMonthlyBackupsTwoYears);
  await world.recordApply('staging', await world.digest('staging'));
}

describe('promoting the shipped staging policy to prod', () => {
  it('produces a minimal, comment-preserving diff that validates', async () => {
    await appliedStagingChange();
    const promotion = await prepare();
    const golden = await readFile(new URL('../fixtures/promote/staging-to-prod.diff', import.meta.url), 'utf8');
    expect(promotion.diff).toBe(golden);
    expect(promotion.refusals).toEqual([]);
    expect(promotion.after).toBe(keepMonthlyBackupsTwoYears(await world.read('prod')));
    const validated = await validateEnvironmentSource('environments/prod.yaml', promotion.after, { cwd: world.dir });
    expect(validated.diagnostics).toEqual([]);
  });

  it('promotes alert thresholds as policy, keeping the growth step prod declares', async () => {
    const earlierAlerts = (text: string) =>
      text.replace('alerts: { warning: 80%, critical: 90% }', 'alerts: { warning: 70%, critical: 85% }');
    await world.edit('staging', earlierAlerts);
    await world.recordApply('staging', await world.digest('staging'));

    const promotion = await prepare();

    expect(promotion.refusals).toEqual([]);
    expect(promotion.after).toBe(earlierAlerts(await world.read('prod')));
    expect(promotion.after).toContain(
      'growth: { at: 80%, step: 50Gi }\n        alerts: { warning: 70%, critical: 85% }',
    );
  });

  it('writes nothing itself', async () => {
    await appliedStagingChange();
    const before = await world.read('prod');
    await prepare();
    expect(await world.read('prod')).toBe(before);
  });

  it('says there is nothing to promote when prod already has staging policy', async () => {
    const promotion = await prepare();
    expect(promotion.changes).toEqual([]);
    expect(promotion.diff).toBe('');
    expect(promotion.refusals).toEqual([]);
  });

  it("promotes from the target's promotesFrom when --from is not given", async () => {
    await appliedStagingChange();
    const promotion = await preparePromotion({ cwd: world.dir, env: {}, to: 'prod' });
    expect(promotion.source.environment).toBe('staging');
    expect(promotion.changes).toHaveLength(1);
  });

  it('refuses to skip a step of the promotion chain', async () => {
    await expect(prepare({ from: 'dev' })).rejects.toThrow(
      'prod promotes from staging, not dev (metadata.promotesFrom in environments/prod.yaml)',
    );
  });

  it('refuses an --only key neither file declares, listing the keys', async () => {
    await expect(prepare({ only: ['chat-archive'] })).rejects.toMatchObject({
      message: '--only chat-archive: no such logical resource in environments/staging.yaml or environments/prod.yaml',
      hint: expect.stringContaining('chat-archives') as string,
    });
  });
});

describe('guardrail: the result validates', () => {
  it('refuses a promotion that would leave prod referring to something only staging declares', async () => {
    await world.edit('staging', (text) =>
      text
        .replace(
          'storageClasses:\n',
          'storageClasses:\n  io2-fast:\n    provisioner: ebs.csi.aws.com\n    parameters: { type: io2, iops: "20000" }\n',
        )
        .replace(
          'warm-db: { storageClass: gp3-encrypted, size: 200Gi',
          'warm-db: { storageClass: io2-fast, size: 200Gi',
        ),
    );
    await world.recordApply('staging', await world.digest('staging'));
    const promotion = await prepare();
    expect(promotion.sourceOnly).toEqual(['storageClasses.io2-fast']);
    expect(promotion.refusals).toHaveLength(1);
    expect(promotion.refusals[0]!.guardrail).toBe('validation');
    expect(promotion.refusals[0]!.message).toMatch(
      /^the promoted environments\/prod\.yaml would not validate:\n {2}environments\/prod\.yaml:\d+:\d+ error \/namespaces\/analytics\/volumes\/warm-db\/storageClass: .*io2-fast/,
    );
  });
});

describe('guardrail: invariants between the environments', () => {
  it('refuses when a resource --only leaves out would keep data shorter in prod than in staging', async () => {
    await world.edit('staging', (text) => text.replace('noncurrentExpireAfter: 30d', 'noncurrentExpireAfter: 45d'));
    await world.recordApply('staging', await world.digest('staging'));
    await world.edit('prod', (text) => text.replace('expireAfter: 7y', 'expireAfter: 2y'));
    const promotion = await prepare({ only: ['backups'] });
    expect(promotion.changes.map((change) => change.path)).toEqual([
      'buckets.backups.lifecycle[cleanup].noncurrentExpireAfter',
    ]);
    expect(promotion.refusals).toEqual([
      {
        guardrail: 'invariant',
        message:
          "buckets.chat-archives.lifecycle[messages-retention].expireAfter: prod would expire current objects after 2y (730 days), sooner than staging's 7y (2555 days); set `expireAfter: 7y` or longer in prod.yaml, or add `--only chat-archives` to promote it too",
      },
    ]);
  });

  it('holds after a full promotion, which brings prod back to staging retention', async () => {
    await world.recordApply('staging', await world.digest('staging'));
    await world.edit('prod', (text) => text.replace('expireAfter: 7y', 'expireAfter: 2y'));
    const promotion = await prepare();
    expect(promotion.changes).toEqual([
      { path: 'buckets.chat-archives.lifecycle[messages-retention].expireAfter', before: '2y', after: '7y' },
    ]);
    expect(promotion.refusals).toEqual([]);
  });
});

describe("guardrail: staging's desired state was applied there", () => {
  it('refuses when staging has no audit log, saying to apply it first or force with a reason', async () => {
    await world.edit('staging', keepMonthlyBackupsTwoYears);
    const promotion = await prepare();
    expect(promotion.refusals).toEqual([
      {
        guardrail: 'not-applied',
        message:
          'audit/staging.jsonl records no apply to staging: promote only what staging runs. Apply it first (strata plan staging, then strata apply staging), or promote anyway with --force --reason "<why>", which is recorded in prod\'s audit log',
      },
    ]);
  });

  it('allows a promotion whose exact staging file was applied successfully', async () => {
    await appliedStagingChange();
    expect((await prepare()).refusals).toEqual([]);
  });

  it('refuses when staging changed after its last successful apply', async () => {
    const applied = await world.digest('staging');
    await world.recordApply('staging', applied);
    await world.edit('staging', keepMonthlyBackupsTwoYears);
    const now = await world.digest('staging');
    const [refusal] = (await prepare()).refusals;
    expect(refusal!.message).toContain(
      `staging.yaml (sha256 ${now.slice(0, 12)}…) has changed since its last successful apply (2026-11-23T10:01:30.000Z by alice), which applied a different version of staging.yaml (sha256 ${applied.slice(0, 12)}…)`,
    );
  });

  it('refuses when the apply of this staging file failed', async () => {
    await world.edit('staging', keepMonthlyBackupsTwoYears);
    await world.recordApply('staging', await world.digest('staging'), 'failed');
    const [refusal] = (await prepare()).refusals;
    expect(refusal!.message).toMatch(/^audit\/staging\.jsonl records no successful apply to staging:/);
  });

  it('reads the audit log from --audit-dir', async () => {
    await appliedStagingChange();
    const [refusal] = (await prepare({ auditDir: 'elsewhere' })).refusals;
    expect(refusal!.message).toMatch(/^elsewhere\/staging\.jsonl records no apply to staging/);
  });

  it('lets --force through with its reason, and records it in prod audit log', async () => {
    await world.edit('staging', keepMonthlyBackupsTwoYears);
    const promotion = await prepare({ forceReason: 'INC-4211: monthly backups must outlive the audit window now' });
    expect(promotion.refusals).toEqual([]);
    expect(promotion.forced).toEqual({
      reason: 'INC-4211: monthly backups must outlive the audit window now',
      why: 'audit/staging.jsonl records no apply to staging',
    });
    const shown = await recordForcedPromotion(promotion, {
      cwd: world.dir,
      env: {},
      actor: { user: 'bob', host: 'laptop' },
      now: new Date('2026-11-23T12:00:00.000Z'),
    });
    expect(shown).toBe('audit/prod.jsonl');
    expect(await readAuditLog(join(world.dir, 'audit', 'prod.jsonl'))).toEqual([
      expect.objectContaining({
        type: 'promotion-forced',
        environment: 'prod',
        time: '2026-11-23T12:00:00.000Z',
        actor: { user: 'bob', host: 'laptop' },
        desiredDigest: await world.digest('staging'),
        reason:
          'promoted from staging although audit/staging.jsonl records no apply to staging: INC-4211: monthly backups must outlive the audit window now',
      }),
    ]);
  });

  it('refuses an empty --reason', async () => {
    await expect(prepare({ forceReason: '  ' })).rejects.toThrow('--reason is empty');
  });
});
