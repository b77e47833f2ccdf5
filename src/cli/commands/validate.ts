import path from 'node:path';
import { type Command, Option } from 'commander';
import { validateEnvironments } from '../../config/index.js';
import { renderDiagnostics, summarizeDiagnostics } from '../../render/diagnostics.js';
import type { CommandContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { readExcerptSource } from '../files.js';

interface ValidateOptions {
  format: 'text' | 'json';
}

export function registerValidate(program: Command, context: CommandContext): void {
  program
    .command('validate')
    .description("check environment files against the schema and strata's semantic rules")
    .argument('[paths...]', 'environment files or directories (default: environments/)')
    .addOption(new Option('--format <format>', 'output format').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      [
        '',
        'Every problem is reported as file:line:column severity /path: message, with the fix in the message.',
        'Exits 1 when any file has an error; warnings alone exit 0.',
        '',
        'Examples:',
        '  strata validate                          # every file in environments/',
        '  strata validate environments/prod.yaml',
        '  strata validate --format json environments/ > diagnostics.json',
      ].join('\n'),
    )
    .action(async (paths: string[], options: ValidateOptions) => {
      const { diagnostics, states } = await validateEnvironments(paths, { cwd: context.cwd });
      const valid = !diagnostics.some((diagnostic) => diagnostic.severity === 'error');
      if (options.format === 'json') {
        context.output.out(JSON.stringify({ valid, diagnostics }, null, 2));
      } else {
        const source = (file: string) => readExcerptSource(path.resolve(context.cwd, file));
        for (const line of renderDiagnostics(diagnostics, { color: context.output.color, source }))
          context.output.out(line);
        context.output.out(summarizeDiagnostics(diagnostics, states.length));
      }
      context.exitCode = valid ? ExitCode.Success : ExitCode.Error;
    });
}
