import { Command, CommanderError } from 'commander';
import { isReportedError } from '../errors/reported-error.js';
import { isConfigError } from '../errors/config-error.js';
import { clip } from '../model/clip.js';
import { formatDiagnostic } from '../model/diagnostic.js';
import { plural } from '../model/words.js';
import { terminalText } from '../render/escape/terminal.js';
import { ExitCode } from './exit-codes.js';
import type { CommandContext } from './context.js';
import { registerApply } from './commands/apply.js';
import { registerAudit } from './commands/audit.js';
import { registerBackups } from './commands/backups.js';
import { registerDrift } from './commands/drift.js';
import { registerObserve } from './commands/observe.js';
import { registerPlan } from './commands/plan.js';
import { registerPromote } from './commands/promote.js';
import { registerShow } from './commands/show.js';
import { registerUnlock } from './commands/unlock.js';
import { loadEnvironment } from '../config/index.js';
import { registerValidate } from './commands/validate.js';
import { version } from './version.js';

export function buildProgram(context: CommandContext): Command {
  const program = new Command()
    .name('strata')
    .description('A GitOps reconciler for storage policy: validate, plan and apply Kubernetes and S3 storage settings.')
    .version(version, '-v, --version')
    .option('--debug', 'print stack traces of unexpected errors')
    .option('--no-color', 'never colour output (NO_COLOR is honoured too)')
    .showHelpAfterError('(run with --help for usage)')
    .configureOutput({
      writeOut: (text) => context.output.out(text.replace(/\n$/, '')),
      writeErr: (text) => context.output.err(text.replace(/\n$/, '')),
    })
    .exitOverride();
  registerValidate(program, context);
  registerPlan(program, context);
  registerShow(program, context);
  registerObserve(program, context);
  registerApply(program, context);
  registerDrift(program, context);
  registerBackups(program, context);
  registerPromote(program, context);
  registerAudit(program, context);
  registerUnlock(program, context, {
    lockFor: async (environment, flags) => {
      const desired = await loadEnvironment(environment, { cwd: context.cwd });
      const { createLock } = await import('./targets.js');
      return createLock(desired, flags, context.env);
    },
  });
  return program;
}

/** Runs one command line to its exit code; never throws, never exits the process. */
export async function run(argv: string[], context: CommandContext): Promise<ExitCode> {
  const program = buildProgram(context);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return context.exitCode;
  } catch (error) {
    return reportError(error, context, argv.includes('--debug'));
  }
}

/** Errors of one environment file listed by plan, apply and others; `strata validate` lists them all, with their lines. */
const MAX_LISTED_CONFIG_ERRORS = 20;

function reportError(error: unknown, context: CommandContext, debug: boolean): ExitCode {
  // Messages quote input (names, paths, values): shown escaped, so they cannot move the cursor or colour the terminal.
  const print = (text: string) => text.split('\n').forEach((line) => context.output.err(terminalText(line)));
  if (error instanceof CommanderError) {
    // Commander already printed usage errors; --help and --version end here with code 0.
    return error.exitCode === 0 ? ExitCode.Success : ExitCode.Error;
  }
  if (isConfigError(error)) {
    const errors = error.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
    if (errors.length === 0) print(`error: ${error.message}`);
    errors.slice(0, MAX_LISTED_CONFIG_ERRORS).forEach((diagnostic) => print(formatDiagnostic(diagnostic)));
    const unlisted = errors.length - MAX_LISTED_CONFIG_ERRORS;
    if (unlisted > 0) print(`… and ${plural(unlisted, 'more error')}`);
    if (error.hint) print(`hint: ${error.hint}`);
    return ExitCode.Error;
  }
  if (isReportedError(error)) {
    print(`error: ${error.message}`);
    if (error.hint) print(`hint: ${error.hint}`);
    return ExitCode.Error;
  }
  const message = error instanceof Error ? error.message : String(error);
  print(`strata: internal error: ${clip(message, 400)}`);
  context.output.err(
    'This is a bug in strata, not in your files. Please report it with the output of the same command run with --debug.',
  );
  if (debug && error instanceof Error && error.stack) print(error.stack);
  return ExitCode.Error;
}
