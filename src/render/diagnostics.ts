/**
 * Diagnostics for the terminal: `file:line:col severity /path: message`, the source line with a caret under the
 * column when the text is at hand, and a one-line summary. Pure: the CLI passes the file texts in.
 */
import { type Diagnostic, formatDiagnostic } from '../model/diagnostic.js';
import { plural } from '../model/words.js';
import { terminalText } from './escape/terminal.js';
import { createStyle, type Style } from './style.js';

/** Columns of a source line shown around the caret: one problem is a few lines, however long the line is. */
export const EXCERPT_WIDTH = 120;
/** Problems listed per file; a file with more is not being read one problem at a time, and JSON output has them all. */
export const MAX_LISTED_PER_FILE = 200;

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
  const listed = new Map<string, number>();
  for (const diagnostic of diagnostics) {
    const count = (listed.get(diagnostic.file) ?? 0) + 1;
    listed.set(diagnostic.file, count);
    if (count > MAX_LISTED_PER_FILE) continue;
    lines.push(headline(diagnostic, style));
    const line = sourceLines(diagnostic.file)?.[diagnostic.line - 1];
    if (line !== undefined && line.trim() !== '') lines.push(...excerpt(line, diagnostic, style));
  }
  for (const [file, count] of listed) {
    if (count > MAX_LISTED_PER_FILE) {
      lines.push(
        `${terminalText(file)}: ${count - MAX_LISTED_PER_FILE} more problems not listed; fix these first, or see every one with --format json`,
      );
    }
  }
  return lines;
}

function headline(diagnostic: Diagnostic, style: Style): string {
  const plain = terminalText(formatDiagnostic(diagnostic));
  const location = terminalText(`${diagnostic.file}:${diagnostic.line}:${diagnostic.column}`);
  const severity = diagnostic.severity === 'error' ? style.red(diagnostic.severity) : style.yellow(diagnostic.severity);
  return `${style.bold(location)} ${severity}${plain.slice(location.length + 1 + diagnostic.severity.length)}`;
}

function excerpt(line: string, diagnostic: Diagnostic, style: Style): string[] {
  const number = String(diagnostic.line);
  const gutter = ' '.repeat(number.length);
  const { text, caret } = around(line, diagnostic.column - 1);
  const caretMark = diagnostic.severity === 'error' ? style.red('^') : style.yellow('^');
  return [`  ${style.dim(`${number} |`)} ${text}`, `  ${style.dim(`${gutter} |`)} ${' '.repeat(caret)}${caretMark}`];
}

/**
 * At most EXCERPT_WIDTH columns of `line` around `index`, `…` marking each cut end, and where the caret goes in the
 * result. Control characters are shown escaped, so the caret is placed by the escaped text before it.
 */
function around(line: string, index: number): { text: string; caret: number } {
  const at = Math.min(Math.max(index, 0), line.length);
  const start =
    line.length <= EXCERPT_WIDTH ? 0 : Math.max(0, Math.min(at - EXCERPT_WIDTH / 2, line.length - EXCERPT_WIDTH));
  const end = Math.min(line.length, start + EXCERPT_WIDTH);
  const opening = start > 0 ? '…' : '';
  const closing = end < line.length ? '…' : '';
  return {
    text: `${opening}${terminalText(line.slice(start, end))}${closing}`,
    caret: opening.length + terminalText(line.slice(start, at)).length,
  };
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
  const counts =
    warnings === 0 ? plural(errors, 'error') : `${plural(errors, 'error')}, ${plural(warnings, 'warning')}`;
  return `${counts} in ${plural(files, 'file')}`;
}
