export type Severity = 'error' | 'warning';

/** One problem in an environment file, located so an editor can jump to it. */
export interface Diagnostic {
  file: string;
  /** 1-based. */
  line: number;
  /** 1-based. */
  column: number;
  severity: Severity;
  /** JSON pointer inside the document (`/namespaces/codequal/volumes/data/size`); `''` for the whole file. */
  path: string;
  /** What is wrong and what to write instead. */
  message: string;
}

/**
 * By file, then position. File names and paths compare by locale, unlike `compareText`: nothing is hashed or planned
 * in this order, it is only the order a person reads the problems in their own files.
 */
export function compareDiagnostics(a: Diagnostic, b: Diagnostic): number {
  return a.file.localeCompare(b.file) || a.line - b.line || a.column - b.column || a.path.localeCompare(b.path);
}

export function formatDiagnostic(d: Diagnostic): string {
  return `${d.file}:${d.line}:${d.column} ${d.severity} ${d.path || '/'}: ${d.message}`;
}
