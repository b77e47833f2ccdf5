#!/usr/bin/env node
/** The composition root's entry point: the only place that exits the process. */
import { processOutput } from './output.js';
import { run } from './program.js';
import { ExitCode } from './exit-codes.js';

// strata pins an AWS SDK release that supports Node 20; the SDK's notice about later releases is noise to its users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const exitCode = await run(process.argv.slice(2), {
  output: processOutput(),
  cwd: process.cwd(),
  env: process.env,
  exitCode: ExitCode.Success,
});
process.exitCode = exitCode;
