#!/usr/bin/env node
/** The composition root's entry point: the only place that exits the process. */
import { processOutput } from './output.js';
import { run } from './program.js';
import { ExitCode } from './exit-codes.js';

const exitCode = await run(process.argv.slice(2), {
  output: processOutput(),
  cwd: process.cwd(),
  env: process.env,
  exitCode: ExitCode.Success,
});
process.exitCode = exitCode;
