/** Layer two: semantic checks. Each is a pure function over a document the schema accepted (at least in part). */
import type { Severity } from '../../model/diagnostic.js';
import type { EnvironmentDocument } from '../../model/environment.js';

export interface Finding {
  severity: Severity;
  /** JSON pointer of the node the finding is about. */
  path: string;
  message: string;
  /** Point at the node's key instead of its value (for a misplaced or duplicate entry). */
  target?: 'key' | 'value';
}

export interface CheckInput {
  document: EnvironmentDocument;
  /** The file's base name without extension: `prod` for environments/prod.yaml. */
  fileName: string;
  /** True when the schema accepted the node at this path and everything below it; checks read only such nodes. */
  accepted: (path: string) => boolean;
  /** The environments next to this file, by name, with the environment each promotes from. */
  environments: ReadonlyMap<string, string | undefined>;
}

export type Check = (input: CheckInput) => Finding[];

/** The entries of a mapping, skipping empty values; none when it is not a mapping (the schema has said so already). */
export function entries<T>(record: Record<string, T> | undefined): [string, T][] {
  if (record === null || typeof record !== 'object' || Array.isArray(record)) return [];
  return Object.entries(record).filter(([, value]) => value !== null && value !== undefined);
}

/** A message from the model (`"30 days" is not a duration; write 30d`) in the backquoted style of config messages. */
export function backquoted(message: string): string {
  return message.replace(/^"([^"]*)"/, '`$1`').replace(/; write (\S+)$/, '; write `$1`');
}

export function items<T>(list: T[] | undefined): T[] {
  return Array.isArray(list) ? list : [];
}

export function error(path: string, message: string, target?: 'key' | 'value'): Finding {
  return target ? { severity: 'error', path, message, target } : { severity: 'error', path, message };
}

export function warning(path: string, message: string, target?: 'key' | 'value'): Finding {
  return target ? { severity: 'warning', path, message, target } : { severity: 'warning', path, message };
}
