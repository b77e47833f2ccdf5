/**
 * Runs `strata drift ...` in-process the way src/cli/program.ts runs a command (user errors print and exit 1),
 * through a program that registers only `drift`, capturing what it prints.
 */
import { Command, CommanderError } from 'commander';
import { registerDrift } from '../../src/cli/commands/drift.js';
import type { CommandContext } from '../../src/cli/context.js';
import { ExitCode } from '../../src/cli/exit-codes.js';
import { isUserError } from '../../src/errors/user-error.js';
import type { CliResult } from '../support/cli.js';

export async function runDrift(argv: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const context: CommandContext = {
    output: { out: (text) => out.push(text), err: (text) => err.push(text), color: false, isTTY: false },
    cwd: options.cwd,
    env: options.env ?? {},
    exitCode: ExitCode.Success,
  };
  const program = new Command().exitOverride().configureOutput({ writeOut: (text) => out.push(text), writeErr: (text) => err.push(text) });
  registerDrift(program, context);
  let exitCode: number;
  try {
    await program.parseAsync(['drift', ...argv], { from: 'user' });
    exitCode = context.exitCode;
  } catch (error) {
    if (error instanceof CommanderError) exitCode = error.exitCode;
    else if (isUserError(error)) {
      err.push(`error: ${error.message}`, ...(error.hint ? [`hint: ${error.hint}`] : []));
      exitCode = ExitCode.Error;
    } else throw error;
  }
  const joined = (lines: string[]) => lines.map((line) => (line.endsWith('\n') ? line : `${line}\n`)).join('');
  return { exitCode, stdout: joined(out), stderr: joined(err) };
}
