/**
 * The plan as a pull-request comment: a first line readable in the PR timeline, a summary table, the risk banner,
 * then one collapsible section per changed resource with a `diff` block. A comment must fit GitHub's limit, so long
 * plans lose their details from the bottom up (then table rows), never the heading; a banner of thousands of risks
 * keeps the highest ranked and counts the rest. What was left out is always said.
 */
import type { Action, Plan } from '../model/plan.js';
import {
  treeRows,
  type AttributeMarker,
  type AttributeTree,
  type AttributeTreeNode,
  type AttributeView,
} from './attribute-view.js';
import { codeBlock, inlineCode, markdownHtml, markdownText } from './escape/markdown.js';
import { DIFF_MARKERS, type DiffLine } from './format-value.js';
import { plural } from '../model/words.js';
import { ACTION_SYMBOLS, RISK_LABELS, shortHash } from './names.js';
import { viewPlan, actionCounts, type ChangeView, type PlanView } from './plan-view.js';

export interface PlanMarkdownOptions {
  /** Characters the comment may use; GitHub refuses comments over 65,536. */
  maxLength?: number;
  planHash?: string;
  /** Where the plan is saved: what is left out of the comment is all there, for `strata show`. */
  savedTo?: string;
}

/** Well under GitHub's 65,536, leaving room for what a CI bot adds around the comment. */
const DEFAULT_MAX_LENGTH = 60_000;
/** Room kept for the note that says what was left out. */
const NOTE_RESERVE = 400;
/** Room for the line that counts the risks a long banner leaves out. */
const MORE_RISKS_RESERVE = 200;

/**
 * The hidden line a CI bot looks for to update its one comment per environment instead of adding another. It is the
 * comment's last line, and only there: values in the comment are escaped, so none can carry another copy of it.
 */
export function planCommentMarker(environment: string): string {
  return `<!-- strata-plan:${markdownHtml(environment)} -->`;
}

export function renderPlanMarkdown(plan: Plan, options: PlanMarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  const view = viewPlan(plan);
  const tail = [...capabilityNotes(view), footer(plan, view, options.planHash), planCommentMarker(plan.environment)];
  // Whatever differs is listed, a blocked change whose lack of a capability the file accepts included.
  if (view.changes.length === 0) {
    const matches = `No changes. Live state matches ${plan.desiredFiles.join(', ') || 'the desired state'}.`;
    return joinBlocks([heading(plan), markdownText(matches), ...tail]);
  }
  const head = [heading(plan)];
  const risks = view.risks.length > 0 ? [riskBanner(view, options.savedTo)] : [];
  const rows = view.changes.map(tableRow);
  const details = view.changes.map(detailsSection);

  const whole = joinBlocks([...head, table(rows), ...risks, ...details, ...tail]);
  if (whole.length <= maxLength) return whole;

  // Risks come before every change, but thousands of them cannot crowd out the table: they get half the room at most,
  // highest ranked first, and the rest are counted.
  const fixed = joinBlocks([...head, table([]), ...tail]).length + NOTE_RESERVE;
  if (risks.length > 0) risks[0] = riskBanner(view, options.savedTo, Math.floor((maxLength - fixed) / 2));
  let budget = maxLength - NOTE_RESERVE - joinBlocks([...head, table([]), ...risks, ...tail]).length;
  const keptRows = takeWhileFits(rows, budget, 1);
  budget -= keptRows.reduce((sum, row) => sum + row.length + 1, 0);
  const keptDetails = takeWhileFits(details.slice(0, keptRows.length), budget, 2);
  const note = omissionNote(view.changes.length, keptRows.length, keptDetails.length, maxLength, options.savedTo);
  return joinBlocks([
    ...head,
    table(keptRows, view.changes.length - keptRows.length),
    ...risks,
    ...keptDetails,
    note,
    ...tail,
  ]);
}

function heading(plan: Plan): string {
  const parts = ['### strata plan', markdownText(plan.environment)];
  const counts = actionCounts(plan.summary).filter(({ count }) => count > 0);
  if (counts.length === 0) parts.push('no changes');
  else parts.push(...counts.map(({ action, count }) => `${count} ${action}`));
  if (plan.summary.risks > 0) parts.push(`⚠️ ${plural(plan.summary.risks, 'risk')}`);
  return parts.join(' · ');
}

function table(rows: string[], omitted = 0): string {
  const more = omitted > 0 ? [`| | … ${plural(omitted, 'more resource')} | |`] : [];
  return ['| | resource | change |', '|---|---|---|', ...rows, ...more].join('\n');
}

const ACTION_WORDS: Record<Action, string> = {
  create: 'create',
  adopt: 'adopt',
  update: 'update',
  replace: 'replace',
  delete: 'delete',
  blocked: 'blocked',
  'no-op': 'no change',
};

function tableRow({ change, name, leaves: attributes }: ChangeView): string {
  const flag = change.action === 'blocked' ? '⛔' : change.risks.length > 0 ? '⚠️' : '';
  let what = ACTION_WORDS[change.action];
  if (change.action === 'blocked' && change.reason !== undefined) what += `: ${change.reason}`;
  else if (change.action !== 'create' && change.action !== 'delete' && attributes.length > 0) {
    const riskPaths = new Set(change.risks.map((risk) => risk.path));
    const shown = attributes.find((attribute) => riskPaths.has(attribute.path)) ?? attributes[0];
    const more = attributes.length > 1 ? `, +${attributes.length - 1} more` : '';
    what += `: ${shown === undefined ? '' : attributeSummary(shown)}${more}`;
  }
  const riskKinds = [...new Set(change.risks.map((risk) => RISK_LABELS[risk.kind]))];
  if (riskKinds.length > 0) what += ` (${riskKinds.join(', ')})`;
  return `| ${flag} | ${markdownText(name)} | ${markdownText(what)} |`;
}

/** One attribute in a few words; the one that carries a risk is the one a reviewer needs in the table. */
function attributeSummary({ path, values, marker }: AttributeView): string {
  const side = marker === undefined ? undefined : `(${marker})`;
  if (values.form !== 'inline') return `${path} ${side ?? 'changed'}`;
  return side === undefined ? `${path} ${values.text}` : `${path} ${values.text} ${side}`;
}

function riskBanner(view: PlanView, savedTo: string | undefined, budget = Infinity): string {
  const alert = view.risks.some(({ risk }) => risk.severity === 'high') ? 'CAUTION' : 'WARNING';
  const header = [`> [!${alert}]`, `> **${plural(view.risks.length, 'risk')}**`];
  const items = view.risks.map(
    ({ risk, resource }) => `> - **${RISK_LABELS[risk.kind]}** · ${markdownText(`${resource}: ${risk.message}`)}`,
  );
  const kept = takeWhileFits(items, budget - header.join('\n').length - MORE_RISKS_RESERVE, 1);
  if (kept.length === items.length) return [...header, ...items].join('\n');
  const left = view.risks.slice(kept.length);
  const kinds = [...new Set(left.map(({ risk }) => risk.kind))].map(
    (kind) => `${left.filter(({ risk }) => risk.kind === kind).length} ${RISK_LABELS[kind]}`,
  );
  return [
    ...header,
    ...kept,
    `> - … ${plural(left.length, 'more risk')} (${kinds.join(', ')}); ${showCommand(savedTo)} lists them`,
  ].join('\n');
}

/**
 * A change waiting for a capability has nothing but its table row to say (the note says why, once), so it has no
 * section; the empty string is dropped when the blocks are joined.
 */
function detailsSection({ change, name, attributes }: ChangeView): string {
  if (change.needsCapability !== undefined) return '';
  const lines: string[] = [];
  if (change.reason !== undefined)
    lines.push(change.action === 'blocked' ? `! blocked: ${change.reason}` : `# ${change.reason}`);
  for (const attribute of attributes) {
    const { path, values, marker, notes } = attribute;
    const note = notes.length > 0 ? `   # ${notes.map((n) => n.text).join('; ')}` : '';
    if (values.form === 'lines') {
      const blocked = change.action === 'blocked';
      lines.push(`  ${path}:${note}`, ...values.lines.map((line) => diffBlockLine(line, blocked)));
      continue;
    }
    if (values.form === 'tree') {
      lines.push(...treeBlockLines(attribute, values, change.action === 'blocked'));
      continue;
    }
    // GitHub paints `+` green and `-` red, which say what apply writes; a blocked change writes nothing.
    if (change.action === 'blocked') {
      lines.push(`  ${path}: ${values.text}${marker === undefined ? '' : ` (${marker})`}${note}`);
      continue;
    }
    // The notes close the attribute's last line: the `+` line, or the `-` line of a removed value.
    if (values.before !== undefined) lines.push(`- ${path}: ${values.before}${values.after === undefined ? note : ''}`);
    if (values.after !== undefined) lines.push(`+ ${path}: ${values.after}${note}`);
  }
  if (change.preserved !== undefined && change.preserved.length > 0) {
    lines.push(`# kept as found (not managed by strata): ${change.preserved.join(', ')}`);
  }
  const flag = change.risks.length > 0 ? ' ⚠️' : '';
  const summary = `<details><summary>${markdownHtml(`${ACTION_SYMBOLS[change.action]} ${name}`)}${flag}</summary>`;
  return [summary, '', codeBlock('diff', lines), '', '</details>'].join('\n');
}

/**
 * A nested value: its path, then its members under it. The first column says what apply writes (`+` a member added,
 * `-` one removed, both for a changed leaf), as for one-line values; a blocked change writes nothing, so it has no
 * signs and says `(would be new)` in words. codeBlock escapes the lines.
 */
function treeBlockLines(
  { path, attribute, marker, notes }: AttributeView,
  tree: AttributeTree,
  blocked: boolean,
): string[] {
  const note = notes.length > 0 ? `   # ${notes.map((n) => n.text).join('; ')}` : '';
  const words = (said: AttributeMarker | undefined): string => (blocked && said !== undefined ? ` (${said})` : '');
  const sign = (sides: AttributeTreeNode['sides']): string =>
    blocked || sides === 'both' ? ' ' : sides === 'after' ? '+' : '-';
  const head = sign(attribute.before === undefined ? 'after' : attribute.after === undefined ? 'before' : 'both');
  const lines = [`${head} ${path}:${words(marker)}${note}`];
  for (const row of treeRows(tree, (text) => text)) {
    const indent = '  '.repeat(row.depth);
    const rowNote = row.notes === undefined ? '' : `   # ${row.notes.map((n) => n.text).join('; ')}`;
    if (row.hidden) lines.push(`    ${indent}${row.label}`);
    else if (row.text === undefined) lines.push(`${sign(row.sides)}   ${indent}${row.label}${words(row.marker)}`);
    else if (!blocked && row.before !== undefined && row.after !== undefined)
      lines.push(`-   ${indent}${row.label}  ${row.before}`, `+   ${indent}${row.label}  ${row.after}${rowNote}`);
    else lines.push(`${sign(row.sides)}   ${indent}${row.label}  ${row.text}${words(row.marker)}${rowNote}`);
  }
  return lines;
}

/**
 * Diff markers stay in the first column, where GitHub colours them; the text sits under the attribute's path. A
 * blocked change writes nothing, so its markers move one column in, where GitHub leaves them uncoloured.
 */
function diffBlockLine(line: DiffLine, blocked: boolean): string {
  if (line.op === 'hunk') return line.text;
  return blocked ? ` ${DIFF_MARKERS[line.op]}  ${line.text}` : `${DIFF_MARKERS[line.op]}   ${line.text}`;
}

function omissionNote(
  total: number,
  rows: number,
  details: number,
  maxLength: number,
  savedTo: string | undefined,
): string {
  const parts = [`Details of ${total - details} of ${plural(total, 'changed resource')} are left out`];
  if (rows < total) parts.push(`and the table lists the first ${rows}`);
  return [
    '> [!NOTE]',
    `> ${parts.join(' ')} to keep this comment under ${maxLength} characters. ` +
      `Run ${showCommand(savedTo)} to see all of them.`,
  ].join('\n');
}

/** `strata show plans/prod.plan.json`; a plan printed without being saved can only point at saving one. */
function showCommand(savedTo: string | undefined): string {
  return savedTo === undefined ? '`strata show` on a saved plan' : inlineCode(`strata show ${savedTo}`);
}

function capabilityNotes(view: PlanView): string[] {
  return view.capabilityNotes.map((note) => `_Note: ${markdownText(note)}_`);
}

function footer(plan: Plan, view: PlanView, planHash: string | undefined): string {
  const parts = [
    view.unchanged > 0 ? `${plural(view.unchanged, 'resource')} unchanged` : undefined,
    plan.desiredFiles.join(', ') || undefined,
    `planned ${plan.createdAt}`,
    planHash === undefined ? undefined : `plan sha256 ${shortHash(planHash)}`,
  ].filter((part) => part !== undefined);
  return `<sub>${markdownHtml(parts.join(' · '))}</sub>`;
}

function takeWhileFits(blocks: string[], budget: number, separator: number): string[] {
  const kept: string[] = [];
  let used = 0;
  for (const block of blocks) {
    used += block.length + separator;
    if (used > budget) break;
    kept.push(block);
  }
  return kept;
}

function joinBlocks(blocks: string[]): string {
  return `${blocks.filter((block) => block !== '').join('\n\n')}\n`;
}
