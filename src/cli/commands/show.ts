import { Option, type Command } from 'commander';
import { resolve } from 'node:path';
import { checkPlanSignature, hasChanges, parsePlanFile, signatureStatus } from '../../plan/index.js';
import type { CommandContext } from '../context.js';
import { ExitCode } from '../exit-codes.js';
import { readPlanText } from '../plan-file.js';
import { planKeyFrom } from '../plan-key.js';
import { renderPlan, PLAN_FORMATS, type PlanFormat } from '../render-plan.js';

export function registerShow(program: Command, context: CommandContext): void {
  program
    .command('show')
    .description('print a saved plan (its hash, and with STRATA_PLAN_KEY its signature, is checked first)')
    .argument('<planfile>', 'a plan saved by `strata plan`')
    .addOption(new Option('--format <format>', 'output format').choices(PLAN_FORMATS).default('text'))
    .option('--json', 'same as --format json')
    .option('--detailed-exitcode', 'exit 2 when the plan has changes')
    .addHelpText('after', '\nExample:\n  strata show plans/prod.plan.json --format markdown')
    .action(async (planfile: string, options: { format: PlanFormat; json?: boolean; detailedExitcode?: boolean }) => {
      const saved = parsePlanFile(await readPlanText(resolve(context.cwd, planfile), planfile), planfile);
      const key = planKeyFrom(context.env);
      const status = signatureStatus(saved, key);
      // Showing an unsigned plan, or one there is no key to check, is fine; a signature that does not match is not.
      if (status === 'invalid') checkPlanSignature(saved, key, planfile);
      else if (status !== 'unsigned') context.output.err(SIGNATURE_NOTES[status](planfile));
      context.output.out(
        renderPlan(saved.plan, options.json ? 'json' : options.format, {
          color: context.output.color,
          planHash: saved.planHash,
        }),
      );
      context.exitCode = options.detailedExitcode && hasChanges(saved.plan) ? ExitCode.Changes : ExitCode.Success;
    });
}

const SIGNATURE_NOTES = {
  valid: (planfile: string) => `${planfile} is signed; the signature matches STRATA_PLAN_KEY`,
  unchecked: (planfile: string) =>
    `${planfile} is signed; the signature is not checked, as STRATA_PLAN_KEY is not set here`,
};
