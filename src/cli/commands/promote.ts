/** `strata promote --from staging --to prod`: copy policy (not identity) into the next environment's file. */
import type { Command } from 'commander';
import { UserError } from '../../errors/user-error.js';
import { plural } from '../../model/words.js';
import { preparePromotion, recordForcedPromotion } from '../../promote/index.js';
import { promotionConsequenceLines, promotionSkippedLines, renderPromotionDiff } from '../../render/promotion-text.js';
import { currentActor } from '../actor.js';
import { auditKeyFrom } from '../audit-key.js';
import type { CommandContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { writeFileAtomic } from '../files.js';

interface PromoteOptions {
  from?: string;
  to: string;
  only?: string[];
  dryRun?: boolean;
  allowDestroy?: boolean;
  force?: boolean;
  reason?: string;
  auditDir?: string;
}

export function registerPromote(program: Command, context: CommandContext): void {
  program
    .command('promote')
    .description(
      "copy the promotable settings (retention, tiers, lifecycle, backups, versioning, lock, tags) of one environment's logical resources into the next environment's file",
    )
    .requiredOption('--to <environment>', 'the environment file to edit, e.g. prod')
    .option('--from <environment>', "the environment to promote from (default: the target's metadata.promotesFrom)")
    .option(
      '--only <logical-key...>',
      'promote only these top-level logical resources, e.g. --only backups chat-archives',
    )
    .option('--dry-run', 'print the diff and change nothing')
    .option(
      '--allow-destroy',
      "promote although the target's next plan would then lose data (replacing a volume, as a new storage class does)",
    )
    .option(
      '--force',
      "promote although the source's desired state has not been applied successfully there (needs --reason)",
    )
    .option('--reason <why>', "why --force is needed; recorded in the target environment's audit log")
    .option('--audit-dir <dir>', 'where the audit logs are (default: $STRATA_AUDIT_DIR or audit/)')
    .addHelpText(
      'after',
      [
        '',
        'Environment-specific fields (physical names, targets, sizes, quotas, metadata) are never copied; the schema marks them.',
        '',
        'Examples:',
        '  strata promote --from staging --to prod --dry-run',
        '  strata promote --to prod --only chat-archives',
        '  strata promote --from staging --to prod --force --reason "INC-4211: restore 7-year retention now"',
      ].join('\n'),
    )
    .action(async (options: PromoteOptions) => {
      if (options.force && options.reason === undefined) {
        throw new UserError('--force needs --reason "<why>"', {
          hint: 'the reason is recorded in the audit log with the promotion, e.g. --reason "INC-4211: retention fix"',
        });
      }
      if (options.reason !== undefined && !options.force) {
        throw new UserError('--reason only goes with --force', {
          hint: 'drop --reason, or add --force to promote without a successful apply of the source',
        });
      }
      const auditKey = auditKeyFrom(context.env);
      const promotion = await preparePromotion({
        cwd: context.cwd,
        env: context.env,
        ...(auditKey ? { auditKey } : {}),
        to: options.to,
        ...(options.from ? { from: options.from } : {}),
        ...(options.only ? { only: options.only } : {}),
        ...(options.force ? { forceReason: options.reason } : {}),
        ...(options.allowDestroy ? { allowDestroy: true } : {}),
        ...(options.auditDir ? { auditDir: options.auditDir } : {}),
      });
      if (promotion.diff) context.output.out(renderPromotionDiff(promotion.diff, { color: context.output.color }));
      for (const line of promotionConsequenceLines(promotion, { color: context.output.color }))
        context.output.out(line);
      for (const line of promotionSkippedLines(promotion)) context.output.out(line);

      const { source, target } = promotion;
      if (promotion.changes.length === 0) {
        context.output.out(
          `nothing to promote: ${target.file} already has ${source.environment}'s promotable settings`,
        );
        return;
      }
      if (promotion.refusals.length > 0) {
        context.output.err(`error: promotion refused; ${target.file} is unchanged:`);
        for (const refusal of promotion.refusals) context.output.err(`  - ${refusal.message.replace(/\n/g, '\n    ')}`);
        context.exitCode = ExitCode.Error;
        return;
      }
      if (promotion.auditNote) context.output.out(`note: ${promotion.auditNote}`);
      if (options.force && !promotion.forced) {
        context.output.out(
          `note: ${source.environment}'s desired state has been applied there; --force was not needed and nothing is recorded`,
        );
      }
      const count = plural(promotion.changes.length, 'setting');
      if (options.dryRun) {
        context.output.out(`dry run: ${target.file} not changed (${count} would change)`);
        return;
      }
      if (promotion.forced) {
        const log = await recordForcedPromotion(promotion, {
          cwd: context.cwd,
          env: context.env,
          ...(options.auditDir ? { auditDir: options.auditDir } : {}),
          ...(auditKey ? { auditKey } : {}),
          actor: currentActor(context.env),
          now: new Date(),
        });
        context.output.err(`warning: promoted with --force although ${promotion.forced.why}; recorded in ${log}`);
      }
      await writeFileAtomic(target.absolutePath, promotion.after);
      context.output.out(`${target.file} updated (${count}); review it and run strata plan ${target.environment}`);
    });
}
