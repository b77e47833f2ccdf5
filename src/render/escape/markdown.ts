/**
 * Text for Markdown read on GitHub (plan comments, drift job summaries). A string from outside the environment file
 * is shown, never interpreted: control characters as in a terminal (Markdown is printed to terminals too), HTML and
 * Markdown syntax escaped where GitHub would render them, and `<!--` broken where it would stay literal, so no value
 * can forge the hidden marker line a CI job finds its comment by.
 */
import { terminalText } from './terminal.js';

/** Table cells, list items and prose: one line, with Markdown syntax and HTML shown as typed. */
export function markdownText(text: string): string {
  return markdownHtml(text).replace(/[\\`*_[\]|]/g, '\\$&');
}

/** Inside an HTML element (`<summary>`, `<sub>`), where GitHub renders HTML but no Markdown. */
export function markdownHtml(text: string): string {
  return terminalText(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * A fenced code block (`diff`), whose lines GitHub shows literally: entities would show as typed, so only control
 * characters are escaped and `<!--` is broken by a zero-width space. The fence is longer than any run of backticks
 * in the lines, so none can close it.
 */
export function codeBlock(info: string, lines: string[]): string {
  const body = lines.map((line) => withoutCommentOpener(terminalText(line))).join('\n');
  const fence = '`'.repeat(Math.max(3, longestBacktickRun(body) + 1));
  return [`${fence}${info}`, body, fence].join('\n');
}

/** A code span (a command to run), which no backtick in the text can close early. */
export function inlineCode(text: string): string {
  const shown = withoutCommentOpener(terminalText(text));
  const fence = '`'.repeat(longestBacktickRun(shown) + 1);
  const pad = shown.startsWith('`') || shown.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${shown}${pad}${fence}`;
}

/** Literal text (a code block or span) cannot be escaped with entities; a zero-width space breaks `<!--` instead. */
function withoutCommentOpener(text: string): string {
  return text.replace(/<!--/g, '<!\u200b--');
}

function longestBacktickRun(text: string): number {
  return Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
}
