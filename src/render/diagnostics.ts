/**
 * Diagnostics for the terminal: `file:line:col severity /path: message`, the source line with a caret under the
 * column when the text is at hand, and a one-line summary. Pure: the CLI passes the file texts in.
 */
import { type Diagnostic, formatDiagnostic } from '../model/diagnostic.js';
import { createStyle, type Style } from './style.js';

export interface DiagnosticsRenderOptions {
  color: boolean;
  /** The text of a reported file, for the excerpt under each diagnostic; undefined when unreadable. */
  source?: (file: string) => string | undefined;
}

export function renderDiagnostics(diagnostics: readonly Diagnostic[], options: DiagnosticsRenderOptions): string[] {
  const style = createStyle(options.color);
  const lines: string[] = [];
  const texts = new Map<string, string[] | undefined>();
  const sourceLines = (file: string) => {
    if (!texts.has(file)) texts.set(file, options.source?.(file)?.split(/\r?\n/));
    return texts.get(file);
  };
  for (const diagnostic of diagnostics) {
    lines.push(headline(diagnostic, style));
    const line = sourceLines(diagnostic.file)?.[diagnostic.line - 1];
    if (line !== undefined && line.trim() !== '') lines.push(...excerpt(line, diagnostic, style));
  }
  return lines;
}

function headline(diagnostic: Diagnostic, style: Style): string {
  const plain = formatDiagnostic(diagnostic);
  const location = `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}`;
  const severity = diagnostic.severity === 'error' ? style.red(diagnostic.severity) : style.yellow(diagnostic.severity);
  return `${style.bold(location)} ${severity}${plain.slice(location.length + 1 + diagnostic.severity.length)}`;
}

function excerpt(line: string, diagnostic: Diagnostic, style: Style): string[] {
  const number = String(diagnostic.line);
  const gutter = ' '.repeat(number.length);
  // Tabs keep their width in the caret line so the caret stays under the column.
  const padding = line.slice(0, diagnostic.column - 1).replace(/[^\t]/g, ' ');
  const caret = diagnostic.severity === 'error' ? style.red('^') : style.yellow('^');
  return [`  ${style.dim(`${number} |`)} ${line}`, `  ${style.dim(`${gutter} |`)} ${padding}${caret}`];
}

/** `3 environment files valid`, `3 environment files valid, 1 warning`, `2 errors, 1 warning in 1 file`. */
export function summarizeDiagnostics(diagnostics: readonly Diagnostic[], validFiles: number): string {
  const errors = diagnostics.filter((diagnostic) => diagnostic.severity === 'error').length;
  const warnings = diagnostics.length - errors;
  const files = new Set(diagnostics.map((diagnostic) => diagnostic.file)).size;
  if (errors === 0) {
    const valid = `${plural(validFiles, 'environment file')} valid`;
    return warnings === 0 ? valid : `${valid}, ${plural(warnings, 'warning')} in ${plural(files, 'file')}`;
  }
  const counts = warnings === 0 ? plural(errors, 'error') : `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  return `${counts} in ${plural(files, 'file')}`;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}
