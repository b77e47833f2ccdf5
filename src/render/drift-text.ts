/**
 * A drift check for a terminal: per environment a header, a one-line summary, then the findings grouped by class
 * (effective first) with each drifted attribute's declared and live values and who changed it, then what ignore
 * rules accepted and which rules have expired. Environments that could not be checked say why, among the others.
 */
import { hasDrift } from '../drift/report.js';
import type { DriftReport, DriftRun, EnvironmentDrift, IgnoredFinding } from '../drift/types.js';
import {
  attributeDiff,
  attribution,
  CLASS_HEADINGS,
  countWords,
  findingSymbol,
  groupFindings,
  hiddenCosmetic,
  inlineDifference,
  onlyLive,
  untilText,
  type FindingView,
} from './drift-view.js';
import { terminalText } from './escape/terminal.js';
import { plural } from '../model/words.js';
import { displayName } from './names.js';
import { createStyle, type Style } from './style.js';
import { ATTRIBUTE_INDENT, DEFAULT_WIDTH, diffBlockLine } from './text-layout.js';
import { wrapWords } from './wrap.js';

export interface DriftTextOptions {
  color: boolean;
  /** Columns to wrap prose at; values are data and never wrapped. */
  width?: number;
}

export function renderDriftText(run: DriftRun, options: DriftTextOptions): string {
  const style = createStyle(options.color);
  const width = options.width ?? DEFAULT_WIDTH;
  const blocks = run.environments.map((entry) => environmentBlock(entry, style, width));
  if (run.environments.length > 1) blocks.push(runSummary(run));
  return `${blocks.join('\n\n')}\n`;
}

function environmentBlock(entry: EnvironmentDrift, style: Style, width: number): string {
  if (entry.status === 'failed') {
    // An error can list several problems, one a line (an invalid file): its lines are kept, each escaped.
    const lines = `error: ${entry.error}`
      .split('\n')
      .flatMap((line) => wrapWords(terminalText(line), width - 2))
      .map((line) => `  ${style.red(line)}`);
    return [style.bold(terminalText(`strata drift ${entry.environment} · could not check`)), ...lines].join('\n');
  }
  const { report } = entry;
  const sections: string[][] = [[style.bold(terminalText(headerLine(report)))], [summaryLine(report, style)]];
  for (const group of groupFindings(report)) {
    const { title, note } = CLASS_HEADINGS[group.driftClass];
    sections.push([
      `${style.bold(title.toUpperCase())}: ${note}`,
      ...group.findings.flatMap((view) => findingLines(view, style, width)),
    ]);
  }
  if (report.ignored.length > 0) sections.push(ignoredLines(report.ignored, style, width));
  if (report.expiredIgnoreRules.length > 0) sections.push(expiredLines(report, style, width));
  return sections.map((lines) => lines.join('\n')).join('\n\n');
}

function headerLine(report: DriftReport): string {
  const sources = [
    report.sources.kubernetes === undefined ? undefined : withSystem('k8s', report.sources.kubernetes),
    report.sources.s3 === undefined ? undefined : withSystem('s3', report.sources.s3),
  ].filter((source) => source !== undefined);
  const from = sources.length > 0 ? ` (${sources.join(', ')})` : '';
  return `strata drift ${report.environment} · checked ${report.checkedAt}${from}`;
}

function withSystem(system: string, source: string): string {
  return source.startsWith(`${system} `) ? source : `${system} ${source}`;
}

function summaryLine(report: DriftReport, style: Style): string {
  const extras = [`${report.counts.inSync} in sync`];
  if (report.counts.ignored > 0) extras.push(`${report.counts.ignored} ignored`);
  const hidden = hiddenCosmetic(report);
  if (hidden > 0) extras[0] += ` (${hidden} only cosmetically; --verbose lists ${hidden === 1 ? 'it' : 'them'})`;
  const counts = countWords(report).filter((words) => !(hidden > 0 && words.endsWith(' cosmetic')));
  if (counts.length === 0)
    return terminalText(
      `No drift. Live state matches ${report.desiredFiles.join(', ') || 'the desired state'} (${extras.join(', ')}).`,
    );
  return `${style.bold('Drift:')} ${counts.join(', ')}. ${capitalize(extras.join(', '))}.`;
}

function findingLines({ finding, name }: FindingView, style: Style, width: number): string[] {
  const symbol = findingSymbol(finding).padStart(3);
  const painted =
    finding.class === 'effective'
      ? style.yellow(symbol)
      : finding.class === 'missing'
        ? style.green(symbol)
        : style.cyan(symbol);
  const lines = [`${painted} ${style.bold(terminalText(name))}`];
  if (finding.reason !== undefined) {
    const text = terminalText(finding.action === 'blocked' ? `blocked: ${finding.reason}` : finding.reason);
    lines.push(
      ...wrapWords(text, width - ATTRIBUTE_INDENT.length).map((line) => `${ATTRIBUTE_INDENT}${style.dim(line)}`),
    );
  }
  const shown = finding.attributes.map((attribute) => ({ attribute, path: terminalText(attribute.path) }));
  const pathWidth = Math.max(0, ...shown.map(({ path }) => path.length + 1));
  for (const { attribute, path } of shown) {
    const inline = inlineDifference(attribute, finding);
    const who = attribution(attribute);
    const by = who === undefined ? '' : `   ${style.cyan(terminalText(who))}`;
    if (inline !== undefined) {
      lines.push(`${ATTRIBUTE_INDENT}${`${path}:`.padEnd(pathWidth)}  ${terminalText(inline)}${by}`);
      continue;
    }
    const diff = attributeDiff(attribute);
    lines.push(`${ATTRIBUTE_INDENT}${path}:  ${onlyLive(finding) ? '' : '(- declared, + live)'}${by}`.trimEnd());
    if (diff.form === 'lines') lines.push(...diff.lines.map((line) => diffBlockLine(line, style)));
  }
  return lines;
}

function ignoredLines(ignored: IgnoredFinding[], style: Style, width: number): string[] {
  const lines = [`${style.bold('IGNORED')}: accepted by ignore rules in the environment file`];
  for (const entry of ignored) {
    const what =
      entry.rule.path === undefined ? '' : ` (${entry.attributes.map((attribute) => attribute.path).join(', ')})`;
    const text = terminalText(
      `${displayName(entry.address)}${what}: ${entry.rule.reason}${untilText(entry.rule.until)}`,
    );
    lines.push(
      ...wrapWords(text, width - 4, width - ATTRIBUTE_INDENT.length).map((line, index) =>
        index === 0 ? `    ${line}` : `${ATTRIBUTE_INDENT}${line}`,
      ),
    );
  }
  return lines.map((line, index) => (index === 0 ? line : style.dim(line)));
}

function expiredLines(report: DriftReport, style: Style, width: number): string[] {
  const lines = [`${style.bold(style.yellow('EXPIRED IGNORE RULES'))}: no longer applied; renew or remove them`];
  for (const { rule, nowReported } of report.expiredIgnoreRules) {
    const path = rule.path === undefined ? '' : ` ${rule.path}`;
    const again = nowReported.length > 0 ? `; reported again: ${nowReported.join(', ')}` : '; matches nothing now';
    const text = terminalText(`${rule.address}${path}, expired after ${rule.until ?? ''}: ${rule.reason}${again}`);
    lines.push(
      ...wrapWords(text, width - 4, width - ATTRIBUTE_INDENT.length).map((line, index) =>
        index === 0 ? `    ${line}` : `${ATTRIBUTE_INDENT}${line}`,
      ),
    );
  }
  return lines;
}

function runSummary(run: DriftRun): string {
  const states = run.environments.map((entry) => {
    if (entry.status === 'failed') return `${entry.environment} could not be checked`;
    return `${entry.environment} ${hasDrift(entry.report) ? 'drifted' : 'clean'}`;
  });
  return terminalText(`${plural(run.environments.length, 'environment')}: ${states.join(', ')}.`);
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
