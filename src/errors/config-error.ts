import { type Diagnostic, formatDiagnostic } from '../model/diagnostic.js';
import { UserError } from './user-error.js';

/** One or more environment files are invalid; carries every problem found, located. */
export class ConfigError extends UserError {
  override name = 'ConfigError';
  readonly diagnostics: Diagnostic[];

  constructor(diagnostics: Diagnostic[]) {
    const errors = diagnostics.filter((d) => d.severity === 'error');
    super(errors.map(formatDiagnostic).join('\n') || 'invalid environment file', {
      hint: 'run `strata validate` to see every problem with its fix',
    });
    this.diagnostics = diagnostics;
  }
}

export function isConfigError(error: unknown): error is ConfigError {
  return error instanceof ConfigError;
}
