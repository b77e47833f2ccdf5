import { Option, type Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parsePlanFile } from '../../plan/index.js';
import { UserError } from '../../errors/user-error.js';
import type { CommandContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { renderPlan, PLAN_FORMATS, type PlanFormat } from '../render-plan.js';
import { hasChanges } from '../../render/plan-view.js';

export function registerShow(program: Command, context: CommandContext): void {
  program
    .command('show')
    .description('print a saved plan (its hash is checked first)')
    .argument('<planfile>', 'a plan saved by `strata plan`')
    .addOption(new Option('--format <format>', 'output format').choices(PLAN_FORMATS).default('text'))
    .option('--json', 'same as --format json')
    .option('--detailed-exitcode', 'exit 2 when the plan has changes')
    .addHelpText('after', '\nExample:\n  strata show plans/prod.plan.json --format markdown')
    .action(async (planfile: string, options: { format: PlanFormat; json?: boolean; detailedExitcode?: boolean }) => {
      const saved = parsePlanFile(await readPlanText(resolve(context.cwd, planfile), planfile), planfile);
      context.output.out(
        renderPlan(saved.plan, options.json ? 'json' : options.format, { color: context.output.color, planHash: saved.planHash }),
      );
      context.exitCode = options.detailedExitcode && hasChanges(saved.plan) ? ExitCode.Changes : ExitCode.Success;
    });
}

export async function readPlanText(path: string, shown: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new UserError(`cannot read plan ${shown}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`, {
      hint: 'make one with: strata plan <environment>',
    });
  }
}
