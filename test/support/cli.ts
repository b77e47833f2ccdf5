/** Runs one strata command line in-process, as `strata` would, capturing what it prints and its exit code. */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { run } from '../../src/cli/program.js';
import { ExitCode } from '../../src/cli/exit-codes.js';

export interface CliResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export async function runCli(argv: string[], options: { cwd: string; env?: NodeJS.ProcessEnv }): Promise<CliResult> {
  const out: string[] = [];
  const err: string[] = [];
  const exitCode = await run(argv, {
    output: { out: (text) => out.push(text), err: (text) => err.push(text), color: false, isTTY: false },
    cwd: options.cwd,
    env: options.env ?? {},
    exitCode: ExitCode.Success,
  });
  const joined = (lines: string[]) => lines.map((line) => (line.endsWith('\n') ? line : `${line}\n`)).join('');
  return { exitCode, stdout: joined(out), stderr: joined(err) };
}

/** A scratch copy of the repository's environments and example snapshots, so tests can write plans and edit files. */
export async function scratchProject(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'strata-cli-'));
  const root = new URL('../..', import.meta.url).pathname;
  for (const folder of ['environments', 'schemas', 'examples'])
    await cp(join(root, folder), join(dir, folder), { recursive: true });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
