/**
 * `strata backups`: which volumes are backed up, where to, and for how long the copies really last, from the
 * environment file alone (no cluster or bucket is read), with validation's findings about backups.
 */
import { Option, type Command } from 'commander';
import path from 'node:path';
import { validateEnvironment } from '../../config/index.js';
import { coverageReport, fullyCovered, type CoverageReport } from '../../coverage/report.js';
import { ConfigError } from '../../errors/config-error.js';
import { renderBackupsJson } from '../../render/backups-json.js';
import { renderBackupsMarkdown } from '../../render/backups-markdown.js';
import { renderBackupsText } from '../../render/backups-text.js';
import type { CommandContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { readExcerptSource } from '../files.js';

export const BACKUPS_FORMATS = ['text', 'markdown', 'json'] as const;
export type BackupsFormat = (typeof BACKUPS_FORMATS)[number];

interface BackupsOptions {
  format: BackupsFormat;
}

export function registerBackups(program: Command, context: CommandContext): void {
  program
    .command('backups')
    .description('report which volumes are backed up, where to and for how long, from the environment file alone')
    .argument('<environment>', 'environment name (environments/<name>.yaml) or path to an environment file')
    .addOption(new Option('--format <format>', 'output format').choices(BACKUPS_FORMATS).default('text'))
    .addHelpText(
      'after',
      [
        '',
        'Each volume is listed with its backups (schedule, keep, destination, the lifecycle rule that expires the',
        'copies, and what versioning or an object lock adds), its reason for `backup: none`, or NOT COVERED.',
        'Reads no cluster and no bucket. Exits 0 when every volume is covered, 2 when one is not, and 1 when the',
        'file has errors (printed as file:line:column, as by strata validate).',
        '',
        'Examples:',
        '  strata backups dev',
        '  strata backups prod --format markdown >> "$GITHUB_STEP_SUMMARY"',
        '  strata backups environments/staging.yaml --format json',
      ].join('\n'),
    )
    .action(async (environment: string, options: BackupsOptions) => {
      const { state, diagnostics } = await validateEnvironment(environment, { cwd: context.cwd });
      if (!state) throw new ConfigError(diagnostics);
      const report = coverageReport(state, diagnostics);
      context.output.out(render(report, options.format, context));
      context.exitCode = fullyCovered(report) ? ExitCode.Success : ExitCode.Uncovered;
    });
}

function render(report: CoverageReport, format: BackupsFormat, context: CommandContext): string {
  switch (format) {
    case 'text':
      return renderBackupsText(report, {
        color: context.output.color,
        source: (file) => readExcerptSource(path.resolve(context.cwd, file)),
      });
    case 'markdown':
      return renderBackupsMarkdown(report);
    case 'json':
      return renderBackupsJson(report);
  }
}
