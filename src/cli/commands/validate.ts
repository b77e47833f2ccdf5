import type { Command } from 'commander';
import type { CommandContext } from '../context.js';

export function registerValidate(program: Command, context: CommandContext): void {
  program
    .command('validate')
    .description('check environment files against the schema and strata\'s semantic rules')
    .argument('[paths...]', 'environment files or directories (default: environments/)')
    .addHelpText('after', '\nExample:\n  strata validate environments/prod.yaml')
    .action(() => {
      context.output.out('validate: not implemented yet');
    });
}
