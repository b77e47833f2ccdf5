import { ReportedError } from './reported-error.js';

/** An error the user can fix: its message says where and what to do (the file to edit, the flag to add). */
export class UserError extends ReportedError {
  override name = 'UserError';
}

export function isUserError(error: unknown): error is UserError {
  return error instanceof UserError;
}
