import type { ExitCode } from './exit-codes.js';
import type { Output } from './output.js';

export interface CommandContext {
  output: Output;
  /** Where relative paths (environments/, plans/) are resolved. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Set by a command's action; the process exits with it. */
  exitCode: ExitCode;
}
