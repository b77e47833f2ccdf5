#!/usr/bin/env node
/** The composition root's entry point: the only place that exits the process. */
import { constants } from 'node:os';
import { processOutput } from './output.js';
import { run } from './program.js';
import { ExitCode } from './exit-codes.js';

// strata pins an AWS SDK release that supports Node 20; the SDK's notice about later releases is noise to its users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

// A reader that stops early (`strata validate | head -3`) closes the pipe: nobody is left to read the rest, so stop
// at once and quietly, with the status of a process ended by SIGPIPE, as other command-line tools do.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code !== 'EPIPE') throw error;
  process.exit(128 + constants.signals.SIGPIPE);
});

const exitCode = await run(process.argv.slice(2), {
  output: processOutput(),
  cwd: process.cwd(),
  env: process.env,
  exitCode: ExitCode.Success,
});
process.exitCode = exitCode;
