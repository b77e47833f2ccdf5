import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { readAuditLog } from '../../src/apply/audit/index.js';
import { runCli } from '../support/cli.js';
import { keepMonthlyBackupsTwoYears, promotionWorld, type PromotionWorld } from '../promote/world.js';

let world: PromotionWorld;
beforeEach(async () => {
  world = await promotionWorld();
});
afterEach(async () => {
  await world.remove();
});

/** Runs `strata promote ...` in-process, as the strata command does. */
async function strata(argv: string[]) {
  const result = await runCli(argv, { cwd: world.dir, env: { STRATA_ACTOR: 'bob' } });
  return { code: result.exitCode, out: result.stdout.replace(/\n$/, ''), err: result.stderr.replace(/\n$/, '') };
}

const GOLDEN_DIFF = [
  '--- environments/prod.yaml',
  '+++ environments/prod.yaml',
  '@@ -135,9 +135,9 @@',
  '         expireAfter: 90d',
  '       - id: db-backups-monthly        # written straight to GLACIER, kept a year',
  '         prefix: db-backups/monthly/',
  '         transitions: [ { after: 0d, storageClass: GLACIER } ]',
  '-        expireAfter: 365d',
  '+        expireAfter: 730d',
  '       - id: abort-uploads',
  '         abortIncompleteUploadsAfter: 7d',
  ' ',
  "   # The orchestrator's project storage: a weekly cleanup (Sunday 02:00, `0 2 * * 0`) moves finished projects",
].join('\n');

/** What promote says of staging's record when its log is not keyed (test/promote/source-applied.test.ts covers the keyed cases). */
const UNKEYED_NOTE =
  "note: staging's audit log is not keyed, so its record of the apply proves order, not who wrote it (set STRATA_AUDIT_KEY where staging is applied to key it)";

async function appliedStagingChange(): Promise<void> {
  await world.edit('staging', keepMonthlyBackupsTwoYears);
  await world.recordApply('staging', await world.digest('staging'));
}

describe('strata promote', () => {
  it('edits prod.yaml, prints the diff and says what to run next', async () => {
    await appliedStagingChange();
    const prod = await world.read('prod');
    const result = await strata(['promote', '--from', 'staging', '--to', 'prod']);
    expect(result).toEqual({
      code: 0,
      out: `${GOLDEN_DIFF}\n${UNKEYED_NOTE}\nenvironments/prod.yaml updated (1 setting); review it and run strata plan prod`,
      err: '',
    });
    expect(await world.read('prod')).toBe(keepMonthlyBackupsTwoYears(prod));
  });

  it('with --dry-run prints the same diff and writes nothing', async () => {
    await appliedStagingChange();
    const prod = await world.read('prod');
    const result = await strata(['promote', '--from', 'staging', '--to', 'prod', '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.out).toBe(
      `${GOLDEN_DIFF}\n${UNKEYED_NOTE}\ndry run: environments/prod.yaml not changed (1 setting would change)`,
    );
    expect(await world.read('prod')).toBe(prod);
  });

  it('says when there is nothing to promote, and exits 0', async () => {
    const result = await strata(['promote', '--to', 'prod']);
    expect(result).toEqual({
      code: 0,
      out: "nothing to promote: environments/prod.yaml already has staging's promotable settings",
      err: '',
    });
  });

  it('names what exists only in staging instead of inventing prod names', async () => {
    await world.edit(
      'staging',
      (text) =>
        `${keepMonthlyBackupsTwoYears(text)}\n  scratch:\n    name: akosha-scratch-staging\n    versioning: false\n`,
    );
    await world.recordApply('staging', await world.digest('staging'));
    const result = await strata(['promote', '--to', 'prod', '--dry-run']);
    expect(result.out).toContain(
      'not promoted: buckets.scratch exists only in staging (add it to prod.yaml with its prod name first)',
    );
  });

  it('promotes only the logical resources --only names', async () => {
    await world.edit('staging', (text) =>
      keepMonthlyBackupsTwoYears(text).replace('tags: { team: orchestrator }', 'tags: { team: orchestration }'),
    );
    await world.recordApply('staging', await world.digest('staging'));
    const result = await strata(['promote', '--to', 'prod', '--only', 'projects', '--dry-run']);
    expect(result.out).toContain('+    tags: { team: orchestration }');
    expect(result.out).not.toContain('730d');
  });

  it('refuses an invariant violation with its message, exits 1 and leaves prod.yaml untouched', async () => {
    await world.edit('staging', (text) => text.replace('noncurrentExpireAfter: 30d', 'noncurrentExpireAfter: 45d'));
    await world.recordApply('staging', await world.digest('staging'));
    await world.edit('prod', (text) =>
      text.replace(
        'failedJobsHistoryLimit: 3\n        deadline: 1h\n        destination: { bucket: backups, prefix: warm/ }   # copies land in warm/YYYY/MM/DD/\n        keep: 30d',
        'failedJobsHistoryLimit: 3\n        deadline: 1h\n        destination: { bucket: backups, prefix: warm/ }   # copies land in warm/YYYY/MM/DD/\n        keep: 14d',
      ),
    );
    const prod = await world.read('prod');
    const result = await strata(['promote', '--to', 'prod', '--only', 'backups']);
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      [
        'error: promotion refused; environments/prod.yaml is unchanged:',
        "  - namespaces.analytics.backups.warm-db-daily.keep: prod would keep backups for 14d, shorter than staging's 30d; set `keep: 30d` or longer in prod.yaml, or add `--only analytics` to promote it too",
      ].join('\n'),
    );
    expect(await world.read('prod')).toBe(prod);
  });

  it('refuses to promote a staging file that was never applied, with the way out', async () => {
    await world.edit('staging', keepMonthlyBackupsTwoYears);
    const prod = await world.read('prod');
    const result = await strata(['promote', '--to', 'prod']);
    expect(result.code).toBe(1);
    expect(result.out).toBe(GOLDEN_DIFF);
    expect(result.err).toBe(
      [
        'error: promotion refused; environments/prod.yaml is unchanged:',
        '  - audit/staging.jsonl records no apply to staging: promote only what staging runs. Apply it first (strata plan staging, then strata apply staging), or promote anyway with --force --reason "<why>", which is recorded in prod\'s audit log',
      ].join('\n'),
    );
    expect(await world.read('prod')).toBe(prod);
  });

  it('refuses --force without --reason before reading anything', async () => {
    await world.edit('staging', keepMonthlyBackupsTwoYears);
    const result = await strata(['promote', '--to', 'prod', '--force']);
    expect(result.code).toBe(1);
    expect(result.err).toBe(
      'error: --force needs --reason "<why>"\nhint: the reason is recorded in the audit log with the promotion, e.g. --reason "INC-4211: retention fix"',
    );
  });

  it('refuses --reason without --force', async () => {
    const result = await strata(['promote', '--to', 'prod', '--reason', 'just because']);
    expect(result.code).toBe(1);
    expect(result.err).toContain('error: --reason only goes with --force');
  });

  it('with --force --reason promotes, warns, and records the reason in the prod audit log', async () => {
    await world.edit('staging', keepMonthlyBackupsTwoYears);
    const result = await strata([
      'promote',
      '--to',
      'prod',
      '--force',
      '--reason',
      'INC-4211: legal hold needs two years now',
    ]);
    expect(result.code).toBe(0);
    expect(result.err).toBe(
      'warning: promoted with --force although audit/staging.jsonl records no apply to staging; recorded in audit/prod.jsonl',
    );
    const [event, ...rest] = await readAuditLog(join(world.dir, 'audit', 'prod.jsonl'));
    expect(rest).toEqual([]);
    expect(event).toMatchObject({
      type: 'promotion-forced',
      environment: 'prod',
      actor: { user: 'bob' },
      desiredDigest: await world.digest('staging'),
      reason:
        'promoted from staging although audit/staging.jsonl records no apply to staging: INC-4211: legal hold needs two years now',
    });
    expect(await world.read('prod')).toContain('expireAfter: 730d');
  });

  it('with --force --dry-run records nothing', async () => {
    await world.edit('staging', keepMonthlyBackupsTwoYears);
    const result = await strata(['promote', '--to', 'prod', '--force', '--reason', 'INC-4211', '--dry-run']);
    expect(result.code).toBe(0);
    expect(await readAuditLog(join(world.dir, 'audit', 'prod.jsonl'))).toEqual([]);
  });
});

describe('strata promote --to staging, on the shipped files: dev keeps its database on another storage class', () => {
  const CONSEQUENCES = [
    "! with this edit, staging's next plan would replace or lose data (judged against environments/staging.yaml as it is now, not the live state):",
    '-/+ kubernetes pvc analytics-staging/warm-db   (storageClassName cannot change in place; apply deletes and creates it)',
    '      data loss: storageClassName gp3-encrypted → standard replaces the claim: the new claim starts empty; the old volume keeps the data, Released, as class gp3-encrypted retains volumes; migrate the data first',
  ].join('\n');

  beforeEach(async () => {
    await world.recordApply('dev', await world.digest('dev'));
  });

  it("flags the volume staging's next plan would replace, and refuses it without --allow-destroy", async () => {
    const staging = await world.read('staging');
    const result = await strata(['promote', '--to', 'staging']);
    expect(result.code).toBe(1);
    expect(result.out).toContain(
      '+      warm-db: { storageClass: standard, size: 200Gi, maxSize: 300Gi, alerts: { warning: 75%, critical: 90% } }',
    );
    expect(result.out).toContain(CONSEQUENCES);
    expect(result.err).toBe(
      [
        'error: promotion refused; environments/staging.yaml is unchanged:',
        "  - 1 change in staging's next plan would lose data (kubernetes/PersistentVolumeClaim/analytics-staging/warm-db): review the consequences above, then promote with --allow-destroy if that is meant",
      ].join('\n'),
    );
    expect(await world.read('staging')).toBe(staging);
  });

  it('refuses it in a dry run too, so the dry run says what the promotion would do', async () => {
    const result = await strata(['promote', '--to', 'staging', '--dry-run']);
    expect(result.code).toBe(1);
    expect(result.out).toContain(CONSEQUENCES);
  });

  it('promotes with --allow-destroy, as apply asks for the same change', async () => {
    const result = await strata(['promote', '--to', 'staging', '--allow-destroy']);
    expect(result.code).toBe(0);
    expect(result.out).toContain(CONSEQUENCES);
    expect(result.out).toContain(
      'environments/staging.yaml updated (1 setting); review it and run strata plan staging',
    );
    expect(await world.read('staging')).toContain(
      'warm-db: { storageClass: standard, size: 200Gi, maxSize: 300Gi, alerts: { warning: 75%, critical: 90% } }',
    );
  });
});
