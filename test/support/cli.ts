/** Runs one strata command line in-process, as `strata` would, capturing what it prints and its exit code. */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
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

const ROOT = new URL('../..', import.meta.url).pathname;

/**
 * strata as a process of its own (the CLI's entry point, run from source), for what only a process shows: how it
 * exits, what reaches a pipe. Its stdout and stderr are pipes for the test to read.
 */
export function spawnCli(argv: string[], options: { cwd: string }): ChildProcess {
  const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return spawn(process.execPath, ['--import', tsx, join(ROOT, 'src/cli/main.ts'), ...argv], {
    cwd: options.cwd,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, TSX_TSCONFIG_PATH: join(ROOT, 'tsconfig.json') },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** A scratch copy of the repository's environments and example snapshots, so tests can write plans and edit files. */
export async function scratchProject(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'strata-cli-'));
  const root = new URL('../..', import.meta.url).pathname;
  for (const folder of ['environments', 'schemas', 'examples'])
    await cp(join(root, folder), join(dir, folder), { recursive: true });
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
