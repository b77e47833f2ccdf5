import { UserError } from './user-error.js';

/** The audit log cannot be trusted or written: says which file and line, and what to do. */
export class AuditError extends UserError {
  override name = 'AuditError';
  readonly path: string;
  /** 1-based line the problem is on, when there is one. */
  readonly line: number | undefined;

  constructor(path: string, message: string, options: { line?: number; hint?: string; cause?: unknown } = {}) {
    super(`${options.line === undefined ? path : `${path}:${options.line}`}: ${message}`, options);
    this.path = path;
    this.line = options.line;
  }
}
