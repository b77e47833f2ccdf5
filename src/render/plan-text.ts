/**
 * The plan for a terminal, the way docs/PLAN-OUTPUT.md draws it: header, one-line summary, risks first, then each
 * changed resource with Terraform-like symbols and its attribute diffs, then where the plan was saved.
 */
import type { Action, Plan } from '../model/plan.js';
import { hasChanges } from '../plan/index.js';
import { treeRows, type AttributeMarker, type AttributeNote, type AttributeTree } from './attribute-view.js';
import { terminalText } from './escape/terminal.js';
import { plural } from '../model/words.js';
import { ACTION_SYMBOLS, ADOPT_LEGEND, RISK_LABELS, shortHash } from './names.js';
import { actionCounts, viewPlan, type ChangeView, type PlanView } from './plan-view.js';
import { formatSeconds } from './seconds.js';
import { createStyle, type Style } from './style.js';
import { ATTRIBUTE_INDENT, BLOCK_INDENT, DEFAULT_WIDTH, diffBlockLine } from './text-layout.js';
import { wrapWords } from './wrap.js';

export interface PlanTextOptions {
  color: boolean;
  /** Where the plan file was written; adds the footer that says how to apply it. */
  savedTo?: string;
  planHash?: string;
  /** Columns to wrap prose (risks, reasons) at; attribute values are data and never wrapped. */
  width?: number;
}

export function renderPlanText(plan: Plan, options: PlanTextOptions): string {
  const style = createStyle(options.color);
  const width = options.width ?? DEFAULT_WIDTH;
  const view = viewPlan(plan);
  const sections: string[][] = [[style.bold(terminalText(headerLine(plan, view)))]];
  // Whatever differs is listed, a blocked change whose lack of a capability the file accepts included.
  if (view.changes.length > 0) {
    sections.push(summaryLines(plan, style));
    if (view.risks.length > 0) sections.push(riskLines(view, style, width));
    sections.push([...view.changes.flatMap((change) => changeLines(change, style, width)), ...unchangedLine(view)]);
  } else {
    sections.push([
      terminalText(`No changes. Live state matches ${plan.desiredFiles.join(', ') || 'the desired state'}.`),
    ]);
  }
  if (view.capabilityNotes.length > 0) sections.push(capabilityLines(view, style, width));
  if (options.savedTo !== undefined) sections.push([savedLine(options.savedTo, options.planHash, hasChanges(plan))]);
  return `${sections.map((lines) => lines.join('\n')).join('\n\n')}\n`;
}

function headerLine(plan: Plan, view: PlanView): string {
  const sources = [
    plan.sources.kubernetes === undefined ? undefined : withSystem('k8s', plan.sources.kubernetes),
    plan.sources.s3 === undefined ? undefined : withSystem('s3', plan.sources.s3),
  ].filter((source) => source !== undefined);
  const from = sources.length > 0 ? ` (${sources.join(', ')})` : '';
  const took = plan.observedInMs === undefined ? '' : ` in ${formatSeconds(plan.observedInMs)}`;
  return `strata plan ${plan.environment} · ${plural(view.observed, 'resource')} observed${took}${from}`;
}

/** A source says where state came from (`context prod-eks`, `s3 us-west-2 (…)`); name the system if it does not. */
function withSystem(system: string, source: string): string {
  return source.startsWith(`${system} `) ? source : `${system} ${source}`;
}

const COUNT_WORDS: Record<Exclude<Action, 'no-op'>, (count: number) => string> = {
  create: (count) => `${count} to create`,
  adopt: (count) => `${count} to adopt`,
  update: (count) => `${count} to update`,
  replace: (count) => `${count} to replace`,
  delete: (count) => `${count} to delete`,
  blocked: (count) => `${count} blocked`,
};

function summaryLines(plan: Plan, style: Style): string[] {
  const counts = actionCounts(plan.summary).map(({ action, count }) => COUNT_WORDS[action](count));
  const lines = [`${style.bold('Plan:')} ${counts.join(', ')}.`];
  if (plan.summary.adopt > 0) lines.push(style.dim(ADOPT_LEGEND));
  return lines;
}

function riskLines(view: PlanView, style: Style, width: number): string[] {
  const labelWidth = Math.max(...view.risks.map(({ risk }) => RISK_LABELS[risk.kind].length));
  const indent = 2 + labelWidth + 3;
  const lines = [style.bold(style.red('! RISKS'))];
  for (const { risk, resource } of view.risks) {
    const label = RISK_LABELS[risk.kind].padEnd(labelWidth);
    const colored =
      risk.severity === 'high' ? style.red(label) : risk.severity === 'medium' ? style.yellow(label) : label;
    const [first = '', ...rest] = wrapWords(terminalText(`${resource}: ${risk.message}`), width - indent);
    lines.push(`  ${colored}   ${first}`, ...rest.map((line) => `${' '.repeat(indent)}${line}`));
  }
  return lines;
}

const SYMBOL_STYLES: Record<Action, (style: Style, text: string) => string> = {
  create: (style, text) => style.green(text),
  adopt: (style, text) => style.cyan(text),
  update: (style, text) => style.yellow(text),
  replace: (style, text) => style.red(text),
  delete: (style, text) => style.red(text),
  blocked: (style, text) => style.bold(style.red(text)),
  'no-op': (_style, text) => text,
};

function changeLines(view: ChangeView, style: Style, width: number): string[] {
  const { change, attributes } = view;
  const name = terminalText(view.name);
  const symbol = SYMBOL_STYLES[change.action](style, ACTION_SYMBOLS[change.action].padStart(3));
  const lines = [
    ...headingLines(`${symbol} ${style.bold(name)}`, 4 + name.length, change.action, change.reason, style, width),
  ];
  const shown = attributes.map((attribute) => ({ attribute, path: terminalText(attribute.path) }));
  const pathWidth = Math.max(
    0,
    ...shown.filter(({ attribute }) => attribute.values.form === 'inline').map(({ path }) => path.length + 1),
  );
  for (const { attribute, path } of shown) {
    const { values } = attribute;
    const marker = markerText(attribute.marker, style);
    const notes = noteTexts(attribute.notes, style);
    if (values.form === 'lines') {
      lines.push(
        `${ATTRIBUTE_INDENT}${path}:${marker}${notes.join('')}`,
        ...values.lines.map((line) => diffBlockLine(line, style, change.action === 'blocked')),
      );
      continue;
    }
    if (values.form === 'tree') {
      lines.push(`${ATTRIBUTE_INDENT}${path}:${marker}${notes.join('')}`, ...treeLines(values, style));
      continue;
    }
    const label = `${path}:`.padEnd(pathWidth);
    lines.push(`${ATTRIBUTE_INDENT}${label}  ${terminalText(values.text)}${marker}${notes.join('')}`);
  }
  if (change.preserved !== undefined && change.preserved.length > 0) {
    const text = terminalText(`kept as found (not managed by strata): ${change.preserved.join(', ')}`);
    const wrapped = wrapWords(text, width - ATTRIBUTE_INDENT.length, width - BLOCK_INDENT.length);
    lines.push(...wrapped.map((line, index) => style.dim(`${index === 0 ? ATTRIBUTE_INDENT : BLOCK_INDENT}${line}`)));
  }
  return lines;
}

/** The resource line; a reason follows the name (`blocked: …` for a blocked change), wrapped under the attributes. */
function headingLines(
  heading: string,
  headingWidth: number,
  action: Action,
  reason: string | undefined,
  style: Style,
  width: number,
): string[] {
  if (reason === undefined) return [heading];
  const text = terminalText(action === 'blocked' ? `blocked: ${reason}` : `(${reason})`);
  const paint = (line: string): string => (action === 'blocked' ? style.red(line) : style.dim(line));
  const room = width - headingWidth - 3;
  const [first = '', ...rest] = wrapWords(text, Math.max(room, 20), width - ATTRIBUTE_INDENT.length);
  const continuation = rest.map((line) => `${ATTRIBUTE_INDENT}${paint(line)}`);
  if (room < 20) return [heading, `${ATTRIBUTE_INDENT}${paint(first)}`, ...continuation];
  return [`${heading}   ${paint(first)}`, ...continuation];
}

/** A nested value's members under its path, one a line, four columns deeper a level, as Terraform nests; unchanged ones counted, dim. */
function treeLines(tree: AttributeTree, style: Style): string[] {
  return treeRows(tree, terminalText).map((row) => {
    const indent = `${ATTRIBUTE_INDENT}${'    '.repeat(row.depth + 1)}`;
    if (row.hidden) return style.dim(`${indent}${row.label}`);
    const value = row.text === undefined ? '' : `  ${row.text}`;
    return `${indent}${row.label}${value}${markerText(row.marker, style)}${noteTexts(row.notes ?? [], style).join('')}`;
  });
}

function noteTexts(notes: AttributeNote[], style: Style): string[] {
  return notes.map(
    (note) => `  ${(note.kind === 'replacement' ? style.red : style.yellow)(terminalText(`(${note.text})`))}`,
  );
}

/** Green and red say what apply does; a blocked change does nothing, so its markers are dim. */
const MARKER_STYLES: Record<AttributeMarker, (style: Style, text: string) => string> = {
  new: (style, text) => style.green(text),
  removed: (style, text) => style.red(text),
  'would be new': (style, text) => style.dim(text),
  'would be removed': (style, text) => style.dim(text),
};

function markerText(marker: AttributeMarker | undefined, style: Style): string {
  if (marker === undefined) return '';
  return ` ${MARKER_STYLES[marker](style, `(${marker})`)}`;
}

function unchangedLine(view: PlanView): string[] {
  return view.unchanged > 0 ? ['', `${plural(view.unchanged, 'resource')} unchanged.`] : [];
}

function capabilityLines(view: PlanView, style: Style, width: number): string[] {
  return view.capabilityNotes.flatMap((note) =>
    wrapWords(terminalText(`note: ${note}`), width, width - 6).map((line, index) =>
      style.dim(index === 0 ? line : `      ${line}`),
    ),
  );
}

export function savedLine(savedTo: string, planHash: string | undefined, changes: boolean): string {
  const hash = planHash === undefined ? '' : ` (sha256 ${shortHash(planHash)})`;
  const apply = changes ? ` Apply with: strata apply ${savedTo}` : '';
  return terminalText(`Saved to ${savedTo}${hash}.${apply}`);
}
