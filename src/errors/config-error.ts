import { type Diagnostic, formatDiagnostic } from '../model/diagnostic.js';
import { nextCommand } from './next-command.js';
import { UserError } from './user-error.js';

/** One or more environment files are invalid; carries every problem found, located. */
export class ConfigError extends UserError {
  override name = 'ConfigError';
  readonly diagnostics: Diagnostic[];

  constructor(diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    super(errors.map(formatDiagnostic).join('\n') || 'invalid environment file', { hint: fixHint(errors) });
    this.diagnostics = diagnostics;
  }
}

/** Where to start fixing, then the command that checks the fix: it lists every problem, where the CLI stops at 20. */
function fixHint(errors: Diagnostic[]): string | undefined {
  const [first] = errors;
  if (!first) return undefined;
  const at = `${first.file}:${first.line}:${first.column}`;
  const fix = errors.length === 1 ? `fix ${at}` : `fix the ${errors.length} errors, starting at ${at}`;
  return `${fix}, then check the file with: ${nextCommand({ kind: 'invalid-file', file: first.file })}`;
}

export function isConfigError(error: unknown): error is ConfigError {
  return error instanceof ConfigError;
}
