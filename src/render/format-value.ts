/**
 * Values as people read them: strings quoted, quantities as written (`50Gi`), day and second counts with their unit
 * (`2555d`, `3600s`), short maps and arrays on one line, and long or multi-line values (policies) as unified diffs.
 * Map keys are shown sorted, as Terraform does, so the order a plan was built in never shows.
 */
import { structuredPatch } from 'diff';
import type { AttributeChange } from '../model/plan.js';
import { canonicalize, isPlainObject } from '../model/canonical.js';
import { describeGrowth } from '../model/growth.js';

/** A value longer than this on one line is shown as a block of lines and diffed line by line. */
export const INLINE_LIMIT = 60;

export type DiffLineOp = 'add' | 'remove' | 'context' | 'hunk';
export interface DiffLine {
  op: DiffLineOp;
  text: string;
}

/** How one attribute change reads: one line (`before → after`, or one side when new or removed) or a diff. */
export type AttributeDiff = { form: 'inline'; before?: string; after?: string } | { form: 'lines'; lines: DiffLine[] };

/** Storage quantities are written with a unit; bare numbers in strings (`"16000"` iops) stay quoted strings. */
const QUANTITY_WITH_UNIT = /^[+-]?(\d+(\.\d*)?|\.\d+)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)$/;
const DAYS_KEY = /(^d|D)ays$/;
const SECONDS_KEY = /(^s|S)econds$/;
const PLAIN_KEY = /^[\w./-]+$/;

/**
 * One line. `key` is the field name the value sits under; it decides units (`expirationDays: 30` → `30d`) and words a
 * claim's growth annotations (`at 80% full, +20Gi, up to 500Gi`).
 */
export function formatValue(value: unknown, key = ''): string {
  if (value === undefined) return '(none)';
  if (key === 'growth' && isPlainObject(value)) return describeGrowth(value);
  if (value === null) return 'null';
  if (typeof value === 'number') {
    if (DAYS_KEY.test(key)) return `${value}d`;
    if (SECONDS_KEY.test(key)) return `${value}s`;
    return String(value);
  }
  if (typeof value === 'string') return QUANTITY_WITH_UNIT.test(value) ? value : JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map((item) => formatValue(item, key)).join(', ')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(canonicalize(value) as Record<string, unknown>).filter(([, item]) => !isEmpty(item));
    if (entries.length === 0) return '{}';
    const body = entries.map(([name, item]) => `${formatKey(name)}: ${formatValue(item, name)}`).join(', ');
    return `{ ${body} }`;
  }
  return `${value as boolean}`;
}

/** Inside a map, absent and empty members (`tags: {}`, `transitions: []`) say nothing, so the compact form drops them. */
export function isEmpty(value: unknown): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === 'object' && value !== null && Object.keys(value).length === 0;
}

function dropEmptyMembers(this: unknown, key: string, value: unknown): unknown {
  return key !== '' && !Array.isArray(this) && isEmpty(value) ? undefined : value;
}

/** A map key as a tree or a compact map shows it: bare when plain, quoted when not. */
export function formatKey(name: string): string {
  return PLAIN_KEY.test(name) ? name : JSON.stringify(name);
}

/** The field an attribute path ends in: `rules[tiering].expirationDays` → `expirationDays`, `rules[x]` → `rules`. */
export function leafKey(path: string): string {
  const last = path.split('.').pop() ?? path;
  return last.replace(/\[.*\]$/, '');
}

export function diffAttribute(attribute: AttributeChange): AttributeDiff {
  const key = leafKey(attribute.path);
  const has = (value: unknown): boolean => value !== undefined;
  const before = has(attribute.before) ? formatValue(attribute.before, key) : undefined;
  const after = has(attribute.after) ? formatValue(attribute.after, key) : undefined;
  const multiLine = [attribute.before, attribute.after].some(
    (value) => typeof value === 'string' && value.includes('\n'),
  );
  if (!multiLine && fitsInline(before) && fitsInline(after)) return { form: 'inline', before, after };
  return { form: 'lines', lines: diffBlocks(blockText(attribute.before), blockText(attribute.after)) };
}

function fitsInline(text: string | undefined): boolean {
  return text === undefined || text.length <= INLINE_LIMIT;
}

/** Multi-line strings as written; structures as indented JSON (how people read policies), keys sorted, empty members dropped. */
function blockText(value: unknown): string | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'string' ? value : JSON.stringify(canonicalize(value), dropEmptyMembers, 2);
  return text.endsWith('\n') ? text : `${text}\n`;
}

function diffBlocks(before: string | undefined, after: string | undefined): DiffLine[] {
  if (before === undefined) return linesOf(after ?? '').map((text) => ({ op: 'add', text }));
  if (after === undefined) return linesOf(before).map((text) => ({ op: 'remove', text }));
  const patch = structuredPatch('before', 'after', before, after, undefined, undefined, { context: 3 });
  return patch.hunks.flatMap((hunk) => [
    { op: 'hunk' as const, text: `@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@` },
    ...hunk.lines.filter((line) => !line.startsWith('\\')).map(toDiffLine),
  ]);
}

function toDiffLine(line: string): DiffLine {
  const text = line.slice(1);
  if (line.startsWith('+')) return { op: 'add', text };
  if (line.startsWith('-')) return { op: 'remove', text };
  return { op: 'context', text };
}

function linesOf(text: string): string[] {
  return text.replace(/\n$/, '').split('\n');
}

export const DIFF_MARKERS: Record<DiffLineOp, string> = { add: '+', remove: '-', context: ' ', hunk: '' };
