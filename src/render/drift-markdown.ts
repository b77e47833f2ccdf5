/**
 * A drift check as Markdown, for a CI job summary or an issue: per environment a heading readable at a glance, a
 * table of findings (class, difference, who changed it), one collapsible diff per finding, then what ignore rules
 * accepted and which have expired. An environment that could not be checked says why, among the others.
 */
import { hasDrift } from '../drift/report.js';
import type { DriftFinding, DriftReport, DriftRun, EnvironmentDrift } from '../drift/types.js';
import { codeBlock, markdownHtml, markdownText } from './escape/markdown.js';
import { DIFF_MARKERS } from './format-value.js';
import {
  attributeDiff,
  attribution,
  countWords,
  findingSymbol,
  groupFindings,
  hiddenCosmetic,
  inlineDifference,
  onlyLive,
  untilText,
  type FindingView,
} from './drift-view.js';
import { plural } from '../model/words.js';
import { displayName } from './names.js';

/**
 * The hidden line a CI bot looks for to update its one comment or issue per environment: the last line of the
 * environment's block, and only there, since values are escaped.
 */
export function driftCommentMarker(environment: string): string {
  return `<!-- strata-drift:${markdownHtml(environment)} -->`;
}

export interface DriftMarkdownOptions {
  /** GitHub refuses comments and issue bodies over 65,536 characters. */
  maxLength?: number;
}

const DEFAULT_MAX_LENGTH = 60_000;

/**
 * A long report loses its details first, then table rows from the bottom of each environment's table, never the
 * headings, and says what was left out.
 */
export function renderDriftMarkdown(run: DriftRun, options: DriftMarkdownOptions = {}): string {
  const maxLength = options.maxLength ?? DEFAULT_MAX_LENGTH;
  const whole = renderRun(run, { details: true, rowLimit: Infinity });
  if (whole.length <= maxLength) return whole;
  const rows = Math.max(
    ...run.environments.map((entry) =>
      entry.status === 'checked' ? groupFindings(entry.report).flatMap((group) => group.findings).length : 0,
    ),
  );
  let rowLimit = rows;
  let text = renderRun(run, { details: false, rowLimit });
  while (text.length > maxLength && rowLimit > 0) {
    rowLimit = Math.floor(rowLimit * 0.8);
    text = renderRun(run, { details: false, rowLimit });
  }
  return text;
}

interface Room {
  details: boolean;
  rowLimit: number;
}

function renderRun(run: DriftRun, room: Room): string {
  const blocks = run.environments.map((entry) => environmentBlock(entry, room));
  if (run.environments.length > 1) blocks.unshift(runHeading(run));
  return `${blocks.join('\n\n')}\n`;
}

function runHeading(run: DriftRun): string {
  const drifted = run.environments.filter((entry) => entry.status === 'checked' && hasDrift(entry.report)).length;
  const failed = run.environments.filter((entry) => entry.status === 'failed').length;
  const parts = [`## strata drift · ${plural(run.environments.length, 'environment')}`, `${drifted} drifted`];
  if (failed > 0) parts.push(`❌ ${failed} could not be checked`);
  return parts.join(' · ');
}

function environmentBlock(entry: EnvironmentDrift, room: Room): string {
  const name = markdownText(entry.environment);
  if (entry.status === 'failed') {
    const error = ['> [!CAUTION]', ...entry.error.split('\n').map((line) => `> ${markdownText(line)}`)].join('\n');
    return [`### strata drift · ${name} · ❌ could not check`, error, driftCommentMarker(entry.environment)].join(
      '\n\n',
    );
  }
  const { report } = entry;
  const views = groupFindings(report).flatMap((group) => group.findings);
  const blocks = [heading(report)];
  if (views.length === 0)
    blocks.push(markdownText(`No drift. Live state matches ${report.desiredFiles.join(', ') || 'the desired state'}.`));
  else if (room.details)
    blocks.push(
      table(views),
      ...views.filter(({ finding }) => finding.reason !== undefined || finding.attributes.length > 0).map(details),
    );
  else
    blocks.push(
      table(views.slice(0, room.rowLimit), views.length - Math.min(views.length, room.rowLimit)),
      omissionNote(views.length, room.rowLimit),
    );
  if (report.ignored.length > 0) blocks.push(ignoredList(report));
  if (report.expiredIgnoreRules.length > 0) blocks.push(expiredBanner(report));
  blocks.push(footer(report), driftCommentMarker(report.environment));
  return blocks.join('\n\n');
}

function heading(report: DriftReport): string {
  const counts = countWords(report).filter((words) => !(hiddenCosmetic(report) > 0 && words.endsWith(' cosmetic')));
  const parts = ['### strata drift', markdownText(report.environment), ...(counts.length > 0 ? counts : ['no drift'])];
  if (report.expiredIgnoreRules.length > 0)
    parts.push(`⚠️ ${plural(report.expiredIgnoreRules.length, 'expired ignore rule')}`);
  return parts.join(' · ');
}

function table(views: FindingView[], omitted = 0): string {
  const rows = views.map(({ finding, name }) => {
    const cells = [findingSymbol(finding), name, finding.class, difference(finding), changedBy(finding)];
    return `| ${cells.map((cell) => markdownText(cell)).join(' | ')} |`;
  });
  const more = omitted > 0 ? [`| | … ${plural(omitted, 'more resource')} | | | |`] : [];
  return ['| | resource | class | difference | changed by |', '|---|---|---|---|---|', ...rows, ...more].join('\n');
}

function omissionNote(findings: number, rowLimit: number): string {
  const rows = rowLimit < findings ? ` and the table lists the first ${rowLimit} of ${findings}` : '';
  return `> [!NOTE]\n> Details are left out${rows} to keep this report under GitHub's size limit. Run \`strata drift --format text\` to see all of it.`;
}

/** The first attribute in a few words; the details say the rest. */
function difference(finding: DriftFinding): string {
  const [first] = finding.attributes;
  if (finding.class === 'missing')
    return finding.action === 'blocked' && finding.reason ? `not created: ${finding.reason}` : 'declared, not found';
  if (finding.class === 'unmanaged') return finding.reason ?? 'not declared';
  if (first === undefined) return finding.reason ?? '';
  if (onlyLive(finding)) return finding.reason ?? 'no longer declared';
  const inline = inlineDifference(first, finding);
  const text = inline === undefined ? `${first.path} differs` : `${first.path}: ${inline}`;
  return finding.attributes.length > 1 ? `${text}, +${finding.attributes.length - 1} more` : text;
}

function changedBy(finding: DriftFinding): string {
  return [
    ...new Set(finding.attributes.map((attribute) => attribute.changedBy).filter((who) => who !== undefined)),
  ].join(', ');
}

function details({ finding, name }: FindingView): string {
  const lines: string[] = [];
  if (finding.reason !== undefined) lines.push(`# ${finding.action === 'blocked' ? 'blocked: ' : ''}${finding.reason}`);
  for (const attribute of finding.attributes) {
    const diff = attributeDiff(attribute);
    const who = attribution(attribute);
    const note = who === undefined ? '' : `   # ${who}`;
    if (diff.form === 'lines') {
      lines.push(
        `  ${attribute.path}:${note}`,
        ...diff.lines.map((line) => (line.op === 'hunk' ? line.text : `${DIFF_MARKERS[line.op]}   ${line.text}`)),
      );
      continue;
    }
    if (diff.before !== undefined) lines.push(`- ${attribute.path}: ${diff.before}`);
    if (diff.after !== undefined) lines.push(`+ ${attribute.path}: ${diff.after}${note}`);
    else if (note !== '') lines.push(`+ ${attribute.path}: (not set)${note}`);
  }
  const legend = finding.attributes.length > 0 && !onlyLive(finding) ? '\n\n`-` declared in the file, `+` live' : '';
  const summary = `<details><summary>${markdownHtml(`${findingSymbol(finding)} ${name}`)} · ${finding.class}</summary>`;
  return [summary + legend, '', codeBlock('diff', lines), '', '</details>'].join('\n');
}

function ignoredList(report: DriftReport): string {
  const items = report.ignored.map((entry) => {
    const what =
      entry.rule.path === undefined ? '' : ` (${entry.attributes.map((attribute) => attribute.path).join(', ')})`;
    return `- ${markdownText(`${displayName(entry.address)}${what}: ${entry.rule.reason}${untilText(entry.rule.until)}`)}`;
  });
  return [`**Ignored** by rules in the environment file (${report.ignored.length}):`, ...items].join('\n');
}

function expiredBanner(report: DriftReport): string {
  const items = report.expiredIgnoreRules.map(({ rule, nowReported }) => {
    const path = rule.path === undefined ? '' : ` ${rule.path}`;
    const again = nowReported.length > 0 ? `reported again: ${nowReported.join(', ')}` : 'matches nothing now';
    return `> - ${markdownText(`${rule.address}${path}, expired after ${rule.until ?? ''}: ${rule.reason}; ${again}`)}`;
  });
  return [
    '> [!WARNING]',
    `> **${plural(report.expiredIgnoreRules.length, 'ignore rule')} expired** and no longer applied; renew or remove ${report.expiredIgnoreRules.length === 1 ? 'it' : 'them'}:`,
    ...items,
  ].join('\n');
}

function footer(report: DriftReport): string {
  const hidden = hiddenCosmetic(report);
  const parts = [
    `${report.counts.inSync} in sync${hidden > 0 ? ` (${hidden} only cosmetically; --verbose lists ${hidden === 1 ? 'it' : 'them'})` : ''}`,
    report.desiredFiles.join(', ') || undefined,
    `checked ${report.checkedAt}`,
  ].filter((part) => part !== undefined);
  return `<sub>${markdownHtml(parts.join(' · '))}</sub>`;
}
