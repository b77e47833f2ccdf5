/** The terminal layout plans and drift reports share, so both read the same: widths, indents, diff block lines. */
import { terminalText } from './escape/terminal.js';
import { DIFF_MARKERS, type DiffLine } from './format-value.js';
import type { Style } from './style.js';

export const DEFAULT_WIDTH = 100;
export const ATTRIBUTE_INDENT = '      ';
export const BLOCK_INDENT = '        ';

/** One line of a multi-line value's unified diff, under its attribute: the value's line breaks are the block's. */
export function diffBlockLine(line: DiffLine, style: Style, blocked = false): string {
  const text = `${BLOCK_INDENT}${DIFF_MARKERS[line.op]}${terminalText(line.text)}`;
  // Green and red say what apply writes; a blocked change writes nothing.
  if (blocked) return style.dim(text);
  if (line.op === 'add') return style.green(text);
  if (line.op === 'remove') return style.red(text);
  if (line.op === 'hunk') return style.cyan(text);
  return text;
}
